//! The login page, signing out and switching the language.

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use serde_json::json;
use zhanggui_storage::AccountStore;

use super::{PageError, PageResult};
use crate::auth::user::Credential;
use crate::auth::{session, PageUser};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::login::{audit, sign_in, sign_out};
use crate::remote::Remote;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only paths of this site are followed after signing in.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".into(),
    }
}

fn lang_of(headers: &HeaderMap) -> Lang {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.starts_with("en") {
        Lang::En
    } else {
        Lang::Zh
    }
}

fn login_page(
    state: &AppState,
    lang: Lang,
    next: &str,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let html = state.templates.render(
        "login.html",
        &json!({
            "tr": lang.words(),
            "html_lang": lang.html_lang(),
            "next": next,
            "error": error,
        }),
    )?;
    Ok(Html(html))
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> PageResult {
    let lang = lang_of(&headers);
    Ok(login_page(&state, lang, &safe_next(q.next.as_deref()), None)?.into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    next: Option<String>,
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Remote(remote): Remote,
    Form(f): Form<LoginForm>,
) -> PageResult {
    let lang = lang_of(&headers);
    let next = safe_next(f.next.as_deref());
    match sign_in(&state, &f.login, &f.password, remote).await {
        Ok(s) => Ok((
            StatusCode::SEE_OTHER,
            [
                (
                    header::SET_COOKIE,
                    session::set_cookie(&s.token, state.secure_cookies),
                ),
                (header::LOCATION, next),
            ],
        )
            .into_response()),
        Err(AppError::Unauthorized) => {
            let mut r = login_page(&state, lang, &next, Some(lang.t("login_failed").into()))?
                .into_response();
            *r.status_mut() = StatusCode::UNAUTHORIZED;
            Ok(r)
        }
        Err(e @ AppError::TooManyAttempts(_)) => {
            let mut r = login_page(&state, lang, &next, Some(e.to_string()))?.into_response();
            *r.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            Ok(r)
        }
        Err(e) => Err(PageError(e)),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    if let Credential::Session { token_sha256, .. } = &user.credential {
        sign_out(&state, token_sha256.clone()).await?;
    }
    Ok(logged_out(&state))
}

pub fn logged_out(state: &AppState) -> Response {
    (
        StatusCode::SEE_OTHER,
        [
            (
                header::SET_COOKIE,
                session::clear_cookie(state.secure_cookies),
            ),
            (header::LOCATION, "/login".to_owned()),
        ],
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct LanguageForm {
    csrf: Option<String>,
    language: String,
    back: Option<String>,
}

pub async fn language(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Form(f): Form<LanguageForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let lang = Lang::parse(&f.language);
    let id = user.user.id;
    state
        .db
        .read(move |s| Ok(s.set_language(id, lang.code())?))
        .await?;
    state.accounts.forget_accounts();
    audit(
        &state,
        &user.user,
        "language",
        None,
        lang.code().into(),
        remote,
    )
    .await?;
    Ok(Redirect::to(&safe_next(f.back.as_deref())).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/products?shop=a")), "/products?shop=a");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
