//! A page form that sends one file in memory (a review export, a cost sheet): its text
//! fields, the file's name and bytes, with the CSRF token checked before the file is read
//! and a size limit.

use std::collections::HashMap;

use axum::extract::Multipart;

use crate::auth::CurrentUser;
use crate::error::AppError;

/// What the form sent.
pub struct OneFile {
    pub fields: HashMap<String, String>,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Reads a multipart form with text fields (`csrf` among them, before the file) and one
/// `file` of at most `max` bytes.
pub async fn read_one_file(
    user: &CurrentUser,
    mut form: Multipart,
    max: usize,
) -> Result<OneFile, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("the upload was cut off or malformed: {e}"))
    };
    let mut out = OneFile {
        fields: HashMap::new(),
        name: String::new(),
        bytes: Vec::new(),
    };
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            user.check_csrf(out.fields.get("csrf").map(String::as_str))?;
            out.name = field.file_name().unwrap_or("upload").to_owned();
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if out.bytes.len() + chunk.len() > max {
                    return Err(AppError::BadRequest(format!(
                        "the file is larger than {} MB",
                        max >> 20
                    )));
                }
                out.bytes.extend_from_slice(&chunk);
            }
        } else {
            out.fields.insert(name, field.text().await.map_err(bad)?);
        }
    }
    user.check_csrf(out.fields.get("csrf").map(String::as_str))?;
    Ok(out)
}
