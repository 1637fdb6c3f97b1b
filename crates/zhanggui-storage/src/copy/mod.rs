//! Moving a whole installation between the backends: `zhanggui copy` from a database file
//! to a PostgreSQL server (an agency outgrowing one machine) and back (a user who leaves).
//!
//! Every table of the schema is copied whole, in one transaction on the target, into a
//! target that holds no shop and no user yet. Then both sides are read again and compared
//! table by table: the row count and a checksum, the wrapping sum of a 64-bit FNV-1a hash
//! of each row's canonical text (so the order rows come back in does not matter). A
//! difference is an error; nothing is said to be copied that was not.

mod duck_side;
mod pg_side;
mod values;

use serde::Serialize;

use crate::{DuckStore, PgStore, StoreError};

pub(crate) use values::{Column, Kind, Value};

/// One table copied and verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCopied {
    pub table: String,
    pub rows: u64,
    /// The checksum both sides agree on, in hex.
    pub checksum: String,
}

/// Which way a copy goes.
pub enum Direction<'a> {
    DuckToPg {
        from: &'a DuckStore,
        to: &'a PgStore,
    },
    PgToDuck {
        from: &'a PgStore,
        to: &'a DuckStore,
    },
}

/// A table's rows and checksum as one side reads them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub rows: u64,
    pub checksum: u64,
}

impl Tally {
    pub fn add(&mut self, row: &[Value]) {
        self.rows += 1;
        self.checksum = self.checksum.wrapping_add(values::row_hash(row));
    }
}

/// Copies every table, then verifies it; `progress` hears of each table once verified.
pub fn copy_installation(
    way: Direction<'_>,
    progress: &mut dyn FnMut(&TableCopied),
) -> Result<Vec<TableCopied>, StoreError> {
    // The tables as the schema declares them: both sides are at the same version, so the
    // database file's declaration holds for both.
    let (duck, pg) = match &way {
        Direction::DuckToPg { from, to } => (*from, *to),
        Direction::PgToDuck { from, to } => (*to, *from),
    };
    let (v_duck, v_pg) = (duck.schema_version()?, pg.schema_version()?);
    if v_duck != v_pg {
        return Err(StoreError::Corrupt(format!(
            "the database file is at schema version {v_duck}, the server at {v_pg}: run \
             zhanggui migrate on both first"
        )));
    }
    let source_tables = duck_side::tables(duck)?;
    let target_busy = match &way {
        Direction::DuckToPg { to, .. } => pg_side::holds_data(to)?,
        Direction::PgToDuck { to, .. } => duck_side::holds_data(to)?,
    };
    if target_busy {
        return Err(StoreError::Exists(
            "data in the target database (shops or users): copy into an empty one".to_owned(),
        ));
    }
    let written: Vec<(String, Tally)> = match &way {
        Direction::DuckToPg { from, to } => {
            pg_side::write_all(to, &source_tables, &mut |t, sink| {
                duck_side::read(from, t, sink)
            })?
        }
        Direction::PgToDuck { from, to } => {
            duck_side::write_all(to, &source_tables, &mut |t, sink| {
                pg_side::read(from, t, sink)
            })?
        }
    };
    let mut out = Vec::new();
    for (spec, (table, read)) in source_tables.iter().zip(&written) {
        let mut again = Tally::default();
        let mut count = |row: &[Value]| -> Result<(), StoreError> {
            again.add(row);
            Ok(())
        };
        match &way {
            Direction::DuckToPg { to, .. } => pg_side::read(to, spec, &mut count)?,
            Direction::PgToDuck { to, .. } => duck_side::read(to, spec, &mut count)?,
        }
        if again != *read {
            return Err(StoreError::Corrupt(format!(
                "{table}: the source has {} rows (checksum {:016x}), the copy {} ({:016x})",
                read.rows, read.checksum, again.rows, again.checksum
            )));
        }
        let done = TableCopied {
            table: table.clone(),
            rows: read.rows,
            checksum: format!("{:016x}", read.checksum),
        };
        progress(&done);
        out.push(done);
    }
    Ok(out)
}

/// A table and its columns in order.
pub(crate) type TableSpec = (String, Vec<Column>);

/// Reads every row of a table into `sink`.
pub(crate) type Reader<'a> = dyn FnMut(&TableSpec, &mut dyn FnMut(&[Value]) -> Result<(), StoreError>) -> Result<(), StoreError>
    + 'a;
