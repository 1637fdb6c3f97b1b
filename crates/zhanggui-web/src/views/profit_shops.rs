//! The owner's P&L across every shop by month in one currency, at the rates the owner gives
//! (`USD:7.10,JPY:0.048`), for the 利润 page and `/api/v1/profit/shops`.

use std::collections::BTreeMap;
use std::sync::Arc;

use zhanggui_analytics::profit_shops::{pnl_across_shops, ShopsPnl, ShopsPnlError};
use zhanggui_analytics::report::anchor_or_last;
use zhanggui_domain::Currency;
use zhanggui_storage::Store;

use super::scope::PeriodChoice;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;

/// Reads `USD:7.10,JPY:0.048` (also with `=`): units of the view's currency per unit.
pub fn parse_rates(text: &str) -> Result<BTreeMap<String, f64>, AppError> {
    let mut rates = BTreeMap::new();
    for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || AppError::BadRequest(format!("rate `{pair}`: write CODE:RATE, e.g. USD:7.10"));
        let (code, rate) = pair.split_once([':', '=']).ok_or_else(bad)?;
        let rate: f64 = rate
            .trim()
            .parse()
            .ok()
            .filter(|r: &f64| *r > 0.0 && r.is_finite())
            .ok_or_else(bad)?;
        let code = Currency::parse(&code.trim().to_ascii_uppercase()).map_err(|_| bad())?;
        rates.insert(code.code().to_owned(), rate);
    }
    Ok(rates)
}

/// Every shop's P&L over `period` (the last days ending on the latest day any shop has
/// data) in `currency` (default: the first shop's). Owners only.
pub async fn shops_pnl(
    state: &AppState,
    user: &CurrentUser,
    period: PeriodChoice,
    currency: Option<&str>,
    rates: &str,
) -> Result<Arc<ShopsPnl>, AppError> {
    user.require_owner()?;
    let shops = state.shops().await?;
    let Some(first) = shops.first() else {
        return Err(AppError::NoData);
    };
    let view = match currency.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Currency::parse(&code.to_ascii_uppercase())
            .map_err(|e| AppError::BadRequest(format!("currency {code}: {e}")))?,
        None => first.currency,
    };
    let rates = parse_rates(rates)?;
    let shops = (*shops).clone();
    let value = state
        .db
        .read(move |store| {
            let mut anchor = None;
            let mut spec = None;
            for shop in &shops {
                if let Ok(day) = anchor_or_last(store as &dyn Store, shop, None) {
                    if anchor.is_none_or(|a| day > a) {
                        anchor = Some(day);
                        spec = Some(period.spec(store, shop)?);
                    }
                }
            }
            let (Some(anchor), Some(spec)) = (anchor, spec) else {
                return Err(AppError::NoData);
            };
            pnl_across_shops(store, &shops, spec.resolve(anchor), view, &rates).map_err(|e| match e
            {
                ShopsPnlError::NoRate { .. } => AppError::BadRequest(e.to_string()),
                ShopsPnlError::Store(s) => s.into(),
            })
        })
        .await?;
    Ok(Arc::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_read_with_either_separator_and_bad_ones_refused() {
        let r = parse_rates("USD:7.10, jpy=0.048").unwrap();
        assert_eq!(r["USD"], 7.10);
        assert_eq!(r["JPY"], 0.048);
        assert!(parse_rates("").unwrap().is_empty());
        assert!(parse_rates("USD:0").is_err());
        assert!(parse_rates("USD").is_err());
    }
}
