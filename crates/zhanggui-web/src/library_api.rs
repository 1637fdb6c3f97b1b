//! The desk's changes through the API: scripts added, edited, deleted, their versions and
//! restore, the library's export and import, and review and tracking files imported.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use crate::api::{csrf, ViewObject};
use crate::auth::{ApiUser, Right};
use crate::error::{AppError, ErrorBody};
use crate::pages::import::ShopQuery;
use crate::state::AppState;
use crate::views::desk_library::{self, Saved, ScriptInput, SideImport};
use crate::views::scope::shop_for;

fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("no script {raw}")))
}

/// Adds a script (public and department ones by managers; anyone their personal ones).
#[utoipa::path(post, path = "/api/v1/scripts", tag = "desk", params(ShopQuery),
    request_body = ScriptInput,
    responses((status = 201, body = Saved), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    Json(body): Json<ScriptInput>,
) -> Result<Response, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    let saved = desk_library::save(&state, &user, &shop, None, body).await?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// Saves a script's next version with these fields.
#[utoipa::path(put, path = "/api/v1/scripts/{id}", tag = "desk",
    params(("id" = i64, Path, description = "the script's id"), ShopQuery),
    request_body = ScriptInput,
    responses((status = 200, body = Saved), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ShopQuery>,
    Json(body): Json<ScriptInput>,
) -> Result<Json<Saved>, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    Ok(Json(
        desk_library::save(&state, &user, &shop, Some(id_of(&id)?), body).await?,
    ))
}

/// Deletes a script (kept as a version; restore brings it back).
#[utoipa::path(delete, path = "/api/v1/scripts/{id}", tag = "desk",
    params(("id" = i64, Path, description = "the script's id"), ShopQuery),
    responses((status = 200, body = Saved), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ShopQuery>,
) -> Result<Json<Saved>, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    Ok(Json(
        desk_library::delete(&state, &user, &shop, id_of(&id)?).await?,
    ))
}

/// Every version of a script, oldest first, with who saved it and when.
#[utoipa::path(get, path = "/api/v1/scripts/{id}/versions", tag = "desk",
    params(("id" = i64, Path, description = "the script's id"), ShopQuery),
    responses((status = 200, body = ViewObject), (status = 404, body = ErrorBody)))]
pub async fn versions(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<String>,
    Query(q): Query<ShopQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    Ok(Json(desk_library::versions(&state, &user, &shop, id_of(&id)?).await?).into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RestoreRequest {
    pub version: i32,
}

/// Saves an earlier version's content as the script's next version.
#[utoipa::path(post, path = "/api/v1/scripts/{id}/restore", tag = "desk",
    params(("id" = i64, Path, description = "the script's id"), ShopQuery),
    request_body = RestoreRequest,
    responses((status = 200, body = Saved), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<ShopQuery>,
    Json(body): Json<RestoreRequest>,
) -> Result<Json<Saved>, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    Ok(Json(
        desk_library::restore(&state, &user, &shop, id_of(&id)?, body.version).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The shop's name [default: the first shop the user may use the desk of]
    pub shop: Option<String>,
    /// csv or xlsx [default: csv]
    pub format: Option<String>,
}

/// The scripts the user may see, in the library's export columns (CSV with a BOM, or XLSX).
#[utoipa::path(get, path = "/api/v1/scripts/export", tag = "desk", params(ExportQuery),
    responses((status = 200, description = "the file"), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    let xlsx = match q.format.as_deref().unwrap_or("csv") {
        "csv" => false,
        "xlsx" => true,
        other => {
            return Err(AppError::BadRequest(format!(
                "format: `{other}` is not csv or xlsx"
            )))
        }
    };
    let bytes = desk_library::export(&state, &user, &shop, xlsx).await?;
    let (ct, ext) = if xlsx {
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        ("text/csv; charset=utf-8", "csv")
    };
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"scripts.{ext}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The shop's name [default: the first shop the user may use the desk of]
    pub shop: Option<String>,
    /// Apply the rows that would change an existing script
    #[serde(default)]
    pub replace: bool,
    /// Report only, save nothing
    #[serde(default)]
    pub dry_run: bool,
}

/// Imports a library file (the body: CSV in the export's columns). Never overwrites
/// silently: the report lists new, unchanged, duplicate, conflicting and rejected rows.
#[utoipa::path(post, path = "/api/v1/scripts/import", tag = "desk", params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<Response, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| AppError::BadRequest("the library file must be UTF-8 CSV".into()))?;
    let report = desk_library::import(&state, &user, &shop, text, q.replace, q.dry_run).await?;
    Ok(Json(report).into_response())
}

/// Imports a review export (the body: the file, CSV or XLSX, GBK or UTF-8); bad and medium
/// reviews become alerts.
#[utoipa::path(post, path = "/api/v1/reviews/import", tag = "desk", params(ShopQuery),
    request_body(content = String, content_type = "application/octet-stream"),
    responses((status = 200, body = SideImport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import_reviews(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    body: Bytes,
) -> Result<Json<SideImport>, AppError> {
    import_side(state, user, headers, q, body, true).await
}

/// Imports a tracking export (one row per parcel event) for the tracking-stalled tasks.
#[utoipa::path(post, path = "/api/v1/tracking/import", tag = "desk", params(ShopQuery),
    request_body(content = String, content_type = "application/octet-stream"),
    responses((status = 200, body = SideImport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn import_tracking(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    body: Bytes,
) -> Result<Json<SideImport>, AppError> {
    import_side(state, user, headers, q, body, false).await
}

/// A review (`reviews`) or tracking file sent as the body, imported.
async fn import_side(
    state: AppState,
    user: crate::auth::CurrentUser,
    headers: HeaderMap,
    q: ShopQuery,
    body: Bytes,
    reviews: bool,
) -> Result<Json<SideImport>, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::UseDesk).await?;
    Ok(Json(
        desk_library::import_side(&state, &shop, body.to_vec(), reviews).await?,
    ))
}
