//! A cost sheet, bill, expense sheet or ad spend sheet uploaded from the 利润 page: saved to
//! the upload directory, imported as `zhanggui costs import` would (the kind told from its
//! header), removed; the cached figures dropped when it worked.

use zhanggui_domain::Shop;
use zhanggui_import::side::cost_import::{import_cost_sheet, CostImport, CostImportError};

use super::uploaded_file::UploadedFile;
use crate::error::AppError;
use crate::state::AppState;

/// Imports an uploaded cost sheet, bill, expense sheet or ad spend sheet (the kind told
/// from its header) into `shop`; the cached figures are dropped when anything was saved.
pub async fn import_costs(
    state: &AppState,
    shop: &Shop,
    bytes: Vec<u8>,
) -> Result<CostImport, AppError> {
    let file = UploadedFile::save(state, "costs", &bytes)?;
    let path = file.path().to_path_buf();
    let (s, p) = (shop.clone(), path.clone());
    let result = state
        .db
        .read(move |store| {
            import_cost_sheet(store, &s, None, &p, &[]).map_err(|e| match e {
                CostImportError::Store(e) => e.into(),
                CostImportError::Unrecognised(_) => AppError::BadRequest(
                    "the file is not a cost sheet (商家编码, 成本价), a bill (发生时间 and amounts), \
                     an expense sheet (费用名称, 类别) or an ad spend sheet (日期, 花费) by its header"
                        .into(),
                ),
                other => AppError::BadRequest(other.to_string()),
            })
        })
        .await;
    drop(file);
    if result.is_ok() {
        state.cache.invalidate();
    }
    result
}
