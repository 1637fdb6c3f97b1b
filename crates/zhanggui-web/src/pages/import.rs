//! The import page: upload export files, watch them load, download the rows that were
//! refused, and read the shop's import history.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect};
use serde::{Deserialize, Serialize};
use serde_json::json;
use zhanggui_import::presets::PRESETS;
use zhanggui_storage::Store;

use super::{url_encode, HtmlTable, Layout, PageError, PageResult};
use crate::auth::{CurrentUser, PageUser, Right};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::jobs::{Job, Status};
use crate::remote::Remote;
use crate::state::AppState;
use crate::upload;
use crate::views::scope::shop_for;
use crate::views::sheets;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShopQuery {
    /// The shop's name [default: the first shop the user may import into]
    pub shop: Option<String>,
}

#[derive(Serialize)]
struct FileRow {
    name: String,
    status: Status,
    status_label: &'static str,
    percent: u64,
    rows: u64,
    inserted: String,
    updated: String,
    rejected: String,
    reject_href: Option<String>,
    error: Option<String>,
}

#[derive(Serialize)]
struct JobView {
    id: u64,
    finished: bool,
    files: Vec<FileRow>,
    /// The data-quality checks after the job's last file: they look at the whole shop, so
    /// only the state after every file of the upload is worth showing.
    quality: Vec<String>,
}

fn job_view(job: &Job, lang: Lang) -> JobView {
    JobView {
        id: job.id,
        finished: job.finished,
        files: job
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let o = f.outcome.as_ref();
                let n = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
                FileRow {
                    name: f.name.clone(),
                    status: f.status,
                    status_label: match f.status {
                        Status::Waiting => "…",
                        Status::Running => lang.t("running"),
                        Status::Done => lang.t("done"),
                        Status::Failed => lang.t("failed"),
                    },
                    percent: match f.status {
                        Status::Done => 100,
                        _ if f.size > 0 => (f.bytes_read * 100 / f.size).min(100),
                        _ => 0,
                    },
                    rows: o.map_or(f.rows, |o| o.rows_read),
                    inserted: n(o.map(|o| o.inserted)),
                    updated: n(o.map(|o| o.updated)),
                    rejected: n(o.map(|o| o.rejected)),
                    reject_href: f
                        .reject_path
                        .as_ref()
                        .map(|_| format!("/import/jobs/{}/rejects/{i}", job.id)),
                    error: f.error.clone(),
                }
            })
            .collect(),
        quality: if job.finished {
            job.quality
                .iter()
                .map(|q| format!("{} {} ({})", q.count, q.message, q.examples.join(", ")))
                .collect()
        } else {
            Vec::new()
        },
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ShopQuery>,
) -> PageResult {
    let lang = user.lang();
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::Import).await?;
    let jobs: Vec<JobView> = state
        .jobs
        .of_shop(shop.id)
        .iter()
        .map(|j| job_view(j, lang))
        .collect();
    let s = shop.clone();
    let history = state.db.read(move |store| Ok(store.imports(&s)?)).await?;
    let shop_q = url_encode(shop.name.as_str());
    let table = HtmlTable::of(
        "history",
        &sheets::imports(&history, lang),
        Some(format!("/export/imports?shop={shop_q}")),
        true,
    );
    Layout {
        user: &user,
        active: "import",
        title: format!("{} · {}", lang.t("import"), shop.name),
        path: "/import",
        scope: None,
        dates: None,
        notice: None,
        days: true,
    }
    .render(
        &state,
        "import.html",
        json!({
            "shop_q": shop_q,
            "formats": PRESETS.iter().map(|p| p.id).collect::<Vec<_>>(),
            "jobs": jobs,
            "table": table,
        }),
    )
    .await
}

pub async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Query(q): Query<ShopQuery>,
    form: Multipart,
) -> PageResult {
    let shop = shop_for(&state, &user, q.shop.as_deref(), Right::Import).await?;
    let name = url_encode(shop.name.as_str());
    upload::receive(&state, &user, shop, form, None, remote).await?;
    Ok(Redirect::to(&format!("/import?shop={name}")).into_response())
}

/// The job, if the user may import into its shop.
pub async fn job_for(state: &AppState, user: &CurrentUser, id: u64) -> Result<Job, AppError> {
    let job = state
        .jobs
        .get(id)
        .ok_or_else(|| AppError::NotFound(format!("no import job {id}")))?;
    let shops = state.shops().await?;
    let shop = shops
        .iter()
        .find(|s| s.id == job.shop_id)
        .ok_or_else(|| AppError::NotFound(format!("no import job {id}")))?;
    user.require(Right::Import, shop)?;
    Ok(job)
}

/// Downloads the rejected rows of one file of a job.
pub async fn rejects_response(
    state: &AppState,
    user: &CurrentUser,
    id: u64,
    file: usize,
) -> Result<axum::response::Response, AppError> {
    let job = job_for(state, user, id).await?;
    let f = job
        .files
        .get(file)
        .ok_or_else(|| AppError::NotFound(format!("import job {id} has no file {file}")))?;
    let path = f
        .reject_path
        .clone()
        .ok_or_else(|| AppError::NotFound(format!("{} had no rejected rows", f.name)))?;
    let text = tokio::fs::read_to_string(&path)
        .await
        .map_err(|e| AppError::Internal(format!("reading {}: {e}", path.display())))?;
    // The file column names the upload as the user knows it, not where the server keeps it.
    let folder = path
        .parent()
        .map(|p| format!("{}{}", p.display(), std::path::MAIN_SEPARATOR))
        .unwrap_or_default();
    let bytes = text.replace(&folder, "").into_bytes();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "rejected.csv".into());
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename*=UTF-8''{}", url_encode(&name)),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn rejects(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path((id, file)): Path<(u64, usize)>,
) -> PageResult {
    rejects_response(&state, &user, id, file)
        .await
        .map_err(PageError)
}
