//! The PostgreSQL side of a copy: reading every row of a table as values (dates, times and
//! decimals as their text, parsed here), and writing rows with `COPY ... FROM STDIN`.

use std::io::Write;

use chrono::{NaiveDate, NaiveDateTime};
use postgres::fallible_iterator::FallibleIterator;

use super::values::copy_text;
use super::{Kind, Reader, TableSpec, Tally, Value};
use crate::{PgStore, StoreError};

/// Whether the database holds a shop or a user already.
pub(super) fn holds_data(store: &PgStore) -> Result<bool, StoreError> {
    let row = store.client().query_one(
        "SELECT (SELECT count(*) FROM shops) + (SELECT count(*) FROM users) > 0",
        &[],
    )?;
    Ok(row.get(0))
}

fn bad(table: &str, what: &str, text: &str) -> StoreError {
    StoreError::Corrupt(format!("{table}: a {what} PostgreSQL gave as {text:?}"))
}

/// Reads every row of `spec`'s table into `sink`, streaming.
pub(super) fn read(
    store: &PgStore,
    spec: &TableSpec,
    sink: &mut dyn FnMut(&[Value]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let (table, columns) = spec;
    let exprs: Vec<String> = columns
        .iter()
        .map(|c| {
            let n = format!("\"{}\"", c.name);
            match c.kind {
                Kind::Date | Kind::Timestamp | Kind::Decimal => format!("{n}::text"),
                Kind::Int => format!("{n}::bigint"),
                _ => n,
            }
        })
        .collect();
    let mut client = store.client();
    let sql = format!("SELECT {} FROM \"{table}\"", exprs.join(", "));
    let mut rows = client.query_raw(
        &sql,
        std::iter::empty::<&(dyn postgres::types::ToSql + Sync)>(),
    )?;
    let mut values = Vec::with_capacity(columns.len());
    while let Some(r) = rows.next()? {
        values.clear();
        for (i, c) in columns.iter().enumerate() {
            let v = match c.kind {
                Kind::Text | Kind::Decimal => r.try_get::<_, Option<String>>(i)?.map(Value::Text),
                Kind::Int | Kind::Hash => r.try_get::<_, Option<i64>>(i)?.map(Value::Int),
                Kind::Float => r.try_get::<_, Option<f64>>(i)?.map(Value::Float),
                Kind::Bool => r.try_get::<_, Option<bool>>(i)?.map(Value::Bool),
                Kind::Date => match r.try_get::<_, Option<String>>(i)? {
                    Some(t) => Some(Value::Date(
                        NaiveDate::parse_from_str(&t, "%Y-%m-%d")
                            .map_err(|_| bad(table, "date", &t))?,
                    )),
                    None => None,
                },
                Kind::Timestamp => match r.try_get::<_, Option<String>>(i)? {
                    Some(t) => Some(Value::Timestamp(
                        NaiveDateTime::parse_from_str(&t, "%Y-%m-%d %H:%M:%S%.f")
                            .map_err(|_| bad(table, "time", &t))?,
                    )),
                    None => None,
                },
            };
            values.push(v.unwrap_or(Value::Null));
        }
        sink(&values)?;
    }
    Ok(())
}

/// Writes every table from `read` with COPY, in one transaction; the tally of what was
/// read per table.
pub(super) fn write_all(
    store: &PgStore,
    tables: &[TableSpec],
    read: &mut Reader<'_>,
) -> Result<Vec<(String, Tally)>, StoreError> {
    let mut client = store.client();
    let mut tx = client.transaction()?;
    let mut out = Vec::new();
    for spec in tables {
        let (table, columns) = spec;
        let names: Vec<String> = columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
        let writer = tx.copy_in(&format!(
            "COPY \"{table}\" ({}) FROM STDIN",
            names.join(", ")
        ))?;
        let mut buffered = std::io::BufWriter::with_capacity(1 << 20, writer);
        let mut tally = Tally::default();
        let mut line = String::new();
        read(spec, &mut |row: &[Value]| {
            tally.add(row);
            line.clear();
            for (i, v) in row.iter().enumerate() {
                if i > 0 {
                    line.push('\t');
                }
                line.push_str(&copy_text(v));
            }
            line.push('\n');
            buffered
                .write_all(line.as_bytes())
                .map_err(|e| StoreError::Backend(format!("COPY {table}: {e}")))
        })?;
        let writer = buffered
            .into_inner()
            .map_err(|e| StoreError::Backend(format!("COPY {table}: {e}")))?;
        writer.finish()?;
        out.push((table.clone(), tally));
    }
    tx.commit()?;
    Ok(out)
}
