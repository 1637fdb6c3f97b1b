//! Gross profit per product against a cost sheet with a price change, every figure worked
//! out by hand from the fixture below: the price in force on each payment day, refunds
//! taken off, unpaid orders left out, and products without a full cost price listed, never
//! counted at zero cost.

use crate::support::{money, write_gbk, Env};

const LINES: &str = "主订单编号,标题,价格,购买数量,订单状态,商家编码,买家实际支付金额,退款金额,订单创建时间,订单付款时间\n\
O1,保温杯,50.00,2,交易成功,A,100.00,0.00,2025-03-01 10:00:00,2025-03-01 10:01:00\n\
O1,杯刷,30.00,1,交易成功,B,30.00,0.00,2025-03-01 10:00:00,2025-03-01 10:01:00\n\
O2,保温杯,50.00,1,交易成功,A,50.00,20.00,2025-03-10 10:00:00,2025-03-10 10:01:00\n\
O3,杯套,80.00,1,交易成功,C,80.00,0.00,2025-03-12 10:00:00,2025-03-12 10:01:00\n\
O4,保温杯,50.00,1,交易关闭,A,50.00,0.00,2025-03-15 10:00:00,\n\
O5,杯刷,30.00,1,交易成功,B,30.00,0.00,2025-02-20 10:00:00,2025-02-20 10:01:00\n";

const COSTS: &str = "商家编码,成本价,生效日期\nA,20.00,\nA,25.00,2025-03-05\nB,12.00,2025-03-01\n";

fn setup() -> Env {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let lines = env.path("ExportOrderDetailList.csv");
    write_gbk(&lines, LINES);
    env.ok(&["import", "--shop", "tb", lines.to_str().unwrap()]);
    let costs = env.path("costs.csv");
    std::fs::write(&costs, COSTS).unwrap();
    let saved = env.json(&["costs", "import", "--shop", "tb", costs.to_str().unwrap()]);
    assert_eq!(saved["inserted"], 3, "{saved}");
    env
}

#[test]
fn gross_profit_uses_the_cost_in_force_on_each_payment_day() {
    let env = setup();
    let r = env.json(&[
        "profit",
        "--shop",
        "tb",
        "--period",
        "2025-02-01..2025-03-31",
    ]);
    let products = r["rows"].as_array().unwrap();
    let codes: Vec<&str> = products
        .iter()
        .map(|p| p["key"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["A", "C", "B"], "by what buyers paid, most first");
    let a = &products[0];
    // 3 paid units (the closed order O4 is not a sale): 150.00 paid, 20.00 refunded;
    // 2 units at 20.00 (1 March) and 1 at 25.00 (10 March, after the change on 5 March).
    assert_eq!(a["units"], 3);
    assert_eq!(a["net_sales"], money(130.0, "CNY"));
    assert_eq!(a["refunds"], money(20.0, "CNY"));
    assert_eq!(a["cogs"], money(65.0, "CNY"));
    assert_eq!(a["gross_profit"], money(65.0, "CNY"));
    assert_eq!(a["gross_margin"], 0.5);
    assert_eq!(a["cost"], "known");
    // No bill and no fee rate: the fees are unknown, and so is everything after them.
    assert_eq!(a["fees"], "missing");
    assert!(a["cm1"].is_null() && a["net_profit"].is_null(), "{a}");
    // C has no cost price: unknown, not free.
    let c = &products[1];
    assert_eq!(
        (c["cost"].as_str(), c["cogs"].is_null()),
        (Some("missing"), true)
    );
    assert!(c["gross_profit"].is_null());
    // B's price starts on 1 March: the unit of 20 February has none.
    let b = &products[2];
    assert_eq!(b["cost"], "partial");
    assert_eq!(b["cogs"], money(12.0, "CNY"));
    assert!(b["gross_profit"].is_null());
    // Totals over the products whose cost is known, and what they leave out.
    assert_eq!(r["net_sales"], money(270.0, "CNY"));
    assert_eq!(r["net_sales_costed"], money(130.0, "CNY"));
    assert_eq!(r["cogs_costed"], money(65.0, "CNY"));
    assert_eq!(r["gross_profit"], money(65.0, "CNY"));
    assert_eq!(r["missing_cost"], serde_json::json!(["C", "B"]));
    // Without fees no product's P&L is complete: the P&L covers nothing, and says so.
    assert_eq!(r["net_sales_known"], money(0.0, "CNY"));
    assert_eq!(r["missing_fees"], serde_json::json!(["A", "C", "B"]));

    let text = env.ok(&[
        "profit",
        "--shop",
        "tb",
        "--period",
        "2025-02-01..2025-03-31",
    ]);
    assert!(
        text.contains("2 products sold without a cost price"),
        "{text}"
    );
    let csv = env.ok(&[
        "profit",
        "--shop",
        "tb",
        "--period",
        "2025-02-01..2025-03-31",
        "--csv",
    ]);
    assert!(csv.contains("A,保温杯,2,3,130,20,65,65,"), "{csv}");
    assert!(csv.contains(",known,missing"), "{csv}");
}

#[test]
fn gross_profit_by_month_adds_up_to_the_products_and_keeps_gaps_visible() {
    let env = setup();
    let r = env.json(&[
        "profit",
        "--shop",
        "tb",
        "--period",
        "2025-02-01..2025-03-31",
        "--by",
        "month",
    ]);
    assert_eq!(r["by"], "month");
    let rows = r["rows"].as_array().unwrap();
    let keys: Vec<&str> = rows.iter().map(|m| m["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["2025-02", "2025-03"]);
    // February: B's one unit, before its first cost price.
    assert_eq!(rows[0]["net_sales"], money(30.0, "CNY"));
    assert_eq!(rows[0]["cost"], "missing");
    // March: A (130.00, cost 65.00), B (30.00, cost 12.00), C (80.00, no cost).
    assert_eq!(rows[1]["net_sales"], money(240.0, "CNY"));
    assert_eq!(rows[1]["cogs"], money(77.0, "CNY"));
    assert_eq!(rows[1]["cost"], "partial");
    assert!(rows[1]["gross_profit"].is_null());
    // The totals and the missing products are the per-product ones.
    assert_eq!(r["gross_profit"], money(65.0, "CNY"));
    assert_eq!(r["missing_cost"], serde_json::json!(["C", "B"]));
}

#[test]
fn a_cost_sheet_imported_again_changes_nothing_and_a_changed_price_is_updated() {
    let env = setup();
    let costs = env.path("costs.csv");
    let again = env.json(&["costs", "import", "--shop", "tb", costs.to_str().unwrap()]);
    assert_eq!(
        (again["unchanged"].as_u64(), again["inserted"].as_u64()),
        (Some(3), Some(0))
    );
    let changed = env.path("changed.csv");
    std::fs::write(&changed, "商家编码,成本价\nA,21.00\n").unwrap();
    let saved = env.json(&["costs", "import", "--shop", "tb", changed.to_str().unwrap()]);
    assert_eq!(saved["updated"], 1, "{saved}");
    let r = env.json(&[
        "profit",
        "--shop",
        "tb",
        "--period",
        "2025-03-01..2025-03-31",
    ]);
    // 2 × 21.00 + 1 × 25.00.
    assert_eq!(r["rows"][0]["cogs"], money(67.0, "CNY"));
}

#[test]
fn a_bad_cost_row_is_reported_and_the_rest_saved() {
    let env = setup();
    let v = env.refused_costs("tb", "bad.csv", "商家编码,成本价\nD,abc\nE,5.00\nF,\n");
    assert_eq!(v["inserted"], 1, "{v}");
    let rejected = v["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2, "{v}");
    assert!(rejected[1]["reason"]
        .as_str()
        .unwrap()
        .contains("never counted at zero"));
    let by_week = env.run(&["profit", "--shop", "tb", "--by", "week"]);
    assert_eq!(by_week.status.code(), Some(2), "a usage error");
}
