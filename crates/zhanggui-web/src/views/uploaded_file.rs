//! An uploaded side file (an ad report, a cost sheet, a review export) kept in the upload
//! directory under a random name while its importer reads it, and removed when dropped.

use std::path::{Path, PathBuf};

use crate::error::AppError;
use crate::state::AppState;

pub struct UploadedFile {
    path: PathBuf,
}

impl UploadedFile {
    /// Writes `bytes` as `PREFIX-RANDOM.upload`; an empty body is refused.
    pub fn save(state: &AppState, prefix: &str, bytes: &[u8]) -> Result<Self, AppError> {
        use rand::Rng;
        if bytes.is_empty() {
            return Err(AppError::BadRequest(
                "the body is empty: send the file".into(),
            ));
        }
        std::fs::create_dir_all(&state.upload_dir)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let path = state.upload_dir.join(format!(
            "{prefix}-{:016x}.upload",
            rand::rng().random::<u64>()
        ));
        std::fs::write(&path, bytes).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(UploadedFile { path })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for UploadedFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}
