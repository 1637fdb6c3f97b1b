//! `zhanggui task ...`: follow-ups derived from the orders (unshipped after 24 and 48 hours,
//! unpaid inside the reminder window, buyer requests), each with its message filled from
//! the order, and who follows it up.

use serde_json::Value;

use crate::support::Env;

const HEADER: &str = "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Shipping Country,Cancelled at,Refunded Amount,Lineitem discount,Notes";

/// One order line: name, email, financial status, paid at, fulfilled at, created at, notes.
fn line(o: (&str, &str, &str, &str, &str, &str, &str)) -> String {
    let (name, email, status, paid, fulfilled, created, notes) = o;
    let fulfillment = if fulfilled.is_empty() {
        "unfulfilled"
    } else {
        "fulfilled"
    };
    format!(
        "{name},{email},{status},{paid},{fulfillment},{fulfilled},no,USD,25.00,0.00,0.00,25.00,,0.00,Standard,{created},1,Linen Throw,25.00,,SP-1,true,true,{fulfillment},Ann,US,,0.00,0.00,{notes}"
    )
}

#[test]
fn follow_ups_come_from_the_orders() {
    let env = Env::new();
    env.add_shop("shopify", "us-store", &["--timezone", "UTC"]);
    let rows = [
        // Paid 30 hours before the last order, not shipped: unshipped.
        (
            "#1",
            "a@x.com",
            "paid",
            "2024-03-01 06:00:00 +0000",
            "",
            "2024-03-01 05:59:00 +0000",
            "",
        ),
        // Paid 3 days before, not shipped: late.
        (
            "#2",
            "b@x.com",
            "paid",
            "2024-02-27 10:00:00 +0000",
            "",
            "2024-02-27 09:59:00 +0000",
            "",
        ),
        // Shipped: nothing to do.
        (
            "#3",
            "c@x.com",
            "paid",
            "2024-02-27 10:00:00 +0000",
            "2024-02-28 10:00:00 +0000",
            "2024-02-27 09:59:00 +0000",
            "",
        ),
        // Created two hours before and unpaid: a payment reminder.
        (
            "#4",
            "d@x.com",
            "pending",
            "",
            "",
            "2024-03-02 10:00:00 +0000",
            "",
        ),
        // Paid just now with a message: a request, not yet a shipping delay.
        (
            "#5",
            "e@x.com",
            "paid",
            "2024-03-02 12:00:00 +0000",
            "",
            "2024-03-02 11:59:00 +0000",
            "送人的，请包装好",
        ),
    ];
    let text = format!(
        "{HEADER}\n{}\n",
        rows.iter().map(|r| line(*r)).collect::<Vec<_>>().join("\n")
    );
    let file = env.path("orders_export.csv");
    std::fs::write(&file, text).unwrap();
    env.ok(&["import", "--shop", "us-store", file.to_str().unwrap()]);
    env.ok(&[
        "script",
        "add",
        "--category",
        "物流",
        "--title",
        "催发货回复",
        "--shortcut",
        "cfh",
        "--text",
        "亲，订单{订单号}已经在催仓库了",
    ]);
    env.ok(&[
        "script",
        "add",
        "--category",
        "催付",
        "--title",
        "催付提醒",
        "--shortcut",
        "cf",
        "--text",
        "亲，您拍下的{商品标题}还没有付款哦",
    ]);

    let list = env.json(&["task", "list"]);
    let tasks = list.as_array().unwrap();
    let find = |kind: &str, order: &str| -> Option<&Value> {
        tasks
            .iter()
            .find(|t| t["kind"] == kind && t["order_no"] == order)
    };
    let unshipped = find("unshipped", "#1").expect("#1 unshipped");
    assert_eq!(unshipped["message"], "亲，订单#1已经在催仓库了");
    let late = find("unshipped_late", "#2").expect("#2 late");
    assert!(
        late["message"]
            .as_str()
            .unwrap()
            .contains("no public script"),
        "{late}"
    );
    let unpaid = find("unpaid", "#4").expect("#4 unpaid");
    assert_eq!(unpaid["message"], "亲，您拍下的Linen Throw还没有付款哦");
    let request = find("request", "#5").expect("#5 request");
    assert_eq!(request["request"], "gift");
    assert!(find("unshipped", "#5").is_none() && find("unshipped", "#3").is_none());
    assert!(!tasks.iter().any(|t| t["order_no"] == "#3"));
    assert_eq!(tasks.len(), 4, "{list:#}");

    // Looking from an earlier moment: #1 was not late yet, #4 not created.
    let earlier = env.json(&["task", "list", "--at", "2024-03-01 12:00"]);
    assert!(!earlier
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["order_no"] == "#1" || t["order_no"] == "#4"));

    // Assign, then mark done: a done task leaves the list.
    let pw = [("ZHANGGUI_PASSWORD", "a good password")];
    let added = env.run_with(
        &[
            "user", "add", "kefu", "--role", "agent", "--shop", "us-store",
        ],
        &pw,
    );
    assert!(added.status.success());
    env.ok(&["task", "assign", "unpaid", "#4", "kefu"]);
    let list = env.json(&["task", "list"]);
    let owned = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["order_no"] == "#4")
        .unwrap();
    assert_eq!(owned["owner"], "kefu");
    env.ok(&["task", "--as", "kefu", "done", "unpaid", "#4"]);
    let list = env.json(&["task", "list"]);
    assert!(!list
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["order_no"] == "#4"));
    let all = env.json(&["task", "list", "--all"]);
    let done = all
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["order_no"] == "#4")
        .unwrap();
    assert_eq!(
        (done["done"].as_bool(), done["owner"].as_str()),
        (Some(true), Some("kefu"))
    );
    let bad = env.run(&["task", "done", "lost", "#4"]);
    assert_eq!(bad.status.code(), Some(2));

    // Tracking: #3's parcel stopped at a sorting centre 51 hours before the last order;
    // events of an order not shipped raise nothing; a bad row is reported.
    let tracking = env.path("tracking.csv");
    std::fs::write(
        &tracking,
        "订单编号,运单号,物流公司,时间,物流信息\n\
         #3,YT1,圆通速递,2024-02-28 18:00:00,快递员已揽收\n\
         #3,YT1,圆通速递,2024-02-29 08:00:00,运输中，已到达【杭州转运中心】\n\
         #2,YT2,圆通速递,2024-02-28 18:00:00,已签收\n\
         #9,YT9,圆通速递,yesterday,运输中\n",
    )
    .unwrap();
    let out = env.run(&["--json", "task", "tracking", tracking.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a rejected row makes the import exit 1"
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["events"].as_u64(), report["new"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(report["rejected"][0]["row"], 5);
    let again = env.run(&["--json", "task", "tracking", tracking.to_str().unwrap()]);
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(again["new"], 0, "events already stored are kept once");
    let list = env.json(&["task", "list"]);
    let stalled: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "tracking_stalled")
        .collect();
    assert_eq!(stalled.len(), 1, "{list:#}");
    assert_eq!(stalled[0]["order_no"], "#3");
    assert_eq!(stalled[0]["detail"], "tracking not updated for 51 hours");
    let longer = env.json(&["task", "list", "--stalled-hours", "60"]);
    assert!(!longer
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["kind"] == "tracking_stalled"));
}
