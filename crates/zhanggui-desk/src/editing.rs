//! Changing the library as a user: saving a script (new, edited, deleted) under the rules
//! of `library`, restoring a version, and importing rows from a CSV or XLSX file with the
//! report of what was new, unchanged, duplicated, in conflict or rejected. The command line
//! and the cockpit's API both change the library through here.

use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{ScriptRecord, ScriptStore, StoreError};

use crate::library::{can_edit, may_save, Actor, LibraryError};
use crate::transfer::{parse, plan, TransferError};

/// Why a change was not made.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Not a valid script or file: the user's mistake.
    #[error("{0}")]
    Refused(String),
    /// The user may not make this change.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<LibraryError> for EditError {
    fn from(e: LibraryError) -> Self {
        match e {
            LibraryError::Forbidden(m) => EditError::Forbidden(m),
            LibraryError::Invalid(m) => EditError::Refused(m),
        }
    }
}

impl From<TransferError> for EditError {
    fn from(e: TransferError) -> Self {
        EditError::Refused(e.to_string())
    }
}

/// A script of the shop by id, deleted ones included.
pub fn find<S: ScriptStore>(store: &S, shop: &Shop, id: i64) -> Result<ScriptRecord, EditError> {
    store
        .scripts(shop, true)?
        .into_iter()
        .find(|s| s.id == Some(id))
        .ok_or_else(|| EditError::NotFound(format!("no script {id} in {}", shop.name)))
}

/// Saves `new` (replacing `old`) if the actor may; returns its id and version.
pub fn save<S: ScriptStore>(
    store: &S,
    shop: &Shop,
    actor: &Actor,
    old: Option<&ScriptRecord>,
    new: &ScriptRecord,
) -> Result<(i64, i32), EditError> {
    may_save(actor, old, new, &store.departments(shop)?)?;
    Ok(store.save_script(shop, new, Some(&actor.login))?)
}

/// Saves version `version` of a script's content as its next version.
pub fn restore<S: ScriptStore>(
    store: &S,
    shop: &Shop,
    actor: &Actor,
    id: i64,
    version: i32,
) -> Result<(i64, i32), EditError> {
    let versions = store.script_versions(shop, id)?;
    let old = versions
        .last()
        .cloned()
        .ok_or_else(|| EditError::NotFound(format!("no script {id} in {}", shop.name)))?;
    let wanted = versions
        .iter()
        .find(|v| v.version == version)
        .ok_or_else(|| {
            EditError::NotFound(format!("script {id} has versions 1 to {}", old.version))
        })?;
    save(store, shop, actor, Some(&old), wanted)
}

/// A row repeating an earlier one.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    pub row: usize,
    pub repeats_row: usize,
}

/// A row that would change an existing script.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub row: usize,
    pub script: i64,
    pub differs_in: String,
    pub applied: bool,
}

/// A row refused.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub row: usize,
    pub reason: String,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    pub inserted: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub duplicates: Vec<Duplicate>,
    pub conflicts: Vec<Conflict>,
    pub rejected: Vec<Refusal>,
}

/// Imports rows (a header row first, the export's columns) as the actor: new scripts are
/// added, conflicts applied only with `replace`, rows the actor may not save refused.
pub fn import_rows<S: ScriptStore>(
    store: &S,
    shop: &Shop,
    actor: &Actor,
    rows: Vec<Vec<String>>,
    replace: bool,
    dry_run: bool,
) -> Result<ImportReport, EditError> {
    let (incoming, mut rejected) = parse(rows)?;
    let departments = store.departments(shop)?;
    let existing = store.scripts(shop, false)?;
    let mut p = plan(&existing, incoming, &departments);
    rejected.append(&mut p.rejected);
    let allowed = |s: &ScriptRecord, old: Option<&ScriptRecord>| {
        old.is_none_or(|o| can_edit(actor, o)) && can_edit(actor, s)
    };
    let mut inserted = 0;
    let mut replaced = 0;
    for inc in &p.insert {
        if !allowed(&inc.script, None) {
            rejected.push((inc.row, format!("{} may not save this script", actor.login)));
            continue;
        }
        if !dry_run {
            store.save_script(shop, &inc.script, Some(&actor.login))?;
        }
        inserted += 1;
    }
    let mut conflicts = Vec::new();
    for (inc, id, what) in &p.conflicts {
        let old = existing.iter().find(|e| e.id == Some(*id));
        if !allowed(&inc.script, old) {
            rejected.push((
                inc.row,
                format!("{} may not change script {id}", actor.login),
            ));
            continue;
        }
        if replace {
            let new = ScriptRecord {
                id: Some(*id),
                ..inc.script.clone()
            };
            if !dry_run {
                store.save_script(shop, &new, Some(&actor.login))?;
            }
            replaced += 1;
        }
        conflicts.push(Conflict {
            row: inc.row,
            script: *id,
            differs_in: what.clone(),
            applied: replace,
        });
    }
    rejected.sort();
    Ok(ImportReport {
        dry_run,
        inserted,
        replaced,
        unchanged: p.unchanged.len(),
        duplicates: p
            .duplicates
            .iter()
            .map(|(row, first)| Duplicate {
                row: *row,
                repeats_row: *first,
            })
            .collect(),
        conflicts,
        rejected: rejected
            .into_iter()
            .map(|(row, reason)| Refusal { row, reason })
            .collect(),
    })
}
