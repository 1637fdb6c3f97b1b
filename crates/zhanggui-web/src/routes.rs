//! Every route of the server in one table: the pages, the exports, the API and the static
//! files, each with who may use it. The router is built from here and the authorization
//! tests walk the same list.

use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{delete, get, post, put};
use axum::Router;

use crate::auth::Right;
use crate::state::AppState;
use crate::{api, export, openapi, pages, static_files, upload};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone (login, static files, the API document).
    Public,
    /// Any signed-in user.
    User,
    /// A user holding this right in the shop the request names.
    Shop(Right),
    /// Owners, or users who may change some shop's settings.
    Settings,
    /// Owners only.
    Owner,
}

/// One route.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub access: Access,
}

const fn r(method: &'static str, path: &'static str, access: Access) -> RouteSpec {
    RouteSpec {
        method,
        path,
        access,
    }
}

use Access::*;

/// Every route. `{x}` marks a path parameter.
pub const ROUTES: &[RouteSpec] = &[
    r("GET", "/login", Public),
    r("POST", "/login", Public),
    r("POST", "/logout", User),
    r("POST", "/language", User),
    r("GET", "/", Shop(Right::ViewReports)),
    r("GET", "/diagnosis", Shop(Right::ViewReports)),
    r("GET", "/products", Shop(Right::ViewProducts)),
    r("GET", "/products/{code}", Shop(Right::ViewProducts)),
    r("GET", "/traffic", Shop(Right::ViewReports)),
    r("GET", "/members", Shop(Right::ViewMembers)),
    r("GET", "/profit", Shop(Right::ViewProfit)),
    r("POST", "/profit/costs", Shop(Right::ViewProfit)),
    r("GET", "/ads", Shop(Right::ViewProfit)),
    r("POST", "/ads/import", Shop(Right::ViewProfit)),
    r("POST", "/ads/split", Shop(Right::EditSettings)),
    r("GET", "/members/segments", Shop(Right::ViewMembers)),
    r("POST", "/members/segments", Shop(Right::EditSettings)),
    r(
        "POST",
        "/members/segments/delete",
        Shop(Right::EditSettings),
    ),
    r(
        "GET",
        "/members/segments/{name}/export",
        Shop(Right::ViewMembers),
    ),
    r("GET", "/desk", Shop(Right::UseDesk)),
    r("POST", "/desk/reviews/follow", Shop(Right::UseDesk)),
    r("POST", "/desk/tasks", Shop(Right::UseDesk)),
    r("POST", "/desk/scripts", Shop(Right::UseDesk)),
    r("POST", "/desk/files", Shop(Right::UseDesk)),
    r("POST", "/desk/notify/rules", Shop(Right::EditSettings)),
    r(
        "POST",
        "/desk/notify/rules/delete",
        Shop(Right::EditSettings),
    ),
    r("POST", "/desk/notify/run", Shop(Right::EditSettings)),
    r("GET", "/desk/images/{name}", User),
    r("GET", "/import", Shop(Right::Import)),
    r("POST", "/import", Shop(Right::Import)),
    r(
        "GET",
        "/import/jobs/{id}/rejects/{file}",
        Shop(Right::Import),
    ),
    r("GET", "/dictionary", User),
    r("GET", "/settings", Settings),
    r("POST", "/settings/thresholds", Shop(Right::EditSettings)),
    r("POST", "/settings/users", Owner),
    r("POST", "/settings/grants", Owner),
    r("POST", "/settings/shops", Owner),
    r("POST", "/settings/tokens", Settings),
    r("POST", "/settings/tokens/{id}/revoke", Settings),
    r("GET", "/audit", Owner),
    r("GET", "/export/{table}", Shop(Right::ViewReports)),
    r("POST", "/api/v1/session", Public),
    r("DELETE", "/api/v1/session", User),
    r("GET", "/api/v1/me", User),
    r("PUT", "/api/v1/me/language", User),
    r("GET", "/api/v1/shops", User),
    r("POST", "/api/v1/shops", Owner),
    r("GET", "/api/v1/overview", Shop(Right::ViewReports)),
    r("GET", "/api/v1/diagnosis", Shop(Right::ViewReports)),
    r("GET", "/api/v1/products", Shop(Right::ViewProducts)),
    r("GET", "/api/v1/products/{code}", Shop(Right::ViewProducts)),
    r("GET", "/api/v1/traffic", Shop(Right::ViewReports)),
    r("GET", "/api/v1/metrics", User),
    r("GET", "/api/v1/members", Shop(Right::ViewMembers)),
    r("GET", "/api/v1/profit", Shop(Right::ViewProfit)),
    r("GET", "/api/v1/profit/shops", Owner),
    r("GET", "/api/v1/ads", Shop(Right::ViewProfit)),
    r("GET", "/api/v1/abtests", Shop(Right::ViewProfit)),
    r("GET", "/api/v1/members/value", Shop(Right::ViewMembers)),
    r("GET", "/api/v1/members/memberday", Shop(Right::ViewMembers)),
    r("GET", "/api/v1/segments", Shop(Right::ViewMembers)),
    r("POST", "/api/v1/segments", Shop(Right::EditSettings)),
    r("GET", "/api/v1/segments/preview", Shop(Right::ViewMembers)),
    r(
        "DELETE",
        "/api/v1/segments/{name}",
        Shop(Right::EditSettings),
    ),
    r(
        "GET",
        "/api/v1/segments/{name}/export",
        Shop(Right::ViewMembers),
    ),
    r("GET", "/api/v1/scripts", Shop(Right::UseDesk)),
    r("POST", "/api/v1/scripts", Shop(Right::UseDesk)),
    r("GET", "/api/v1/scripts/export", Shop(Right::UseDesk)),
    r("POST", "/api/v1/scripts/import", Shop(Right::UseDesk)),
    r("PUT", "/api/v1/scripts/{id}", Shop(Right::UseDesk)),
    r("DELETE", "/api/v1/scripts/{id}", Shop(Right::UseDesk)),
    r("GET", "/api/v1/scripts/{id}/versions", Shop(Right::UseDesk)),
    r("POST", "/api/v1/scripts/{id}/restore", Shop(Right::UseDesk)),
    r("POST", "/api/v1/scripts/{id}/fill", Shop(Right::UseDesk)),
    r("GET", "/api/v1/knowledge/suggest", Shop(Right::UseDesk)),
    r("GET", "/api/v1/reviews", Shop(Right::UseDesk)),
    r("GET", "/api/v1/reviews/metrics", Shop(Right::UseDesk)),
    r("POST", "/api/v1/reviews/{id}/actions", Shop(Right::UseDesk)),
    r("POST", "/api/v1/reviews/import", Shop(Right::UseDesk)),
    r("POST", "/api/v1/tracking/import", Shop(Right::UseDesk)),
    r("GET", "/api/v1/notify/rules", Shop(Right::EditSettings)),
    r("POST", "/api/v1/notify/rules", Shop(Right::EditSettings)),
    r(
        "DELETE",
        "/api/v1/notify/rules/{name}",
        Shop(Right::EditSettings),
    ),
    r("POST", "/api/v1/notify/run", Shop(Right::EditSettings)),
    r("GET", "/api/v1/notify/log", Shop(Right::EditSettings)),
    r("GET", "/api/v1/tasks", Shop(Right::UseDesk)),
    r("POST", "/api/v1/tasks", Shop(Right::UseDesk)),
    r("GET", "/api/v1/imports", Shop(Right::Import)),
    r("POST", "/api/v1/imports", Shop(Right::Import)),
    r("GET", "/api/v1/imports/jobs/{id}", Shop(Right::Import)),
    r(
        "GET",
        "/api/v1/imports/jobs/{id}/rejects/{file}",
        Shop(Right::Import),
    ),
    r(
        "GET",
        "/api/v1/settings/thresholds",
        Shop(Right::EditSettings),
    ),
    r(
        "PUT",
        "/api/v1/settings/thresholds",
        Shop(Right::EditSettings),
    ),
    r("GET", "/api/v1/users", Owner),
    r("POST", "/api/v1/users", Owner),
    r("PUT", "/api/v1/users/{id}/roles", Owner),
    r("GET", "/api/v1/tokens", User),
    r("POST", "/api/v1/tokens", User),
    r("DELETE", "/api/v1/tokens/{id}", User),
    r("GET", "/api/v1/audit", Owner),
    r("GET", "/api/v1/export/{table}", Shop(Right::ViewReports)),
    r("GET", "/api/v1/openapi.json", Public),
    r("GET", "/static/app.css", Public),
    r("GET", "/static/app.js", Public),
];

async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        openapi::json(),
    )
}

/// The router of every route in `ROUTES`.
pub fn router(state: AppState) -> Router {
    use crate::{ads_api, desk_api, library_api, members_api, notify_api, profit_api};
    use pages::{
        account, admin, desk, diagnosis, import, members, overview, products, profit, promotion,
        traffic,
    };
    let api = Router::new()
        .route("/session", post(api::login).delete(api::logout))
        .route("/me", get(api::me))
        .route("/me/language", put(api::language))
        .route("/shops", get(api::shops).post(api::add_shop))
        .route("/overview", get(api::overview))
        .route("/diagnosis", get(api::diagnosis))
        .route("/products", get(api::products))
        .route("/products/{code}", get(api::product))
        .route("/traffic", get(api::traffic))
        .route("/metrics", get(api::metrics))
        .route("/members", get(members_api::overview))
        .route("/profit", get(profit_api::profit))
        .route("/profit/shops", get(profit_api::shops))
        .route("/ads", get(ads_api::ads))
        .route("/abtests", get(ads_api::abtests))
        .route("/members/value", get(members_api::value))
        .route("/members/memberday", get(members_api::member_day))
        .route("/segments", get(members_api::list).post(members_api::save))
        .route("/segments/preview", get(members_api::preview))
        .route("/segments/{name}", delete(members_api::delete))
        .route("/segments/{name}/export", get(members_api::export))
        .route("/scripts", get(desk_api::scripts).post(library_api::add))
        .route("/scripts/export", get(library_api::export))
        .route("/scripts/import", post(library_api::import))
        .route(
            "/scripts/{id}",
            put(library_api::edit).delete(library_api::delete),
        )
        .route("/scripts/{id}/versions", get(library_api::versions))
        .route("/scripts/{id}/restore", post(library_api::restore))
        .route("/scripts/{id}/fill", post(desk_api::fill))
        .route("/knowledge/suggest", get(desk_api::suggest))
        .route("/reviews", get(desk_api::reviews))
        .route("/reviews/metrics", get(desk_api::metrics))
        .route("/reviews/{id}/actions", post(desk_api::follow))
        .route("/reviews/import", post(library_api::import_reviews))
        .route("/tracking/import", post(library_api::import_tracking))
        .route(
            "/notify/rules",
            get(notify_api::rules).post(notify_api::save_rule),
        )
        .route("/notify/rules/{name}", delete(notify_api::delete_rule))
        .route("/notify/run", post(notify_api::run))
        .route("/notify/log", get(notify_api::log))
        .route("/tasks", get(desk_api::tasks).post(desk_api::set_task))
        .route("/imports", get(api::imports).post(api::upload))
        .route("/imports/jobs/{id}", get(api::job))
        .route("/imports/jobs/{id}/rejects/{file}", get(api::rejects))
        .route(
            "/settings/thresholds",
            get(api::thresholds).put(api::set_thresholds),
        )
        .route("/users", get(api::users).post(api::add_user))
        .route("/users/{id}/roles", put(api::grant))
        .route("/tokens", get(api::tokens).post(api::add_token))
        .route("/tokens/{id}", delete(api::revoke_token))
        .route("/audit", get(api::audit))
        .route("/export/{table}", get(export::api_export))
        .route("/openapi.json", get(openapi_json))
        .fallback(api::not_found);
    Router::new()
        .route("/login", get(account::form).post(account::submit))
        .route("/logout", post(account::logout))
        .route("/language", post(account::language))
        .route("/", get(overview::page))
        .route("/diagnosis", get(diagnosis::page))
        .route("/products", get(products::list))
        .route("/products/{code}", get(products::one))
        .route("/traffic", get(traffic::page))
        .route("/members", get(members::page))
        .route("/profit", get(profit::page))
        .route("/profit/costs", post(profit::upload))
        .route("/ads", get(promotion::page))
        .route("/ads/import", post(promotion::upload))
        .route("/ads/split", post(promotion::save_split))
        .route("/members/segments", get(members::list).post(members::save))
        .route("/members/segments/delete", post(members::delete))
        .route("/members/segments/{name}/export", get(members::export))
        .route("/desk", get(desk::page))
        .route("/desk/reviews/follow", post(desk::follow))
        .route("/desk/tasks", post(desk::task))
        .route("/desk/scripts", post(desk::add_script))
        .route("/desk/files", post(desk::upload))
        .route("/desk/notify/rules", post(desk::save_rule))
        .route("/desk/notify/rules/delete", post(desk::delete_rule))
        .route("/desk/notify/run", post(desk::run_notify))
        .route("/desk/images/{name}", get(desk::image))
        .route("/import", get(import::page).post(import::upload))
        .route("/import/jobs/{id}/rejects/{file}", get(import::rejects))
        .route("/dictionary", get(overview::dictionary))
        .route("/settings", get(admin::settings))
        .route("/settings/thresholds", post(admin::save_thresholds))
        .route("/settings/users", post(admin::add_user))
        .route("/settings/grants", post(admin::grant))
        .route("/settings/shops", post(admin::add_shop))
        .route("/settings/tokens", post(admin::add_token))
        .route("/settings/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/audit", get(admin::audit))
        .route("/export/{table}", get(export::page_export))
        .route("/static/app.css", get(static_files::css))
        .route("/static/app.js", get(static_files::js))
        .nest("/api/v1", api)
        .layer(DefaultBodyLimit::max(upload::MAX_UPLOAD))
        .layer(axum::middleware::from_fn(crate::server::security_headers))
        .layer(axum::middleware::from_fn(crate::server::log_request))
        .with_state(state)
}
