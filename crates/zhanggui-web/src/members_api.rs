//! The members API: segments, cohorts and the win-back list of a shop, saved segments with
//! their size, a filter's size while it is typed, and a segment's export.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::api::{csrf, shop_json, ViewObject};
use crate::auth::{ApiUser, Right};
use crate::error::{AppError, ErrorBody};
use crate::export::file_of;
use crate::pages::import::ShopQuery;
use crate::remote::Remote;
use crate::state::AppState;
use crate::views::members::{self, PreviewView, SegmentView};
use crate::views::scope::shop_for;
use zhanggui_analytics::members::value::Options;

/// The eight RFM segments, cohorts, repeat rates by first category and the win-back list
/// (buyer ids are pseudonyms without the personal-data right).
#[utoipa::path(get, path = "/api/v1/members", tag = "members", params(ShopQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ShopQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::ViewMembers).await?;
    let view = members::view(&state, &user, &shop).await?;
    Ok(shop_json(shop.currency, &view))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValueQuery {
    /// The shop's name [default: the first shop the user may see members of]
    pub shop: Option<String>,
    /// Months of lifetime value [default: 12]
    pub months: Option<u32>,
    /// Discount rate per month [default: 0.01]
    pub discount: Option<f64>,
    /// bgnbd or pareto [default: bgnbd]
    pub model: Option<String>,
    /// Buyers listed, by lifetime value [default: 100]
    pub limit: Option<usize>,
}

/// The fitted models and every buyer's probability active, expected orders, expected order
/// value and lifetime value (as `zhanggui members clv --json`), or why the history is too
/// short for a fit.
#[utoipa::path(get, path = "/api/v1/members/value", tag = "members", params(ValueQuery),
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn value(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ValueQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::ViewMembers).await?;
    let discount = q.discount.unwrap_or(0.01);
    if !(0.0..1.0).contains(&discount) {
        return Err(AppError::BadRequest(
            "discount: a rate per month from 0 to 1".into(),
        ));
    }
    let options = Options {
        horizon_months: q.months.unwrap_or(12).clamp(1, 120),
        monthly_discount: discount,
        model: members::model_of(q.model.as_deref())?,
        horizon_weeks: None,
    };
    let limit = q.limit.unwrap_or(100);
    let value = members::value(&state, &user, &shop, options, limit).await?;
    Ok(shop_json(shop.currency, &value))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberDayQuery {
    /// The shop's name [default: the first shop the user may see members of]
    pub shop: Option<String>,
    /// The member day: mon, tue, wed, thu, fri, sat or sun
    #[serde(default)]
    pub weekday: String,
    /// The day the member day started (YYYY-MM-DD)
    #[serde(default)]
    pub since: String,
    /// Weeks compared on each side [default: 12]
    pub weeks: Option<i64>,
}

/// Did a weekly member day (会员日) change visitors, paying buyers and sales, and by how
/// much: each metric's lift with its 95 % interval.
#[utoipa::path(get, path = "/api/v1/members/memberday", tag = "members", params(MemberDayQuery),
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn member_day(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<MemberDayQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::ViewMembers).await?;
    let m =
        members::member_day_of(&state, &shop, &q.weekday, &q.since, q.weeks.unwrap_or(12)).await?;
    Ok(Json(m).into_response())
}

/// The shop's saved segments with their size now.
#[utoipa::path(get, path = "/api/v1/segments", tag = "members", params(ShopQuery),
    responses((status = 200, body = Vec<SegmentView>), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ShopQuery>,
) -> Result<Json<Vec<SegmentView>>, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::ViewMembers).await?;
    Ok(Json(members::saved(&state, &shop).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// The shop's name [default: the first shop the user may see members of]
    pub shop: Option<String>,
    /// The filter, e.g. `r >= 4 and p_alive < 0.5`
    #[serde(default)]
    pub filter: String,
}

/// How many members a filter selects (for a live count while it is typed). A filter that
/// is not well formed is a 400 saying where and why.
#[utoipa::path(get, path = "/api/v1/segments/preview", tag = "members", params(PreviewQuery),
    responses((status = 200, body = PreviewView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn preview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<PreviewQuery>,
) -> Result<Json<PreviewView>, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::ViewMembers).await?;
    Ok(Json(members::preview(&state, &shop, &q.filter).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SegmentRequest {
    pub name: String,
    pub filter: String,
}

/// Saves a segment under a name (replacing one of the same name).
#[utoipa::path(post, path = "/api/v1/segments", tag = "members", params(ShopQuery),
    request_body = SegmentRequest,
    responses((status = 201, body = PreviewView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn save(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    Json(body): Json<SegmentRequest>,
) -> Result<Response, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    members::save(&state, &user, &shop, &body.name, &body.filter, remote).await?;
    let size = members::preview(&state, &shop, &body.filter).await?;
    Ok((StatusCode::CREATED, Json(size)).into_response())
}

/// Deletes a saved segment.
#[utoipa::path(delete, path = "/api/v1/segments/{name}", tag = "members",
    params(("name" = String, Path, description = "the segment's name"), ShopQuery),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<ShopQuery>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    members::delete(&state, &user, &shop, &name, remote).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SegmentExportQuery {
    /// The shop's name [default: the first shop the user may see members of]
    pub shop: Option<String>,
    /// csv or xlsx [default: csv]
    pub format: Option<String>,
}

/// A saved segment's members for a re-marketing tool: buyer id, last order, orders, spend,
/// segment, RFM scores, probability active and predicted value. Buyer ids and regions only
/// with the personal-data right (pseudonyms otherwise); every export is audited.
#[utoipa::path(get, path = "/api/v1/segments/{name}/export", tag = "members",
    params(("name" = String, Path, description = "the segment's name"), SegmentExportQuery),
    responses((status = 200, description = "the file"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    Path(name): Path<String>,
    Query(q): Query<SegmentExportQuery>,
) -> Result<Response, AppError> {
    export_file(&state, &user, &name, &q, remote).await
}

/// The download itself, shared with the page route.
pub async fn export_file(
    state: &AppState,
    user: &crate::auth::CurrentUser,
    name: &str,
    q: &SegmentExportQuery,
    remote: Option<String>,
) -> Result<Response, AppError> {
    let shop = shop_for(state, user, q.shop.as_deref(), Right::ViewMembers).await?;
    let sheet = members::export(state, user, &shop, name, remote).await?;
    let stem = format!("segment-{}-{name}", shop.name);
    file_of(&[sheet], "segment", &stem, q.format.as_deref())
}
