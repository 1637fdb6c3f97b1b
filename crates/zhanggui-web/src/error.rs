//! The one error type at the HTTP edge and its one JSON shape:
//! `{"error": {"code": "...", "message": "..."}}`. Internal details are logged, not sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use zhanggui_analytics::diagnosis::DiagnoseError;
use zhanggui_analytics::ReportError;
use zhanggui_storage::StoreError;

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in first")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("too many failed logins: try again in {0} seconds")]
    TooManyAttempts(u64),
    #[error("the shop has no data yet: import its export files first")]
    NoData,
    #[error("internal error")]
    Internal(String),
}

/// The body of every error response.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// unauthorized, forbidden, not_found, bad_request, conflict, too_many_attempts,
    /// no_data or internal.
    pub code: &'static str,
    /// What is wrong and what to do, for a person.
    pub message: String,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::NoData => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::TooManyAttempts(_) => "too_many_attempts",
            AppError::NoData => "no_data",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> ErrorBody {
        if let AppError::Internal(detail) = self {
            tracing::error!(%detail, "request failed");
        }
        ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
            },
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status(), Json(self.body())).into_response()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ShopExists(_) | StoreError::UserExists(_) | StoreError::Exists(_) => {
                AppError::Conflict(e.to_string())
            }
            StoreError::NotFound(_) => AppError::NotFound(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<ReportError> for AppError {
    fn from(e: ReportError) -> Self {
        match e {
            ReportError::NoData(_) => AppError::NoData,
            ReportError::Store(s) => s.into(),
        }
    }
}

impl From<DiagnoseError> for AppError {
    fn from(e: DiagnoseError) -> Self {
        match e {
            DiagnoseError::Report(r) => r.into(),
            DiagnoseError::Thresholds(t) => AppError::BadRequest(t.to_string()),
        }
    }
}

impl From<tokio::task::JoinError> for AppError {
    fn from(e: tokio::task::JoinError) -> Self {
        AppError::Internal(format!("a worker thread failed: {e}"))
    }
}
