//! Promotion: ad reports in (presets told from the header, imported twice without change),
//! each plan's metrics and standing against break-even, the budget moves, and creative
//! tests read out — Cookie Cats reproduced from the raw file.

use serde_json::Value;

use crate::support::{amount, shared_data, write_gbk, Env};

/// A 直通车 report: three plans over three days. 搜索-爆款 earns ROI 6 on 1,200 clicks,
/// 定向-清仓 ROI 1 on 1,500 clicks, 新品测试 ROI 5 on 30 clicks.
const ZTC: &str = "\
日期,计划名称,展现量,点击量,花费,点击率,平均点击花费,直接成交笔数,直接成交金额,总成交笔数,总成交金额,投入产出比,总购物车数,总收藏数
2026-11-01,搜索-爆款,10000,400,400.00,4.00%,1.00,15,1800.00,20,2400.00,6.00,40,12
2026-11-02,搜索-爆款,10000,400,400.00,4.00%,1.00,15,1800.00,20,2400.00,6.00,40,12
2026-11-03,搜索-爆款,10000,400,400.00,4.00%,1.00,15,1800.00,20,2400.00,6.00,40,12
2026-11-01,定向-清仓,20000,500,500.00,2.50%,1.00,4,400.00,5,500.00,1.00,10,3
2026-11-02,定向-清仓,20000,500,500.00,2.50%,1.00,4,400.00,5,500.00,1.00,10,3
2026-11-03,定向-清仓,20000,500,500.00,2.50%,1.00,4,400.00,5,500.00,1.00,10,3
2026-11-03,新品测试,1500,30,30.00,2.00%,1.00,1,150.00,1,150.00,5.00,2,1
合计,,91500,2730,2730.00,,,,,,,,,
";

fn shop_with_ztc(env: &Env) {
    env.add_shop("taobao", "tb", &[]);
    let file = env.path("直通车报表.csv");
    write_gbk(&file, ZTC);
    let first = env.json(&["ads", "import", "--shop", "tb", file.to_str().unwrap()]);
    assert_eq!(first[0]["tool"], "直通车");
    assert_eq!(first[0]["read"], 7, "the 合计 row is not a plan: {first}");
    assert_eq!(first[0]["inserted"], 7);
}

fn plan<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["campaign"] == name)
        .unwrap_or_else(|| panic!("no plan {name} in {report}"))
}

#[test]
fn a_ztc_report_is_told_from_its_header_and_imported_twice_without_change() {
    let env = Env::new();
    shop_with_ztc(&env);
    let again = env.json(&[
        "ads",
        "import",
        "--shop",
        "tb",
        env.path("直通车报表.csv").to_str().unwrap(),
    ]);
    assert_eq!(again[0]["inserted"], 0);
    assert_eq!(again[0]["updated"], 0);
    assert_eq!(again[0]["unchanged"], 7);
    let report = env.json(&["ads", "report", "--shop", "tb", "--margin", "0.25"]);
    let tools = &report["tools"];
    assert_eq!(tools.as_array().unwrap().len(), 1);
    assert_eq!(amount(&tools[0]["spend"]), 2730.0, "spend counted once");
}

#[test]
fn each_plan_has_its_metrics_and_a_standing_its_counts_can_carry() {
    let env = Env::new();
    shop_with_ztc(&env);
    let report = env.json(&["ads", "report", "--shop", "tb", "--margin", "0.25"]);
    let strong = plan(&report, "搜索-爆款");
    // 7,200 of sales on 1,200 of spend; 1,200 clicks of 30,000 impressions; 60 orders.
    assert!((strong["roi"].as_f64().unwrap() - 6.0).abs() < 1e-9);
    assert!((strong["ctr"].as_f64().unwrap() - 0.04).abs() < 1e-9);
    assert!((strong["cvr"].as_f64().unwrap() - 0.05).abs() < 1e-9);
    assert_eq!(amount(&strong["cpc"]), 1.0);
    assert_eq!(amount(&strong["cost_per_add_to_cart"]), 10.0);
    assert_eq!(amount(&strong["visitor_value"]), 6.0);
    assert!((strong["break_even_roi"].as_f64().unwrap() - 4.0).abs() < 1e-9);
    assert_eq!(strong["standing"], "above");
    assert!(strong["roi_low"].as_f64().unwrap() > 4.0);

    let weak = plan(&report, "定向-清仓");
    assert!((weak["roi"].as_f64().unwrap() - 1.0).abs() < 1e-9);
    assert_eq!(weak["standing"], "below");
    assert!(weak["roi_high"].as_f64().unwrap() < 4.0);
    // (1,500 × 0.25 − 1,500) ÷ 1,500: each yuan loses 75 fen.
    assert!((weak["profit_roi"].as_f64().unwrap() + 0.75).abs() < 1e-9);

    // ROI 5 on 30 clicks and one order is not judged like ROI 6 on 1,200.
    let young = plan(&report, "新品测试");
    assert!((young["roi"].as_f64().unwrap() - 5.0).abs() < 1e-9);
    assert_eq!(young["standing"], "unclear");
    assert!(young["clicks_to_tell"].as_i64().unwrap() > 30);
}

#[test]
fn the_budget_moves_from_the_plan_below_break_even_to_the_one_above() {
    let env = Env::new();
    shop_with_ztc(&env);
    let budget = env.json(&["ads", "budget", "--shop", "tb", "--margin", "0.25"]);
    let moves = budget["moves"].as_array().unwrap();
    assert_eq!(moves.len(), 1, "{budget}");
    let m = &moves[0];
    assert_eq!(m["from_campaign"], "定向-清仓");
    assert_eq!(m["to_campaign"], "搜索-爆款");
    // Half of 1,500 moved; at ROI 6 instead of 1 it brings 750 × 5 of sales, a quarter of
    // it contribution.
    assert_eq!(amount(&m["amount"]), 750.0);
    assert_eq!(amount(&m["sales_change"]), 3750.0);
    assert_eq!(amount(&m["profit_change"]), 937.5);
    assert!(amount(&m["sales_change_low"]) < 3750.0);
    assert!(amount(&m["sales_change_high"]) > 3750.0);
    // A target share set with --save stands for later runs.
    env.ok(&[
        "ads",
        "budget",
        "--shop",
        "tb",
        "--margin",
        "0.25",
        "--target",
        "直通车=0.8",
        "--goal",
        "直通车=sales",
        "--save",
    ]);
    let later = env.json(&["ads", "budget", "--shop", "tb"]);
    let split = &later["split"][0];
    assert_eq!(split["tool"], "直通车");
    assert_eq!(split["target_share"], 0.8);
    assert_eq!(later["margin"], 0.25);
    assert_eq!(
        later["margin_source"],
        "the shop's setting promotion.margin"
    );
}

#[test]
fn a_google_ads_export_skips_its_title_and_total_rows_and_keeps_fractional_conversions() {
    let env = Env::new();
    env.add_shop("shopify", "us", &["--currency", "USD"]);
    let file = env.path("Campaign report.csv");
    std::fs::write(
        &file,
        "Campaign report\n\"December 1, 2026 - December 2, 2026\"\n\
         Day,Campaign,Ad group,Currency code,Impr.,Clicks,Cost,Conversions,Conv. value\n\
         2026-12-01,Brand,Ad group 1,USD,\"1,000\",50,25.00,2.50,100.00\n\
         2026-12-02,Brand,Ad group 1,USD,800,40,20.00,2.00,80.00\n\
         \"Total: Account\",,,,\"1,800\",90,45.00,4.50,180.00\n",
    )
    .unwrap();
    let imported = env.json(&["ads", "import", "--shop", "us", file.to_str().unwrap()]);
    assert_eq!(imported[0]["tool"], "Google Ads");
    assert_eq!(imported[0]["read"], 2);
    let report = env.json(&["ads", "report", "--shop", "us", "--margin", "0.5"]);
    let brand = plan(&report, "Brand");
    assert_eq!(amount(&brand["spend"]), 45.0);
    assert_eq!(brand["orders"], 4.5);
    assert!((brand["roi"].as_f64().unwrap() - 4.0).abs() < 1e-9);
    assert_eq!(brand["spend"]["currency"], "USD");
}

#[test]
fn two_attribution_windows_are_reported_apart_and_never_added() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let file = env.path("windows.csv");
    std::fs::write(
        &file,
        "日期,计划名称,展现量,点击量,花费,总成交笔数,总成交金额,转化周期\n\
         2026-11-01,搜索-爆款,1000,100,100.00,3,300.00,7天\n\
         2026-11-01,搜索-爆款,1000,100,100.00,5,500.00,15天\n",
    )
    .unwrap();
    env.ok(&["ads", "import", "--shop", "tb", file.to_str().unwrap()]);
    let report = env.json(&["ads", "report", "--shop", "tb", "--margin", "0.3"]);
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2, "{report}");
    let windows: Vec<&str> = rows
        .iter()
        .map(|r| r["attribution"].as_str().unwrap())
        .collect();
    assert_eq!(windows, ["15天", "7天"]);
    let budget = env.json(&["ads", "budget", "--shop", "tb", "--margin", "0.3"]);
    assert_eq!(amount(&budget["split"][0]["spend"]), 100.0);
}

#[test]
fn a_report_whose_tool_cannot_be_told_asks_for_it() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    let file = env.path("plain.csv");
    std::fs::write(
        &file,
        "日期,计划名称,点击量,花费\n2026-11-01,计划A,10,5.00\n",
    )
    .unwrap();
    let out = env.run(&["ads", "import", "--shop", "tb", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tool"));
    let ok = env.json(&[
        "ads",
        "import",
        "--shop",
        "tb",
        "--tool",
        "万相台",
        file.to_str().unwrap(),
    ]);
    assert_eq!(ok[0]["tool"], "万相台");
}

/// Cookie Cats (data/README.md): 1-day retention 44.82 % for gate_30 and 44.23 % for
/// gate_40. The difference's two-sided p-value is 0.0744 (z = 1.78): the figure analyses of
/// this data set report for the two-proportion test, and what SciPy's
/// `chi2_contingency(..., correction=False)` gives for the same counts.
#[test]
fn cookie_cats_one_day_retention_is_read_out_from_the_raw_file() {
    let Some(file) = shared_data("ab_test/cookie_cats.csv") else {
        return;
    };
    let env = Env::new();
    env.add_shop("generic", "game", &["--currency", "USD"]);
    env.ok(&[
        "abtest",
        "new",
        "gate",
        "--shop",
        "game",
        "--metric",
        "rate",
        "--units",
        "40000",
        "--start",
        "2014-01-01",
    ]);
    env.ok(&[
        "abtest",
        "add",
        "gate",
        "--shop",
        "game",
        "--file",
        file.to_str().unwrap(),
        "--arm-column",
        "version",
        "--outcome",
        "retention_1",
    ]);
    let shown = env.json(&["abtest", "show", "gate", "--shop", "game"]);
    let arms = shown["readout"]["arms"].as_array().unwrap();
    assert_eq!(arms[0]["arm"], "gate_30");
    assert_eq!(arms[0]["units"], 44700);
    let pct = |a: &Value| (a["value"].as_f64().unwrap() * 10000.0).round() / 100.0;
    assert_eq!(pct(&arms[0]), 44.82);
    assert_eq!(pct(&arms[1]), 44.23);
    let p = arms[1]["p_value"].as_f64().unwrap();
    assert!((p - 0.074).abs() < 0.001, "p = {p}");
    let (lo, hi) = (
        arms[1]["difference_low"].as_f64().unwrap(),
        arms[1]["difference_high"].as_f64().unwrap(),
    );
    assert!(lo < 0.0 && hi > 0.0, "the interval holds 0: {lo} .. {hi}");
    assert_eq!(shown["readout"]["verdict"]["kind"], "no_difference");
    assert_eq!(shown["readout"]["sample_ratio"]["mismatch"], false);
}

#[test]
fn a_test_short_of_its_horizon_withholds_its_verdict() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    env.ok(&[
        "abtest",
        "new",
        "主图",
        "--shop",
        "tb",
        "--metric",
        "ctr",
        "--baseline",
        "0.02",
        "--mde",
        "0.005",
    ]);
    let tests = env.json(&["abtest", "list", "--shop", "tb"]);
    let planned = tests[0]["planned_units"].as_i64().unwrap();
    // Sized for 2 % → 2.5 % (the formula's power is checked by simulation in the
    // analytics tests): more than the 10,000 impressions each arm has first.
    assert!(planned > 10_000 && planned < 25_000, "{planned}");
    for (arm, clicks) in [("A", "200"), ("B", "300")] {
        env.ok(&[
            "abtest",
            "add",
            "主图",
            "--shop",
            "tb",
            "--arm",
            arm,
            "--units",
            "10000",
            "--successes",
            clicks,
        ]);
    }
    let shown = env.json(&["abtest", "show", "主图", "--shop", "tb"]);
    assert_eq!(shown["readout"]["verdict"]["kind"], "running");
    assert_eq!(shown["readout"]["verdict"]["planned"], planned);
    for (arm, clicks) in [("A", "500"), ("B", "750")] {
        env.ok(&[
            "abtest",
            "add",
            "主图",
            "--shop",
            "tb",
            "--arm",
            arm,
            "--units",
            "25000",
            "--successes",
            clicks,
        ]);
    }
    let shown = env.json(&["abtest", "show", "主图", "--shop", "tb"]);
    assert_eq!(shown["readout"]["verdict"]["kind"], "winner");
    assert_eq!(shown["readout"]["verdict"]["arm"], "B");
    assert!(
        shown["readout"]["arms"][1]["probability_better"]
            .as_f64()
            .unwrap()
            > 0.99
    );
}

#[test]
fn the_campaign_metrics_come_from_the_ad_report_counting_each_plan_day_once() {
    let env = Env::new();
    shop_with_ztc(&env);
    // The same plans broken down by creative for 11-01: the plan's day counts once, at
    // the grain that spends most (the creatives add to the plan's own row).
    let creatives = env.path("creatives.csv");
    std::fs::write(
        &creatives,
        "日期,计划名称,创意名称,展现量,点击量,花费,直接成交金额,总成交笔数,总成交金额\n\
         2026-11-01,搜索-爆款,图A,6000,240,240.00,0,12,1440.00\n\
         2026-11-01,搜索-爆款,图B,4000,160,160.00,0,8,960.00\n",
    )
    .unwrap();
    env.ok(&["ads", "import", "--shop", "tb", creatives.to_str().unwrap()]);
    // A traffic-source report: 直通车 is a paid source, 手淘搜索 a free one.
    let sources = env.path("流量来源.csv");
    let mut text = String::from("日期,流量来源,访客数,浏览量,支付买家数,支付金额\n");
    for day in ["2026-11-01", "2026-11-02", "2026-11-03"] {
        text.push_str(&format!("{day},直通车,900,1800,30,3000.00\n"));
        text.push_str(&format!("{day},手淘搜索,2100,4200,60,6000.00\n"));
    }
    std::fs::write(&sources, text).unwrap();
    env.ok(&["import", "--shop", "tb", sources.to_str().unwrap()]);

    let report = &env.json(&[
        "report",
        "--shop",
        "tb",
        "--period",
        "2026-11-01..2026-11-03",
    ])[0];
    let kpi = |id: &str| {
        let k = report["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id)
            .unwrap_or_else(|| panic!("no {id} in {report}"))
            .clone();
        k
    };
    let number = |id: &str| {
        let v = &kpi(id)["current"]["value"];
        v["amount"]
            .as_f64()
            .or_else(|| v.as_f64())
            .unwrap_or_else(|| panic!("{id}: {v}"))
    };
    // The fixture's totals: impressions 91,500, clicks 2,730, spend 2,730.00, sales
    // 3 × 2,400 + 3 × 500 + 150 = 8,850.00, orders 76, add-to-cart 152.
    assert_eq!(number("ad_impressions"), 91_500.0);
    assert_eq!(number("ad_clicks"), 2_730.0);
    assert_eq!(number("ad_spend"), 2_730.0);
    assert_eq!(number("ad_sales"), 8_850.0);
    assert!((number("ad_ctr") - 2_730.0 / 91_500.0).abs() < 1e-12);
    assert!((number("ad_cpc") - 1.0).abs() < 1e-9);
    assert!((number("ad_cvr") - 76.0 / 2_730.0).abs() < 1e-12);
    assert!((number("ad_roi") - 8_850.0 / 2_730.0).abs() < 1e-12);
    assert!((number("ad_cost_per_cart") - 2_730.0 / 152.0).abs() < 0.005);
    // Paid traffic: 直通车's 2,700 visitors of 9,000; each paid visitor cost 2,730 ÷ 2,700.
    assert!((number("paid_traffic_share") - 0.3).abs() < 1e-12);
    assert!((number("visitor_cost") - 2_730.0 / 2_700.0).abs() < 0.005);
    // A shop without ad reports says why, never 0.
    env.add_shop("taobao", "plain", &[]);
    env.ok(&["import", "--shop", "plain", sources.to_str().unwrap()]);
    let plain = &env.json(&[
        "report",
        "--shop",
        "plain",
        "--period",
        "2026-11-01..2026-11-03",
    ])[0];
    let roi = plain["kpis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "ad_roi")
        .unwrap();
    assert!(roi["current"]["value"].is_null(), "{roi}");
    assert!(
        roi["current"]["unavailable"]
            .as_str()
            .unwrap()
            .contains("no ad report"),
        "{roi}"
    );
}

#[test]
fn why_sales_moved_splits_a_paid_source_into_impressions_and_ctr_and_orders_into_buyers() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    // 直通车's visitors rise from 900 to 1,200 a day with its impressions (45,000 to
    // 60,000: 2% of them click both times), at the same conversion and order value.
    let sources = env.path("流量来源.csv");
    let ads = env.path("直通车.csv");
    let mut s = String::from("日期,流量来源,访客数,浏览量,支付买家数,支付金额\n");
    let mut a =
        String::from("日期,计划名称,展现量,点击量,花费,直接成交金额,总成交笔数,总成交金额\n");
    for d in 1..=6 {
        let later = d > 3;
        let (v, b, amt, imp) = if later {
            (1200, 40, "4000.00", 60_000)
        } else {
            (900, 30, "3000.00", 45_000)
        };
        s.push_str(&format!("2026-11-0{d},直通车,{v},{v},{b},{amt}\n"));
        s.push_str(&format!("2026-11-0{d},手淘搜索,2000,2000,60,6000.00\n"));
        a.push_str(&format!("2026-11-0{d},搜索,{imp},{v},{v}.00,0,{b},{amt}\n"));
    }
    std::fs::write(&sources, s).unwrap();
    std::fs::write(&ads, a).unwrap();
    env.ok(&["import", "--shop", "tb", sources.to_str().unwrap()]);
    env.ok(&["ads", "import", "--shop", "tb", ads.to_str().unwrap()]);
    let r = &env.json(&[
        "report",
        "--shop",
        "tb",
        "--period",
        "2026-11-04..2026-11-06",
    ])[0];
    let ztc = r["why"]["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["group"] == "直通车")
        .unwrap_or_else(|| panic!("{r}"));
    let split = &ztc["split"];
    assert_eq!(split["basis"], "impressions", "{split}");
    let part = |f: &str| {
        amount(
            &split["parts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["factor"] == f)
                .unwrap_or_else(|| panic!("no {f} in {split}"))["amount"],
        )
    };
    assert_eq!(amount(&split["change"]), 3000.0);
    assert_eq!(part("impressions"), 3000.0, "{split}");
    assert_eq!(part("ctr"), 0.0);
    assert_eq!(part("conversion"), 0.0);
    // A free source keeps visitors × conversion × order value.
    let free = r["why"]["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["group"] != "手淘搜索" || g["split"]["basis"] == "visitors");
    assert!(free, "{r}");

    // A shop with orders only: paying buyers × order value, not nothing.
    env.add_shop("taobao", "orders-only", &[]);
    let orders = env.path("orders.csv");
    let mut text =
        String::from("订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间\n");
    // March 1-10: 2 buyers at 100.00; March 11-20: 3 buyers at 120.00.
    for (i, (day, paid)) in [
        (2, "100.00"),
        (5, "100.00"),
        (12, "120.00"),
        (14, "120.00"),
        (16, "120.00"),
    ]
    .iter()
    .enumerate()
    {
        text.push_str(&format!(
            "{},b{i},{paid},交易成功,2025-03-{day:02} 10:00:00,2025-03-{day:02} 10:01:00\n",
            4000 + i
        ));
    }
    std::fs::write(&orders, text).unwrap();
    env.ok(&["import", "--shop", "orders-only", orders.to_str().unwrap()]);
    let r = &env.json(&[
        "report",
        "--shop",
        "orders-only",
        "--period",
        "2025-03-11..2025-03-20",
    ])[0];
    let shop = &r["why"]["shop"];
    assert_eq!(shop["basis"], "buyers", "{r}");
    assert!(r["why"]["unavailable"].is_null());
    let parts = shop["parts"].as_array().unwrap();
    let sum: f64 = parts.iter().map(|p| amount(&p["amount"])).sum();
    assert!((sum - 160.0).abs() < 0.005, "360.00 − 200.00: {shop}");
    // LMDI by hand: w = (360 − 200) ÷ ln(360 ÷ 200); buyers w·ln(3/2).
    let w = 160.0 / (360.0f64 / 200.0).ln();
    let buyers = parts.iter().find(|p| p["factor"] == "buyers").unwrap();
    assert!((amount(&buyers["amount"]) - (w * 1.5f64.ln() * 100.0).round() / 100.0).abs() < 0.015);
    assert!(
        r["why"]["headline"]
            .as_str()
            .unwrap()
            .contains("paying buyers"),
        "{r}"
    );
}

#[test]
fn a_products_free_visitors_after_its_ad_clicks_rose_are_its_pull() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &[]);
    // 26 weeks from a Monday. P1's plan doubles and triples its clicks in two-week bursts;
    // P1's free visitors gain half of last calendar week's clicks a day. P2 is advertised
    // at a steady rate and gains nothing.
    let first = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let mut seed: u64 = 7;
    let mut noise = |span: f64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as f64 / (1u64 << 31) as f64 - 0.5) * 2.0 * span
    };
    let mut ads = String::from("日期,计划名称,宝贝ID,展现量,点击量,花费,总成交笔数,总成交金额\n");
    let mut products = String::from("统计日期,商品ID,商品名称,商品访客数,支付买家数,支付金额\n");
    let (mut week_clicks, mut last_week) = (0.0, 0.0);
    let (mut clicks_sum, mut free_sum, mut days) = (0.0, 0.0, 0.0);
    for i in 0..26 * 7 {
        let day = first + chrono::Duration::days(i);
        if i % 7 == 0 {
            last_week = week_clicks / 7.0;
            week_clicks = 0.0;
        }
        let burst = [600.0, 0.0, 0.0, 300.0, 0.0, 0.0][(i / 14 % 6) as usize];
        let clicks = (300.0 + burst + noise(30.0)).round();
        week_clicks += clicks;
        let weekend = if i % 7 >= 5 { 300.0 } else { 0.0 };
        let free = (2000.0 + weekend + noise(100.0) + 0.5 * last_week).round();
        clicks_sum += clicks;
        free_sum += free;
        days += 1.0;
        let steady = (200.0 + noise(20.0)).round();
        let steady_free = (1500.0 + weekend + noise(100.0)).round();
        ads.push_str(&format!(
            "{day},爆款-P1,P1,{},{clicks},{:.2},5,500.00\n{day},日常-P2,P2,{},{steady},{:.2},2,200.00\n",
            clicks * 30.0,
            clicks,
            steady * 30.0,
            steady
        ));
        products.push_str(&format!(
            "{day},P1,爆款,{},10,1000.00\n{day},P2,日常,{},5,500.00\n",
            free + clicks,
            steady_free + steady
        ));
    }
    let ads_file = env.path("直通车_宝贝.csv");
    std::fs::write(&ads_file, ads).unwrap();
    let products_file = env.path("商品_日报.csv");
    std::fs::write(&products_file, products).unwrap();
    env.ok(&["ads", "import", "--shop", "tb", ads_file.to_str().unwrap()]);
    env.ok(&["import", "--shop", "tb", products_file.to_str().unwrap()]);

    let last = first + chrono::Duration::days(26 * 7 - 1);
    let report = &env.json(&[
        "ads",
        "report",
        "--shop",
        "tb",
        "--period",
        &format!("{}..{last}", last - chrono::Duration::days(29)),
    ]);
    let pull = |code: &str| {
        report
            .get("pull")
            .unwrap_or_else(|| panic!("no pull in {report}"))
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["product_code"] == code)
            .unwrap_or_else(|| panic!("no pull for {code} in {}", report["pull"]))
            .clone()
    };
    let p1 = pull("P1");
    assert_eq!(
        p1["weeks"], 24,
        "26 whole weeks less the two the first change needs"
    );
    assert_eq!(p1["verdict"], "pulls", "{p1}");
    let (low, high) = (p1["low"].as_f64().unwrap(), p1["high"].as_f64().unwrap());
    assert!(
        low < 0.5 && 0.5 < high,
        "the planted 0.5 lies in {low}..{high}"
    );
    // Paid visitors are the ad clicks, free ones the rest of the product's visitors.
    assert!((p1["paid_per_day"].as_f64().unwrap() - clicks_sum / days).abs() < 1e-6);
    assert!((p1["free_per_day"].as_f64().unwrap() - free_sum / days).abs() < 1e-6);
    let p2 = pull("P2");
    assert_eq!(p2["verdict"], "none_found", "{p2}");
    // Without a traffic-source report there is no shop-level estimate.
    assert!(report["pull"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| !p["product_code"].is_null()));
}
