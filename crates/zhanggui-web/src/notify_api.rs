//! Notification rules, sending and the delivery log through the API (right
//! `edit_settings`: rules hold the robots' secrets).

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::api::{csrf, ViewObject};
use crate::auth::{ApiUser, Right};
use crate::error::{AppError, ErrorBody};
use crate::pages::import::ShopQuery;
use crate::state::AppState;
use crate::views::notify::{self, RuleInput, RunOutcome};
use crate::views::scope::shop_for;

/// The shop's notification rules (secrets are never shown).
#[utoipa::path(get, path = "/api/v1/notify/rules", tag = "desk", params(ShopQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn rules(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ShopQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    Ok(Json(notify::rules(&state, &shop).await?).into_response())
}

/// Adds or replaces a rule.
#[utoipa::path(post, path = "/api/v1/notify/rules", tag = "desk", params(ShopQuery),
    request_body = RuleInput,
    responses((status = 201), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn save_rule(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    Json(body): Json<RuleInput>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    notify::save_rule(&state, &shop, notify::rule_of(body)?).await?;
    Ok(StatusCode::CREATED)
}

/// Removes a rule.
#[utoipa::path(delete, path = "/api/v1/notify/rules/{name}", tag = "desk",
    params(("name" = String, Path, description = "the rule's name"), ShopQuery),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_rule(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(q): Query<ShopQuery>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    notify::delete_rule(&state, &shop, &name).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends every alert not yet delivered by each rule (three attempts each); the attempts go
/// to the delivery log.
#[utoipa::path(post, path = "/api/v1/notify/run", tag = "desk", params(ShopQuery),
    responses((status = 200, body = RunOutcome), (status = 403, body = ErrorBody)))]
pub async fn run(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
) -> Result<Json<RunOutcome>, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    Ok(Json(notify::run(&state, &shop).await?))
}

/// Every delivery attempt, oldest first.
#[utoipa::path(get, path = "/api/v1/notify/log", tag = "desk", params(ShopQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn log(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ShopQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    Ok(Json(notify::log(&state, &shop).await?).into_response())
}
