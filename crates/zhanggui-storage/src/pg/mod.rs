//! The PostgreSQL backend, for a team server: the same schema as the embedded database
//! under the same migration numbers (`migrations/postgres/`), with every table's key
//! declared as its primary key, shop_id first (docs/scaling.md).
//!
//! So far the backend opens a server from a `postgres://` URL and brings its schema up to
//! date, and a whole installation can be copied to it and back (`crate::copy`); the
//! storage traits are implemented by the DuckDB backend only.

use std::sync::Mutex;

use postgres::{Client, NoTls};

use crate::duck::AppliedMigration;
use crate::migrations::{pending, Migration, MIGRATIONS, SCHEMA_TABLE};
use crate::StoreError;

/// Whether `db` names a PostgreSQL server rather than a database file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// A connection to a PostgreSQL database.
pub struct PgStore {
    client: Mutex<Client>,
    shown: String,
}

/// The advisory lock key migrations take, so that servers starting together apply each
/// migration once ("zg-migrate" as eight bytes).
const MIGRATION_LOCK: i64 = 0x7a67_2d6d_6967_7261;

impl PgStore {
    /// Connects to `url` and brings the schema up to date.
    pub fn open(url: &str) -> Result<(Self, Vec<AppliedMigration>), StoreError> {
        let shown = without_password(url);
        let client = Client::connect(url, NoTls).map_err(|e| StoreError::Open {
            path: shown.clone(),
            reason: e.to_string(),
        })?;
        let store = PgStore {
            client: Mutex::new(client),
            shown,
        };
        let applied = store.migrate(MIGRATIONS)?;
        Ok((store, applied))
    }

    /// The server and database, as the URL names them (the password left out).
    pub fn shown(&self) -> &str {
        &self.shown
    }

    pub(crate) fn client(&self) -> std::sync::MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        version(&mut self.client())
    }

    fn migrate(&self, migrations: &[Migration]) -> Result<Vec<AppliedMigration>, StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(SCHEMA_TABLE)?;
        let current: i64 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM schema_migrations",
                &[],
            )?
            .get(0);
        let mut applied = Vec::new();
        for m in pending(migrations, current)? {
            tx.batch_execute(m.postgres).map_err(|e| {
                StoreError::Backend(format!("migration {:04} {}: {e}", m.version, m.name))
            })?;
            tx.execute(
                "INSERT INTO schema_migrations VALUES ($1, $2, now() AT TIME ZONE 'UTC')",
                &[&m.version, &m.name],
            )?;
            applied.push(AppliedMigration {
                version: m.version,
                name: m.name,
            });
        }
        tx.commit()?;
        Ok(applied)
    }
}

fn version(client: &mut Client) -> Result<i64, StoreError> {
    Ok(client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            &[],
        )?
        .get(0))
}

/// `url` with any password replaced by `***`, for messages.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

impl From<postgres::Error> for StoreError {
    fn from(err: postgres::Error) -> Self {
        StoreError::Backend(err.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_told_from_files_and_shown_without_their_password() {
        assert!(is_postgres_url("postgres://zg@db/zhanggui"));
        assert!(is_postgres_url("postgresql://zg@db/zhanggui"));
        assert!(!is_postgres_url("shops/zhanggui.duckdb"));
        assert_eq!(
            without_password("postgres://zg:s3cret@db:5432/zhanggui"),
            "postgres://zg:***@db:5432/zhanggui"
        );
        assert_eq!(
            without_password("postgres://zg@db/zhanggui"),
            "postgres://zg@db/zhanggui"
        );
        assert_eq!(
            without_password("postgres:///zhanggui"),
            "postgres:///zhanggui"
        );
    }
}
