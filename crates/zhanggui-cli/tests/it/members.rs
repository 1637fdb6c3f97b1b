//! `zhanggui members rfm`, `cohorts`, `clv`, `winback` and `memberday` on the demo store.

use super::support::{amount, Env};

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
        .max_by_key(|c| (amount(&c["amount"]) * 100.0).round() as i64)
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
    // Piped into a reader that stops early (`| head`), the output ends quietly.
    assert!(
        csv.len() > 80 * 1024,
        "more than a pipe holds: {}",
        csv.len()
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zhanggui"))
        .arg("--db")
        .arg(env.db())
        .args(["members", "rfm", "--shop", "demo-taobao", "--csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0_u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked") && out.status.success(), "{err}");
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
        .map(|c| amount(&c["lifetime_value"]))
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
    let risk: Vec<f64> = list.iter().map(|c| amount(&c["value_at_risk"])).collect();
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

/// Saved segments: a filter sized against the members, saved, listed, exported with or
/// without personal data, and refused with its position when it is wrong; repeat rates by
/// the first order's category.
#[test]
fn segments_and_first_order_repeats_on_the_demo() {
    let env = Env::new();
    env.small_demo();
    let shop = ["--shop", "demo-taobao"];
    let with = |args: &[&str]| -> Vec<String> {
        let mut all: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        all.extend(shop.iter().map(|s| (*s).to_owned()));
        all
    };
    let json = |args: &[&str]| {
        let all = with(args);
        let refs: Vec<&str> = all.iter().map(String::as_str).collect();
        env.json(&refs)
    };
    let rfm = json(&["members", "rfm"]);
    let customers = rfm[0]["customers"].as_array().unwrap();
    // Counted independently from the RFM customers: 3+ orders and more than ¥500 spent.
    let naive = customers
        .iter()
        .filter(|c| c["orders"].as_i64().unwrap() >= 3 && amount(&c["amount"]) > 500.0)
        .count();
    assert!(naive > 0);
    let filter = "orders >= 3 and spend > 500";
    let p = json(&["members", "segment", "preview", filter]);
    assert_eq!(p["size"].as_u64().unwrap() as usize, naive, "{p}");
    assert_eq!(p["of"].as_u64().unwrap() as usize, customers.len());
    let not = json(&[
        "members",
        "segment",
        "preview",
        "not (orders >= 3 and spend > 500)",
    ]);
    assert_eq!(
        not["size"].as_u64().unwrap() as usize,
        customers.len() - naive
    );
    // Categories come from the product report's 所属类目: each buyer has some, and a category
    // nobody bought selects nobody.
    let women = json(&["members", "segment", "preview", "category has 女装"]);
    assert!(women["size"].as_u64().unwrap() > 0);
    let none = json(&["members", "segment", "preview", "category has 不存在的类目"]);
    assert_eq!(none["size"], 0);

    // Save, list with the live size, export.
    let saved = json(&["members", "segment", "save", "老客高消费", filter]);
    assert_eq!(saved["size"].as_u64().unwrap() as usize, naive);
    let list = json(&["members", "segment", "list"]);
    assert_eq!(list[0]["name"], "老客高消费");
    assert_eq!(list[0]["filter"], filter);
    assert_eq!(list[0]["size"].as_u64().unwrap() as usize, naive);
    let csv_args = with(&["members", "segment", "export", "老客高消费", "--csv"]);
    let refs: Vec<&str> = csv_args.iter().map(String::as_str).collect();
    let csv = env.ok(&refs);
    let header = csv.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert!(header.starts_with("buyer_id,region,last_order"), "{header}");
    assert_eq!(csv.lines().count(), naive + 1);
    let known: Vec<&str> = customers
        .iter()
        .map(|c| c["buyer"].as_str().unwrap())
        .collect();
    let first_id = csv.lines().nth(1).unwrap().split(',').next().unwrap();
    assert!(known.contains(&first_id), "{first_id}");
    // Without personal data: pseudonyms, no region column.
    let anon_args = with(&[
        "members",
        "segment",
        "export",
        "老客高消费",
        "--csv",
        "--no-personal",
    ]);
    let refs: Vec<&str> = anon_args.iter().map(String::as_str).collect();
    let anon = env.ok(&refs);
    assert!(!anon.lines().next().unwrap().contains("region"));
    assert_eq!(anon.lines().count(), naive + 1);
    assert!(anon
        .lines()
        .skip(1)
        .all(|l| l.starts_with("会员-") && !known.contains(&l.split(',').next().unwrap())));

    // A wrong filter is refused with where and why, and nothing is saved.
    let bad_args = with(&["members", "segment", "save", "坏的", "spend > lots"]);
    let refs: Vec<&str> = bad_args.iter().map(String::as_str).collect();
    let bad = env.run(&refs);
    assert_eq!(bad.status.code(), Some(2));
    let said = String::from_utf8_lossy(&bad.stderr);
    assert!(
        said.contains("character 9") && said.contains("number"),
        "{said}"
    );
    assert_eq!(
        json(&["members", "segment", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let del_args = with(&["members", "segment", "delete", "老客高消费"]);
    let refs: Vec<&str> = del_args.iter().map(String::as_str).collect();
    env.ok(&refs);
    let gone = env.run(&refs);
    assert_eq!(gone.status.code(), Some(2));

    // Repeat rates by the first order's category: the demo's six categories, each rate
    // a share of the buyers whose window had ended.
    let by = json(&["members", "cohorts", "--by", "category"]);
    let groups = by[0]["groups"].as_array().unwrap();
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["group"].as_str().unwrap())
        .collect();
    for cat in ["女装", "男装", "家居", "厨房", "美妆", "母婴"] {
        assert!(names.contains(&cat), "{names:?}");
    }
    for g in groups {
        if let Some(rate) = g["repeat_90"].as_f64() {
            assert!((0.0..=1.0).contains(&rate));
            assert!(g["repeat_30"].as_f64().unwrap() <= rate + 1e-9, "{g}");
        }
    }
    // A first order with two products of one category counts its buyer once for the
    // category and twice by product; every buyer counts at least once either way.
    let by_product = json(&["members", "cohorts", "--by", "product"]);
    let eligible = |v: &serde_json::Value| -> i64 {
        v[0]["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["eligible_90"].as_i64().unwrap())
            .sum()
    };
    assert!(
        eligible(&by_product) >= eligible(&by),
        "products cover categories"
    );
    let cohorts = json(&["members", "cohorts"]);
    let eligible_90: i64 = cohorts[0]["cohorts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["repeat_90"].is_number())
        .map(|c| c["buyers"].as_i64().unwrap())
        .sum();
    assert!(
        eligible(&by) >= eligible_90 * 8 / 10,
        "{} vs {eligible_90}",
        eligible(&by)
    );
}
