//! What every request shares: the database connections, the cache of computed pages, the
//! login limiter, the import jobs and the templates.

use std::any::Any;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use std::time::{Duration, Instant};

use zhanggui_domain::Shop;
use zhanggui_storage::{DuckStore, Store, StoreError};

use crate::auth::CurrentUser;

use crate::auth::limiter::LoginLimiter;
use crate::error::AppError;
use crate::jobs::Jobs;
use crate::templates::Templates;

/// Shared by all requests; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Db>,
    pub cache: Arc<Cache>,
    pub limiter: Arc<LoginLimiter>,
    pub jobs: Arc<Jobs>,
    pub templates: Arc<Templates>,
    /// Where uploaded files and their reject files are kept.
    pub upload_dir: PathBuf,
    /// Where script images are kept: `images` beside the uploads folder (both beside the
    /// database).
    pub image_dir: PathBuf,
    /// Cookies carry `Secure` (the site is served over TLS, directly or by a proxy).
    pub secure_cookies: bool,
    /// Who holds which session or token, and the shops: read on every request, so kept in
    /// memory and dropped when they change (`forget_accounts`, `forget_shops`).
    pub accounts: Arc<Remembered>,
}

/// Signed-in users by credential, and the list of shops.
#[derive(Default)]
pub struct Remembered {
    users: Mutex<HashMap<String, (Instant, CurrentUser)>>,
    shops: RwLock<Option<Arc<Vec<Shop>>>>,
}

/// How long a credential is trusted without looking at the database again.
pub const REMEMBER: Duration = Duration::from_secs(60);

impl Remembered {
    pub fn user(&self, key: &str, now: Instant) -> Option<CurrentUser> {
        let map = self.users.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|(at, _)| now.duration_since(*at) < REMEMBER)
            .map(|(_, u)| u.clone())
    }

    pub fn remember(&self, key: String, now: Instant, user: CurrentUser) {
        let mut map = self.users.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 10_000 {
            map.retain(|_, (at, _)| now.duration_since(*at) < REMEMBER);
        }
        map.insert(key, (now, user));
    }

    /// A session ended, a token was revoked, a role or user changed.
    pub fn forget_accounts(&self) {
        self.users.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    pub fn forget_shops(&self) {
        *self.shops.write().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

impl AppState {
    /// Every shop, from memory once read.
    pub async fn shops(&self) -> Result<Arc<Vec<Shop>>, AppError> {
        if let Some(s) = self
            .accounts
            .shops
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            return Ok(Arc::clone(s));
        }
        let shops = Arc::new(self.db.read(|s| Ok(s.shops()?)).await?);
        *self
            .accounts
            .shops
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some(Arc::clone(&shops));
        Ok(shops)
    }
}

impl AppState {
    pub fn new(
        store: DuckStore,
        connections: usize,
        upload_dir: PathBuf,
        secure_cookies: bool,
    ) -> Result<AppState, StoreError> {
        Ok(AppState {
            db: Arc::new(Db::new(store, connections)?),
            cache: Arc::new(Cache::default()),
            limiter: Arc::new(LoginLimiter::default()),
            jobs: Arc::new(Jobs::default()),
            templates: Arc::new(Templates::new()),
            image_dir: upload_dir.with_file_name("images"),
            upload_dir,
            secure_cookies,
            accounts: Arc::new(Remembered::default()),
        })
    }
}

/// A few connections to the one database file. Work runs on the blocking thread pool;
/// rebuilding derived tables takes the gate alone so readers never race a rebuild.
pub struct Db {
    conns: Vec<Mutex<DuckStore>>,
    next: AtomicUsize,
    gate: RwLock<()>,
}

impl Db {
    pub fn new(store: DuckStore, connections: usize) -> Result<Db, StoreError> {
        let mut conns = Vec::new();
        for _ in 1..connections.max(1) {
            conns.push(Mutex::new(store.try_clone()?));
        }
        conns.insert(0, Mutex::new(store));
        Ok(Db {
            conns,
            next: AtomicUsize::new(0),
            gate: RwLock::new(()),
        })
    }

    fn with_conn<T>(&self, f: impl FnOnce(&DuckStore) -> T) -> T {
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let n = self.conns.len();
        for i in 0..n {
            if let Ok(conn) = self.conns[(start + i) % n].try_lock() {
                return f(&conn);
            }
        }
        let conn = self.conns[start % n]
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        f(&conn)
    }

    /// Runs `f` with a connection, beside other readers and writers of rows.
    pub async fn read<T, F>(self: &Arc<Self>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&DuckStore) -> Result<T, AppError> + Send + 'static,
    {
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _shared = db.gate.read().unwrap_or_else(|p| p.into_inner());
            db.with_conn(f)
        })
        .await?
    }

    /// Runs `f` alone: no other work runs meanwhile (rebuilding derived tables).
    pub async fn exclusive<T, F>(self: &Arc<Self>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&DuckStore) -> Result<T, AppError> + Send + 'static,
    {
        let db = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let _alone = db.gate.write().unwrap_or_else(|p| p.into_inner());
            db.with_conn(f)
        })
        .await?
    }

    /// The same as `read`, for a thread that is already off the async runtime.
    pub fn read_blocking<T>(&self, f: impl FnOnce(&DuckStore) -> T) -> T {
        let _shared = self.gate.read().unwrap_or_else(|p| p.into_inner());
        self.with_conn(f)
    }

    /// The same as `exclusive`, for a thread that is already off the async runtime.
    pub fn exclusive_blocking<T>(&self, f: impl FnOnce(&DuckStore) -> T) -> T {
        let _alone = self.gate.write().unwrap_or_else(|p| p.into_inner());
        self.with_conn(f)
    }
}

/// Computed results (reports, diagnoses) by what was asked, dropped whenever data or
/// settings change: an import or a setting bumps the generation.
#[derive(Default)]
pub struct Cache {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, (u64, Computed)>>,
}

/// A computed result of any type, shared by the requests that read it.
type Computed = Arc<dyn Any + Send + Sync>;

/// Entries kept before the cache is emptied.
const CACHE_LIMIT: usize = 512;

impl Cache {
    pub fn get<T: Any + Send + Sync>(&self, key: &str) -> Option<Arc<T>> {
        let generation = self.generation.load(Ordering::Acquire);
        let map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        map.get(key)
            .filter(|(g, _)| *g == generation)
            .and_then(|(_, v)| Arc::clone(v).downcast::<T>().ok())
    }

    /// Stores a value computed at `generation` (read before computing, so that a change
    /// made meanwhile is not hidden).
    pub fn put<T: Any + Send + Sync>(&self, key: String, generation: u64, value: Arc<T>) {
        let mut map = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() >= CACHE_LIMIT {
            map.clear();
        }
        map.insert(key, (generation, value));
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Data or settings changed: everything computed before is stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}
