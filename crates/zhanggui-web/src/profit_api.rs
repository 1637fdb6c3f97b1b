//! The profit API: the profit model of a shop over a period, per order, SKU, product,
//! category, day, month or channel (as `zhanggui profit --json`), with net profit by month
//! over the year to the period's end; and every shop's P&L in one currency, for owners.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use zhanggui_storage::ProfitBy;

use crate::api::{shop_json, ViewObject};
use crate::auth::{ApiUser, Right};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use crate::views::profit::profit_view;
use crate::views::profit_shops::shops_pnl;
use crate::views::scope::{period_of, resolve, ScopeQuery};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProfitQuery {
    /// The shop's name [default: the first shop the user may see the profit of]
    pub shop: Option<String>,
    /// today, 7d, 30d, month or custom [default: 30d]
    pub period: Option<String>,
    /// First day of a custom period (YYYY-MM-DD)
    pub from: Option<String>,
    /// Last day of a custom period (YYYY-MM-DD)
    pub to: Option<String>,
    /// order, sku, product, category, day, month or channel [default: product]
    pub by: Option<String>,
}

/// `{report, months}`: the period's report (`rows`, by product each with its `role`; the
/// P&L totals from `net_sales` to `net_profit`, `missing_cost`, `missing_fees`, `notes`,
/// the role thresholds in `roles`) and the same per month over the twelve months to the
/// period's end. Money as decimals in the shop's currency.
#[utoipa::path(get, path = "/api/v1/profit", tag = "profit", params(ProfitQuery),
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn profit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ProfitQuery>,
) -> Result<Response, AppError> {
    let by = match q.by.as_deref() {
        None => ProfitBy::Product,
        Some(b) => ProfitBy::parse(b).ok_or_else(|| {
            AppError::BadRequest(format!(
                "by={b}: order, sku, product, category, day, month or channel"
            ))
        })?,
    };
    let scope_q = ScopeQuery {
        shop: q.shop,
        period: q.period,
        from: q.from,
        to: q.to,
        compare: None,
    };
    let scope = resolve(&state, &user, &scope_q, Right::ViewProfit).await?;
    let view = profit_view(&state, &scope, by).await?;
    Ok(shop_json(scope.shop.currency, &*view))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShopsPnlQuery {
    /// today, 7d, 30d, month or custom [default: 30d]
    pub period: Option<String>,
    /// First day of a custom period (YYYY-MM-DD)
    pub from: Option<String>,
    /// Last day of a custom period (YYYY-MM-DD)
    pub to: Option<String>,
    /// The currency of the view [default: the first shop's]
    pub currency: Option<String>,
    /// Units of `currency` per unit of each other shop currency: `USD:7.10,JPY:0.048`
    pub rates: Option<String>,
}

/// Every shop's P&L by month and by shop in one currency (owners only): `{currency, rates,
/// months, by_shop, total}`, each line from `net_sales` to `net_profit` over the products
/// whose every cost is known. A shop in a currency without a rate is refused (400).
#[utoipa::path(get, path = "/api/v1/profit/shops", tag = "profit", params(ShopsPnlQuery),
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn shops(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ShopsPnlQuery>,
) -> Result<Response, AppError> {
    let period = period_of(&ScopeQuery {
        shop: None,
        period: q.period,
        from: q.from,
        to: q.to,
        compare: None,
    })?;
    let pnl = shops_pnl(
        &state,
        &user,
        period,
        q.currency.as_deref(),
        q.rates.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(shop_json(pnl.currency, &*pnl))
}
