//! `zhanggui review ...`: a review export imported through its column names (or a
//! `--map`), bad and medium reviews raising alerts until their follow-up ends, the reply
//! scripts that fit, and the monitor's metrics.

use serde_json::Value;

use crate::support::{money, Env};

fn import(env: &Env, file: &std::path::Path, extra: &[&str]) -> (Option<i32>, Value) {
    let mut args = vec!["--json", "review", "import", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = env.run(&args);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), report)
}

#[test]
fn reviews_raise_alerts_until_followed_up() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &["--timezone", "Asia/Shanghai"]);
    let file = env.path("评价.csv");
    std::fs::write(
        &file,
        "评价时间,订单编号,宝贝名称,买家昵称,评价结果,评价内容\n\
         2025-11-01 10:00:00,1001,棉麻衬衫,小王,差评,质量太差了，洗一次就起球\n\
         2025-11-02 10:00:00,1002,棉麻衬衫,小李,中评,衣服还可以，但是快递太慢了\n\
         2025-11-03 10:00:00,1003,棉麻衬衫,小张,好评,质量很好，物流很快\n\
         2025-11-04 10:00:00,1004,棉麻衬衫,小赵,5星,不满意的地方没有，很满意\n\
         2025-11-05 10:00:00,1005,棉麻衬衫,小钱,很好,好\n",
    )
    .unwrap();
    let (code, report) = import(&env, &file, &[]);
    assert_eq!(
        code,
        Some(1),
        "a row without a readable rating fails the import"
    );
    assert_eq!(report["new"], 4);
    assert_eq!(report["rejected"][0]["row"], 6);
    assert!(report["rejected"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("not a rating"));
    assert_eq!(report["open_alerts"], 2);

    // Importing the same file again adds nothing.
    let (_, again) = import(&env, &file, &[]);
    assert_eq!(
        (again["new"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(4))
    );

    let alerts = env.json(&["review", "list", "--alerts"]);
    let alerts = alerts.as_array().unwrap();
    assert_eq!(alerts.len(), 2);
    // Newest first; the medium review blames the logistics, not the goods.
    assert_eq!(alerts[0]["order_no"], "1002");
    assert_ne!(alerts[0]["reading"]["goods"], "negative");
    assert_eq!(alerts[0]["reading"]["logistics"], "negative");
    assert_eq!(alerts[1]["reading"]["goods"], "negative");
    // Stars are read as ratings.
    let all = env.json(&["review", "list"]);
    let five = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["order_no"] == "1004")
        .unwrap();
    assert_eq!(
        (five["rating"].as_str(), five["stars"].as_i64()),
        (Some("good"), Some(5))
    );

    // The reply scripts that fit: the library's review scripts, by what is blamed.
    for (title, shortcut, text, tags) in [
        (
            "中差评致歉",
            "cp",
            "亲爱的{买家昵称}，看到您的评价我们非常抱歉",
            "差评",
        ),
        (
            "质量差评回复",
            "zlcp",
            "亲爱的{买家昵称}，宝贝的质量让您失望了，可以为您退换",
            "差评|质量",
        ),
        (
            "物流差评回复",
            "wlcp",
            "亲爱的{买家昵称}，物流慢让您久等了",
            "差评|物流|快递",
        ),
    ] {
        env.ok(&[
            "script",
            "add",
            "--category",
            "评价",
            "--subcategory",
            "中差评",
            "--title",
            title,
            "--shortcut",
            shortcut,
            "--text",
            text,
            "--tag",
            tags,
        ]);
    }
    env.ok(&[
        "script",
        "add",
        "--category",
        "物流",
        "--title",
        "物流查询",
        "--text",
        "亲，物流单号请看订单详情",
    ]);
    let id = alerts[1]["review_id"].as_str().unwrap().to_owned();
    let shown = env.json(&["review", "show", &id]);
    assert_eq!(shown["replies"][0]["title"], "质量差评回复", "{shown:#}");
    // Filled for the review's buyer (no order imported: the buyer comes from the review
    // only through the order, so the variable is reported missing, never left blank).
    assert!(shown["replies"][0]["text"]
        .as_str()
        .unwrap()
        .contains("买家昵称"));
    let medium = alerts[0]["review_id"].as_str().unwrap().to_owned();
    let shown = env.json(&["review", "show", &medium]);
    assert_eq!(shown["replies"][0]["title"], "物流差评回复", "{shown:#}");

    // Follow-up: contact 6 hours after the bad review, compensation, outcome.
    let pw = [("ZHANGGUI_PASSWORD", "a good password")];
    assert!(env
        .run_with(
            &["user", "add", "kefu", "--role", "agent", "--shop", "tb"],
            &pw
        )
        .status
        .success());
    env.ok(&[
        "review",
        "--as",
        "kefu",
        "follow",
        &id,
        "contact",
        "--at",
        "2025-11-01 16:00",
    ]);
    env.ok(&[
        "review",
        "--as",
        "kefu",
        "follow",
        &id,
        "compensation",
        "--amount",
        "20",
        "--at",
        "2025-11-01 16:05",
    ]);
    let refused = env.run(&["review", "follow", &id, "compensation"]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "compensation needs an amount"
    );
    let unknown = env.run(&["review", "follow", "R-none", "contact"]);
    assert_eq!(unknown.status.code(), Some(2));
    let m = env.json(&["review", "metrics"]);
    assert_eq!(
        (
            m["reviews"].as_u64(),
            m["bad"].as_u64(),
            m["medium"].as_u64()
        ),
        (Some(4), Some(1), Some(1))
    );
    assert_eq!(m["bad_rate"], 0.25);
    assert_eq!(m["median_hours_to_contact"], 6.0);
    assert_eq!(m["compensation"], money(20.0, "CNY"));
    assert_eq!(m["open_alerts"], 2);
    assert_eq!(m["bad_changed"], 0);

    // The buyer changes the bad review to a good one: a later export says so.
    let changed = env.path("评价2.csv");
    std::fs::write(
        &changed,
        "评论时间,订单号,商品名称,买家,评分,评论\n\
         2025-11-01 10:00:00,1001,棉麻衬衫,小王,5,质量太差了，洗一次就起球\n",
    )
    .unwrap();
    // Other column names; the text column is named with --map. Same order, product, time
    // and text: the same review.
    let (code, report) = import(&env, &changed, &["--map", "text=评论"]);
    assert_eq!(code, Some(0));
    assert_eq!(
        (report["new"].as_u64(), report["updated"].as_u64()),
        (Some(0), Some(1)),
        "{report}"
    );
    let m = env.json(&["review", "metrics"]);
    assert_eq!(
        (m["bad"].as_u64(), m["bad_changed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(m["bad_changed_share"], 1.0);
    assert_eq!(m["open_alerts"], 1);
    let bad_map = env.run(&[
        "review",
        "import",
        changed.to_str().unwrap(),
        "--map",
        "body=评论",
    ]);
    assert_eq!(bad_map.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad_map.stderr).contains("unknown field"));

    // The medium review ends with a public reply: no alert is left.
    env.ok(&[
        "review",
        "follow",
        &medium,
        "replied",
        "--note",
        "已公开解释",
    ]);
    assert_eq!(
        env.json(&["review", "list", "--alerts"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn the_demo_desk_works_at_once() {
    let env = Env::new();
    env.small_demo();
    let shop = ["--shop", "demo-taobao"];
    let with = |cmd: &str, args: &[&str]| {
        let mut all = vec![cmd];
        all.extend_from_slice(&shop);
        all.extend_from_slice(args);
        env.json(&all)
    };
    // Reviews: mostly good, a few per cent bad, the older bad ones followed up.
    let m = with("review", &["metrics"]);
    let reviews = m["reviews"].as_u64().unwrap();
    assert!(reviews > 200, "{m}");
    let bad_rate = m["bad_rate"].as_f64().unwrap();
    assert!((0.01..0.15).contains(&bad_rate), "{m}");
    assert!(m["median_hours_to_contact"].as_f64().unwrap() < 48.0);
    assert!(m["bad_changed"].as_u64().unwrap() > 0);
    // Last week's bad and medium reviews are open, each with a reply script that fits.
    let alerts = with("review", &["list", "--alerts"]);
    let alerts = alerts.as_array().unwrap();
    assert!(!alerts.is_empty());
    assert_eq!(alerts.len() as u64, m["open_alerts"].as_u64().unwrap());
    let id = alerts[0]["review_id"].as_str().unwrap();
    let shown = with("review", &["show", id]);
    let reply = shown["replies"][0]["text"].as_str().unwrap();
    assert!(!reply.contains('{') && !reply.starts_with('('), "{shown:#}");
    // Follow-ups from the orders and the tracking: shipments waiting, stalled parcels.
    let tasks = with("task", &["list"]);
    let kinds: std::collections::BTreeSet<&str> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["kind"].as_str().unwrap())
        .collect();
    for kind in ["tracking_stalled", "unshipped"] {
        assert!(kinds.contains(kind), "{kind} missing: {kinds:?}");
    }
}
