//! The embedded DuckDB backend: one file per installation, nothing to install.

mod accounts;
mod ad_measures;
mod columns;
mod costs;
mod courier;
mod facts;
mod history;
mod import;
mod local_time;
mod measures;
mod merge;
mod notify;
mod peers;
mod profit;
mod profit_inputs;
mod promotion;
mod quality;
mod reviews;
mod scripts;
pub(crate) use scripts::in_transaction;
mod segments;
mod shops;
mod summary;
mod targets;
mod traffic_split;

use std::path::{Path, PathBuf};

use duckdb::Connection;

pub use facts::FactsRefresh;

use crate::migrations::{pending, Migration, MIGRATIONS, SCHEMA_TABLE};
use crate::{
    CohortCell, CohortRepeat, CustomerHistory, DataSpan, DayRange, GroupBy, ImportRecord,
    ImportSink, MeasureTable, PeerFigure, ProductDay, QualityFinding, ShopSummary, Store,
    StoreError,
};
use zhanggui_domain::{NewShop, Shop, ShopName};

/// A DuckDB database file (or an in-memory database for tests).
pub struct DuckStore {
    conn: Connection,
    path: PathBuf,
}

/// A migration that `open` applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedMigration {
    pub version: i64,
    pub name: &'static str,
}

impl DuckStore {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub fn open(path: &Path) -> Result<(Self, Vec<AppliedMigration>), StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            })?;
        }
        let conn = Connection::open(path).map_err(|e| open_error(path, e))?;
        Self::init(conn, path.to_path_buf())
    }

    /// A private in-memory database, for tests and dry runs.
    pub fn in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        Ok(Self::init(conn, PathBuf::from(":memory:"))?.0)
    }

    fn init(conn: Connection, path: PathBuf) -> Result<(Self, Vec<AppliedMigration>), StoreError> {
        // Bounded memory: large imports spill to disk instead of growing without limit.
        let limit = std::env::var("ZHANGGUI_MEMORY_LIMIT").unwrap_or_else(|_| "512MB".into());
        conn.execute_batch(&format!(
            "SET memory_limit = '{}'; SET preserve_insertion_order = false;",
            limit.replace('\'', "")
        ))?;
        let store = DuckStore { conn, path };
        let applied = store.migrate(MIGRATIONS)?;
        Ok((store, applied))
    }

    /// Another connection to the same database, for another thread: a server keeps a few
    /// so that requests do not wait on each other.
    pub fn try_clone(&self) -> Result<DuckStore, StoreError> {
        Ok(DuckStore {
            conn: self.conn.try_clone()?,
            path: self.path.clone(),
        })
    }

    /// The connection, for the copy between backends.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Where the database lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Brings a shop's derived facts up to date the way asked (reports do it themselves,
    /// with [`FactsRefresh::Auto`]).
    pub fn refresh_facts(&self, shop: &Shop, how: FactsRefresh) -> Result<(), StoreError> {
        facts::refresh(&self.conn, shop, how)
    }

    /// Every derived fact row of a shop as text, sorted (to compare two ways of building
    /// them).
    pub fn facts_snapshot(&self, shop: &Shop) -> Result<Vec<String>, StoreError> {
        facts::snapshot(&self.conn, shop)
    }

    /// The schema version this database is at.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?)
    }

    fn migrate(&self, migrations: &[Migration]) -> Result<Vec<AppliedMigration>, StoreError> {
        self.conn.execute_batch(SCHEMA_TABLE)?;
        let current = self.schema_version()?;
        let mut applied = Vec::new();
        for m in pending(migrations, current)? {
            self.conn.execute_batch("BEGIN TRANSACTION")?;
            let result = self.conn.execute_batch(m.duckdb).and_then(|_| {
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, now()::TIMESTAMP)",
                    duckdb::params![m.version, m.name],
                )
            });
            match result {
                Ok(_) => self.conn.execute_batch("COMMIT")?,
                Err(e) => {
                    self.conn.execute_batch("ROLLBACK")?;
                    return Err(e.into());
                }
            }
            applied.push(AppliedMigration {
                version: m.version,
                name: m.name,
            });
        }
        Ok(applied)
    }
}

fn open_error(path: &Path, err: duckdb::Error) -> StoreError {
    let reason = err.to_string();
    if reason.contains("lock") {
        StoreError::Locked {
            path: path.display().to_string(),
        }
    } else {
        StoreError::Open {
            path: path.display().to_string(),
            reason,
        }
    }
}

impl Store for DuckStore {
    fn add_shop(&self, shop: &NewShop) -> Result<Shop, StoreError> {
        shops::add(&self.conn, shop)
    }

    fn shops(&self) -> Result<Vec<Shop>, StoreError> {
        shops::list(&self.conn)
    }

    fn shop_by_name(&self, name: &ShopName) -> Result<Option<Shop>, StoreError> {
        Ok(shops::list(&self.conn)?
            .into_iter()
            .find(|s| &s.name == name))
    }

    fn begin_import<'a>(
        &'a self,
        shop: &Shop,
        file_name: &str,
        format: &str,
    ) -> Result<Box<dyn ImportSink + 'a>, StoreError> {
        Ok(Box::new(import::DuckImport::begin(
            &self.conn, shop, file_name, format,
        )?))
    }

    fn summary(&self) -> Result<Vec<ShopSummary>, StoreError> {
        shops::list(&self.conn)?
            .into_iter()
            .map(|shop| summary::of_shop(&self.conn, shop))
            .collect()
    }

    fn quality_checks(&self, shop: &Shop) -> Result<Vec<QualityFinding>, StoreError> {
        quality::run(&self.conn, shop)
    }

    fn settings(
        &self,
        shop: &Shop,
    ) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        shops::settings(&self.conn, shop)
    }

    fn set_setting(&self, shop: &Shop, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        shops::set_setting(&self.conn, shop, key, value)
    }

    fn data_span(&self, shop: &Shop) -> Result<DataSpan, StoreError> {
        measures::span(&self.conn, shop)
    }

    fn measures(
        &self,
        shop: &Shop,
        range: DayRange,
        by: GroupBy,
    ) -> Result<MeasureTable, StoreError> {
        measures::measures(&self.conn, shop, range, by)
    }

    fn measures_until(
        &self,
        shop: &Shop,
        day: chrono::NaiveDate,
        until: chrono::NaiveTime,
    ) -> Result<MeasureTable, StoreError> {
        measures::measures_until(&self.conn, shop, day, until)
    }

    fn peer_figures(&self, shop: &Shop, range: DayRange) -> Result<Vec<PeerFigure>, StoreError> {
        peers::figures(&self.conn, shop, range)
    }

    fn product_days(
        &self,
        shop: &Shop,
        product: &str,
        range: DayRange,
    ) -> Result<Vec<ProductDay>, StoreError> {
        history::product_days(&self.conn, shop, product, range)
    }

    fn imports(&self, shop: &Shop) -> Result<Vec<ImportRecord>, StoreError> {
        history::imports(&self.conn, shop)
    }

    fn refresh(&self, shop: &Shop) -> Result<(), StoreError> {
        facts::ensure_fresh(&self.conn, shop)
    }

    fn cohorts(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
    ) -> Result<(Vec<CohortCell>, Vec<CohortRepeat>), StoreError> {
        history::cohorts(&self.conn, shop, until)
    }

    fn customer_histories(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
    ) -> Result<Vec<CustomerHistory>, StoreError> {
        history::customers(&self.conn, shop, until)
    }

    fn first_order_repeats(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
        by: crate::FirstOrderBy,
    ) -> Result<Vec<CohortRepeat>, StoreError> {
        history::first_order_repeats(&self.conn, shop, until, by)
    }

    fn customer_profiles(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
    ) -> Result<Vec<crate::CustomerProfile>, StoreError> {
        history::profiles(&self.conn, shop, until)
    }

    fn save_segment(
        &self,
        shop: &Shop,
        name: &str,
        filter_json: &str,
        saved_by: Option<&str>,
    ) -> Result<(), StoreError> {
        segments::save(&self.conn, shop, name, filter_json, saved_by)
    }

    fn segments(&self, shop: &Shop) -> Result<Vec<crate::SavedSegment>, StoreError> {
        segments::list(&self.conn, shop)
    }

    fn delete_segment(&self, shop: &Shop, name: &str) -> Result<bool, StoreError> {
        segments::delete(&self.conn, shop, name)
    }
}
