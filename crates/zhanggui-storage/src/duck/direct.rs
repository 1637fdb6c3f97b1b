//! A shop's first load of order lines: while the shop has no lines yet and no key of the
//! file repeats, lines are appended straight to `order_lines`, and nothing is left to merge
//! at the end. A key that may repeat an earlier one, or more keys than are tracked, moves
//! what was appended to the staging table, and the import goes on the ordinary way.
//!
//! The result is the same as staging and merging (every key new, no key repeated); only the
//! copy through the staging table is saved.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, DefaultHasher, Hash, Hasher};

use duckdb::{Appender, Connection};
use zhanggui_domain::records::LineRecord;

use super::columns::{ColumnBuffer, Kind};
use super::targets::{Target, LINES};
use crate::StoreError;

/// Keys tracked before the import falls back to staging: about 150 MB of hashes at most.
const MAX_TRACKED_KEYS: usize = 8_000_000;

/// Order lines on their way straight into `order_lines`.
pub(super) struct DirectLines<'a> {
    appender: Appender<'a>,
    rows: ColumnBuffer,
    shop: i32,
    /// Hashes of the keys appended: a hash seen before means the key may repeat.
    seen: HashSet<u64, BuildHasherDefault<PassThrough>>,
}

impl<'a> DirectLines<'a> {
    /// Direct loading, when the shop has no order lines yet and the table has exactly the
    /// columns the loader writes.
    pub(super) fn open(conn: &'a Connection, shop: i32) -> Result<Option<Self>, StoreError> {
        let empty: bool = conn.query_row(
            &format!(
                "SELECT NOT EXISTS (SELECT 1 FROM {} WHERE shop_id = ?)",
                LINES.table
            ),
            [shop],
            |r| r.get(0),
        )?;
        if !empty || table_columns(conn, LINES.table)? != target_columns(&LINES) {
            return Ok(None);
        }
        let columns: Vec<(&str, Kind)> = std::iter::once(("shop_id", Kind::Int32))
            .chain(
                LINES
                    .keys
                    .iter()
                    .chain(LINES.values)
                    .zip(LINES.types)
                    .map(|(c, t)| (*c, Kind::of_sql(t))),
            )
            .collect();
        Ok(Some(DirectLines {
            appender: conn.appender(LINES.table)?,
            rows: ColumnBuffer::new(&columns),
            shop,
            seen: HashSet::default(),
        }))
    }

    /// Appends a line. `Ok(false)` when it was not appended because its key may repeat an
    /// earlier one or too many keys are tracked: the caller must [`leave`](Self::leave).
    /// Lines without a full key are dropped, as the merge drops them.
    pub(super) fn append(&mut self, line: &LineRecord) -> Result<bool, StoreError> {
        let (Some(order_no), Some(line_key)) = (&line.order_no, &line.line_key) else {
            return Ok(true);
        };
        if self.seen.len() >= MAX_TRACKED_KEYS {
            return Ok(false);
        }
        let mut hasher = DefaultHasher::new();
        (order_no.as_str(), line_key.as_str()).hash(&mut hasher);
        if !self.seen.insert(hasher.finish()) {
            return Ok(false);
        }
        self.rows.int32(Some(self.shop)).line(line);
        self.rows.end_row(&mut self.appender)?;
        Ok(true)
    }

    /// Writes what is buffered; returns how many lines were appended.
    pub(super) fn finish(mut self) -> Result<u64, StoreError> {
        self.rows.flush(&mut self.appender)?;
        self.appender.flush()?;
        Ok(self.seen.len() as u64)
    }

    /// Moves the lines appended so far into the staging table, as file row 0 (before every
    /// row still to come, so later rows of the file win as they would have), and takes them
    /// out of `order_lines`.
    pub(super) fn leave(self, conn: &Connection) -> Result<(), StoreError> {
        let shop = self.shop;
        self.finish()?;
        let columns = LINES
            .keys
            .iter()
            .chain(LINES.values)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        conn.execute_batch(&format!(
            "INSERT INTO {stage} SELECT 0, {columns} FROM {table} WHERE shop_id = {shop};
             DELETE FROM {table} WHERE shop_id = {shop};",
            stage = LINES.stage,
            table = LINES.table,
        ))?;
        Ok(())
    }
}

/// The columns of a table, in order.
fn table_columns(conn: &Connection, table: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT column_name FROM duckdb_columns()
         WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index",
    )?;
    let names = stmt
        .query_map([table], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names)
}

/// The columns the loader writes to a target: the shop, then keys and values.
fn target_columns(t: &Target) -> Vec<String> {
    std::iter::once("shop_id")
        .chain(t.keys.iter().copied())
        .chain(t.values.iter().copied())
        .map(str::to_owned)
        .collect()
}

/// The keys are hashes already: use them as they are.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DuckStore;

    #[test]
    fn order_lines_has_the_columns_the_direct_load_writes() {
        // If a migration changes order_lines, the direct path would silently switch off;
        // this says so instead.
        let store = DuckStore::in_memory().unwrap();
        assert_eq!(
            table_columns(store.connection(), LINES.table).unwrap(),
            target_columns(&LINES)
        );
    }
}
