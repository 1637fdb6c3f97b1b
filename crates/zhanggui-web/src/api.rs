//! The JSON API under `/api/v1`: everything the pages show and do, from the same views and
//! operations. Authenticated by the session cookie (state-changing calls then carry the
//! session's CSRF token in `X-CSRF-Token`) or by `Authorization: Bearer zg_...`. Errors
//! have one shape, `{"error": {"code", "message"}}`.

use std::collections::BTreeMap;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use zhanggui_domain::metrics::METRICS;
use zhanggui_domain::money_json::InCurrency;
use zhanggui_domain::{Currency, Shop};
use zhanggui_storage::{AccountStore, Store};

use crate::admin::{self, NewToken, ThresholdView, UserView};
use crate::auth::user::Credential;
use crate::auth::{session, ApiUser, CurrentUser, Right, Role};
use crate::error::{AppError, ErrorBody};
use crate::login::{sign_in, sign_out};
use crate::pages::import::{job_for, rejects_response, ShopQuery};
use crate::remote::Remote;
use crate::state::AppState;
use crate::upload;
use crate::views::scope::{resolve, shop_for, ScopeQuery};
use crate::views::{diagnosis, overview, products, traffic};

/// The header that carries the CSRF token of a session.
pub const CSRF_HEADER: &str = "x-csrf-token";

pub(crate) fn csrf(headers: &HeaderMap) -> Option<&str> {
    headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok())
}

/// A shop's result as JSON, its money in the shop's currency (`{"amount": 1234.5,
/// "currency": "CNY"}`): every API answer that carries money is made here.
pub(crate) fn shop_json<T: Serialize + ?Sized>(currency: Currency, value: &T) -> Response {
    Json(InCurrency(currency, value)).into_response()
}

/// An amount of money in JSON: a decimal in the currency's unit, the currency named.
#[derive(utoipa::ToSchema)]
#[schema(as = Money, example = json!({"amount": 1509496.33, "currency": "CNY"}))]
pub struct MoneySchema {
    /// A decimal in the currency's unit (yuan, dollars), never minor units.
    pub amount: f64,
    /// ISO 4217 code.
    pub currency: String,
}

/// Any JSON object; its fields are described in docs/web.md.
pub struct ViewObject;

impl utoipa::PartialSchema for ViewObject {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Object)
            .description(Some(
                "a view; its fields are listed in docs/web.md. Every amount of money in it is a Money object: {\"amount\": a decimal in the currency's unit, \"currency\": the ISO 4217 code}",
            ))
            .build()
            .into()
    }
}

impl utoipa::ToSchema for ViewObject {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("ViewObject")
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i32,
    pub login: String,
    pub display_name: String,
    pub is_owner: bool,
    pub language: String,
    /// Role per shop name.
    pub roles: BTreeMap<String, Role>,
    /// Send in `X-CSRF-Token` with state-changing calls made with the session cookie.
    pub csrf: String,
}

async fn me_of(state: &AppState, user: &CurrentUser) -> Result<Me, AppError> {
    let shops = state.shops().await?;
    Ok(Me {
        id: user.user.id,
        login: user.user.login.clone(),
        display_name: user.user.display_name.clone(),
        is_owner: user.user.is_owner,
        language: user.user.language.clone(),
        roles: shops
            .iter()
            .filter_map(|s| user.role_in(s.id).map(|r| (s.name.to_string(), r)))
            .collect(),
        csrf: user.csrf().to_owned(),
    })
}

/// Signs in with a login and password; sets the session cookie.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    Remote(remote): Remote,
    Json(req): Json<LoginRequest>,
) -> Result<Response, AppError> {
    let s = sign_in(&state, &req.login, &req.password, remote).await?;
    let id = s.user.id;
    let roles = state.db.read(move |st| Ok(st.grants_of(id)?)).await?;
    let user = CurrentUser {
        roles: roles
            .into_iter()
            .filter_map(|g| Role::parse(&g.role).map(|r| (g.shop_id, r)))
            .collect(),
        user: s.user,
        credential: Credential::Session {
            token_sha256: session::digest(&s.token),
            csrf: s.csrf,
        },
    };
    let me = me_of(&state, &user).await?;
    Ok((
        [(
            header::SET_COOKIE,
            session::set_cookie(&s.token, state.secure_cookies),
        )],
        Json(me),
    )
        .into_response())
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    user.check_csrf(csrf(&headers))?;
    if let Credential::Session { token_sha256, .. } = &user.credential {
        sign_out(&state, token_sha256.clone()).await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        [(
            header::SET_COOKIE,
            session::clear_cookie(state.secure_cookies),
        )],
    )
        .into_response())
}

/// Who is signed in, their roles and the session's CSRF token.
#[utoipa::path(get, path = "/api/v1/me", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Me>, AppError> {
    Ok(Json(me_of(&state, &user).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LanguageRequest {
    /// zh or en
    pub language: String,
}

/// Chooses the language of the pages for this user.
#[utoipa::path(put, path = "/api/v1/me/language", tag = "session", request_body = LanguageRequest,
    responses((status = 204), (status = 400, body = ErrorBody)))]
pub async fn language(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Json(req): Json<LanguageRequest>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    let code = match req.language.trim() {
        "zh" => "zh",
        "en" => "en",
        other => {
            return Err(AppError::BadRequest(format!(
                "`{other}` is not a language: write zh or en"
            )))
        }
    };
    let id = user.user.id;
    state
        .db
        .read(move |s| Ok(s.set_language(id, code)?))
        .await?;
    state.accounts.forget_accounts();
    crate::login::audit(&state, &user.user, "language", None, code.into(), remote).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ShopView {
    pub id: i32,
    pub name: String,
    pub platform: String,
    pub currency: String,
    pub timezone: String,
    pub role: Role,
}

fn shop_view(s: &Shop, role: Role) -> ShopView {
    ShopView {
        id: s.id.0,
        name: s.name.to_string(),
        platform: s.platform.as_str().into(),
        currency: s.currency.code().into(),
        timezone: s.timezone.name().into(),
        role,
    }
}

/// The shops the user has a role in.
#[utoipa::path(get, path = "/api/v1/shops", tag = "shops",
    responses((status = 200, body = Vec<ShopView>), (status = 401, body = ErrorBody)))]
pub async fn shops(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<ShopView>>, AppError> {
    let shops = state.shops().await?;
    Ok(Json(
        shops
            .iter()
            .filter_map(|s| user.role_in(s.id).map(|r| shop_view(s, r)))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewShopRequest {
    pub name: String,
    /// taobao, tmall, jd, pdd, douyin, 1688, shopify or generic
    pub platform: String,
}

/// Adds a shop (owners).
#[utoipa::path(post, path = "/api/v1/shops", tag = "shops", request_body = NewShopRequest,
    responses((status = 201, body = ShopView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_shop(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Json(req): Json<NewShopRequest>,
) -> Result<(StatusCode, Json<ShopView>), AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = admin::add_shop(&state, &user, &req.name, &req.platform, remote).await?;
    Ok((StatusCode::CREATED, Json(shop_view(&shop, Role::Owner))))
}

/// The overview: KPI cards against 环比/同比 and the peer tier, the trend, top findings.
#[utoipa::path(get, path = "/api/v1/overview", tag = "reports", params(ScopeQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ScopeQuery>,
) -> Result<Response, AppError> {
    let scope = resolve(&state, &user, &q, Right::ViewReports).await?;
    let o = overview::overview(&state, &scope).await?;
    Ok(shop_json(scope.shop.currency, &*o))
}

/// Every finding, ranked, with the metrics each rule reads and the split of the change.
#[utoipa::path(get, path = "/api/v1/diagnosis", tag = "reports", params(ScopeQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn diagnosis(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ScopeQuery>,
) -> Result<Response, AppError> {
    let scope = resolve(&state, &user, &q, Right::ViewReports).await?;
    let d = diagnosis::diagnosis(&state, &scope).await?;
    Ok(shop_json(scope.shop.currency, &d))
}

/// Every product with its sales, traffic and conversion.
#[utoipa::path(get, path = "/api/v1/products", tag = "reports", params(ScopeQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn products(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ScopeQuery>,
) -> Result<Response, AppError> {
    let scope = resolve(&state, &user, &q, Right::ViewProducts).await?;
    let p = products::products(&state, &scope).await?;
    Ok(shop_json(scope.shop.currency, &*p))
}

/// One product: its numbers, its days and its findings.
#[utoipa::path(get, path = "/api/v1/products/{code}", tag = "reports",
    params(("code" = String, Path, description = "the product's code"), ScopeQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn product(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(code): Path<String>,
    Query(q): Query<ScopeQuery>,
) -> Result<Response, AppError> {
    let scope = resolve(&state, &user, &q, Right::ViewProducts).await?;
    let p = products::product(&state, &scope, &code).await?;
    Ok(shop_json(scope.shop.currency, &p))
}

/// Traffic sources, free and paid, conversion and UV value per source, visitors by day.
#[utoipa::path(get, path = "/api/v1/traffic", tag = "reports", params(ScopeQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn traffic(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ScopeQuery>,
) -> Result<Response, AppError> {
    let scope = resolve(&state, &user, &q, Right::ViewReports).await?;
    let t = traffic::traffic(&state, &scope).await?;
    Ok(shop_json(scope.shop.currency, &*t))
}

/// The metric dictionary.
#[utoipa::path(get, path = "/api/v1/metrics", tag = "reports",
    responses((status = 200, body = ViewObject), (status = 401, body = ErrorBody)))]
pub async fn metrics(ApiUser(_user): ApiUser) -> Json<Value> {
    Json(json!(METRICS
        .iter()
        .map(|d| json!({
            "id": d.id, "zh": d.zh, "en": d.en, "definition": d.definition,
            "formula": d.formula_text(), "states": d.states, "unit": d.unit,
            "higher_is_better": d.higher_is_better,
        }))
        .collect::<Vec<_>>()))
}

/// The shop's import history and the imports started since the server started.
#[utoipa::path(get, path = "/api/v1/imports", tag = "imports", params(ShopQuery),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn imports(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ShopQuery>,
) -> Result<Json<Value>, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::Import).await?;
    let jobs = state.jobs.of_shop(shop.id);
    let history = state.db.read(move |s| Ok(s.imports(&shop)?)).await?;
    Ok(Json(json!({ "history": history, "jobs": jobs })))
}

/// Uploads export files (multipart, one or more `file` fields, optional `format`) and
/// starts importing them; poll the job for progress.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", params(ShopQuery),
    request_body(content_type = "multipart/form-data", description = "`file` fields, optional `format`"),
    responses((status = 202, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn upload(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    form: Multipart,
) -> Result<(StatusCode, Json<Value>), AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::Import).await?;
    let header_csrf = csrf(&headers).map(str::to_owned);
    let id = upload::receive(&state, &user, shop, form, header_csrf, remote).await?;
    let job = state.jobs.get(id);
    Ok((StatusCode::ACCEPTED, Json(json!({ "job": job }))))
}

/// One import job: each file's progress and, when done, its import report.
#[utoipa::path(get, path = "/api/v1/imports/jobs/{id}", tag = "imports",
    params(("id" = u64, Path, description = "the job")),
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn job(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<u64>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(job_for(&state, &user, id).await?)))
}

/// The rows of one file of a job that were refused, as CSV with the reason per row.
#[utoipa::path(get, path = "/api/v1/imports/jobs/{id}/rejects/{file}", tag = "imports",
    params(("id" = u64, Path, description = "the job"), ("file" = usize, Path, description = "the file's position in the job, from 0")),
    responses((status = 200, description = "CSV"), (status = 404, body = ErrorBody)))]
pub async fn rejects(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path((id, file)): Path<(u64, usize)>,
) -> Result<Response, AppError> {
    rejects_response(&state, &user, id, file).await
}

/// The shop's diagnosis thresholds.
#[utoipa::path(get, path = "/api/v1/settings/thresholds", tag = "settings", params(ShopQuery),
    responses((status = 200, body = Vec<ThresholdView>), (status = 403, body = ErrorBody)))]
pub async fn thresholds(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<ShopQuery>,
) -> Result<Json<Vec<ThresholdView>>, AppError> {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    Ok(Json(admin::thresholds(&state, &shop).await?))
}

/// Changes thresholds: `{"alpha": "0.01", ...}`.
#[utoipa::path(put, path = "/api/v1/settings/thresholds", tag = "settings", params(ShopQuery),
    request_body = BTreeMap<String, String>,
    responses((status = 200, body = Vec<ThresholdView>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_thresholds(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Query(q): Query<ShopQuery>,
    Json(values): Json<BTreeMap<String, String>>,
) -> Result<Json<Vec<ThresholdView>>, AppError> {
    user.check_csrf(csrf(&headers))?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    admin::set_thresholds(&state, &user, &shop, values, remote).await?;
    Ok(Json(admin::thresholds(&state, &shop).await?))
}

/// Every user with their roles (owners).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = Vec<UserView>), (status = 403, body = ErrorBody)))]
pub async fn users(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Vec<UserView>>, AppError> {
    Ok(Json(admin::users(&state, &user).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewUserRequest {
    pub login: String,
    pub display_name: Option<String>,
    pub password: String,
}

/// Adds a user (owners); roles are granted per shop afterwards.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserRequest,
    responses((status = 201, body = ViewObject), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_user(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Json(req): Json<NewUserRequest>,
) -> Result<(StatusCode, Json<Value>), AppError> {
    user.check_csrf(csrf(&headers))?;
    let u = admin::add_user(
        &state,
        &user,
        &req.login,
        req.display_name.as_deref().unwrap_or(""),
        &req.password,
        remote,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(json!(u))))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct GrantRequest {
    pub shop: String,
    /// director, manager, assistant or agent; null takes the role away
    pub role: Option<String>,
}

/// Gives a user a role in a shop, or takes it away (owners).
#[utoipa::path(put, path = "/api/v1/users/{id}/roles", tag = "users", request_body = GrantRequest,
    params(("id" = i32, Path, description = "the user")),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Path(id): Path<i32>,
    Json(req): Json<GrantRequest>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    user.require_owner()?;
    let shop = shop_for(&state, &user, Some(&req.shop), Right::ViewProducts).await?;
    let role = match req.role.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) => {
            Some(Role::parse(r).ok_or_else(|| AppError::BadRequest(format!("no role `{r}`")))?)
        }
    };
    admin::set_grant(&state, &user, id, &shop, role, remote).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The user's API tokens (names and dates, never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "tokens",
    responses((status = 200, body = ViewObject), (status = 401, body = ErrorBody)))]
pub async fn tokens(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, AppError> {
    Ok(Json(json!(admin::tokens(&state, &user).await?)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TokenRequest {
    pub name: String,
}

/// Creates an API token; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "tokens", request_body = TokenRequest,
    responses((status = 201, body = NewToken), (status = 400, body = ErrorBody)))]
pub async fn add_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Json(req): Json<TokenRequest>,
) -> Result<(StatusCode, Json<NewToken>), AppError> {
    user.check_csrf(csrf(&headers))?;
    Ok((
        StatusCode::CREATED,
        Json(admin::create_token(&state, &user, &req.name, remote).await?),
    ))
}

/// Revokes one of the user's API tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "tokens",
    params(("id" = i32, Path, description = "the token")),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Remote(remote): Remote,
    headers: HeaderMap,
    Path(id): Path<i32>,
) -> Result<StatusCode, AppError> {
    user.check_csrf(csrf(&headers))?;
    admin::revoke_token(&state, &user, id, remote).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The audit log, newest first (owners).
#[utoipa::path(get, path = "/api/v1/audit", tag = "users",
    responses((status = 200, body = ViewObject), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
) -> Result<Json<Value>, AppError> {
    user.require_owner()?;
    let entries = state
        .db
        .read(|s| Ok(s.audit_log(None, crate::pages::admin::AUDIT_ROWS)?))
        .await?;
    Ok(Json(json!(entries)))
}

/// Any other path under /api/v1.
pub async fn not_found() -> AppError {
    AppError::NotFound("no such API route; see /api/v1/openapi.json".into())
}
