//! The promotion API: a shop's ad report over a period (as `zhanggui ads report --json`),
//! grouped by plan, creative, product, plan-day or tool, with each plan's CTR by day; and
//! the shop's creative tests read out with their verdicts.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use zhanggui_analytics::promotion::report::parse_by;
use zhanggui_storage::AdBy;

use crate::api::{shop_json, ViewObject};
use crate::auth::{ApiUser, Right};
use crate::error::{AppError, ErrorBody};
use crate::state::AppState;
use crate::views::promotion::ads_view;
use crate::views::scope::{resolve, ScopeQuery};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdsQuery {
    /// The shop's name [default: the first shop the user may see the profit of]
    pub shop: Option<String>,
    /// today, 7d, 30d, month or custom [default: 30d]
    pub period: Option<String>,
    /// First day of a custom period (YYYY-MM-DD)
    pub from: Option<String>,
    /// Last day of a custom period (YYYY-MM-DD)
    pub to: Option<String>,
    /// campaign, creative, product, day or tool [default: campaign]
    pub by: Option<String>,
}

/// `{report, trends, tests}`: the report (`tools` and `rows` with spend, impressions,
/// clicks, CTR, CPC, orders, sales, CVR, ROI, cost per add-to-cart and visitor value;
/// each row's `break_even_roi`, `roi_low`/`roi_high` from its counts, `profit_roi` and
/// `standing`; `moves` between plans, `split` across tools by goal, the `margin` and where
/// it came from, `notes`), each plan's CTR per day (`trends`), and the tests as
/// `/api/v1/abtests` gives them. Money as decimals in the shop's currency.
#[utoipa::path(get, path = "/api/v1/ads", tag = "promotion", params(AdsQuery),
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn ads(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AdsQuery>,
) -> Result<Response, AppError> {
    let by = match q.by.as_deref() {
        None => AdBy::Campaign,
        Some(b) => parse_by(b).ok_or_else(|| {
            AppError::BadRequest(format!("by={b}: campaign, creative, product, day or tool"))
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
    let view = ads_view(&state, &scope, by).await?;
    Ok(shop_json(scope.shop.currency, &*view))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TestsQuery {
    /// The shop's name [default: the first shop the user may see the profit of]
    pub shop: Option<String>,
}

/// The shop's creative tests, each `{test, readout, sources, missing, verdict_text}`: the
/// arms with their units, successes, rate or mean and its interval, the difference from
/// the first arm with its interval, p-value and probability of being better; the
/// sample-ratio check; the verdict (`no_data`, `sample_ratio_mismatch`, `running` until
/// the fixed horizon, `winner`, `no_difference`). Arms read from ad reports are current.
#[utoipa::path(get, path = "/api/v1/abtests", tag = "promotion", params(TestsQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn abtests(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<TestsQuery>,
) -> Result<Response, AppError> {
    let scope_q = ScopeQuery {
        shop: q.shop,
        period: None,
        from: None,
        to: None,
        compare: None,
    };
    let scope = resolve(&state, &user, &scope_q, Right::ViewProfit).await?;
    let view = ads_view(&state, &scope, AdBy::Campaign).await?;
    Ok(shop_json(scope.shop.currency, &view.tests))
}
