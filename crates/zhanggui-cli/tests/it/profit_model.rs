//! The whole profit model on a fixture small enough to work out by hand: an order export,
//! a cost sheet with a price change, an Alipay bill (账务明细) with fees, a refunded fee and
//! a fee that names no order, an expense sheet (shipping and packaging per order, a gift
//! per unit of one product, a fee rate for the order the bill misses, a month's rent) and
//! an ad spend sheet with a day without sales. Every figure below is computed in the
//! comments from the fixture, not read off the program.

use crate::support::{amount, write_gbk, Env};

const LINES: &str = "主订单编号,标题,价格,购买数量,订单状态,商家编码,买家实际支付金额,退款金额,订单创建时间,订单付款时间\n\
3001,保温杯,50.00,2,交易成功,A,100.00,0.00,2025-03-01 10:00:00,2025-03-01 10:01:00\n\
3001,杯刷,30.00,1,交易成功,B,30.00,0.00,2025-03-01 10:00:00,2025-03-01 10:01:00\n\
3002,保温杯,50.00,1,交易成功,A,50.00,20.00,2025-03-10 10:00:00,2025-03-10 10:01:00\n\
3003,杯刷,30.00,1,交易成功,B,30.00,0.00,2025-03-12 10:00:00,2025-03-12 10:01:00\n";

const COSTS: &str = "商家编码,成本价,生效日期\nA,20.00,\nA,25.00,2025-03-05\nB,12.00,\n";

/// Alipay's layout: comment lines around the table, money in and out in two columns.
const BILL: &str = "#支付宝账务明细查询\n\
#账号:[20880000000000000156]\n\
#-----------------------------------------账务明细列表----------------------------------------\n\
账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注\n\
900001,B1,T200P3001,保温杯,2025-03-05 09:00:00,买家,130.00,,130.00,支付宝,在线支付,交易收款\n\
900002,B2,T200P3001,,2025-03-05 09:00:01,天猫,,3.90,126.10,支付宝,服务费,基础软件服务费(技术服务费)\n\
900003,B3,T200P3001,,2025-03-05 09:00:02,支付宝,,0.78,125.32,支付宝,服务费,花呗支付服务费\n\
900004,B4,T200P3002,保温杯,2025-03-15 09:00:00,买家,50.00,,175.32,支付宝,在线支付,交易收款\n\
900005,B5,T200P3002,,2025-03-15 09:00:01,天猫,,1.50,173.82,支付宝,服务费,基础软件服务费(技术服务费)\n\
900006,B6,T200P3002,,2025-03-16 09:00:00,买家,,20.00,153.82,支付宝,交易退款,售后退款\n\
900007,B7,T200P3002,,2025-03-16 09:00:01,天猫,0.60,,154.42,支付宝,服务费退款,技术服务费退回\n\
900008,B8,,,2025-03-20 09:00:00,阿里妈妈,,4.00,150.42,支付宝,服务费,淘宝客佣金代扣款\n\
900009,B9,,,2025-03-31 09:00:00,银行卡,,100.00,50.42,支付宝,提现,提现\n\
#-----------------------------------------账务明细列表结束------------------------------------\n";

const EXPENSES: &str = "费用名称,类别,计费方式,金额,比例,商家编码,生效日期\n\
快递费,运费,按单,5.00,,,\n\
包装袋,包装,按单,1.00,,,\n\
赠品杯刷,赠品,按件,2.00,,A,\n\
平台费率,平台费,按销售额,,5%,,\n\
房租,固定,按月,310.00,,,\n";

const ADS: &str = "日期,渠道,花费\n2025-03-01,直通车,13.00\n2025-03-20,直通车,10.00\n";

/// The shop `tb` with the line report and nothing else.
fn shop_with_lines() -> Env {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    import_more(&env, "ExportOrderDetailList.csv", LINES, false);
    env
}

fn setup() -> Env {
    let env = shop_with_lines();
    for (name, text, kind, read) in [
        ("成本表.csv", COSTS, "prices", 3),
        ("支付宝账务明细.csv", BILL, "bill", 9),
        ("费用表.csv", EXPENSES, "expenses", 5),
        ("推广花费.csv", ADS, "ad-spend", 2),
    ] {
        let path = env.path(name);
        write_gbk(&path, text);
        let saved = env.json(&["costs", "import", "--shop", "tb", path.to_str().unwrap()]);
        assert_eq!(saved["kind"], kind, "{name}: told from its header");
        assert_eq!(saved["read"], read, "{name}: {saved}");
        assert_eq!(saved["rejected"], serde_json::json!([]), "{name}");
    }
    env
}

fn profit(env: &Env, by: &str) -> serde_json::Value {
    env.json(&["profit", "--shop", "tb", "--period", "2025-03", "--by", by])
}

fn row<'a>(r: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["key"] == key)
        .unwrap_or_else(|| panic!("a row {key} in {r}"))
}

/// The amount of a money field, in yuan, to the cent.
fn yuan(v: &serde_json::Value) -> f64 {
    (amount(v) * 100.0).round() / 100.0
}

#[test]
fn every_order_carries_its_costs_down_to_net_profit() {
    let env = setup();
    let r = profit(&env, "order");
    // 3001: net 130.00; cost 2 × 20.00 + 12.00 = 52.00; billed fees 3.90 + 0.78; shipping
    // 5.00; packaging 1.00 + a gift of 2.00 for each of its 2 units of A; CM1 63.32; the
    // day's ad spend 13.00 is all its own; the rent of 310.00 is shared by March's net sales
    // (130 : 30 : 30), 212.105… rounded to 212.10 so that the three shares add up to 310.00.
    let o1 = row(&r, "3001");
    assert_eq!(yuan(&o1["net_sales"]), 130.0);
    assert_eq!(yuan(&o1["cogs"]), 52.0);
    assert_eq!(yuan(&o1["platform_fees"]), 4.68);
    assert_eq!(o1["fees"], "billed");
    assert_eq!(yuan(&o1["shipping"]), 5.0);
    assert_eq!(yuan(&o1["packaging"]), 5.0);
    assert_eq!(yuan(&o1["cm1"]), 63.32);
    assert_eq!(yuan(&o1["ad_spend"]), 13.0);
    assert_eq!(yuan(&o1["cm2"]), 50.32);
    assert_eq!(yuan(&o1["other_costs"]), 212.10);
    assert_eq!(yuan(&o1["net_profit"]), -161.78);
    // 3002: net 50.00 − 20.00 refunded = 30.00; one A at 25.00 (paid after the change on
    // 5 March); fees 1.50 less the 0.60 the bill gave back with the refund; CM1 −3.90.
    let o2 = row(&r, "3002");
    assert_eq!(yuan(&o2["net_sales"]), 30.0);
    assert_eq!(yuan(&o2["refunds"]), 20.0);
    assert_eq!(yuan(&o2["cogs"]), 25.0);
    assert_eq!(yuan(&o2["platform_fees"]), 0.90);
    assert_eq!(yuan(&o2["packaging"]), 3.0);
    assert_eq!(yuan(&o2["cm1"]), -3.90);
    assert_eq!(yuan(&o2["other_costs"]), 48.95);
    assert_eq!(yuan(&o2["net_profit"]), -52.85);
    // 3003 is in no bill: its fees are the sheet's 5% of 30.00, and say so.
    let o3 = row(&r, "3003");
    assert_eq!(o3["fees"], "estimated");
    assert_eq!(yuan(&o3["platform_fees"]), 1.50);
    assert_eq!(yuan(&o3["cm1"]), 10.50);
    assert_eq!(yuan(&o3["net_profit"]), -38.45);
    // The P&L adds up to the cent: net sales − every cost = net profit.
    assert_eq!(yuan(&r["net_sales_known"]), 190.0);
    assert_eq!(yuan(&r["cogs"]), 89.0);
    assert_eq!(yuan(&r["platform_fees"]), 7.08);
    assert_eq!(yuan(&r["shipping"]), 15.0);
    assert_eq!(yuan(&r["packaging"]), 9.0);
    assert_eq!(yuan(&r["cm1"]), 69.92);
    assert_eq!(yuan(&r["ad_spend"]), 13.0);
    assert_eq!(yuan(&r["cm2"]), 56.92);
    assert_eq!(yuan(&r["other_costs"]), 310.0);
    assert_eq!(yuan(&r["net_profit"]), -253.08);
    // 20 March's ad spend had no sales to go to: shown, not lost.
    assert_eq!(yuan(&r["unallocated_ad_spend"]), 10.0);
    assert_eq!(r["missing_cost"], serde_json::json!([]));
    assert_eq!(r["missing_fees"], serde_json::json!([]));
}

/// A later line export: 3003 gets a refund of 10.00, and 3004 is paid in April.
const MORE_LINES: &str = "主订单编号,标题,价格,购买数量,订单状态,商家编码,买家实际支付金额,退款金额,订单创建时间,订单付款时间\n\
3003,杯刷,30.00,1,交易成功,B,30.00,10.00,2025-03-12 10:00:00,2025-03-12 10:01:00\n\
3004,保温杯,50.00,1,交易成功,A,50.00,0.00,2025-04-02 10:00:00,2025-04-02 10:01:00\n";

/// A later cost sheet: B costs 15.00 from the start.
const NEW_COST: &str = "商家编码,成本价,生效日期\nB,15.00,\n";

fn import_more(env: &Env, name: &str, text: &str, costs: bool) {
    let path = env.path(name);
    write_gbk(&path, text);
    let path = path.to_str().unwrap();
    if costs {
        env.ok(&["costs", "import", "--shop", "tb", path]);
    } else {
        env.ok(&["import", "--shop", "tb", path]);
    }
}

#[test]
fn profit_follows_later_imports_and_cost_changes_as_if_computed_afresh() {
    let period = "2025-03-01..2025-04-30";
    let env = setup();
    let before = profit_of(&env, period);
    assert_eq!(yuan(&row(&before, "3003")["net_sales"]), 30.0);
    // A report has run; then more orders come in, and then a changed cost price.
    import_more(&env, "lines2.csv", MORE_LINES, false);
    let after_orders = profit_of(&env, period);
    assert_eq!(yuan(&row(&after_orders, "3003")["net_sales"]), 20.0);
    // 3004: one A at 25.00 (the price from 5 March), April's rent all its own.
    let o4 = row(&after_orders, "3004");
    assert_eq!(yuan(&o4["cogs"]), 25.0);
    assert_eq!(yuan(&o4["other_costs"]), 310.0);
    assert_eq!(yuan(&after_orders["unallocated_fixed"]), 0.0);
    import_more(&env, "成本表2.csv", NEW_COST, true);
    let after_costs = profit_of(&env, period);
    assert_eq!(yuan(&row(&after_costs, "3003")["cogs"]), 15.0);
    // The same files into a new store, with no report in between, give the same figures.
    let fresh = setup();
    import_more(&fresh, "lines2.csv", MORE_LINES, false);
    import_more(&fresh, "成本表2.csv", NEW_COST, true);
    assert_eq!(after_costs, profit_of(&fresh, period));
}

#[test]
fn shipping_by_weight_prices_each_weighed_order_by_its_kilograms() {
    let env = shop_with_lines();
    // A weighs 0.8 kg; B's weight is not known yet. 8.00 for the first kilogram, 3.00 for
    // each further kilogram or part of one; 5.00 a parcel for an order of unknown weight.
    import_more(
        &env,
        "成本表.csv",
        "商家编码,成本价,重量\nA,20.00,0.8\nB,12.00,\n",
        true,
    );
    import_more(
        &env,
        "运费表.csv",
        "费用名称,类别,计费方式,金额,续重\n快递首重续重,运费,按重量,8.00,3.00\n快递按单,运费,按单,5.00,\n",
        true,
    );
    let shipping = |r: &serde_json::Value, order: &str| yuan(&row(r, order)["shipping"]);
    let r = profit(&env, "order");
    // 3001 holds a B, of no known weight: the per-order rule. 3002 is one A, 0.8 kg: the
    // first kilogram. 3003 is one B: the per-order rule.
    assert_eq!(shipping(&r, "3001"), 5.0);
    assert_eq!(shipping(&r, "3002"), 8.0);
    assert_eq!(shipping(&r, "3003"), 5.0);
    let note = r["notes"].as_array().unwrap().iter().any(|n| {
        n.as_str()
            .is_some_and(|n| n.starts_with("shipping by weight: 1 products have a weight"))
    });
    assert!(note, "{}", r["notes"]);
    // B's weight comes in grams: 3001 is 2 × 0.8 + 0.3 = 1.9 kg, the first kilogram and
    // one more; 3003, 0.3 kg, the first.
    import_more(
        &env,
        "重量.csv",
        "商家编码,成本价,重量(g)\nB,12.00,300\n",
        true,
    );
    let r = profit(&env, "order");
    assert_eq!(shipping(&r, "3001"), 11.0);
    assert_eq!(shipping(&r, "3002"), 8.0);
    assert_eq!(shipping(&r, "3003"), 8.0);
}

#[test]
fn a_weight_rule_without_its_further_kilogram_price_is_refused() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let saved = env.refused_costs(
        "tb",
        "运费表.csv",
        "费用名称,类别,计费方式,金额\n快递,运费,按重量,8.00\n",
    );
    assert_eq!(saved["read"], 0);
    let reason = saved["rejected"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("续重"), "{saved}");
}

#[test]
fn rent_of_a_month_without_sales_is_shown_unallocated_not_lost() {
    let env = setup();
    // March and April: March's rent of 310.00 goes to March's orders; April sold nothing,
    // so its rent (the same rule, still in force) is shown as not allocated.
    let both = profit_of(&env, "2025-03-01..2025-04-30");
    assert_eq!(yuan(&both["other_costs"]), 310.0);
    assert_eq!(yuan(&both["unallocated_fixed"]), 310.0);
    // April alone has no line at all: the whole rent is unallocated.
    let april = profit_of(&env, "2025-04");
    assert_eq!(april["rows"], serde_json::json!([]));
    assert_eq!(yuan(&april["unallocated_fixed"]), 310.0);
    // March alone: nothing left over.
    assert_eq!(yuan(&profit(&env, "order")["unallocated_fixed"]), 0.0);
}

fn profit_of(env: &Env, period: &str) -> serde_json::Value {
    env.json(&[
        "profit", "--shop", "tb", "--period", period, "--by", "order",
    ])
}

#[test]
fn products_share_their_orders_costs_by_net_sales() {
    let env = setup();
    let r = profit(&env, "product");
    // A: 100/130 of order 3001 and all of 3002. Fees 4.68 × 100/130 + 0.90 = 4.50;
    // shipping 5 × 100/130 + 5 = 8.846… and packaging 1 × 100/130 + 4 + 1 + 2 = 7.769…,
    // rounded with B's shares to the totals (15.00, 9.00): 8.85 and 7.77; ad spend
    // 13 × 100/130 = 10.00; rent 310 × 130/190 = 212.105… → 212.11 (B has the smaller
    // remainder). CM1 130 − 65 − 4.50 − 8.85 − 7.77 = 43.88.
    let a = row(&r, "A");
    assert_eq!(yuan(&a["cogs"]), 65.0);
    assert_eq!(yuan(&a["platform_fees"]), 4.50);
    assert_eq!(yuan(&a["shipping"]), 8.85);
    assert_eq!(yuan(&a["packaging"]), 7.77);
    assert_eq!(yuan(&a["cm1"]), 43.88);
    assert_eq!(yuan(&a["ad_spend"]), 10.0);
    assert_eq!(yuan(&a["other_costs"]), 212.11);
    assert_eq!(yuan(&a["net_profit"]), -178.23);
    // Break-even ROI: 1 / (CM1 / net sales) = 130 / 43.88.
    let roi = a["break_even_roi"].as_f64().unwrap();
    assert!((roi - 130.0 / 43.88).abs() < 1e-9, "{roi}");
    // B: 30/130 of 3001 and all of 3003, whose fees are estimated.
    let b = row(&r, "B");
    assert_eq!(b["fees"], "estimated");
    assert_eq!(yuan(&b["platform_fees"]), 2.58);
    assert_eq!(yuan(&b["shipping"]), 6.15);
    assert_eq!(yuan(&b["packaging"]), 1.23);
    assert_eq!(yuan(&b["cm1"]), 26.04);
    assert_eq!(yuan(&b["net_profit"]), -74.85);
    // The same totals whatever the rows are.
    assert_eq!(yuan(&r["cm1"]), 69.92);
    assert_eq!(yuan(&r["net_profit"]), -253.08);
    let months = profit(&env, "month");
    assert_eq!(yuan(&row(&months, "2025-03")["net_profit"]), -253.08);
    let days = profit(&env, "day");
    assert_eq!(yuan(&row(&days, "2025-03-01")["ad_spend"]), 13.0);
}

/// The order report of the same orders, naming the parcels' tracking numbers (3003's was
/// sent without one).
const ORDERS: &str =
    "订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间,物流单号,物流公司\n\
3001,b1,130.00,交易成功,2025-03-01 10:00:00,2025-03-01 10:01:00,YT3001,圆通速递\n\
3002,b2,50.00,交易成功,2025-03-10 10:00:00,2025-03-10 10:01:00,YT3002,圆通速递\n\
3003,b3,30.00,交易成功,2025-03-12 10:00:00,2025-03-12 10:01:00,,\n";

/// A courier bill: 3001's parcel with a 续重 surcharge on a line of its own, 3002's, and a
/// parcel no order sent.
const COURIER: &str = "运单号,快递公司,寄件日期,计费重量,运费\n\
YT3001,圆通,2025-03-02,1.6,6.20\n\
YT3001,圆通,2025-03-02,,1.00\n\
YT3002,圆通,2025-03-11,0.4,4.80\n\
YT9999,圆通,2025-03-20,0.3,5.00\n";

#[test]
fn a_courier_companys_rate_replaces_the_general_one_for_its_parcels() {
    let env = setup();
    import_more(&env, "ExportOrderList.csv", ORDERS, false);
    // 圆通 charges 4.00 a parcel; the sheet's 快递费 of 5.00 stays for every other company.
    import_more(
        &env,
        "圆通运费.csv",
        "费用名称,类别,计费方式,金额,快递公司\n快递费,运费,按单,4.00,圆通\n",
        true,
    );
    let r = profit(&env, "order");
    // 3001 and 3002 went by 圆通速递; 3003 names no company.
    assert_eq!(yuan(&row(&r, "3001")["shipping"]), 4.0);
    assert_eq!(yuan(&row(&r, "3002")["shipping"]), 4.0);
    assert_eq!(yuan(&row(&r, "3003")["shipping"]), 5.0);
    assert_eq!(yuan(&r["shipping"]), 13.0);
    // A company is named only for shipping.
    let refused = env.refused_costs(
        "tb",
        "包装.csv",
        "费用名称,类别,计费方式,金额,快递公司\n包装袋,包装,按单,1.00,圆通\n",
    );
    assert!(
        refused["rejected"][0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("courier company")),
        "{refused}"
    );
}

#[test]
fn a_courier_bill_sets_what_each_parcel_cost_against_its_order() {
    let env = setup();
    import_more(&env, "ExportOrderList.csv", ORDERS, false);
    let bill = env.path("快递账单.csv");
    write_gbk(&bill, COURIER);
    let saved = env.json(&["costs", "import", "--shop", "tb", bill.to_str().unwrap()]);
    assert_eq!(saved["kind"], "courier", "told from its header: {saved}");
    assert_eq!(saved["read"], 3, "three parcels, 3001's two lines added up");
    let r = profit(&env, "order");
    // 3001's parcel cost 6.20 + 1.00 = 7.20 instead of the rule's 5.00: CM1 63.32 − 2.20;
    // 3002's 4.80 instead of 5.00; 3003's parcel is in no courier bill: the rule's 5.00.
    assert_eq!(yuan(&row(&r, "3001")["shipping"]), 7.20);
    assert_eq!(yuan(&row(&r, "3001")["cm1"]), 61.12);
    assert_eq!(yuan(&row(&r, "3002")["shipping"]), 4.80);
    assert_eq!(yuan(&row(&r, "3003")["shipping"]), 5.0);
    assert_eq!(yuan(&r["shipping"]), 17.0);
    assert_eq!(
        yuan(&r["net_profit"]),
        -255.08,
        "2.00 more shipping than the rules say"
    );
    // The same bill again changes nothing.
    let again = env.json(&["costs", "import", "--shop", "tb", bill.to_str().unwrap()]);
    assert_eq!(
        (again["inserted"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(3)),
        "{again}"
    );
    assert_eq!(yuan(&profit(&env, "order")["shipping"]), 17.0);
    // The parcel no order sent is named by reconciliation.
    let rec = env.json(&["costs", "reconcile", "--shop", "tb", "--period", "2025-03"]);
    let parcels: Vec<&str> = rec["unmatched_parcels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["tracking_no"].as_str().unwrap())
        .collect();
    assert_eq!(parcels, vec!["YT9999"], "{rec}");
    assert_eq!(yuan(&rec["unmatched_parcels"][0]["amount"]), 5.0);
}

#[test]
fn a_bill_imported_again_changes_nothing_and_reconciliation_names_the_gaps() {
    let env = setup();
    let bill = env.path("支付宝账务明细.csv");
    let again = env.json(&["costs", "import", "--shop", "tb", bill.to_str().unwrap()]);
    assert_eq!(
        (again["inserted"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(9)),
        "{again}"
    );
    assert_eq!(yuan(&profit(&env, "order")["platform_fees"]), 7.08);
    let rec = env.json(&[
        "costs",
        "reconcile",
        "--shop",
        "tb",
        "--period",
        "2025-03",
        "--until",
        "2025-03-31",
    ]);
    // The bill runs to 31 March: 3003 was paid on 12 March and is in no bill 15 days on;
    // the affiliate fee of 20 March names no order; the withdrawal is no one's cost.
    let unsettled: Vec<&str> = rec["unsettled_orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["order_no"].as_str().unwrap())
        .collect();
    assert_eq!(unsettled, ["3003"], "{rec}");
    let unmatched = rec["unmatched_bill_lines"].as_array().unwrap();
    assert_eq!(unmatched.len(), 1, "{rec}");
    assert_eq!(unmatched[0]["kind"], "affiliate");
    assert_eq!(yuan(&unmatched[0]["amount"]), -4.0);
    assert_eq!(
        rec["rate_deviations"],
        serde_json::json!([]),
        "no rate stated"
    );
    // The bill took 3% commission: 3.90 of 3001's 130.00, and 1.50 − 0.60 of 3002's
    // 50.00 − 20.00. Against a stated 3% nothing is off; against 5% both are, and 花呗's
    // 0.78 of 130.00 is the 0.6% stated for payment fees.
    let check = |rates: &[&str]| {
        let mut args = vec![
            "costs",
            "reconcile",
            "--shop",
            "tb",
            "--period",
            "2025-03",
            "--until",
            "2025-03-31",
        ];
        for r in rates {
            args.extend(["--rate", r]);
        }
        env.json(&args)["rate_deviations"].clone()
    };
    assert_eq!(
        check(&["commission=3%", "payment=0.6%"]),
        serde_json::json!([])
    );
    let off = check(&["commission=0.05", "payment=0.6%"]);
    let off = off.as_array().unwrap();
    let orders: Vec<&str> = off
        .iter()
        .map(|d| d["order_no"].as_str().unwrap())
        .collect();
    assert_eq!(orders, ["3001", "3002"], "{off:?}");
    assert!((off[1]["rate"].as_f64().unwrap() - 0.03).abs() < 1e-12);
    assert_eq!(yuan(&off[1]["settled"]), 30.0);
    assert_eq!(yuan(&off[1]["fee"]), 0.90);
    let bad = env.run(&["costs", "reconcile", "--shop", "tb", "--rate", "rent=5%"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn a_bad_expense_row_is_reported_and_an_unknown_sheet_refused() {
    let env = setup();
    let v = env.refused_costs(
        "tb",
        "bad.csv",
        "费用名称,类别,计费方式,金额,比例\n快递费,运费,按月,5.00,\n工资,固定,按月,,\n",
    );
    let reasons: Vec<&str> = v["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert!(reasons[0].contains("shipping is per order"), "{reasons:?}");
    assert!(reasons[1].contains("never counted at zero"), "{reasons:?}");
    let odd = env.path("odd.csv");
    std::fs::write(&odd, "a,b\n1,2\n").unwrap();
    let out = env.run(&["costs", "import", "--shop", "tb", odd.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--kind"));
}

#[test]
fn the_diagnosis_names_the_unsettled_order_and_no_loss_where_there_is_none() {
    let env = setup();
    let d = &env.json(&[
        "diagnose",
        "--shop",
        "tb",
        "--period",
        "2025-03-01..2025-03-31",
        "--set",
        "min_profit_orders=1",
    ])[0];
    let findings = d["findings"].as_array().unwrap();
    let first = &findings[0];
    assert_eq!(first["rule"], "unsettled_orders", "{d}");
    assert_eq!(first["kind"], "profit");
    assert_eq!(yuan(&first["money_at_stake"]), 30.0, "3003's 30.00");
    assert!(
        first["evidence"][0].as_str().unwrap().contains("3003"),
        "{first}"
    );
    // Both products earn before ads, the ads cost less than CM1 (13.00 against 69.92) and
    // A's refunds (20 of 150) are not twice the shop's rate: nothing else about profit.
    assert_eq!(
        findings.iter().filter(|f| f["kind"] == "profit").count(),
        1,
        "{d}"
    );
}

/// A shop with a product sold below cost and ads that cost more than the margin.
#[test]
fn a_product_sold_below_cost_and_ads_above_break_even_lead_the_diagnosis() {
    let env = Env::new();
    env.add_shop("taobao", "loss", &[]);
    // Ten orders of four C at 10.00 (cost 12.00) and ten of one D at 100.00 (cost 30.00),
    // one a day from 1 to 20 March.
    let mut lines = String::from(
        "主订单编号,标题,价格,购买数量,订单状态,商家编码,买家实际支付金额,退款金额,订单创建时间,订单付款时间\n",
    );
    for i in 0..20 {
        let (code, title, price, units, paid) = if i % 2 == 0 {
            ("C", "小杯刷", "10.00", 4, "40.00")
        } else {
            ("D", "保温壶", "100.00", 1, "100.00")
        };
        let day = format!("2025-03-{:02}", i + 1);
        lines.push_str(&format!(
            "{},{title},{price},{units},交易成功,{code},{paid},0.00,{day} 10:00:00,{day} 10:01:00\n",
            5000 + i
        ));
    }
    let files = [
        ("ExportOrderDetailList.csv", lines),
        (
            "成本表.csv",
            "商家编码,成本价,生效日期\nC,12.00,\nD,30.00,\n".to_owned(),
        ),
        (
            "费用表.csv",
            "费用名称,类别,计费方式,金额,比例\n平台费率,平台费,按销售额,,5%\n".to_owned(),
        ),
        (
            "推广花费.csv",
            "日期,渠道,花费\n2025-03-02,直通车,700.00\n".to_owned(),
        ),
    ];
    for (name, text) in &files {
        let path = env.path(name);
        write_gbk(&path, text);
        let args: Vec<&str> = if name.starts_with("Export") {
            vec!["import", "--shop", "loss", path.to_str().unwrap()]
        } else {
            vec!["costs", "import", "--shop", "loss", path.to_str().unwrap()]
        };
        env.ok(&args);
    }
    let d = &env.json(&[
        "diagnose",
        "--shop",
        "loss",
        "--period",
        "2025-03-01..2025-03-31",
    ])[0];
    let findings = d["findings"].as_array().unwrap();
    // D: 1,000.00 − 300.00 − 5% fees 50.00 = CM1 650.00; C: 400.00 − 480.00 − 20.00 =
    // −100.00; the shop's CM1 550.00 against 700.00 of ads: 150.00 more than the margin
    // can pay.
    assert_eq!(findings[0]["rule"], "ads_above_break_even", "{d}");
    assert_eq!(yuan(&findings[0]["money_at_stake"]), 150.0);
    // ROI 1,400 / 700 = 2.00 against the break-even 1,400 / 550 = 2.545….
    let title = findings[0]["title"].as_str().unwrap();
    assert!(title.contains("2.00") && title.contains("2.55"), "{title}");
    assert_eq!(findings[1]["rule"], "product_loses_money");
    assert_eq!(findings[1]["subject"], "C");
    assert_eq!(yuan(&findings[1]["money_at_stake"]), 100.0);
    let title = findings[1]["title"].as_str().unwrap();
    assert!(
        title.contains("小杯刷") && title.contains("10.00"),
        "{title}"
    );
    // The roles: D earns 65% before ads, a profit item; C sells at a loss with 40 of the 50
    // units, 1.6 times the average product's share, a traffic driver (units stand in for
    // traffic: none was imported).
    let r = env.json(&["profit", "--shop", "loss", "--period", "2025-03"]);
    assert_eq!(row(&r, "D")["role"], "profit", "{r}");
    assert_eq!(row(&r, "C")["role"], "traffic", "{r}");
    assert_eq!(r["roles"]["traffic_from"], "units");
    // A stricter margin for profit items, kept as the shop's own.
    env.ok(&[
        "profit",
        "--shop",
        "loss",
        "--period",
        "2025-03",
        "--set",
        "profit_margin=0.7",
        "--save",
    ]);
    let r = env.json(&["profit", "--shop", "loss", "--period", "2025-03"]);
    assert_eq!(row(&r, "D")["role"], "regular", "{r}");
    let out = env.run(&["profit", "--shop", "loss", "--set", "profit_margin=7"]);
    assert_eq!(out.status.code(), Some(2), "a margin of 700% is refused");
}

#[test]
fn the_owner_sees_every_shop_by_month_in_one_currency() {
    let env = setup();
    // A second shop with the same sales and costs, kept in dollars.
    env.add_shop("taobao", "us", &["--currency", "USD"]);
    for name in [
        "ExportOrderDetailList.csv",
        "成本表.csv",
        "支付宝账务明细.csv",
        "费用表.csv",
        "推广花费.csv",
    ] {
        let path = env.path(name);
        let args: Vec<&str> = if name.starts_with("Export") {
            vec!["import", "--shop", "us", path.to_str().unwrap()]
        } else {
            vec!["costs", "import", "--shop", "us", path.to_str().unwrap()]
        };
        env.ok(&args);
    }
    // Without a rate for the dollar shop: refused, naming it.
    let out = env.run(&["profit", "--all-shops", "--period", "2025-03"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("us is in USD"));
    let p = env.json(&[
        "profit",
        "--all-shops",
        "--period",
        "2025-03",
        "--rate",
        "USD=7",
    ]);
    assert_eq!(p["currency"], "CNY");
    assert_eq!(p["rates"]["USD"], 7.0);
    // tb: net profit −253.08. us: 190.00 − 89.00 − 7.08 − 15.00 − 9.00 − 13.00 − 310.00 in
    // dollars, each line at 7: 1,330.00 − 623.00 − 49.56 − 105.00 − 63.00 − 91.00 −
    // 2,170.00 = −1,771.56. Together −2,024.64, in March and in total.
    let shops = p["by_shop"].as_array().unwrap();
    assert_eq!(yuan(&shops[0]["net_profit"]), -253.08, "{p}");
    assert_eq!(yuan(&shops[1]["net_profit"]), -1771.56, "{p}");
    assert_eq!(yuan(&shops[1]["net_sales_known"]), 1330.0);
    assert_eq!(yuan(&p["months"][0]["net_profit"]), -2024.64);
    assert_eq!(p["months"][0]["key"], "2025-03");
    assert_eq!(yuan(&p["total"]["net_profit"]), -2024.64);
    assert_eq!(yuan(&p["total"]["cogs"]), 712.0);
}

/// A 直通车 report of 1 March: two plans spending 8.00 and 12.00, and the first plan again
/// broken down by keyword (5.00 + 3.00), as a keyword report of the same day gives it.
const ZTC_REPORT: &str = "日期,计划名称,关键词,展现量,点击量,花费,总成交笔数,总成交金额\n\
2025-03-01,搜索,,1000,40,8.00,1,100.00\n\
2025-03-01,定向,,2000,30,12.00,0,0.00\n\
2025-03-01,搜索,保温杯,600,25,5.00,1,100.00\n\
2025-03-01,搜索,杯刷,400,15,3.00,0,0.00\n";

#[test]
fn an_ad_report_replaces_the_spend_sheet_for_its_tool_and_day_and_counts_each_plan_once() {
    let env = setup();
    let path = env.path("直通车.csv");
    write_gbk(&path, ZTC_REPORT);
    env.ok(&["ads", "import", "--shop", "tb", path.to_str().unwrap()]);
    let r = profit(&env, "order");
    // 1 March: the report's 8.00 + 12.00 stand for 直通车 instead of the sheet's 13.00; the
    // keyword rows of 搜索 are the same 8.00 seen finer, not more spend.
    assert_eq!(yuan(&r["ad_spend"]), 20.0);
    // 20 March's 10.00 from the sheet (no report covers it) still has no sales to go to.
    assert_eq!(yuan(&r["unallocated_ad_spend"]), 10.0);
    assert_eq!(yuan(&row(&r, "3001")["ad_spend"]), 20.0);
}

/// A 直通车 report whose plan names its product (商家编码 A): 9.00 on 1 March, when A sold,
/// and 6.00 on 12 March, when only B (杯刷) sold.
const ZTC_BY_PRODUCT: &str = "日期,计划名称,商家编码,展现量,点击量,花费,总成交笔数,总成交金额\n\
2025-03-01,爆款-保温杯,A,900,30,9.00,1,100.00\n\
2025-03-12,爆款-保温杯,A,600,20,6.00,0,0.00\n";

#[test]
fn a_plans_spend_goes_to_the_products_its_report_names_where_they_sold() {
    let env = setup();
    let path = env.path("直通车_宝贝.csv");
    write_gbk(&path, ZTC_BY_PRODUCT);
    env.ok(&["ads", "import", "--shop", "tb", path.to_str().unwrap()]);
    let r = profit(&env, "product");
    // 1 March: the 9.00 is A's alone (B sold beside it in order 3001 and gets none of it);
    // the report stands for 直通车 that day, so the sheet's 13.00 no longer counts.
    // 12 March: A sold nothing, so the 6.00 goes to the day's sales, B's order 3003.
    assert_eq!(yuan(&row(&r, "A")["ad_spend"]), 9.0, "{r}");
    assert_eq!(yuan(&row(&r, "B")["ad_spend"]), 6.0, "{r}");
    // 20 March's 10.00 from the sheet still has no sales to go to; nothing is lost.
    assert_eq!(yuan(&r["unallocated_ad_spend"]), 10.0);
    assert_eq!(yuan(&r["ad_spend"]), 15.0);
    // Per order, 3001's share is all on its 保温杯 line: 9.00.
    let by_order = profit(&env, "order");
    assert_eq!(yuan(&row(&by_order, "3001")["ad_spend"]), 9.0);
    assert_eq!(yuan(&row(&by_order, "3003")["ad_spend"]), 6.0);
}

/// Taobao's 退款报表 for order 3002 (保温杯 A, 20.00 of its 50.00 refunded): the refund
/// as the export says it, with or without the goods back, finished or closed.
fn refund_export(env: &Env, returned: &str, status: &str) -> String {
    let text = format!(
        "订单编号,退款编号,商家编码,宝贝标题,买家退款金额,是否需要退货,退款的申请时间,退款状态,完结时间\n\
         3002,R3002,A,保温杯,20.00,{returned},2025-03-15 10:00:00,{status},2025-03-16 09:00:00\n"
    );
    let path = env.path(&format!("退款_{returned}_{status}.csv"));
    write_gbk(&path, &text);
    path.to_str().unwrap().to_owned()
}

#[test]
fn goods_that_came_back_with_a_refund_take_their_cost_of_goods_back() {
    let env = setup();
    let cogs = |env: &Env| yuan(&row(&profit(env, "order"), "3002")["cogs"]);
    // Refunded without the goods back: the buyer keeps the cup, its 25.00 stays a cost.
    env.ok(&[
        "import",
        "--shop",
        "tb",
        &refund_export(&env, "否", "退款成功"),
    ]);
    assert_eq!(cogs(&env), 25.0);
    // The same case, the goods returned: 20.00 of the line's 50.00 came back, so
    // 20 / 50 of its cost does: 25.00 × 0.6 = 15.00. The net sales stay 30.00.
    env.ok(&[
        "import",
        "--shop",
        "tb",
        &refund_export(&env, "是", "退款成功"),
    ]);
    let r = profit(&env, "order");
    assert_eq!(yuan(&row(&r, "3002")["cogs"]), 15.0);
    assert_eq!(yuan(&row(&r, "3002")["net_sales"]), 30.0);
    // The P&L still adds up: March's cost of goods is the earlier 89.00 less 10.00.
    assert_eq!(yuan(&r["cogs"]), 79.0);
    // A case the seller closed is no refund: the cost stands again.
    env.ok(&[
        "import",
        "--shop",
        "tb",
        &refund_export(&env, "是", "退款关闭"),
    ]);
    assert_eq!(cogs(&env), 25.0);
}
