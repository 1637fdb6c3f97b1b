//! What owners and managers change: diagnosis thresholds, shops, users and their roles,
//! API tokens. Shared by the settings page and the API; every change is audited and
//! drops cached results.

use std::collections::BTreeMap;

use serde::Serialize;
use zhanggui_analytics::diagnosis::thresholds::{Thresholds, KEYS, SETTING_PREFIX};
use zhanggui_domain::{NewShop, Platform, Shop, ShopName};
use zhanggui_storage::accounts::{NewUser, TokenRecord, UserRecord};
use zhanggui_storage::{AccountStore, Store};

use crate::auth::{password, session, CurrentUser, Right, Role};
use crate::error::AppError;
use crate::login::audit;
use crate::state::AppState;

/// One threshold as the settings page shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ThresholdView {
    pub key: &'static str,
    #[schema(value_type = f64)]
    pub value: serde_json::Value,
    pub help: &'static str,
}

pub async fn thresholds(state: &AppState, shop: &Shop) -> Result<Vec<ThresholdView>, AppError> {
    let s = shop.clone();
    let settings = state.db.read(move |store| Ok(store.settings(&s)?)).await?;
    let t =
        Thresholds::from_settings(&settings).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let values = serde_json::to_value(t).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(KEYS
        .iter()
        .map(|&(key, help)| ThresholdView {
            key,
            value: values.get(key).cloned().unwrap_or_default(),
            help,
        })
        .collect())
}

/// Sets thresholds from text; all are checked before any is saved.
pub async fn set_thresholds(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    values: BTreeMap<String, String>,
    remote: Option<String>,
) -> Result<(), AppError> {
    user.require(Right::EditSettings, shop)?;
    let s = shop.clone();
    let settings = state.db.read(move |store| Ok(store.settings(&s)?)).await?;
    let mut t =
        Thresholds::from_settings(&settings).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let mut changed = Vec::new();
    for (k, v) in &values {
        if !KEYS.iter().any(|(key, _)| key == k) {
            continue;
        }
        t.set(k, v)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        changed.push((format!("{SETTING_PREFIX}{k}"), v.trim().to_owned()));
    }
    if changed.is_empty() {
        return Err(AppError::BadRequest(format!(
            "no threshold given; the keys are {}",
            KEYS.iter().map(|k| k.0).collect::<Vec<_>>().join(", ")
        )));
    }
    let s = shop.clone();
    let detail = changed
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ");
    state
        .db
        .read(move |store| {
            for (k, v) in &changed {
                store.set_setting(&s, k, Some(v))?;
            }
            Ok(())
        })
        .await?;
    state.cache.invalidate();
    audit(state, &user.user, "settings", Some(shop.id), detail, remote).await
}

/// A user and their role in each shop.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i32,
    pub login: String,
    pub display_name: String,
    pub is_owner: bool,
    pub language: String,
    pub disabled: bool,
    /// Role per shop name (owners hold every shop).
    pub roles: BTreeMap<String, Role>,
}

pub async fn users(state: &AppState, user: &CurrentUser) -> Result<Vec<UserView>, AppError> {
    user.require_owner()?;
    state
        .db
        .read(|store| {
            let shops = store.shops()?;
            let grants = store.grants()?;
            Ok(store
                .users()?
                .into_iter()
                .map(|u| UserView {
                    roles: shops
                        .iter()
                        .filter_map(|s| {
                            let role = if u.is_owner {
                                Some(Role::Owner)
                            } else {
                                grants
                                    .iter()
                                    .find(|g| g.user_id == u.id && g.shop_id == s.id)
                                    .and_then(|g| Role::parse(&g.role))
                            };
                            role.map(|r| (s.name.to_string(), r))
                        })
                        .collect(),
                    id: u.id,
                    login: u.login,
                    display_name: u.display_name,
                    is_owner: u.is_owner,
                    language: u.language,
                    disabled: u.disabled,
                })
                .collect())
        })
        .await
}

/// Checks a login name: letters, digits and `._-@`, 1 to 64 characters.
pub fn valid_login(login: &str) -> Result<&str, AppError> {
    let login = login.trim();
    if login.is_empty()
        || login.chars().count() > 64
        || !login
            .chars()
            .all(|c| c.is_alphanumeric() || "._-@".contains(c))
    {
        return Err(AppError::BadRequest(format!(
            "`{login}` is not a login: use 1 to 64 letters, digits or . _ - @"
        )));
    }
    Ok(login)
}

pub async fn add_user(
    state: &AppState,
    user: &CurrentUser,
    login: &str,
    display_name: &str,
    password_text: &str,
    remote: Option<String>,
) -> Result<UserRecord, AppError> {
    user.require_owner()?;
    let login = valid_login(login)?.to_owned();
    let hash = password::hash(password_text).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let display = if display_name.trim().is_empty() {
        login.clone()
    } else {
        display_name.trim().to_owned()
    };
    let l = login.clone();
    let created = state
        .db
        .read(move |store| {
            Ok(store.add_user(&NewUser {
                login: &l,
                display_name: &display,
                password_hash: &hash,
                is_owner: false,
                language: "zh",
            })?)
        })
        .await?;
    audit(state, &user.user, "user_add", None, login, remote).await?;
    Ok(created)
}

pub async fn set_grant(
    state: &AppState,
    user: &CurrentUser,
    target: i32,
    shop: &Shop,
    role: Option<Role>,
    remote: Option<String>,
) -> Result<(), AppError> {
    user.require_owner()?;
    if role == Some(Role::Owner) {
        return Err(AppError::BadRequest(
            "owner is not granted per shop: owners hold every shop (zhanggui user add --owner)"
                .into(),
        ));
    }
    let shop_id = shop.id;
    let target_user = state
        .db
        .read(move |store| {
            let u = store
                .user(target)?
                .ok_or_else(|| AppError::NotFound(format!("no user {target}")))?;
            store.set_grant(shop_id, target, role.map(Role::as_str))?;
            Ok(u)
        })
        .await?;
    state.accounts.forget_accounts();
    audit(
        state,
        &user.user,
        "grant",
        Some(shop.id),
        format!(
            "{}: {}",
            target_user.login,
            role.map(Role::as_str).unwrap_or("none")
        ),
        remote,
    )
    .await
}

pub async fn add_shop(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
    platform: &str,
    remote: Option<String>,
) -> Result<Shop, AppError> {
    user.require_owner()?;
    let platform: Platform = platform
        .parse()
        .map_err(|e| AppError::BadRequest(format!("{e}")))?;
    let name = ShopName::parse(name.trim())
        .map_err(|e| AppError::BadRequest(format!("the shop name {e}")))?;
    let new = NewShop::with_defaults(platform, name);
    let shop = state
        .db
        .read(move |store| Ok(store.add_shop(&new)?))
        .await?;
    state.accounts.forget_shops();
    audit(
        state,
        &user.user,
        "shop_add",
        Some(shop.id),
        format!("{} ({})", shop.name, shop.platform.as_str()),
        remote,
    )
    .await?;
    Ok(shop)
}

/// A new API token: its secret, shown once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NewToken {
    pub id: i32,
    pub name: String,
    /// Send as `Authorization: Bearer <token>`; it is not stored and cannot be shown again.
    pub token: String,
}

pub async fn create_token(
    state: &AppState,
    user: &CurrentUser,
    name: &str,
    remote: Option<String>,
) -> Result<NewToken, AppError> {
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "a token needs a name of 1 to 100 characters".into(),
        ));
    }
    let secret = format!("{}{}", session::TOKEN_PREFIX, session::secret());
    let digest = session::digest(&secret);
    let id = user.user.id;
    let n = name.clone();
    let record: TokenRecord = state
        .db
        .read(move |store| Ok(store.add_token(&digest, id, &n)?))
        .await?;
    audit(state, &user.user, "token_add", None, name.clone(), remote).await?;
    Ok(NewToken {
        id: record.id,
        name,
        token: secret,
    })
}

pub async fn tokens(state: &AppState, user: &CurrentUser) -> Result<Vec<TokenRecord>, AppError> {
    let id = user.user.id;
    state.db.read(move |store| Ok(store.tokens_of(id)?)).await
}

pub async fn revoke_token(
    state: &AppState,
    user: &CurrentUser,
    token_id: i32,
    remote: Option<String>,
) -> Result<(), AppError> {
    let id = user.user.id;
    let found = state
        .db
        .read(move |store| Ok(store.revoke_token(id, token_id)?))
        .await?;
    if !found {
        return Err(AppError::NotFound(format!("you have no token {token_id}")));
    }
    state.accounts.forget_accounts();
    audit(
        state,
        &user.user,
        "token_revoke",
        None,
        token_id.to_string(),
        remote,
    )
    .await
}
