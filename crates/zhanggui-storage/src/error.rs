//! The one error type of the storage layer.

/// What can go wrong in a store. Backend errors are carried as text so that no backend's
/// types leak to callers.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a shop named `{0}` already exists")]
    ShopExists(String),
    #[error("a user with the login `{0}` already exists")]
    UserExists(String),
    #[error("cannot open the database at {path}: {reason}")]
    Open { path: String, reason: String },
    #[error("the database at {path} is in use by another zhanggui process (one writer per database file): stop it or use its web API")]
    Locked { path: String },
    #[error("the database was written by a newer zhanggui (schema version {found}, this build knows up to {known}); upgrade zhanggui")]
    TooNew { found: i64, known: i64 },
    #[error("no {0}")]
    NotFound(String),
    #[error("{0} already exists")]
    Exists(String),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Backend(String),
}

impl From<duckdb::Error> for StoreError {
    fn from(err: duckdb::Error) -> Self {
        StoreError::Backend(err.to_string())
    }
}
