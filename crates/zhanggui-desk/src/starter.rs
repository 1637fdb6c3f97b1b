//! Installing a starter library into a shop: departments, reply scripts from a file in the
//! library's export format, and the knowledge base (the demo's shop starts this way).

use zhanggui_domain::Shop;
use zhanggui_storage::ScriptStore;

use crate::answers::{knowledge_rows, STARTER_KNOWLEDGE};
use crate::transfer::{csv_rows, parse, plan};

/// Why a starter library could not be installed.
#[derive(Debug, thiserror::Error)]
pub enum StarterError {
    #[error("the starter library has rows it cannot save: {0}")]
    Rows(String),
    #[error(transparent)]
    Transfer(#[from] crate::transfer::TransferError),
    #[error(transparent)]
    Store(#[from] zhanggui_storage::StoreError),
}

/// Adds the departments, the scripts of `scripts_csv` (saved by `by`) and the starter
/// knowledge base; returns how many scripts were added.
pub fn install<S: ScriptStore>(
    store: &S,
    shop: &Shop,
    departments: &[&str],
    scripts_csv: &str,
    by: &str,
) -> Result<usize, StarterError> {
    for d in departments {
        store.add_department(shop, d)?;
    }
    let (incoming, rejected) = parse(csv_rows(scripts_csv)?)?;
    let p = plan(&[], incoming, &store.departments(shop)?);
    if !rejected.is_empty() || !p.rejected.is_empty() || !p.duplicates.is_empty() {
        return Err(StarterError::Rows(format!(
            "{rejected:?} {:?} {:?}",
            p.rejected, p.duplicates
        )));
    }
    for inc in &p.insert {
        store.save_script(shop, &inc.script, Some(by))?;
    }
    for entry in &knowledge_rows(csv_rows(STARTER_KNOWLEDGE)?)? {
        store.save_knowledge(shop, entry)?;
    }
    Ok(p.insert.len())
}
