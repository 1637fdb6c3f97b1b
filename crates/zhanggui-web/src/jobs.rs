//! Imports started from the browser: each upload becomes a job that imports its files one
//! after another on a thread of its own, reporting progress that pages and the API read
//! while it runs.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use zhanggui_domain::{Shop, ShopId};
use zhanggui_import::{import_file, ImportOptions, ImportOutcome, Progress};
use zhanggui_storage::accounts::AuditEntry;
use zhanggui_storage::{AccountStore, QualityFinding, Store};

use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Waiting,
    Running,
    Done,
    Failed,
}

/// One file of a job.
#[derive(Debug, Clone, Serialize)]
pub struct FileJob {
    pub name: String,
    #[serde(skip)]
    pub path: PathBuf,
    pub status: Status,
    pub bytes_read: u64,
    pub size: u64,
    pub rows: u64,
    pub outcome: Option<ImportOutcome>,
    pub error: Option<String>,
    /// Where the rejected rows were written (the outcome names only the file).
    #[serde(skip)]
    pub reject_path: Option<PathBuf>,
}

/// One upload of one or more files into one shop.
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: u64,
    pub shop: String,
    #[serde(skip)]
    pub shop_id: ShopId,
    pub user_id: i32,
    pub files: Vec<FileJob>,
    /// The data-quality checks once every file of the upload is in (they look at the whole
    /// shop, so the state after the last file is the one worth showing).
    pub quality: Vec<QualityFinding>,
    pub finished: bool,
}

/// Every job since the server started.
#[derive(Default)]
pub struct Jobs {
    next: AtomicU64,
    jobs: Mutex<HashMap<u64, Arc<Mutex<Job>>>>,
}

impl Jobs {
    pub fn get(&self, id: u64) -> Option<Job> {
        let map = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        map.get(&id)
            .map(|j| j.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    /// The jobs of a shop, newest first.
    pub fn of_shop(&self, shop: ShopId) -> Vec<Job> {
        let map = self.jobs.lock().unwrap_or_else(|p| p.into_inner());
        let mut jobs: Vec<Job> = map
            .values()
            .map(|j| j.lock().unwrap_or_else(|p| p.into_inner()).clone())
            .filter(|j| j.shop_id == shop)
            .collect();
        jobs.sort_by_key(|j| std::cmp::Reverse(j.id));
        jobs
    }

    pub fn next_id(&self) -> u64 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    fn insert(&self, job: Job) -> Arc<Mutex<Job>> {
        let id = job.id;
        let shared = Arc::new(Mutex::new(job));
        self.jobs
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id, Arc::clone(&shared));
        shared
    }
}

struct FileProgress {
    job: Arc<Mutex<Job>>,
    index: usize,
}

impl Progress for FileProgress {
    fn update(&self, bytes: u64, size: u64, rows: u64) {
        let mut job = self.job.lock().unwrap_or_else(|p| p.into_inner());
        let f = &mut job.files[self.index];
        f.bytes_read = bytes;
        f.size = size;
        f.rows = rows;
    }
}

/// Starts importing saved files into a shop; returns the job's id at once.
pub fn start(
    state: &AppState,
    id: u64,
    shop: Shop,
    user: (i32, String),
    files: Vec<(String, PathBuf)>,
    format: Option<String>,
    remote: Option<String>,
) -> u64 {
    let job = state.jobs.insert(Job {
        id,
        shop: shop.name.to_string(),
        shop_id: shop.id,
        user_id: user.0,
        files: files
            .into_iter()
            .map(|(name, path)| FileJob {
                size: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
                name,
                path,
                status: Status::Waiting,
                bytes_read: 0,
                rows: 0,
                outcome: None,
                error: None,
                reject_path: None,
            })
            .collect(),
        quality: Vec::new(),
        finished: false,
    });
    let state = state.clone();
    std::thread::spawn(move || run(&state, &job, &shop, &user, format, remote));
    id
}

fn run(
    state: &AppState,
    job: &Arc<Mutex<Job>>,
    shop: &Shop,
    user: &(i32, String),
    format: Option<String>,
    remote: Option<String>,
) {
    let count = job.lock().unwrap_or_else(|p| p.into_inner()).files.len();
    let options = ImportOptions {
        format,
        defer_checks: true,
        ..ImportOptions::default()
    };
    let mut imported = false;
    for index in 0..count {
        let path = {
            let mut j = job.lock().unwrap_or_else(|p| p.into_inner());
            j.files[index].status = Status::Running;
            j.files[index].path.clone()
        };
        let progress = FileProgress {
            job: Arc::clone(job),
            index,
        };
        let result = state
            .db
            .read_blocking(|store| import_file(store, shop, &path, &options, &progress));
        let detail = {
            let mut j = job.lock().unwrap_or_else(|p| p.into_inner());
            let f = &mut j.files[index];
            match result {
                Ok(mut outcome) => {
                    imported = true;
                    f.status = Status::Done;
                    f.reject_path = outcome.reject_file.take();
                    outcome.reject_file = f
                        .reject_path
                        .as_ref()
                        .and_then(|p| p.file_name())
                        .map(PathBuf::from);
                    // Name the file as the user knows it, not where the server keeps it.
                    outcome.file = f.name.clone();
                    for r in &mut outcome.rejections {
                        r.file = f.name.clone();
                    }
                    outcome.reject_file_error = outcome
                        .reject_file_error
                        .map(|e| e.replace(&path.display().to_string(), &f.name));
                    let d = format!(
                        "{}: {} rows, {} inserted, {} updated, {} rejected",
                        f.name,
                        outcome.rows_read,
                        outcome.inserted,
                        outcome.updated,
                        outcome.rejected
                    );
                    f.outcome = Some(outcome);
                    d
                }
                Err(e) => {
                    f.status = Status::Failed;
                    // Name the file as the user knows it, not where the server keeps it.
                    f.error = Some(e.to_string().replace(&path.display().to_string(), &f.name));
                    format!("{}: failed: {e}", f.name)
                }
            }
        };
        state.db.read_blocking(|store| {
            let _ = store.audit(&AuditEntry {
                at: chrono::Utc::now().naive_utc(),
                user_id: Some(user.0),
                login: user.1.clone(),
                action: "import".into(),
                shop_id: Some(shop.id),
                detail,
                remote: remote.clone(),
            });
        });
    }
    if imported {
        match state.db.read_blocking(|store| store.quality_checks(shop)) {
            Ok(quality) => job.lock().unwrap_or_else(|p| p.into_inner()).quality = quality,
            Err(e) => {
                tracing::error!(shop = %shop.name, error = %e, "data-quality checks after an upload")
            }
        }
    }
    // Rebuild what reports derive from the orders now, alone, so that readers find it
    // ready rather than racing to rebuild it.
    if let Err(e) = state.db.exclusive_blocking(|store| store.refresh(shop)) {
        tracing::error!(shop = %shop.name, error = %e, "refreshing derived tables after an import");
    }
    state.cache.invalidate();
    job.lock().unwrap_or_else(|p| p.into_inner()).finished = true;
}
