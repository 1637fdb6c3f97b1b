//! The OpenAPI document of `/api/v1`, served at `/api/v1/openapi.json`.

use utoipa::OpenApi;

use crate::{ads_api, api, desk_api, export, library_api, members_api, notify_api, profit_api};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "zhanggui (掌柜) API",
        description = "Everything the web cockpit shows and does. Authenticate with the session cookie (send the session's CSRF token in X-CSRF-Token on state-changing calls) or with `Authorization: Bearer zg_...` (create tokens in Settings). Every error is {\"error\": {\"code\", \"message\"}}.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        api::login, api::logout, api::me, api::language,
        api::shops, api::add_shop,
        api::overview, api::diagnosis, api::products, api::product, api::traffic, api::metrics,
        api::imports, api::upload, api::job, api::rejects,
        api::thresholds, api::set_thresholds,
        api::users, api::add_user, api::grant,
        api::tokens, api::add_token, api::revoke_token,
        api::audit,
        export::api_export,
        members_api::overview, members_api::value, members_api::member_day, members_api::list, members_api::preview, members_api::save,
        members_api::delete, members_api::export,
        profit_api::profit,
        profit_api::shops,
        ads_api::ads, ads_api::abtests,
        desk_api::scripts, desk_api::fill, desk_api::suggest, desk_api::reviews, desk_api::metrics,
        desk_api::follow, desk_api::tasks, desk_api::set_task,
        library_api::add, library_api::edit, library_api::delete, library_api::versions, library_api::restore,
        library_api::export, library_api::import, library_api::import_reviews, library_api::import_tracking,
        notify_api::rules, notify_api::save_rule, notify_api::delete_rule, notify_api::run, notify_api::log,
    ),
    components(schemas(api::MoneySchema)),
    tags(
        (name = "session", description = "signing in and out, the current user"),
        (name = "shops", description = "the shops"),
        (name = "reports", description = "overview, diagnosis, products, traffic, the metric dictionary"),
        (name = "imports", description = "uploading export files and the import history"),
        (name = "settings", description = "diagnosis thresholds"),
        (name = "users", description = "users, roles and the audit log"),
        (name = "tokens", description = "API tokens"),
        (name = "tables", description = "every table as CSV or Excel"),
        (name = "members", description = "members: segments, cohorts, the win-back list, saved segments and their export"),
        (name = "profit", description = "profit: the P&L from net sales to net profit per order, SKU, product, category, day, month or channel"),
        (name = "promotion", description = "promotion: ad plans against break-even ROI, budget moves, the split across tools, creative tests"),
        (name = "desk", description = "customer service: reply scripts, answer suggestions, reviews and their follow-ups, order follow-up tasks"),
    )
)]
pub struct ApiDoc;

/// The document as pretty JSON.
pub fn json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
