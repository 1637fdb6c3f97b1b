//! A stored test read out: its arms' counts as they were entered, or re-read from the
//! imported ad reports for an arm that names a plan's creative (`ads PLAN/CREATIVE`), so a
//! test fed by daily reports is current at every readout.

use std::collections::BTreeMap;

use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{AbTest, AdBy, AdStore, AdTotals, DayRange, StoreError};

use super::abtest::{read_out, ArmCounts, Readout, TestMetric};

/// The source an arm read from an ad report's creative carries: `ads PLAN/CREATIVE`.
pub const ADS_SOURCE: &str = "ads ";

/// The source of an arm read from plan `plan`'s creative `creative`.
pub fn ads_source(plan: &str, creative: &str) -> String {
    format!("{ADS_SOURCE}{plan}/{creative}")
}

/// A test with its readout.
#[derive(Debug, Clone, Serialize)]
pub struct TestReadout {
    pub test: AbTest,
    pub readout: Readout,
    /// Where each arm's counts come from (`entered`, `file ...`, `ads PLAN/CREATIVE`).
    pub sources: BTreeMap<String, String>,
    /// Arms whose ad rows are gone (counted as empty).
    pub missing: Vec<String>,
}

/// Reads one test out.
pub fn read_test<S: AdStore>(
    store: &S,
    shop: &Shop,
    test: &AbTest,
) -> Result<TestReadout, StoreError> {
    let metric = TestMetric::parse(&test.metric).ok_or_else(|| {
        StoreError::Corrupt(format!("test {}'s metric {}", test.name, test.metric))
    })?;
    let mut arms = Vec::new();
    let mut missing = Vec::new();
    let mut sources = BTreeMap::new();
    for a in store.ab_arms(shop, &test.name)? {
        sources.insert(a.arm.clone(), a.source.clone());
        let counts = if a.source.starts_with(ADS_SOURCE) {
            match ads_counts(store, shop, test, &a.source)? {
                Some(c) => c,
                None => {
                    missing.push(a.arm.clone());
                    ArmCounts {
                        arm: String::new(),
                        units: 0,
                        successes: 0,
                        value_sum: None,
                        value_sq_sum: None,
                        days: Vec::new(),
                    }
                }
            }
        } else {
            ArmCounts {
                arm: String::new(),
                units: a.units,
                successes: a.successes,
                value_sum: a.value_sum,
                value_sq_sum: a.value_sq_sum,
                days: Vec::new(),
            }
        };
        arms.push(ArmCounts {
            arm: a.arm,
            ..counts
        });
    }
    Ok(TestReadout {
        test: test.clone(),
        readout: read_out(metric, &arms, test.planned_units),
        sources,
        missing,
    })
}

/// Every test of the shop read out, in the order they were defined.
pub fn read_tests<S: AdStore>(store: &S, shop: &Shop) -> Result<Vec<TestReadout>, StoreError> {
    store
        .ab_tests(shop)?
        .iter()
        .map(|t| read_test(store, shop, t))
        .collect()
}

/// A creative's counts since the test's first day, from the ad rows of one attribution
/// window (the first, when the creative has several); `None` when no row names it.
/// CTR counts impressions and clicks; CVR clicks and orders (rounded); revenue per
/// visitor clicks and attributed sales, with each day's pair for the delta method.
pub fn ads_counts<S: AdStore>(
    store: &S,
    shop: &Shop,
    test: &AbTest,
    source: &str,
) -> Result<Option<ArmCounts>, StoreError> {
    let (plan, creative) = source
        .strip_prefix(ADS_SOURCE)
        .and_then(|s| s.rsplit_once('/'))
        .ok_or_else(|| StoreError::Corrupt(format!("an arm's source {source}")))?;
    let last = store
        .ad_span(shop)?
        .map(|(_, l)| l)
        .unwrap_or(test.started_on)
        .max(test.started_on);
    let rows: Vec<AdTotals> = store
        .ad_totals(
            shop,
            DayRange::new(test.started_on, last),
            AdBy::CreativeDay,
        )?
        .into_iter()
        .filter(|t| t.campaign == plan && t.creative == creative)
        .collect();
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let window = first.attribution.clone();
    let rows: Vec<&AdTotals> = rows.iter().filter(|t| t.attribution == window).collect();
    let sum = |f: &dyn Fn(&AdTotals) -> f64| rows.iter().map(|t| f(t)).sum::<f64>();
    let impressions = sum(&|t| t.impressions.unwrap_or(0) as f64);
    let clicks = sum(&|t| t.clicks.unwrap_or(0) as f64);
    let orders = sum(&|t| t.orders.unwrap_or(0.0));
    let exponent = 10f64.powi(shop.currency.exponent() as i32);
    let sales = sum(&|t| t.sales.unwrap_or(0) as f64) / exponent;
    let (units, successes) = match test.metric.as_str() {
        "ctr" => (impressions, clicks),
        _ => (clicks, orders.round()),
    };
    Ok(Some(ArmCounts {
        arm: String::new(),
        units: units as i64,
        successes: successes as i64,
        value_sum: (test.metric == "mean").then_some(sales),
        value_sq_sum: None,
        days: rows
            .iter()
            .map(|t| {
                (
                    t.clicks.unwrap_or(0) as f64,
                    t.sales.unwrap_or(0) as f64 / exponent,
                )
            })
            .collect(),
    }))
}
