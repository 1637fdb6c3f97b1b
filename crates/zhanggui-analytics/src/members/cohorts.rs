//! Cohorts by first-purchase month: how many of a month's new buyers bought again in each
//! later month (retention), what each cohort paid, and the 30- and 90-day repeat purchase
//! rates (复购率) per cohort and for the shop, counting only buyers whose window had ended;
//! and the same rates by the category or product of the first order.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{FirstOrderBy, Store};

use crate::report::{anchor_or_last, ReportError};

#[derive(Debug, Clone, Serialize)]
pub struct Cohorts {
    pub shop: String,
    pub until: NaiveDate,
    pub cohorts: Vec<Cohort>,
    /// Repeat purchase within 30 / 90 days of the first order, over every cohort.
    pub repeat_30: Option<f64>,
    pub repeat_90: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cohort {
    /// `YYYY-MM`.
    pub cohort: String,
    /// New buyers of the month.
    pub buyers: i64,
    /// What the cohort paid, all months together, in minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub amount: i64,
    /// Share of the cohort buying in month k after its first (k = 0 is 1).
    pub retention: Vec<f64>,
    /// Buyers in month k.
    pub active: Vec<i64>,
    pub repeat_30: Option<f64>,
    pub repeat_90: Option<f64>,
}

fn rate(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// The cohorts of a shop up to `until` (default: the last day with orders).
pub fn cohorts(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
) -> Result<Cohorts, ReportError> {
    let until = anchor_or_last(store, shop, until)?;
    let (cells, repeats) = store.cohorts(shop, until)?;
    let mut out: Vec<Cohort> = Vec::new();
    for cell in &cells {
        if out.last().is_none_or(|c| c.cohort != cell.cohort) {
            out.push(Cohort {
                cohort: cell.cohort.clone(),
                buyers: 0,
                amount: 0,
                retention: Vec::new(),
                active: Vec::new(),
                repeat_30: None,
                repeat_90: None,
            });
        }
        let c = out.last_mut().expect("pushed above");
        let k = cell.month.max(0) as usize;
        if c.active.len() <= k {
            c.active.resize(k + 1, 0);
        }
        c.active[k] = cell.buyers;
        c.amount += cell.amount;
    }
    let month_index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    for c in &mut out {
        // Months the cohort has had by `until`: a month with no buyer in it is a 0, not a gap.
        if let Ok(first) = NaiveDate::parse_from_str(&format!("{}-01", c.cohort), "%Y-%m-%d") {
            let reached = (month_index(until) - month_index(first)).max(0) as usize + 1;
            if c.active.len() < reached {
                c.active.resize(reached, 0);
            }
        }
        c.buyers = c.active.first().copied().unwrap_or(0);
        c.retention = c
            .active
            .iter()
            .map(|a| rate(*a, c.buyers).unwrap_or(0.0))
            .collect();
        if let Some(r) = repeats.iter().find(|r| r.group == c.cohort) {
            c.repeat_30 = rate(r.repeated_30, r.eligible_30);
            c.repeat_90 = rate(r.repeated_90, r.eligible_90);
        }
    }
    let sum =
        |f: &dyn Fn(&zhanggui_storage::CohortRepeat) -> i64| repeats.iter().map(f).sum::<i64>();
    Ok(Cohorts {
        shop: shop.name.to_string(),
        until,
        repeat_30: rate(sum(&|r| r.repeated_30), sum(&|r| r.eligible_30)),
        repeat_90: rate(sum(&|r| r.repeated_90), sum(&|r| r.eligible_90)),
        cohorts: out,
    })
}

/// Repeat purchase rates of the buyers whose first order held a category (or product).
#[derive(Debug, Clone, Serialize)]
pub struct FirstOrderRepeats {
    pub shop: String,
    pub until: NaiveDate,
    pub by: FirstOrderBy,
    pub groups: Vec<GroupRepeat>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRepeat {
    /// The category, or the product code.
    pub group: String,
    /// First buyers whose 30-day window had ended, and the share who bought again in it.
    pub eligible_30: i64,
    pub repeat_30: Option<f64>,
    pub eligible_90: i64,
    pub repeat_90: Option<f64>,
}

/// The 30- and 90-day repeat purchase rates by what the first order held.
pub fn first_order_repeats(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
    by: FirstOrderBy,
) -> Result<FirstOrderRepeats, ReportError> {
    let until = anchor_or_last(store, shop, until)?;
    let groups = store
        .first_order_repeats(shop, until, by)?
        .into_iter()
        .map(|r| GroupRepeat {
            repeat_30: rate(r.repeated_30, r.eligible_30),
            repeat_90: rate(r.repeated_90, r.eligible_90),
            eligible_30: r.eligible_30,
            eligible_90: r.eligible_90,
            group: r.group,
        })
        .collect();
    Ok(FirstOrderRepeats {
        shop: shop.name.to_string(),
        until,
        by,
        groups,
    })
}
