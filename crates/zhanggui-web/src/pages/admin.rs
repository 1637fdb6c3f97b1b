//! The settings page (thresholds, shops, users and roles, API tokens) and the audit log.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use serde::Deserialize;
use serde_json::json;
use zhanggui_domain::Platform;
use zhanggui_storage::Store;

use super::import::ShopQuery;
use super::{url_encode, HtmlTable, Layout, PageError, PageResult};
use crate::admin;
use crate::auth::{CurrentUser, PageUser, Right, Role};
use crate::error::AppError;
use crate::remote::Remote;
use crate::state::AppState;
use crate::views::format::name;
use crate::views::scope::shop_for;
use crate::views::sheets;

/// Settings are for owners and for those who may change a shop's thresholds.
fn may_see_settings(user: &CurrentUser) -> Result<(), AppError> {
    if user.user.is_owner || user.roles.values().any(|r| r.grants(Right::EditSettings)) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "settings are for owners, directors and managers".into(),
        ))
    }
}

async fn settings_page(
    state: &AppState,
    user: &CurrentUser,
    shop_name: Option<&str>,
    new_token: Option<String>,
    notice: Option<String>,
) -> PageResult {
    may_see_settings(user)?;
    let lang = user.lang();
    let shop = shop_for(state, user, shop_name, Right::EditSettings).await?;
    let thresholds = admin::thresholds(state, &shop).await?;
    let all_shops = state.shops().await?;
    let users = if user.user.is_owner {
        admin::users(state, user).await?
    } else {
        Vec::new()
    };
    let users: Vec<_> = users
        .iter()
        .map(|u| {
            json!({
                "id": u.id, "login": u.login, "display_name": u.display_name, "is_owner": u.is_owner,
                "grants": all_shops.iter().map(|s| json!({
                    "shop": s.name.as_str(),
                    "role": u.roles.get(s.name.as_str()).map(|r| r.as_str()).unwrap_or(""),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let roles: Vec<_> = Role::ALL
        .iter()
        .filter(|r| **r != Role::Owner)
        .map(|r| json!({"code": r.as_str(), "label": name(lang, r.zh(), r.en())}))
        .collect();
    let tokens = admin::tokens(state, user).await?;
    let tokens: Vec<_> = tokens
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "name": t.name,
                "created_at": t.created_at.format("%Y-%m-%d %H:%M").to_string(),
                "last_used_at": t.last_used_at.map(|d| d.format("%Y-%m-%d %H:%M").to_string()),
            })
        })
        .collect();
    Layout {
        user,
        active: "settings",
        title: lang.t("settings").into(),
        path: "/settings",
        scope: None,
        dates: None,
        notice,
        days: true,
    }
    .render(
        state,
        "settings.html",
        json!({
            "thresholds": thresholds,
            "threshold_shop": shop.name.as_str(),
            "threshold_shop_q": url_encode(shop.name.as_str()),
            "can_edit": user.can(Right::EditSettings, shop.id),
            "is_owner": user.user.is_owner,
            "all_shops": all_shops.iter().map(|s| json!({
                "name": s.name.as_str(), "platform": s.platform.as_str(),
                "currency": s.currency.code(), "timezone": s.timezone.name(),
            })).collect::<Vec<_>>(),
            "platforms": Platform::ALL.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "users": users,
            "roles": roles,
            "tokens": tokens,
            "new_token": new_token,
        }),
    )
    .await
}

pub async fn settings(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ShopQuery>,
) -> PageResult {
    settings_page(&state, &user, q.shop.as_deref(), None, None).await
}

pub async fn save_thresholds(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Query(q): Query<ShopQuery>,
    Form(mut f): Form<BTreeMap<String, String>>,
) -> PageResult {
    user.check_csrf(f.remove("csrf").as_deref())?;
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::EditSettings).await?;
    admin::set_thresholds(&state, &user, &shop, f, remote).await?;
    let notice = Some(user.lang().t("saved").to_owned());
    settings_page(&state, &user, Some(shop.name.as_str()), None, notice).await
}

#[derive(Deserialize)]
pub struct UserForm {
    csrf: Option<String>,
    login: String,
    display_name: Option<String>,
    password: String,
}

pub async fn add_user(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Form(f): Form<UserForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    admin::add_user(
        &state,
        &user,
        &f.login,
        f.display_name.as_deref().unwrap_or(""),
        &f.password,
        remote,
    )
    .await?;
    Ok(Redirect::to("/settings").into_response())
}

#[derive(Deserialize)]
pub struct GrantForm {
    csrf: Option<String>,
    user: i32,
    shop: String,
    role: String,
}

pub async fn grant(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Form(f): Form<GrantForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    user.require_owner()?;
    let shop = shop_for(&state, &user, Some(&f.shop), Right::ViewProducts).await?;
    let role = match f.role.trim() {
        "" => None,
        r => Some(Role::parse(r).ok_or_else(|| AppError::BadRequest(format!("no role `{r}`")))?),
    };
    admin::set_grant(&state, &user, f.user, &shop, role, remote).await?;
    Ok(Redirect::to("/settings").into_response())
}

#[derive(Deserialize)]
pub struct ShopForm {
    csrf: Option<String>,
    name: String,
    platform: String,
}

pub async fn add_shop(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Form(f): Form<ShopForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    admin::add_shop(&state, &user, &f.name, &f.platform, remote).await?;
    Ok(Redirect::to("/settings").into_response())
}

#[derive(Deserialize)]
pub struct TokenForm {
    csrf: Option<String>,
    name: String,
}

pub async fn add_token(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Form(f): Form<TokenForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    may_see_settings(&user)?;
    let t = admin::create_token(&state, &user, &f.name, remote).await?;
    settings_page(&state, &user, None, Some(t.token), None).await
}

#[derive(Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

pub async fn revoke_token(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Path(id): Path<i32>,
    Form(f): Form<CsrfOnly>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    may_see_settings(&user)?;
    admin::revoke_token(&state, &user, id, remote).await?;
    Ok(Redirect::to("/settings").into_response())
}

pub async fn audit(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    user.require_owner().map_err(PageError)?;
    let lang = user.lang();
    let sheet = audit_sheet(&state, lang).await?;
    let table = HtmlTable::of("audit", &sheet, Some("/export/audit?".into()), true);
    Layout {
        user: &user,
        active: "audit",
        title: lang.t("audit").into(),
        path: "/audit",
        scope: None,
        dates: None,
        notice: None,
        days: true,
    }
    .render(&state, "audit.html", json!({ "table": table }))
    .await
}

/// Entries shown and exported.
pub const AUDIT_ROWS: usize = 1000;

pub async fn audit_sheet(
    state: &AppState,
    lang: crate::i18n::Lang,
) -> Result<zhanggui_tables::Sheet, AppError> {
    state
        .db
        .read(move |store| {
            use zhanggui_storage::AccountStore;
            let shops = store.shops()?;
            let entries = store.audit_log(None, AUDIT_ROWS)?;
            let names = |id: i32| {
                shops
                    .iter()
                    .find(|s| s.id.0 == id)
                    .map(|s| s.name.to_string())
                    .unwrap_or_else(|| id.to_string())
            };
            Ok(sheets::audit(&entries, &names, lang))
        })
        .await
}
