//! Profit: the shop's P&L per product over the chosen period and its net profit by month
//! over the twelve months up to the period's end, from the profit model.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use zhanggui_analytics::period::PeriodSpec;
use zhanggui_analytics::profit::{profit, ProfitReport};
use zhanggui_analytics::roles::{assign_roles, RoleThresholds};
use zhanggui_storage::{DayRange, ProfitBy, Store};

use super::compute::cached;
use super::scope::Scope;
use crate::error::AppError;
use crate::state::AppState;

/// What the 利润 page and `/api/v1/profit` show.
#[derive(Debug, Serialize)]
pub struct ProfitView {
    /// The period's report, per product with each product's role (or what `by` asked for).
    pub report: ProfitReport,
    /// The twelve months up to the period's end, per month.
    pub months: ProfitReport,
}

/// The first day of the month eleven months before `day`'s.
fn year_before(day: NaiveDate) -> NaiveDate {
    let months = day.year() * 12 + day.month0() as i32 - 11;
    NaiveDate::from_ymd_opt(months.div_euclid(12), months.rem_euclid(12) as u32 + 1, 1)
        .expect("the first of a month exists")
}

/// The scope's period as days, ending on the shop's last day with data.
pub(crate) fn range_of(
    store: &zhanggui_storage::DuckStore,
    s: &Scope,
) -> Result<DayRange, AppError> {
    let spec: PeriodSpec = s.period.spec(store, &s.shop)?;
    let anchor = zhanggui_analytics::report::anchor_or_last(store, &s.shop, None)?;
    Ok(spec.resolve(anchor))
}

/// The profit of a scope's period, by `by` (products on the page, each with its role; the
/// products' report is the overview's, computed once).
pub async fn profit_view(
    state: &AppState,
    scope: &Scope,
    by: ProfitBy,
) -> Result<Arc<ProfitView>, AppError> {
    let base = match by {
        ProfitBy::Product => Some(period_profit(state, scope).await?),
        _ => None,
    };
    let s = scope.clone();
    cached(
        state,
        scope.key(&format!("profit:{}", by.as_str())),
        move |store| {
            let range = range_of(store, &s)?;
            let report = match base {
                Some(products) => {
                    let mut report = (*products).clone();
                    let t = RoleThresholds::from_settings(&store.settings(&s.shop)?)
                        .map_err(|e| AppError::BadRequest(e.to_string()))?;
                    assign_roles(store, &s.shop, &mut report, t)?;
                    report
                }
                None => profit(store, &s.shop, range, by)?,
            };
            let year = DayRange {
                from: year_before(range.to),
                to: range.to,
            };
            let months = profit(store, &s.shop, year, ProfitBy::Month)?;
            Ok(ProfitView { report, months })
        },
    )
    .await
}

/// The period's profit per product without roles: the overview's cards, and the base of
/// the 利润 page's.
pub async fn period_profit(state: &AppState, scope: &Scope) -> Result<Arc<ProfitReport>, AppError> {
    let s = scope.clone();
    cached(state, scope.key("profit:period"), move |store| {
        let range = range_of(store, &s)?;
        Ok(profit(store, &s.shop, range, ProfitBy::Product)?)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_before_starts_eleven_months_earlier() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(year_before(d(2025, 3, 31)), d(2024, 4, 1));
        assert_eq!(year_before(d(2025, 12, 5)), d(2025, 1, 1));
        assert_eq!(year_before(d(2025, 11, 1)), d(2024, 12, 1));
    }
}
