//! Every table of the pages as a download: `/export/{table}?...&format=csv|xlsx` (and the
//! same under `/api/v1/export`). The sheets are the ones the pages draw.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use zhanggui_storage::Store;
use zhanggui_tables::{to_csv, to_xlsx, Sheet};

use crate::auth::{ApiUser, CurrentUser, PageUser, Right};
use crate::error::AppError;
use crate::pages::{url_encode, PageError};
use crate::state::AppState;
use crate::views::compute::{diagnosis_of, report_of};
use crate::views::scope::{resolve, shop_for, ScopeQuery};
use crate::views::{products, sheets, traffic};

/// The tables that can be downloaded.
pub const TABLES: [&str; 9] = [
    "kpis",
    "why",
    "diagnosis",
    "products",
    "traffic",
    "ads",
    "imports",
    "dictionary",
    "audit",
];

#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    /// csv or xlsx [default: csv]
    pub format: Option<String>,
    #[serde(flatten)]
    pub scope: ScopeQuery,
}

/// The sheets of one table for this user and scope.
pub async fn sheets_of(
    state: &AppState,
    user: &CurrentUser,
    table: &str,
    q: &ScopeQuery,
) -> Result<Vec<Sheet>, AppError> {
    let lang = user.lang();
    Ok(match table {
        "kpis" | "why" | "diagnosis" => {
            let scope = resolve(state, user, q, Right::ViewReports).await?;
            let currency = scope.shop.currency;
            if table == "diagnosis" {
                let d = diagnosis_of(state, &scope).await?;
                vec![zhanggui_tables::diagnosis::sheet(&d, currency)]
            } else {
                let r = report_of(state, &scope).await?;
                let all = zhanggui_tables::report::sheets(&r, currency, usize::MAX);
                if table == "kpis" {
                    all.into_iter().take(1).collect()
                } else {
                    all.into_iter().skip(1).collect()
                }
            }
        }
        "products" => {
            let scope = resolve(state, user, q, Right::ViewProducts).await?;
            let p = products::products(state, &scope).await?;
            vec![sheets::products(&p, scope.shop.currency, lang)]
        }
        "traffic" => {
            let scope = resolve(state, user, q, Right::ViewReports).await?;
            let t = traffic::traffic(state, &scope).await?;
            vec![sheets::traffic(&t, scope.shop.currency, lang)]
        }
        "ads" => {
            let scope = resolve(state, user, q, Right::ViewProfit).await?;
            let v =
                crate::views::promotion::ads_view(state, &scope, zhanggui_storage::AdBy::Campaign)
                    .await?;
            let mut all = zhanggui_tables::promotion::sheets(&v.report);
            all.extend(v.tests.iter().map(|t| {
                zhanggui_tables::promotion::readout_sheet(&t.read.test.name, &t.read.readout)
            }));
            all
        }
        "imports" => {
            let shop = shop_for(state, user, q.shop.as_deref(), Right::Import).await?;
            let history = state.db.read(move |s| Ok(s.imports(&shop)?)).await?;
            vec![sheets::imports(&history, lang)]
        }
        "dictionary" => vec![sheets::dictionary(lang)],
        "audit" => {
            user.require_owner()?;
            vec![crate::pages::admin::audit_sheet(state, lang).await?]
        }
        other => {
            return Err(AppError::NotFound(format!(
                "no table `{other}`; the tables are {}",
                TABLES.join(", ")
            )))
        }
    })
}

async fn download(
    state: &AppState,
    user: &CurrentUser,
    table: &str,
    q: &ExportQuery,
) -> Result<Response, AppError> {
    let sheets = sheets_of(state, user, table, &q.scope).await?;
    let stem = match &q.scope.shop {
        Some(shop) => format!("{table}-{shop}"),
        None => table.to_owned(),
    };
    file_of(&sheets, table, &stem, q.format.as_deref())
}

/// Sheets as a CSV (UTF-8 with a BOM) or Excel download named `name` (ASCII) and `stem`
/// (any text, for browsers that read `filename*`).
pub fn file_of(
    sheets: &[Sheet],
    name: &str,
    stem: &str,
    format: Option<&str>,
) -> Result<Response, AppError> {
    let table = name;
    let (mime, bytes, ext) = match format.unwrap_or("csv") {
        "csv" => (
            "text/csv; charset=utf-8",
            // A BOM so that Excel opens the Chinese text as UTF-8.
            [
                b"\xEF\xBB\xBF".as_slice(),
                to_csv(sheets)
                    .map_err(|e| AppError::Internal(e.to_string()))?
                    .as_bytes(),
            ]
            .concat(),
            "csv",
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            to_xlsx(sheets).map_err(|e| AppError::Internal(e.to_string()))?,
            "xlsx",
        ),
        other => {
            return Err(AppError::BadRequest(format!(
                "`{other}` is not an export format: write csv or xlsx"
            )))
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{table}.{ext}\"; filename*=UTF-8''{}.{ext}",
                    url_encode(stem)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn page_export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(table): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    download(&state, &user, &table, &q).await.map_err(PageError)
}

/// Downloads a table as CSV or Excel.
#[utoipa::path(get, path = "/api/v1/export/{table}", tag = "tables",
    params(("table" = String, Path, description = "kpis, why, diagnosis, products, traffic, imports, dictionary or audit"),
        ("format" = Option<String>, Query, description = "csv or xlsx [default: csv]"), ScopeQuery),
    responses((status = 200, description = "the file"), (status = 403, body = crate::error::ErrorBody)))]
pub async fn api_export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(table): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, AppError> {
    download(&state, &user, &table, &q).await
}
