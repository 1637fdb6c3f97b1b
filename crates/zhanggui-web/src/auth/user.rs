//! The signed-in user of a request, from the session cookie or an API token
//! (`Authorization: Bearer zg_...`), with the roles they hold per shop.

use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use zhanggui_domain::{Shop, ShopId};
use zhanggui_storage::accounts::UserRecord;
use zhanggui_storage::AccountStore;

use super::roles::{Right, Role};
use super::session;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

/// How the request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser session; state-changing requests must carry its CSRF token.
    Session { token_sha256: String, csrf: String },
    /// An API token: no cookie, so no CSRF.
    Token,
}

/// A signed-in user and their roles.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRecord,
    pub roles: HashMap<ShopId, Role>,
    pub credential: Credential,
}

impl CurrentUser {
    /// The role in a shop: owners are owners everywhere.
    pub fn role_in(&self, shop: ShopId) -> Option<Role> {
        if self.user.is_owner {
            Some(Role::Owner)
        } else {
            self.roles.get(&shop).copied()
        }
    }

    pub fn can(&self, right: Right, shop: ShopId) -> bool {
        self.role_in(shop).is_some_and(|r| r.grants(right))
    }

    /// Refuses unless the user has the right in the shop.
    pub fn require(&self, right: Right, shop: &Shop) -> Result<(), AppError> {
        if self.can(right, shop.id) {
            Ok(())
        } else {
            Err(AppError::Forbidden(format!(
                "you have no right to {} in shop {}",
                right.as_str(),
                shop.name
            )))
        }
    }

    /// Refuses unless the user is an owner (users, shops, audit log).
    pub fn require_owner(&self) -> Result<(), AppError> {
        if self.user.is_owner {
            Ok(())
        } else {
            Err(AppError::Forbidden("only an owner may do this".into()))
        }
    }

    /// The shops this user has any role in, out of all shops.
    pub fn visible<'a>(&self, shops: &'a [Shop]) -> Vec<&'a Shop> {
        shops
            .iter()
            .filter(|s| self.role_in(s.id).is_some())
            .collect()
    }

    /// Checks the CSRF token of a state-changing request made with a session cookie.
    pub fn check_csrf(&self, sent: Option<&str>) -> Result<(), AppError> {
        match &self.credential {
            Credential::Token => Ok(()),
            Credential::Session { csrf, .. } => match sent {
                Some(s) if session::same(s, csrf) => Ok(()),
                _ => Err(AppError::Forbidden(
                    "the form's security token is missing or stale: reload the page and try again"
                        .into(),
                )),
            },
        }
    }

    /// The CSRF token to put in forms (empty for token users, who send no forms).
    pub fn csrf(&self) -> &str {
        match &self.credential {
            Credential::Session { csrf, .. } => csrf,
            Credential::Token => "",
        }
    }

    pub fn lang(&self) -> Lang {
        Lang::parse(&self.user.language)
    }
}

/// Finds the user of a request, or `None` when it carries no valid credential.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<CurrentUser>, AppError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let cookie = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| session::cookie(c, session::COOKIE))
        .map(str::to_owned);
    if bearer.is_none() && cookie.is_none() {
        return Ok(None);
    }
    let key = match (&bearer, &cookie) {
        (Some(t), _) => format!("token:{}", session::digest(t)),
        (None, Some(c)) => format!("session:{}", session::digest(c)),
        (None, None) => return Ok(None),
    };
    let now = std::time::Instant::now();
    if let Some(user) = state.accounts.user(&key, now) {
        return Ok(Some(user));
    }
    let found = state
        .db
        .read(move |store| {
            let now = chrono::Utc::now().naive_utc();
            let (user_id, credential) = if let Some(token) = bearer {
                match store.use_token(&session::digest(&token), now)? {
                    Some(id) => (id, Credential::Token),
                    None => return Ok(None),
                }
            } else {
                let token_sha256 = session::digest(cookie.as_deref().unwrap_or_default());
                match store.session(&token_sha256, now)? {
                    Some(s) => (
                        s.user_id,
                        Credential::Session {
                            token_sha256,
                            csrf: s.csrf_token,
                        },
                    ),
                    None => return Ok(None),
                }
            };
            let Some(user) = store.user(user_id)?.filter(|u| !u.disabled) else {
                return Ok(None);
            };
            let roles = store
                .grants_of(user_id)?
                .into_iter()
                .filter_map(|g| Role::parse(&g.role).map(|r| (g.shop_id, r)))
                .collect();
            Ok(Some(CurrentUser {
                user,
                roles,
                credential,
            }))
        })
        .await?;
    if let Some(user) = &found {
        state.accounts.remember(key, now, user.clone());
    }
    Ok(found)
}

/// The user of an API request; without one the request is refused with 401.
pub struct ApiUser(pub CurrentUser);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        match authenticate(state, &parts.headers).await? {
            Some(u) => Ok(ApiUser(u)),
            None => Err(AppError::Unauthorized),
        }
    }
}

/// The user of a page; without one the browser is sent to the login page.
pub struct PageUser(pub CurrentUser);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match authenticate(state, &parts.headers).await {
            Ok(Some(u)) => Ok(PageUser(u)),
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let to = format!("/login?next={}", crate::pages::url_encode(next));
                Err(Redirect::to(&to).into_response())
            }
            Err(e) => Err(e.into_response()),
        }
    }
}
