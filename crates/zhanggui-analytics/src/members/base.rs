//! A shop's customer base as the members models read it: RFM scores and segments from the
//! store's per-buyer histories up to a day, and how customers moved between segments from
//! one month end to the next.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{CustomerHistory, Store};

use super::rfm::{score, summarize, History, Scored, Segment, SegmentSummary};
use crate::report::{anchor_or_last, ReportError};

/// RFM of one shop on one day.
#[derive(Debug, Clone, Serialize)]
pub struct Rfm {
    pub shop: String,
    /// Histories end with this day; recency counts days back from it.
    pub until: NaiveDate,
    pub bins: u32,
    pub segments: Vec<SegmentSummary>,
    pub customers: Vec<Scored>,
}

/// Scores every identified buyer of the shop up to `until` (default: the last day with
/// orders) into `bins` ranks per dimension.
pub fn rfm(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
    bins: u32,
) -> Result<Rfm, ReportError> {
    let until = anchor_or_last(store, shop, until)?;
    let histories = store.customer_histories(shop, until)?;
    Ok(rfm_of(shop, until, &histories, bins))
}

/// As [`rfm`], on the shop's buyer histories up to `until`, already read.
pub fn rfm_of(shop: &Shop, until: NaiveDate, histories: &[CustomerHistory], bins: u32) -> Rfm {
    let histories: Vec<History> = histories
        .iter()
        .map(|c| History {
            recency_days: (until - c.last_paid.date()).num_days(),
            buyer: c.buyer.clone(),
            orders: c.orders,
            amount: c.amount,
        })
        .collect();
    let customers = score(histories, bins);
    Rfm {
        shop: shop.name.to_string(),
        until,
        bins: bins.max(2),
        segments: summarize(&customers),
        customers,
    }
}

/// How customers moved between segments from one day to another (month ends, usually).
#[derive(Debug, Clone, Serialize)]
pub struct Moves {
    pub shop: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Customers scored on both days, by (segment then, segment now); only pairs with
    /// customers are listed.
    pub moves: Vec<Move>,
    /// Customers who first bought after `from`.
    pub new_customers: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub from: Segment,
    pub to: Segment,
    pub customers: usize,
}

/// Segments at the end of the month before `until`'s and at `until`, and who moved where.
pub fn moves(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
    bins: u32,
) -> Result<Moves, ReportError> {
    let now = rfm(store, shop, until, bins)?;
    let month_start = now.until.with_day(1).unwrap_or(now.until);
    let from = month_start.pred_opt().unwrap_or(month_start);
    let before = rfm(store, shop, Some(from), bins)?;
    let then: HashMap<&str, Segment> = before
        .customers
        .iter()
        .map(|c| (c.history.buyer.as_str(), c.segment))
        .collect();
    let mut counts: BTreeMap<(Segment, Segment), usize> = BTreeMap::new();
    let mut new_customers = 0;
    for c in &now.customers {
        match then.get(c.history.buyer.as_str()) {
            Some(&was) => *counts.entry((was, c.segment)).or_default() += 1,
            None => new_customers += 1,
        }
    }
    Ok(Moves {
        shop: now.shop,
        from,
        to: now.until,
        moves: counts
            .into_iter()
            .map(|((from, to), customers)| Move {
                from,
                to,
                customers,
            })
            .collect(),
        new_customers,
    })
}
