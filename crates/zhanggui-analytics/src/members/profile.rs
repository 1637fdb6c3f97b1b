//! Every member of a shop with everything a segment filter reads: first and last purchase,
//! orders and spend, RFM scores and segment, the model's probability active, expected
//! orders and lifetime value (when the history allows a fit), region and categories bought.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::Store;

use super::base::rfm_of;
use super::filter::{Field, Filter};
use super::rfm::{Segment, SegmentSummary};
use super::value::{value_of, Model, Options, Value, Verdict};
use crate::report::{anchor_or_last, ReportError};
use zhanggui_storage::CustomerHistory;

/// The horizon and discount of the `value` field (as `members clv` defaults).
pub const VALUE_MONTHS: u32 = 12;
pub const VALUE_DISCOUNT: f64 = 0.01;

/// One member, as a segment filter sees them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub buyer: String,
    pub first_purchase: NaiveDate,
    pub last_purchase: NaiveDate,
    pub days_since_last: i64,
    pub orders: i64,
    /// Minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub spend: i64,
    pub r: u32,
    pub f: u32,
    pub m: u32,
    pub segment: Segment,
    pub p_alive: Option<f64>,
    pub expected_orders: Option<f64>,
    /// Lifetime value over `VALUE_MONTHS`, minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64_opt")]
    pub value: Option<f64>,
    pub region: Option<String>,
    pub categories: Vec<String>,
}

/// A shop's members on a day.
#[derive(Debug, Clone, Serialize)]
pub struct Members {
    pub shop: String,
    pub until: NaiveDate,
    /// 10^(the currency's minor digits): money literals in filters are in major units.
    #[serde(skip)]
    pub money_scale: f64,
    /// Why there are no predictions, when the history is too short for a fit.
    pub no_predictions: Option<String>,
    pub members: Vec<Member>,
    /// The eight segments' sizes and revenue.
    pub segments: Vec<SegmentSummary>,
    /// The fit the predictions come from (the win-back list reads it too).
    #[serde(skip)]
    pub value: Value,
    /// The buyer histories everything above was computed from.
    #[serde(skip)]
    pub histories: Vec<CustomerHistory>,
}

/// Why a filter cannot be applied to a shop's members.
#[derive(Debug, thiserror::Error)]
pub enum SegmentError {
    #[error("the filter reads `{field}`, a prediction, but this shop has none: {why}")]
    NoPredictions { field: &'static str, why: String },
    #[error(transparent)]
    Report(#[from] ReportError),
}

/// Builds the members of a shop up to `until` (default: the last day with orders).
pub fn members(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
) -> Result<Members, ReportError> {
    // One read of the buyers' histories serves the scores, the fit and the profiles.
    let until = anchor_or_last(store, shop, until)?;
    let histories = store.customer_histories(shop, until)?;
    let scored = rfm_of(shop, until, &histories, 5);
    let options = Options {
        horizon_months: VALUE_MONTHS,
        monthly_discount: VALUE_DISCOUNT,
        model: Model::BgNbd,
        horizon_weeks: None,
    };
    let fitted = value_of(shop, until, &histories, &options);
    let (outlooks, no_predictions) = match &fitted.verdict {
        Verdict::Fitted(f) => (
            f.customers
                .iter()
                .map(|o| (o.buyer.as_str(), o))
                .collect::<HashMap<_, _>>(),
            None,
        ),
        Verdict::TooLittleHistory(t) => (HashMap::new(), Some(t.reason.clone())),
    };
    let firsts: HashMap<&str, NaiveDate> = histories
        .iter()
        .map(|h| (h.buyer.as_str(), h.first_paid.date()))
        .collect();
    let profiles: HashMap<String, (Option<String>, Vec<String>)> = store
        .customer_profiles(shop, until)?
        .into_iter()
        .map(|p| (p.buyer, (p.region, p.categories)))
        .collect();
    let members = scored
        .customers
        .iter()
        .map(|s| {
            let h = &s.history;
            let outlook = outlooks.get(h.buyer.as_str());
            let (region, categories) = profiles.get(&h.buyer).cloned().unwrap_or_default();
            let last = until - chrono::Duration::days(h.recency_days);
            Member {
                buyer: h.buyer.clone(),
                first_purchase: firsts.get(h.buyer.as_str()).copied().unwrap_or(last),
                last_purchase: last,
                days_since_last: h.recency_days,
                orders: h.orders,
                spend: h.amount,
                r: s.r,
                f: s.f,
                m: s.m,
                segment: s.segment,
                p_alive: outlook.map(|o| o.probability_alive),
                expected_orders: outlook.map(|o| o.expected_orders),
                value: outlook.map(|o| o.lifetime_value),
                region,
                categories,
            }
        })
        .collect();
    Ok(Members {
        shop: shop.name.to_string(),
        until,
        money_scale: 10_f64.powi(shop.currency.exponent() as i32),
        no_predictions,
        members,
        segments: scored.segments,
        value: fitted,
        histories,
    })
}

impl Members {
    /// The members a filter selects, biggest spenders first.
    pub fn select(&self, filter: &Filter) -> Result<Vec<&Member>, SegmentError> {
        if let Some(why) = &self.no_predictions {
            if let Some(field) = filter.fields().into_iter().find(|f| f.is_prediction()) {
                return Err(SegmentError::NoPredictions {
                    field: field.name(),
                    why: why.clone(),
                });
            }
        }
        let mut out: Vec<&Member> = self
            .members
            .iter()
            .filter(|m| filter.matches(m, self.money_scale))
            .collect();
        out.sort_by(|a, b| b.spend.cmp(&a.spend).then_with(|| a.buyer.cmp(&b.buyer)));
        Ok(out)
    }
}

/// Fields listed for help texts: name and meaning.
pub fn field_help() -> Vec<(&'static str, &'static str)> {
    Field::ALL.iter().map(|f| (f.name(), f.meaning())).collect()
}
