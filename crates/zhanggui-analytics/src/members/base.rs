//! A shop's customer base as the members models read it: RFM scores and segments from the
//! store's per-buyer histories up to a day.

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::Store;

use super::rfm::{score, summarize, History, Scored, SegmentSummary};
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
    let histories: Vec<History> = store
        .customer_histories(shop, until)?
        .into_iter()
        .map(|c| History {
            recency_days: (until - c.last_paid.date()).num_days(),
            buyer: c.buyer,
            orders: c.orders,
            amount: c.amount,
        })
        .collect();
    let customers = score(histories, bins);
    Ok(Rfm {
        shop: shop.name.to_string(),
        until,
        bins: bins.max(2),
        segments: summarize(&customers),
        customers,
    })
}
