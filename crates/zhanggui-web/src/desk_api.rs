//! The customer-service desk's API: reply scripts (search, fill), answer suggestions,
//! reviews (list, metrics, follow-up records) and order follow-up tasks.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::api::{csrf, shop_json, ViewObject};
use crate::auth::{ApiUser, Right};
use crate::error::{AppError, ErrorBody};
use crate::pages::import::ShopQuery;
use crate::state::AppState;
use crate::views::desk::{self, AnswerHit, ScriptHit};
use crate::views::scope::shop_for;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScriptQuery {
    /// The shop's name [default: the first shop the user may use the desk of]
    pub shop: Option<String>,
    /// What to look for: Chinese, pinyin (`tuihuo`), initials (`fh`), a shortcut; empty
    /// lists the user's most used scripts
    #[serde(default)]
    pub q: String,
    /// At most this many [default: 20]
    pub limit: Option<usize>,
}

/// The reply scripts the user may see (public, their departments', their own), best first.
#[utoipa::path(get, path = "/api/v1/scripts", tag = "desk", params(ScriptQuery),
    responses((status = 200, body = Vec<ScriptHit>), (status = 403, body = ErrorBody)))]
pub async fn scripts(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ScriptQuery>,
) -> Result<Json<Vec<ScriptHit>>, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    let limit = q.limit.unwrap_or(20).clamp(1, 200);
    Ok(Json(
        desk::scripts(&state, &user, &shop, &q.q, limit).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FillRequest {
    /// The order whose buyer, title, courier, tracking number and city fill the variables
    pub order_no: Option<String>,
    /// Values by variable name (`买家昵称`), over what the order gives
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// A script's text with its variables filled; counts a use by the user. A variable without
/// a value is a 400 naming it, never a blank.
#[utoipa::path(post, path = "/api/v1/scripts/{id}/fill", tag = "desk",
    params(("id" = i64, Path, description = "the script's id"), ShopQuery),
    request_body = FillRequest,
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn fill(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ShopQuery>,
    Json(body): Json<FillRequest>,
) -> Result<Response, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound(format!("no script {id}")))?;
    let text = desk::fill(&state, &user, &shop, id, body.order_no, body.values).await?;
    Ok(Json(serde_json::json!({ "id": id, "text": text })).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AskQuery {
    /// The shop's name [default: the first shop the user may use the desk of]
    pub shop: Option<String>,
    /// The buyer's question
    #[serde(default)]
    pub q: String,
}

/// The knowledge base's three best answers to a buyer's question, with their scores.
#[utoipa::path(get, path = "/api/v1/knowledge/suggest", tag = "desk", params(AskQuery),
    responses((status = 200, body = Vec<AnswerHit>), (status = 403, body = ErrorBody)))]
pub async fn suggest(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<AskQuery>,
) -> Result<Json<Vec<AnswerHit>>, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    Ok(Json(desk::answers(&state, &shop, &q.q).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// The shop's name [default: the first shop the user may use the desk of]
    pub shop: Option<String>,
    /// Only open alerts (bad and medium reviews not dealt with)
    #[serde(default)]
    pub alerts: bool,
    /// At most this many, newest first [default: 50]
    pub limit: Option<usize>,
}

/// Reviews, newest first: each with its DSR reading (goods, service, logistics), whether it
/// is an open alert, its follow-up, and for bad and medium ones the reply scripts that fit
/// (`suggested`) with their texts filled for the review's order (`replies`).
#[utoipa::path(get, path = "/api/v1/reviews", tag = "desk", params(ReviewQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn reviews(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    let limit = q.limit.unwrap_or(50).clamp(1, 1000);
    let reviews = desk::reviews(&state, &user, &shop, q.alerts, limit).await?;
    Ok(shop_json(shop.currency, &reviews))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MetricsQuery {
    /// The shop's name [default: the first shop the user may use the desk of]
    pub shop: Option<String>,
    /// The last N days of reviews [default: all]
    pub days: Option<i64>,
}

/// Bad- and medium-review rates, time to first contact, share of bad reviews changed, open
/// alerts, compensation offered, complaints per DSR dimension.
#[utoipa::path(get, path = "/api/v1/reviews/metrics", tag = "desk", params(MetricsQuery),
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn metrics(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<MetricsQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    if q.days.is_some_and(|d| d < 1) {
        return Err(AppError::BadRequest("days: at least 1".into()));
    }
    let metrics = desk::review_metrics(&state, &shop, q.days).await?;
    Ok(shop_json(shop.currency, &metrics))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ActionRequest {
    /// contact, compensation, note; or an outcome that ends the follow-up: changed,
    /// replied, closed
    pub action: String,
    /// Compensation offered, in the shop's currency ("20" or "20.50")
    pub amount: Option<String>,
    pub note: Option<String>,
}

/// Adds an entry to a review's follow-up record (by the user, now).
#[utoipa::path(post, path = "/api/v1/reviews/{id}/actions", tag = "desk",
    params(("id" = String, Path, description = "the review's id"), ShopQuery),
    request_body = ActionRequest,
    responses((status = 201), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn follow(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ShopQuery>,
    Json(body): Json<ActionRequest>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    desk::follow_review(
        &state,
        &user,
        &shop,
        &id,
        &body.action,
        body.amount.as_deref(),
        body.note,
    )
    .await?;
    Ok(StatusCode::CREATED)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// The shop's name [default: the first shop the user may use the desk of]
    pub shop: Option<String>,
    /// Also the tasks marked done
    #[serde(default)]
    pub all: bool,
}

/// Order follow-ups at the shop's last order: unshipped after 24/48 hours, tracking stalled
/// for 48 hours, unpaid inside the reminder window, buyer requests; each with its owner and
/// the message to send, filled for the order.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "desk", params(TaskQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn tasks(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<TaskQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    Ok(Json(desk::tasks(&state, &shop, q.all).await?).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TaskRequest {
    /// unshipped, unshipped_late, tracking_stalled, unpaid or request
    pub kind: String,
    pub order_no: String,
    /// Give the task to this user (kept when absent)
    pub owner: Option<String>,
    /// Whether it is done [default: false]
    #[serde(default)]
    pub done: bool,
}

/// Gives a task to a user and/or marks it done.
#[utoipa::path(post, path = "/api/v1/tasks", tag = "desk", params(ShopQuery),
    request_body = TaskRequest,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_task(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    Json(body): Json<TaskRequest>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    desk::set_task(
        &state,
        &user,
        &shop,
        &body.kind,
        &body.order_no,
        body.owner,
        body.done,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
