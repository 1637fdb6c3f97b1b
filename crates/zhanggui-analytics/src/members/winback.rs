//! The win-back list (挽回名单): valuable customers who have probably stopped buying, ranked
//! by the value at risk, each with the reason in plain words.
//!
//! From the shop's BG/NBD fit: what a customer would buy over the horizon if still active
//! is E[Y | active] = E[Y] / P(active); the value at risk is that times their expected order
//! value times the chance they are gone, 1 − P(active). Only customers who spent at least
//! the base's median, with P(active) below one half, are listed. (In BG/NBD a customer who
//! bought once has not yet had a chance to drop out, so the list holds repeat buyers.)

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{CustomerHistory, Store};

use super::value::{value_of, Options, Value, Verdict};
use crate::report::ReportError;

/// Below this probability of being active a customer is slipping away.
pub const SLIPPING: f64 = 0.5;

#[derive(Debug, Clone, Serialize)]
pub struct WinBack {
    pub buyer: String,
    pub orders: i64,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub amount: i64,
    pub probability_alive: f64,
    pub days_since_last: i64,
    /// Their usual days between orders (None with a single order).
    pub usual_gap_days: Option<f64>,
    /// Minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64")]
    pub value_at_risk: f64,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WinBackList {
    pub shop: String,
    pub until: NaiveDate,
    pub horizon_months: u32,
    /// Why there is no list, when the history is too short for a fit.
    pub unavailable: Option<String>,
    pub customers: Vec<WinBack>,
}

pub fn win_back(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
    horizon_months: u32,
) -> Result<WinBackList, ReportError> {
    let until = crate::report::anchor_or_last(store, shop, until)?;
    let histories = store.customer_histories(shop, until)?;
    let options = Options {
        horizon_months,
        monthly_discount: 0.0,
        model: super::value::Model::BgNbd,
        horizon_weeks: None,
    };
    Ok(win_back_of(
        value_of(shop, until, &histories, &options),
        &histories,
    ))
}

/// The win-back list from a shop's fitted value and the histories it was fitted on (the
/// discount does not matter: value at risk is not discounted).
pub fn win_back_of(v: Value, histories: &[CustomerHistory]) -> WinBackList {
    let horizon_months = v.horizon_months;
    let fitted = match v.verdict {
        Verdict::Fitted(f) => f,
        Verdict::TooLittleHistory(t) => {
            return WinBackList {
                shop: v.shop,
                until: v.until,
                horizon_months,
                unavailable: Some(t.reason),
                customers: Vec::new(),
            }
        }
    };
    let mut amounts: Vec<i64> = histories.iter().map(|h| h.amount).collect();
    amounts.sort_unstable();
    let median = amounts.get(amounts.len() / 2).copied().unwrap_or(0);
    let by_buyer: std::collections::HashMap<&str, &CustomerHistory> =
        histories.iter().map(|h| (h.buyer.as_str(), h)).collect();
    let mut list: Vec<WinBack> = fitted
        .customers
        .iter()
        .filter(|c| c.amount >= median && c.probability_alive < SLIPPING)
        .filter_map(|c| {
            let h = by_buyer.get(c.buyer.as_str())?;
            let days_since_last = (v.until - h.last_paid.date()).num_days();
            let usual_gap_days = (h.paid_days > 1).then(|| {
                (h.last_paid.date() - h.first_paid.date()).num_days() as f64
                    / (h.paid_days - 1) as f64
            });
            let if_active = c.expected_orders / c.probability_alive.max(1e-9);
            let value_at_risk = if_active * c.expected_value * (1.0 - c.probability_alive);
            let reason = match usual_gap_days {
                Some(g) => format!(
                    "上次购买在 {days_since_last} 天前，平时约每 {g:.0} 天买一次；仍活跃的概率 {:.0}%",
                    c.probability_alive * 100.0
                ),
                None => format!(
                    "只买过一次，已 {days_since_last} 天没有再买；仍活跃的概率 {:.0}%",
                    c.probability_alive * 100.0
                ),
            };
            Some(WinBack {
                buyer: c.buyer.clone(),
                orders: c.orders,
                amount: c.amount,
                probability_alive: c.probability_alive,
                days_since_last,
                usual_gap_days,
                value_at_risk,
                reason,
            })
        })
        .collect();
    list.sort_by(|a, b| {
        b.value_at_risk
            .total_cmp(&a.value_at_risk)
            .then_with(|| a.buyer.cmp(&b.buyer))
    });
    WinBackList {
        shop: v.shop,
        until: v.until,
        horizon_months,
        unavailable: None,
        customers: list,
    }
}
