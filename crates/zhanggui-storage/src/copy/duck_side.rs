//! The database file's side of a copy: its tables as the schema declares them, reading
//! every row as values, and writing rows staged as text then cast to each column's type.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Column, Kind, Reader, TableSpec, Tally, Value};
use crate::duck::in_transaction;
use crate::{DuckStore, StoreError};

/// Every table but the migration log, with its columns in order.
pub(super) fn tables(store: &DuckStore) -> Result<Vec<TableSpec>, StoreError> {
    let mut stmt = store.conn().prepare(
        "SELECT table_name, column_name, data_type FROM information_schema.columns
         WHERE table_schema = 'main' AND table_name <> 'schema_migrations'
         ORDER BY table_name, ordinal_position",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out: Vec<TableSpec> = Vec::new();
    for row in rows {
        let (table, name, data_type) = row?;
        let kind = Kind::of_duckdb(&data_type).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "{table}.{name}: a type copy does not carry: {data_type}"
            ))
        })?;
        let column = Column {
            name,
            kind,
            duckdb_type: data_type,
        };
        match out.last_mut() {
            Some((t, cols)) if *t == table => cols.push(column),
            _ => out.push((table, vec![column])),
        }
    }
    Ok(out)
}

/// Whether the database holds a shop or a user already.
pub(super) fn holds_data(store: &DuckStore) -> Result<bool, StoreError> {
    Ok(store.conn().query_row(
        "SELECT (SELECT count(*) FROM shops) + (SELECT count(*) FROM users) > 0",
        [],
        |r| r.get(0),
    )?)
}

const TWO_TO_63: &str = "9223372036854775808";
const TWO_TO_64: &str = "18446744073709551616";

fn select_expr(c: &Column) -> String {
    let n = format!("\"{}\"", c.name);
    match c.kind {
        Kind::Hash => format!(
            "CAST(CAST({n} AS HUGEINT) - CASE WHEN {n} >= {TWO_TO_63} THEN {TWO_TO_64} ELSE 0 END AS BIGINT)"
        ),
        Kind::Int => format!("CAST({n} AS BIGINT)"),
        Kind::Decimal => format!("CAST({n} AS VARCHAR)"),
        _ => n,
    }
}

/// Reads every row of `spec`'s table into `sink`.
pub(super) fn read(
    store: &DuckStore,
    spec: &TableSpec,
    sink: &mut dyn FnMut(&[Value]) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let (table, columns) = spec;
    let exprs: Vec<String> = columns.iter().map(select_expr).collect();
    let mut stmt = store.conn().prepare(&format!(
        "SELECT {} FROM main.\"{table}\"",
        exprs.join(", ")
    ))?;
    let mut rows = stmt.query([])?;
    let mut values = Vec::with_capacity(columns.len());
    while let Some(r) = rows.next()? {
        values.clear();
        for (i, c) in columns.iter().enumerate() {
            let v = match c.kind {
                Kind::Text | Kind::Decimal => r.get::<_, Option<String>>(i)?.map(Value::Text),
                Kind::Int | Kind::Hash => r.get::<_, Option<i64>>(i)?.map(Value::Int),
                Kind::Float => r.get::<_, Option<f64>>(i)?.map(Value::Float),
                Kind::Bool => r.get::<_, Option<bool>>(i)?.map(Value::Bool),
                Kind::Date => r.get::<_, Option<NaiveDate>>(i)?.map(Value::Date),
                Kind::Timestamp => r.get::<_, Option<NaiveDateTime>>(i)?.map(Value::Timestamp),
            };
            values.push(v.unwrap_or(Value::Null));
        }
        sink(&values)?;
    }
    Ok(())
}

fn cast_expr(c: &Column) -> String {
    let n = format!("\"{}\"", c.name);
    match c.kind {
        Kind::Hash => format!(
            "CAST(CAST({n} AS HUGEINT) + CASE WHEN CAST({n} AS HUGEINT) < 0 THEN {TWO_TO_64} ELSE 0 END AS UBIGINT)"
        ),
        _ => format!("CAST({n} AS {})", c.duckdb_type),
    }
}

/// Writes every table from `read`, in one transaction; the tally of what was read per
/// table.
pub(super) fn write_all(
    store: &DuckStore,
    tables: &[TableSpec],
    read: &mut Reader<'_>,
) -> Result<Vec<(String, Tally)>, StoreError> {
    let conn = store.conn();
    in_transaction(conn, || {
        let mut out = Vec::new();
        for spec in tables {
            let (table, columns) = spec;
            let staged: Vec<String> = columns
                .iter()
                .map(|c| format!("\"{}\" VARCHAR", c.name))
                .collect();
            conn.execute_batch(&format!(
                "CREATE OR REPLACE TEMP TABLE _copy_rows ({})",
                staged.join(", ")
            ))?;
            let mut tally = Tally::default();
            {
                let mut appender = conn.appender_to_catalog_and_db("_copy_rows", "temp", "main")?;
                read(spec, &mut |row: &[Value]| {
                    tally.add(row);
                    let texts: Vec<Option<String>> = row.iter().map(Value::text).collect();
                    let refs: Vec<&dyn duckdb::ToSql> =
                        texts.iter().map(|t| t as &dyn duckdb::ToSql).collect();
                    appender.append_row(refs.as_slice())?;
                    Ok(())
                })?;
                appender.flush()?;
            }
            let names: Vec<String> = columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
            let casts: Vec<String> = columns.iter().map(cast_expr).collect();
            conn.execute_batch(&format!(
                "INSERT INTO main.\"{table}\" ({}) SELECT {} FROM _copy_rows;
                 DROP TABLE _copy_rows;",
                names.join(", "),
                casts.join(", ")
            ))?;
            out.push((table.clone(), tally));
        }
        Ok(out)
    })
}
