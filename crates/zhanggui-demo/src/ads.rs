//! The shops' ad reports: a 直通车 report for the Taobao shop and a Google Ads campaign
//! export for the Shopify shop, one row per day and plan (per creative for the Taobao
//! shop's search plan), with spend higher at the weekend and on the shops' busy days, and
//! traffic in proportion to the demo's size (`scale`: 1 for the default 60,000 lines).
//!
//! Planted: one plan in each shop converts so poorly that its ROI stays far below any
//! break-even the shop's margin allows (定向-清仓, Display remarketing), and the Taobao
//! search plan runs a main-image test over the last 30 days whose second creative draws
//! clicks 20 % more often than the first.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::write::{amount, CsvOut};
use crate::DemoError;

/// The Taobao shop's losing plan.
pub const LOSING_PLAN: &str = "定向-清仓";
/// The Shopify shop's losing campaign.
pub const LOSING_CAMPAIGN: &str = "Display remarketing";
/// The Taobao search plan that runs the image test, its test and creatives.
pub const TEST_PLAN: &str = "搜索-爆款";
pub const TEST_NAME: &str = "主图测试";
pub const CONTROL_CREATIVE: &str = "主图A-白底";
pub const WINNING_CREATIVE: &str = "主图B-场景";
/// The margin the Shopify shop states for its ads (it has no cost prices), under the
/// setting the promotion report reads.
pub const MARGIN_SETTING: &str = "promotion.margin";
pub const SHOPIFY_MARGIN: &str = "0.45";

/// A creative test the demo defines, with its arms read from the ad report.
#[derive(Debug, Clone)]
pub struct DemoTest {
    pub name: &'static str,
    pub metric: &'static str,
    pub started_on: NaiveDate,
    /// The baseline CTR and the smallest lift worth finding, which size the test.
    pub baseline: f64,
    pub mde: f64,
    /// (arm, plan, creative).
    pub arms: Vec<(&'static str, &'static str, &'static str)>,
}

/// One plan's day: impressions, click rate, cost per click, conversion, order value.
struct Plan {
    name: &'static str,
    impressions: f64,
    ctr: f64,
    cpc: f64,
    cvr: f64,
    order_value: f64,
}

/// The traffic of a day against an ordinary weekday.
fn day_factor(day: NaiveDate) -> f64 {
    let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
    let busy = matches!((day.month(), day.day()), (11, 1..=11) | (6, 1..=18));
    (if weekend { 1.3 } else { 1.0 }) * if busy { 1.8 } else { 1.0 }
}

/// One row's counts: impressions, clicks, spend, orders and sales in minor units.
struct Counts {
    impressions: i64,
    clicks: i64,
    spend: i64,
    orders: f64,
    sales: i64,
}

/// The ads' traffic for a demo of `order_lines`: in proportion, but never so small that
/// the planted plan and test cannot be told from noise.
pub fn scale_of(order_lines: u64) -> f64 {
    (order_lines as f64 / 60_000.0).max(0.25)
}

fn counts(rng: &mut ChaCha8Rng, p: &Plan, factor: f64, whole_orders: bool) -> Counts {
    let impressions = (p.impressions * factor * rng.random_range(0.9..1.1)).round() as i64;
    counts_of(rng, p, impressions, whole_orders)
}

/// Two creatives sharing a plan's impressions evenly, as the platform rotates them: the
/// split differs from half by binomial noise only.
fn split_counts(rng: &mut ChaCha8Rng, a: &Plan, b: &Plan, factor: f64) -> (Counts, Counts) {
    let total = (a.impressions * 2.0 * factor * rng.random_range(0.9..1.1)).round() as i64;
    let sd = (total as f64).sqrt() / 2.0;
    let first = (total as f64 / 2.0 + sd * rng.random_range(-1.7..1.7)).round() as i64;
    (
        counts_of(rng, a, first, true),
        counts_of(rng, b, total - first, true),
    )
}

fn counts_of(rng: &mut ChaCha8Rng, p: &Plan, impressions: i64, whole_orders: bool) -> Counts {
    let clicks = (impressions as f64 * p.ctr * rng.random_range(0.95..1.05)).round() as i64;
    let spend = (clicks as f64 * p.cpc * rng.random_range(0.97..1.03) * 100.0).round() as i64;
    let expected = clicks as f64 * p.cvr;
    let orders = if whole_orders {
        // Whole orders, the fraction drawn.
        let base = expected.floor();
        base + f64::from(u8::from(rng.random_bool(expected - base)))
    } else {
        (expected * rng.random_range(0.9..1.1) * 100.0).round() / 100.0
    };
    let sales = (orders * p.order_value * rng.random_range(0.9..1.1) * 100.0).round() as i64;
    Counts {
        impressions,
        clicks,
        spend,
        orders,
        sales,
    }
}

/// Writes `直通车报表.csv` (GBK, as the download is) for `days` days from `first`; the
/// image test runs over the last `test_days`. Returns the file and the test.
pub fn write_ztc(
    out: &Path,
    seed: u64,
    first: NaiveDate,
    days: u32,
    test_days: u32,
    scale: f64,
) -> Result<(PathBuf, DemoTest), DemoError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5A7C);
    let mut csv = CsvOut::create(&out.join("直通车报表.csv"), true, None)?;
    csv.row(&[
        "日期",
        "计划名称",
        "创意名称",
        "展现量",
        "点击量",
        "花费",
        "点击率",
        "直接成交笔数",
        "直接成交金额",
        "总成交笔数",
        "总成交金额",
        "投入产出比",
        "总购物车数",
        "总收藏数",
    ])?;
    let plans = [
        Plan {
            name: TEST_PLAN,
            impressions: 9_000.0 * scale,
            ctr: 0.030,
            cpc: 1.20,
            cvr: 0.050,
            order_value: 120.0,
        },
        Plan {
            name: LOSING_PLAN,
            impressions: 16_000.0 * scale,
            ctr: 0.016,
            cpc: 0.90,
            cvr: 0.010,
            order_value: 100.0,
        },
        Plan {
            name: "店铺-拉新",
            impressions: 4_000.0 * scale,
            ctr: 0.022,
            cpc: 1.00,
            cvr: 0.040,
            order_value: 110.0,
        },
    ];
    let test_start = first + Duration::days(i64::from(days.saturating_sub(test_days)));
    let halves = Plan {
        impressions: plans[0].impressions / 2.0,
        ..plans[0]
    };
    let winner_half = Plan {
        ctr: plans[0].ctr * 1.2,
        ..halves
    };
    for i in 0..days {
        let day = first + Duration::days(i64::from(i));
        let factor = day_factor(day);
        let mut rows: Vec<(&str, &str, Counts)> = Vec::new();
        if day >= test_start {
            let (a, b) = split_counts(&mut rng, &halves, &winner_half, factor);
            rows.push((TEST_PLAN, CONTROL_CREATIVE, a));
            rows.push((TEST_PLAN, WINNING_CREATIVE, b));
        } else {
            rows.push((
                TEST_PLAN,
                CONTROL_CREATIVE,
                counts(&mut rng, &plans[0], factor, true),
            ));
        }
        for p in &plans[1..] {
            rows.push((p.name, "", counts(&mut rng, p, factor, true)));
        }
        for (plan, creative, c) in rows {
            let direct_orders = (c.orders * 0.75).floor();
            let direct_sales = (c.sales as f64 * 0.75).round() as i64;
            let ctr = if c.impressions > 0 {
                format!("{:.2}%", c.clicks as f64 * 100.0 / c.impressions as f64)
            } else {
                String::new()
            };
            let roi = if c.spend > 0 {
                format!("{:.2}", c.sales as f64 / c.spend as f64)
            } else {
                String::new()
            };
            csv.row(&[
                day.to_string(),
                plan.to_owned(),
                creative.to_owned(),
                c.impressions.to_string(),
                c.clicks.to_string(),
                amount(c.spend),
                ctr,
                direct_orders.to_string(),
                amount(direct_sales),
                c.orders.to_string(),
                amount(c.sales),
                roi,
                ((c.clicks as f64) * 0.08).round().to_string(),
                ((c.clicks as f64) * 0.03).round().to_string(),
            ])?;
        }
    }
    let test = DemoTest {
        name: TEST_NAME,
        metric: "ctr",
        started_on: test_start,
        baseline: plans[0].ctr,
        mde: plans[0].ctr * 0.15,
        arms: vec![
            ("A", TEST_PLAN, CONTROL_CREATIVE),
            ("B", TEST_PLAN, WINNING_CREATIVE),
        ],
    };
    Ok((csv.finish()?, test))
}

/// Writes `Campaign report.csv`, a Google Ads export (UTF-8, a title and the date range
/// above the header, fractional conversions, a total row) for the Shopify shop.
pub fn write_google_ads(
    out: &Path,
    seed: u64,
    first: NaiveDate,
    days: u32,
    scale: f64,
) -> Result<PathBuf, DemoError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x600D);
    let last = first + Duration::days(i64::from(days) - 1);
    let mut csv = CsvOut::create(
        &out.join("Campaign report.csv"),
        false,
        Some("Campaign report"),
    )?;
    csv.row(&[format!(
        "{} - {}",
        first.format("%B %-d, %Y"),
        last.format("%B %-d, %Y")
    )])?;
    csv.row(&[
        "Day",
        "Campaign",
        "Currency code",
        "Impr.",
        "Clicks",
        "Cost",
        "Conversions",
        "Conv. value",
    ])?;
    let plans = [
        Plan {
            name: "Brand search",
            impressions: 900.0 * scale,
            ctr: 0.080,
            cpc: 0.60,
            cvr: 0.060,
            order_value: 85.0,
        },
        Plan {
            name: "Shopping - all products",
            impressions: 6_000.0 * scale,
            ctr: 0.012,
            cpc: 0.45,
            cvr: 0.018,
            order_value: 70.0,
        },
        Plan {
            name: LOSING_CAMPAIGN,
            impressions: 20_000.0 * scale,
            ctr: 0.004,
            cpc: 0.70,
            cvr: 0.006,
            order_value: 75.0,
        },
    ];
    let mut total = [0i64; 4];
    let mut total_orders = 0.0;
    for i in 0..days {
        let day = first + Duration::days(i64::from(i));
        let factor = day_factor(day);
        for p in &plans {
            let c = counts(&mut rng, p, factor, false);
            total[0] += c.impressions;
            total[1] += c.clicks;
            total[2] += c.spend;
            total[3] += c.sales;
            total_orders += c.orders;
            csv.row(&[
                day.to_string(),
                p.name.to_owned(),
                "USD".to_owned(),
                c.impressions.to_string(),
                c.clicks.to_string(),
                amount(c.spend),
                format!("{:.2}", c.orders),
                amount(c.sales),
            ])?;
        }
    }
    csv.row(&[
        "Total: Account".to_owned(),
        String::new(),
        String::new(),
        total[0].to_string(),
        total[1].to_string(),
        amount(total[2]),
        format!("{total_orders:.2}"),
        amount(total[3]),
    ])?;
    csv.finish()
}
