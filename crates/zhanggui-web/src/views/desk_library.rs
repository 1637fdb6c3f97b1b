//! Changing the desk's data from the cockpit: scripts added, edited, deleted, restored,
//! exported and imported as the user's scope allows; review and tracking files imported.
//! The command line owns the database while it runs, so a running cockpit is where a team
//! changes its library.

use serde::{Deserialize, Serialize};
use zhanggui_desk::editing::{self, EditError, ImportReport};
use zhanggui_desk::library::{can_read, Actor, Scope};
use zhanggui_desk::transfer::{csv_rows, to_csv, to_xlsx};
use zhanggui_domain::Shop;
use zhanggui_storage::{DuckStore, ReviewStore, ScriptRecord, ScriptStore};

use super::desk::actor_of;
use super::uploaded_file::UploadedFile;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::state::AppState;

impl From<EditError> for AppError {
    fn from(e: EditError) -> Self {
        match e {
            EditError::Refused(m) => AppError::BadRequest(m),
            EditError::Forbidden(m) => AppError::Forbidden(m),
            EditError::NotFound(m) => AppError::NotFound(m),
            EditError::Store(e) => e.into(),
        }
    }
}

/// A script's fields as the API takes them.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ScriptInput {
    /// public, department or personal (a personal script is the user's own)
    pub scope: String,
    pub department: Option<String>,
    pub category: String,
    pub subcategory: Option<String>,
    pub title: String,
    /// The text, with variables such as {买家昵称}
    pub text: String,
    pub shortcut: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// https:// addresses or names of stored pictures
    #[serde(default)]
    pub images: Vec<String>,
}

/// A saved version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub id: i64,
    pub version: i32,
    pub deleted: bool,
}

fn record_of(
    input: ScriptInput,
    user: &CurrentUser,
    id: Option<i64>,
) -> Result<ScriptRecord, AppError> {
    let scope = Scope::parse(&input.scope).ok_or_else(|| {
        AppError::BadRequest(format!(
            "scope: `{}` is not public, department or personal",
            input.scope
        ))
    })?;
    let blank = |v: Option<String>| v.filter(|x| !x.trim().is_empty());
    Ok(ScriptRecord {
        id,
        scope: scope.as_str().to_owned(),
        department: blank(input.department),
        owner: (scope == Scope::Personal).then(|| user.user.login.clone()),
        category: input.category,
        subcategory: blank(input.subcategory),
        title: input.title,
        body: input.text,
        shortcut: blank(input.shortcut),
        tags: input.tags,
        images: input.images,
        version: 0,
        deleted: false,
        updated_at: None,
        updated_by: None,
    })
}

/// Checks the images of a script: addresses, or pictures stored beside the database.
fn check_images(state: &AppState, s: &ScriptRecord) -> Result<(), AppError> {
    for i in &s.images {
        let address = i.starts_with("https://") || i.starts_with("http://");
        let stored = zhanggui_desk::images::is_stored_name(i) && state.image_dir.join(i).is_file();
        if !address && !stored {
            return Err(AppError::BadRequest(format!(
                "image `{i}`: an https:// address or a stored picture's name"
            )));
        }
    }
    Ok(())
}

/// Runs `f` on the database as the user (the library's view of them in the shop).
async fn as_user<T, F>(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    f: F,
) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce(&DuckStore, &Shop, &Actor) -> Result<T, AppError> + Send + 'static,
{
    let (s, u) = (shop.clone(), user.clone());
    state
        .db
        .read(move |store| {
            let actor = actor_of(store, &u, &s)?;
            f(store, &s, &actor)
        })
        .await
}

/// Runs a change of the library as the user; the cached search index is dropped after it.
async fn change<F>(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    deleted: bool,
    f: F,
) -> Result<Saved, AppError>
where
    F: FnOnce(&DuckStore, &Shop, &Actor) -> Result<(i64, i32), AppError> + Send + 'static,
{
    let (id, version) = as_user(state, user, shop, f).await?;
    state.cache.invalidate();
    Ok(Saved {
        id,
        version,
        deleted,
    })
}

/// Adds a script (`id` None) or saves a script's next version.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    id: Option<i64>,
    input: ScriptInput,
) -> Result<Saved, AppError> {
    let new = record_of(input, user, id)?;
    check_images(state, &new)?;
    change(state, user, shop, false, move |store, s, actor| {
        let old = id.map(|id| editing::find(store, s, id)).transpose()?;
        // A personal script keeps its owner when someone allowed edits it.
        let new = match &old {
            Some(o) if o.scope == "personal" && new.scope == "personal" => ScriptRecord {
                owner: o.owner.clone(),
                ..new
            },
            _ => new,
        };
        Ok(editing::save(store, s, actor, old.as_ref(), &new)?)
    })
    .await
}

/// Deletes a script (a new version that keeps it restorable).
pub async fn delete(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    id: i64,
) -> Result<Saved, AppError> {
    change(state, user, shop, true, move |store, s, actor| {
        let old = editing::find(store, s, id)?;
        let new = ScriptRecord {
            deleted: true,
            ..old.clone()
        };
        Ok(editing::save(store, s, actor, Some(&old), &new)?)
    })
    .await
}

/// Every version of a script the user may read, oldest first.
pub async fn versions(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    id: i64,
) -> Result<Vec<ScriptRecord>, AppError> {
    as_user(state, user, shop, move |store, s, actor| {
        let versions = store.script_versions(s, id)?;
        match versions.last() {
            Some(last) if can_read(actor, last) => Ok(versions),
            _ => Err(AppError::NotFound(format!("no script {id} you may see"))),
        }
    })
    .await
}

/// Saves an earlier version's content as the next version.
pub async fn restore(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    id: i64,
    version: i32,
) -> Result<Saved, AppError> {
    change(state, user, shop, false, move |store, s, actor| {
        Ok(editing::restore(store, s, actor, id, version)?)
    })
    .await
}

/// The scripts the user may read, as the library's export (CSV or XLSX bytes).
pub async fn export(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    xlsx: bool,
) -> Result<Vec<u8>, AppError> {
    as_user(state, user, shop, move |store, s, actor| {
        let visible: Vec<ScriptRecord> = store
            .scripts(s, false)?
            .into_iter()
            .filter(|x| can_read(actor, x))
            .collect();
        let fail = |e: zhanggui_desk::transfer::TransferError| AppError::Internal(e.to_string());
        Ok(if xlsx {
            to_xlsx(&visible).map_err(fail)?
        } else {
            to_csv(&visible).map_err(fail)?.into_bytes()
        })
    })
    .await
}

/// Imports a library file (CSV text, the export's columns) as the user.
pub async fn import(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    text: String,
    replace: bool,
    dry_run: bool,
) -> Result<ImportReport, AppError> {
    let rows = csv_rows(&text).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let (s, u) = (shop.clone(), user.clone());
    let report = state
        .db
        .read(move |store| {
            let actor = actor_of(store, &u, &s)?;
            Ok(editing::import_rows(
                store, &s, &actor, rows, replace, dry_run,
            )?)
        })
        .await?;
    if !dry_run {
        state.cache.invalidate();
    }
    Ok(report)
}

/// What importing a review or tracking file did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SideImport {
    pub read: usize,
    pub new: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Rows not read: their row number and why.
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RejectedRow {
    pub row: u64,
    pub reason: String,
}

/// Imports a review export or a tracking export sent as the request's body (new reviews
/// drop the cached readings).
pub async fn import_side(
    state: &AppState,
    shop: &Shop,
    bytes: Vec<u8>,
    reviews: bool,
) -> Result<SideImport, AppError> {
    let file = UploadedFile::save(state, "desk", &bytes)?;
    let path = file.path().to_path_buf();
    let s = shop.clone();
    let p = path.clone();
    let result = state
        .db
        .read(move |store| {
            let bad = |e: zhanggui_import::side::SideError| AppError::BadRequest(e.to_string());
            let rejected_of = |r: Vec<zhanggui_import::side::RejectedRow>| {
                r.into_iter()
                    .map(|x| RejectedRow {
                        row: x.row,
                        reason: x.reason,
                    })
                    .collect()
            };
            if reviews {
                let read = zhanggui_import::side::reviews::read_reviews(&p, s.timezone, &[])
                    .map_err(bad)?;
                let saved = store.save_reviews(&s, &read.reviews)?;
                Ok(SideImport {
                    read: read.reviews.len(),
                    new: saved.new,
                    updated: saved.updated,
                    unchanged: saved.unchanged,
                    rejected: rejected_of(read.rejected),
                })
            } else {
                let read = zhanggui_import::side::logistics::read_events(&p, s.timezone, &[])
                    .map_err(bad)?;
                let new = store.save_logistics_events(&s, &read.events)?;
                Ok(SideImport {
                    read: read.events.len(),
                    new,
                    updated: 0,
                    unchanged: read.events.len() - new,
                    rejected: rejected_of(read.rejected),
                })
            }
        })
        .await;
    drop(file);
    if reviews && result.is_ok() {
        state.cache.invalidate();
    }
    result
}
