//! `zhanggui members rfm`, `cohorts`, `clv`, `winback` and `memberday` on the demo store.

use super::support::Env;

#[test]
fn the_members_commands_on_the_demo() {
    let env = Env::new();
    env.small_demo();
    let all = env.json(&["members", "rfm", "--shop", "demo-taobao"]);
    let r = &all[0];
    let customers = r["customers"].as_array().unwrap();
    assert!(customers.len() > 100, "{} customers", customers.len());
    let segments = r["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 8);
    let in_segments: u64 = segments
        .iter()
        .map(|s| s["customers"].as_u64().unwrap())
        .sum();
    assert_eq!(in_segments as usize, customers.len());
    assert!(segments
        .iter()
        .any(|s| s["zh"] == "重要价值客户" && s["customers"].as_u64().unwrap() > 0));
    let top = customers
        .iter()
        .max_by_key(|c| c["amount"].as_i64().unwrap())
        .unwrap();
    assert_eq!(
        top["m"], 5,
        "the biggest spender has the top monetary score"
    );
    assert!(customers.iter().all(|c| c["orders"].as_i64().unwrap() >= 1));

    // Earlier histories hold no more buyers, and recency counts from the day given.
    let until = r["until"].as_str().unwrap();
    let earlier = env.json(&[
        "members",
        "rfm",
        "--shop",
        "demo-taobao",
        "--until",
        "2025-06-30",
    ]);
    assert!(earlier[0]["customers"].as_array().unwrap().len() <= customers.len());
    assert_ne!(until, "2025-06-30");

    let csv = env.ok(&["members", "rfm", "--shop", "demo-taobao", "--csv"]);
    assert_eq!(
        csv.lines().count(),
        customers.len() + 1,
        "a header and a row per buyer"
    );
    // Moves since the end of the month before: everyone scored on both days is counted
    // once, the rest are new.
    let moves = env.json(&["members", "rfm", "--shop", "demo-taobao", "--moves"]);
    let m = &moves[0];
    let moved: u64 = m["moves"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["customers"].as_u64().unwrap())
        .sum();
    assert_eq!(
        moved + m["new_customers"].as_u64().unwrap(),
        customers.len() as u64
    );
    let from = m["from"].as_str().unwrap();
    let earlier = env.json(&["members", "rfm", "--shop", "demo-taobao", "--until", from]);
    assert!(moved as usize <= earlier[0]["customers"].as_array().unwrap().len());
    assert!(
        from.ends_with("-30")
            || from.ends_with("-31")
            || from.ends_with("-28")
            || from.ends_with("-29")
    );
    // Cohorts: every buyer belongs to the cohort of their first month; a cohort is whole in
    // its own month; a cohort of the last month has no 30-day window yet.
    let c = &env.json(&["members", "cohorts", "--shop", "demo-taobao"])[0];
    let cohorts = c["cohorts"].as_array().unwrap();
    let buyers: i64 = cohorts.iter().map(|x| x["buyers"].as_i64().unwrap()).sum();
    assert_eq!(buyers as usize, customers.len());
    assert!(cohorts.iter().all(|x| x["retention"][0] == 1.0));
    let last = cohorts.last().unwrap();
    assert!(last["repeat_30"].is_null(), "{last}");
    assert_eq!(last["retention"].as_array().unwrap().len(), 1);
    let first = &cohorts[0];
    let months = first["retention"].as_array().unwrap().len();
    assert_eq!(
        months,
        cohorts.len(),
        "the first cohort has a value for every month since"
    );
    let r30 = c["repeat_30"].as_f64().unwrap();
    assert!(r30 > 0.0 && r30 < c["repeat_90"].as_f64().unwrap());
    let table = env.ok(&[
        "members",
        "cohorts",
        "--shop",
        "demo-taobao",
        "--months",
        "3",
    ]);
    assert!(table.contains("M3") && !table.contains("M4"), "{table}");
    // Lifetime value: fitted on the demo's buyers, ranked, every buyer valued.
    let v = &env.json(&["members", "clv", "--shop", "demo-taobao"])[0];
    let fitted = &v["verdict"]["fitted"];
    assert!(
        fitted["bg_nbd"]["log_likelihood"].as_f64().unwrap() < 0.0,
        "{v}"
    );
    let valued = fitted["customers"].as_array().unwrap();
    assert_eq!(valued.len(), customers.len());
    let ltv: Vec<f64> = valued
        .iter()
        .map(|c| c["lifetime_value"].as_f64().unwrap())
        .collect();
    assert!(
        ltv.windows(2).all(|w| w[0] >= w[1]),
        "ranked by lifetime value"
    );
    assert!(valued
        .iter()
        .all(|c| (0.0..=1.0).contains(&c["probability_alive"].as_f64().unwrap())));
    // Six weeks of orders are too few for a fit: the repeat interval is given instead.
    let early = &env.json(&[
        "members",
        "clv",
        "--shop",
        "demo-taobao",
        "--until",
        "2024-12-15",
    ])[0];
    let little = &early["verdict"]["too_little_history"];
    assert!(
        little["reason"].as_str().unwrap().contains("repeat buyers"),
        "{early}"
    );
    assert!(little["mean_days_between"].as_f64().unwrap() > 0.0);
    // Win-back: repeat buyers who spent at least the median and are probably gone, ranked
    // by the value at risk, each with its reason.
    let w = &env.json(&["members", "winback", "--shop", "demo-taobao"])[0];
    let list = w["customers"].as_array().unwrap();
    assert!(!list.is_empty(), "{w}");
    let risk: Vec<f64> = list
        .iter()
        .map(|c| c["value_at_risk"].as_f64().unwrap())
        .collect();
    assert!(risk.windows(2).all(|x| x[0] >= x[1]));
    assert!(list
        .iter()
        .all(|c| c["probability_alive"].as_f64().unwrap() < 0.5));
    assert!(list
        .iter()
        .all(|c| c["reason"].as_str().unwrap().contains("天前")));
    // Member day: each measure's lift lies inside its interval, over whole weeks each side.
    let md = &env.json(&[
        "members",
        "memberday",
        "--shop",
        "demo-taobao",
        "--weekday",
        "wed",
        "--since",
        "2025-06-04",
    ])[0];
    let lifts = md["lifts"].as_array().unwrap();
    assert_eq!(lifts.len(), 3);
    for pair in lifts {
        let l = &pair[1];
        let (lo, mid, hi) = (
            l["low"].as_f64().unwrap(),
            l["lift"].as_f64().unwrap(),
            l["high"].as_f64().unwrap(),
        );
        assert!(lo < mid && mid < hi, "{pair}");
        assert_eq!(l["weeks_before"], 11);
    }
    let bad_day = env.run(&[
        "members",
        "memberday",
        "--weekday",
        "funday",
        "--since",
        "2025-06-04",
    ]);
    assert_eq!(bad_day.status.code(), Some(2));
    let bad = env.run(&["members", "rfm", "--bins", "1"]);
    assert_eq!(bad.status.code(), Some(2));
}
