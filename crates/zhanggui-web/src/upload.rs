//! Receiving export files over HTTP: a multipart form with one or more `file` fields (and
//! `csrf` and `format` fields from the page), saved under the upload directory and handed
//! to an import job.

use std::path::PathBuf;

use axum::extract::Multipart;
use zhanggui_domain::Shop;

use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::jobs;
use crate::state::AppState;

/// The largest upload accepted, in bytes.
pub const MAX_UPLOAD: usize = 2 << 30;

/// Keeps only a file name's last component and characters safe in a path.
pub fn safe_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last
        .chars()
        .map(|c| {
            if c.is_control() || ":*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').trim().to_owned();
    if cleaned.is_empty() {
        "upload".into()
    } else {
        cleaned
    }
}

/// Saves the files of a multipart upload and starts importing them into `shop`. The
/// CSRF token comes from the `csrf` field (pages) or the `X-CSRF-Token` header (API).
pub async fn receive(
    state: &AppState,
    user: &CurrentUser,
    shop: Shop,
    mut form: Multipart,
    header_csrf: Option<String>,
    remote: Option<String>,
) -> Result<u64, AppError> {
    let id = state.jobs.next_id();
    let dir = state.upload_dir.join(format!("job-{id}"));
    let mut csrf = header_csrf;
    let mut format = None;
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("the upload was cut off or malformed: {e}"))
    };
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf" => csrf = Some(field.text().await.map_err(bad)?),
            "format" => {
                let f = field.text().await.map_err(bad)?;
                format = Some(f.trim().to_owned()).filter(|f| !f.is_empty());
            }
            "file" => {
                // The token must come before any file is written.
                user.check_csrf(csrf.as_deref())?;
                let Some(original) = field.file_name().map(safe_name) else {
                    continue;
                };
                tokio::fs::create_dir_all(&dir)
                    .await
                    .map_err(|e| AppError::Internal(format!("creating {}: {e}", dir.display())))?;
                let mut name = original.clone();
                let mut n = 1;
                while files.iter().any(|(f, _)| *f == name) {
                    n += 1;
                    name = format!("{n}-{original}");
                }
                let path = dir.join(&name);
                let mut out = tokio::fs::File::create(&path)
                    .await
                    .map_err(|e| AppError::Internal(format!("saving {}: {e}", path.display())))?;
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    tokio::io::AsyncWriteExt::write_all(&mut out, &chunk)
                        .await
                        .map_err(|e| {
                            AppError::Internal(format!("saving {}: {e}", path.display()))
                        })?;
                }
                tokio::io::AsyncWriteExt::flush(&mut out)
                    .await
                    .map_err(|e| AppError::Internal(format!("saving {}: {e}", path.display())))?;
                files.push((name, path));
            }
            _ => {}
        }
    }
    user.check_csrf(csrf.as_deref())?;
    if files.is_empty() {
        return Err(AppError::BadRequest(
            "no file in the upload: send one or more `file` fields".into(),
        ));
    }
    Ok(jobs::start(
        state,
        id,
        shop,
        (user.user.id, user.user.login.clone()),
        files,
        format,
        remote,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_leave_the_upload_directory() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("C:\\x\\订单.csv"), "订单.csv");
        assert_eq!(safe_name(".."), "upload");
        assert_eq!(safe_name("a:b?.xlsx"), "a_b_.xlsx");
    }
}
