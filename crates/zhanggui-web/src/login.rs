//! Signing in and out, shared by the login page and the API: password check against the
//! Argon2id hash, login limits, a new session with its CSRF token, and the audit log.

use std::time::Instant;

use chrono::{Duration, Utc};
use zhanggui_storage::accounts::{AuditEntry, UserRecord};
use zhanggui_storage::AccountStore;

use crate::auth::limiter::LoginLimiter;
use crate::auth::{password, session};
use crate::error::AppError;
use crate::state::AppState;

/// A new session: the cookie's secret and the CSRF token forms must carry.
pub struct NewSession {
    pub token: String,
    pub csrf: String,
    pub user: UserRecord,
}

fn limit_keys(login: &str, remote: Option<&str>) -> Vec<String> {
    let mut keys = vec![format!("login:{}", login.trim().to_lowercase())];
    if let Some(ip) = remote {
        keys.push(format!("ip:{ip}"));
    }
    keys
}

/// Checks a login and password and opens a session.
pub async fn sign_in(
    state: &AppState,
    login: &str,
    password_text: &str,
    remote: Option<String>,
) -> Result<NewSession, AppError> {
    let keys = limit_keys(login, remote.as_deref());
    let limiter: &LoginLimiter = &state.limiter;
    if let Some(wait) = limiter.blocked(&keys, Instant::now()) {
        return Err(AppError::TooManyAttempts(wait));
    }
    let login = login.trim().to_owned();
    let password_text = password_text.to_owned();
    let result = state
        .db
        .read(move |store| {
            let user = store.user_by_login(&login)?;
            // Verify against a decoy when the login is unknown: same time either way.
            let hash = user
                .as_ref()
                .map(|u| u.password_hash.clone())
                .unwrap_or_else(|| password::decoy().to_owned());
            let ok = password::verify(&password_text, &hash);
            let now = Utc::now().naive_utc();
            let user = match user {
                Some(u) if ok && !u.disabled => u,
                _ => {
                    store.audit(&AuditEntry {
                        at: now,
                        user_id: None,
                        login: login.clone(),
                        action: "login_failed".into(),
                        shop_id: None,
                        detail: String::new(),
                        remote: remote.clone(),
                    })?;
                    return Ok(None);
                }
            };
            let token = session::secret();
            let csrf = session::secret();
            store.add_session(
                &session::digest(&token),
                user.id,
                &csrf,
                now + Duration::hours(session::SESSION_HOURS),
            )?;
            store.audit(&AuditEntry {
                at: now,
                user_id: Some(user.id),
                login: user.login.clone(),
                action: "login".into(),
                shop_id: None,
                detail: String::new(),
                remote,
            })?;
            Ok(Some(NewSession { token, csrf, user }))
        })
        .await?;
    match result {
        Some(s) => {
            limiter.succeeded(&keys[..1]);
            Ok(s)
        }
        None => {
            limiter.failed(&keys, Instant::now());
            Err(AppError::Unauthorized)
        }
    }
}

/// Ends a session.
pub async fn sign_out(state: &AppState, token_sha256: String) -> Result<(), AppError> {
    state
        .db
        .read(move |store| Ok(store.end_session(&token_sha256)?))
        .await?;
    state.accounts.forget_accounts();
    Ok(())
}

/// Writes one audit line.
pub async fn audit(
    state: &AppState,
    user: &UserRecord,
    action: &str,
    shop: Option<zhanggui_domain::ShopId>,
    detail: String,
    remote: Option<String>,
) -> Result<(), AppError> {
    let entry = AuditEntry {
        at: Utc::now().naive_utc(),
        user_id: Some(user.id),
        login: user.login.clone(),
        action: action.to_owned(),
        shop_id: shop,
        detail,
        remote,
    };
    state.db.read(move |store| Ok(store.audit(&entry)?)).await
}
