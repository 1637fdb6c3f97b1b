//! `zhanggui script ...`: the reply-script library end to end: rights per scope, variables
//! checked on save and filled from an order, versions and restore, search, and export then
//! import giving back the same library with duplicates and conflicts reported.

use serde_json::Value;

use crate::support::Env;

const SHOPIFY: &str = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Shipping Country,Cancelled at,Refunded Amount,Lineitem discount\n\
#1001,ann@example.com,paid,2024-02-21 10:31:00 -0500,fulfilled,2024-02-22 09:00:00 -0500,no,USD,70.00,5.99,5.60,81.59,,0.00,Standard,2024-02-21 10:30:00 -0500,2,Linen Throw,25.00,,SP-1,true,true,fulfilled,Ann,US,,0.00,0.00\n";

fn id_of(saved: &Value) -> String {
    saved["id"].as_i64().unwrap().to_string()
}

#[test]
fn the_script_library_end_to_end() {
    let env = Env::new();
    env.add_shop("shopify", "us-store", &[]);
    let orders = env.path("orders_export.csv");
    std::fs::write(&orders, SHOPIFY).unwrap();
    env.ok(&["import", "--shop", "us-store", orders.to_str().unwrap()]);
    let pw = [("ZHANGGUI_PASSWORD", "a good password")];
    for (login, role) in [("kefu", "agent"), ("kefu2", "agent"), ("boss", "manager")] {
        let out = env.run_with(
            &["user", "add", login, "--role", role, "--shop", "us-store"],
            &pw,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let s = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["script".to_owned()];
        all.extend(args.iter().map(|a| (*a).to_owned()));
        all
    };
    let ok = |args: &[&str]| {
        let a = s(args);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        env.ok(&refs)
    };
    let json = |args: &[&str]| {
        let a = s(args);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        env.json(&refs)
    };
    let fails = |args: &[&str], says: &str| {
        let a = s(args);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = env.run(&refs);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: `{err}` says `{says}`");
    };

    ok(&["dept", "add", "售后"]);
    ok(&["dept", "join", "售后", "kefu"]);
    // A public script by a manager; a department one; a personal one of kefu's.
    let public = id_of(&json(&[
        "--as",
        "boss",
        "add",
        "--category",
        "售后",
        "--subcategory",
        "物流",
        "--title",
        "发货通知",
        "--shortcut",
        "fh",
        "--text",
        "亲爱的{买家昵称}，您的订单{订单号}（{商品标题}）已发出，寄往{收货城市}",
    ]));
    let department = id_of(&json(&[
        "add",
        "--scope",
        "department",
        "--department",
        "售后",
        "--category",
        "售后",
        "--title",
        "退货运费",
        "--text",
        "质量问题退货运费由我们承担",
    ]));
    let personal = id_of(&json(&[
        "--as",
        "kefu",
        "add",
        "--scope",
        "personal",
        "--category",
        "常用",
        "--title",
        "物流单号",
        "--text",
        "您的物流单号是{物流单号}",
    ]));
    // Agents manage only their own; variables are checked when saving.
    fails(
        &[
            "--as",
            "kefu",
            "add",
            "--category",
            "售后",
            "--title",
            "x",
            "--text",
            "y",
        ],
        "managed by managers",
    );
    fails(
        &["--as", "kefu", "edit", &public, "--text", "改"],
        "may not change",
    );
    fails(
        &[
            "add",
            "--category",
            "售后",
            "--title",
            "坏",
            "--text",
            "您好{买家名字}",
        ],
        "{买家名字}",
    );
    fails(
        &[
            "add",
            "--scope",
            "department",
            "--department",
            "仓库",
            "--category",
            "a",
            "--title",
            "b",
            "--text",
            "c",
        ],
        "仓库",
    );

    // Who sees what.
    let seen = |who: &str| -> Vec<String> {
        json(&["--as", who, "list"])
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap().to_string())
            .collect()
    };
    let (k1, k2, boss) = (seen("kefu"), seen("kefu2"), seen("boss"));
    assert!(k1.contains(&public) && k1.contains(&department) && k1.contains(&personal));
    assert!(k2.contains(&public) && !k2.contains(&department) && !k2.contains(&personal));
    assert!(boss.contains(&department) && !boss.contains(&personal));

    // Filled from the order; a variable the order has no value for is an error, not a blank.
    let filled = json(&["--as", "kefu", "fill", &public, "--order", "#1001"]);
    assert_eq!(
        filled["text"],
        "亲爱的ann@example.com，您的订单#1001（Linen Throw）已发出，寄往US"
    );
    fails(
        &["--as", "kefu", "fill", &personal, "--order", "#1001"],
        "{物流单号}",
    );
    let filled = json(&["--as", "kefu", "fill", &personal, "--set", "物流单号=SF123"]);
    assert_eq!(filled["text"], "您的物流单号是SF123");
    fails(&["fill", &public, "--order", "#9999"], "no order");

    // Search: shortcut, pinyin, initials; the agent's own uses are counted.
    let found = |who: &str, q: &str| -> Vec<String> {
        json(&["--as", who, "search", q])
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(found("kefu", "fh")[0], "发货通知");
    assert_eq!(found("kefu", "tuihuo")[0], "退货运费");
    assert!(found("kefu2", "tuihuo").is_empty(), "kefu2 is not in 售后");
    assert_eq!(found("kefu", "wuliudanhao")[0], "物流单号");
    let listed = ok(&["--as", "kefu", "list"]);
    assert!(listed.contains("my uses"), "{listed}");

    // Versions: edit, restore, delete and bring back.
    ok(&["edit", &public, "--title", "发货啦"]);
    let history = json(&["history", &public]);
    assert_eq!(history.as_array().unwrap().len(), 2);
    assert_eq!(history[1]["updated_by"], "admin");
    ok(&["restore", &public, "1"]);
    let history = json(&["history", &public]);
    assert_eq!(history[2]["title"], "发货通知");
    assert_eq!(history[2]["body"], history[0]["body"]);
    ok(&["delete", &department]);
    assert!(!seen("kefu").contains(&department));
    ok(&["restore", &department, "1"]);
    assert!(seen("kefu").contains(&department));

    // Export then import into another shop gives back the same library; importing again
    // finds everything unchanged; a changed row is a conflict, applied only when asked.
    let csv = ok(&["export"]);
    assert_eq!(csv.lines().count(), 4, "{csv}");
    let file = env.path("library.csv");
    std::fs::write(&file, &csv).unwrap();
    let again = json(&["import", file.to_str().unwrap()]);
    assert_eq!(again["unchanged"], 3, "{again}");
    assert_eq!(again["inserted"], 0);
    let edited = csv.replace(
        "质量问题退货运费由我们承担",
        "质量问题退货运费全部由我们承担",
    );
    let with_new = format!(
        "{edited},public,,,售前,,欢迎语,亲，欢迎光临{{店铺名称}},hy,,\n,public,,,售前,,欢迎语,亲，欢迎光临{{店铺名称}},hy,,\n,public,,,售前,,坏行,您好{{昵称}},,,\n"
    );
    std::fs::write(&file, &with_new).unwrap();
    let out = env.run(&[
        "--json",
        "script",
        "import",
        file.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a rejected row fails the import"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inserted"], 1, "{report}");
    assert_eq!(report["conflicts"][0]["differs_in"], "text");
    assert_eq!(report["conflicts"][0]["applied"], false);
    assert_eq!(report["duplicates"].as_array().unwrap().len(), 1);
    assert_eq!(report["rejected"][0]["row"], 7);
    let after_dry = ok(&["export"]);
    assert_eq!(after_dry, csv, "a dry run changes nothing");
    let a = s(&["import", file.to_str().unwrap(), "--replace"]);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = env.run(&refs);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a rejected row makes the import fail"
    );
    let now = ok(&["export"]);
    assert!(now.contains("全部由我们承担") && now.contains("欢迎语") && !now.contains("坏行"));

    // The same library in a fresh database: export, import, export again.
    let fresh = Env::new();
    fresh.add_shop("shopify", "us-store", &[]);
    std::fs::write(fresh.path("lib.csv"), &now).unwrap();
    let dept = fresh.run(&["script", "dept", "add", "售后"]);
    assert!(dept.status.success());
    let imported = fresh.json(&["script", "import", fresh.path("lib.csv").to_str().unwrap()]);
    assert_eq!(imported["inserted"], 4, "{imported}");
    assert_eq!(
        fresh.ok(&["script", "export"]),
        now,
        "export → import → export is the same"
    );
    // Excel too.
    let xlsx = env.path("lib.xlsx");
    ok(&["export", "--xlsx", xlsx.to_str().unwrap()]);
    let from_xlsx = json(&["import", xlsx.to_str().unwrap()]);
    assert_eq!(from_xlsx["unchanged"], 4, "{from_xlsx}");
}
