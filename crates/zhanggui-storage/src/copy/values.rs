//! The values a copy carries, the columns' kinds, and each row's canonical text and hash.

use chrono::{NaiveDate, NaiveDateTime};

/// What a column holds, as both schemas spell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Int,
    /// DuckDB's UBIGINT hashes: the same 64 bits, BIGINT on PostgreSQL.
    Hash,
    Float,
    Bool,
    Date,
    Timestamp,
    /// DECIMAL / NUMERIC, carried as its text.
    Decimal,
}

impl Kind {
    /// The kind of a DuckDB column type.
    pub fn of_duckdb(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "VARCHAR" => Kind::Text,
            "BIGINT" | "INTEGER" => Kind::Int,
            "UBIGINT" => Kind::Hash,
            "DOUBLE" => Kind::Float,
            "BOOLEAN" => Kind::Bool,
            "DATE" => Kind::Date,
            "TIMESTAMP" => Kind::Timestamp,
            t if t.starts_with("DECIMAL") => Kind::Decimal,
            _ => return None,
        })
    }
}

/// A column of a copied table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    pub kind: Kind,
    /// The DuckDB type as declared (`DECIMAL(20,6)`, `INTEGER`, ...).
    pub duckdb_type: String,
}

/// One value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Date(NaiveDate),
    Timestamp(NaiveDateTime),
}

impl Value {
    /// The value as text both sides agree on (`None` for NULL): what is hashed, staged in
    /// DuckDB and written in PostgreSQL's COPY text format.
    pub fn text(&self) -> Option<String> {
        Some(match self {
            Value::Null => return None,
            Value::Text(s) => s.clone(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format!("{f:?}"),
            Value::Bool(b) => (if *b { "true" } else { "false" }).to_owned(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Timestamp(t) => t.format("%Y-%m-%d %H:%M:%S%.f").to_string(),
        })
    }
}

/// FNV-1a over the row's canonical text: fields separated by 0x1f, NULL as 0x00.
pub(crate) fn row_hash(row: &[Value]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (i, v) in row.iter().enumerate() {
        if i > 0 {
            eat(&[0x1f]);
        }
        match v.text() {
            Some(t) => eat(t.as_bytes()),
            None => eat(&[0x00]),
        }
    }
    h
}

/// A value in PostgreSQL's COPY text format.
pub(crate) fn copy_text(v: &Value) -> String {
    match v.text() {
        None => "\\N".to_owned(),
        Some(t) => {
            let mut out = String::with_capacity(t.len());
            for c in t.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_hash_by_their_text_and_nulls_differ_from_empty_text() {
        let a = [Value::Text("x".into()), Value::Null];
        let b = [Value::Text("x".into()), Value::Text(String::new())];
        assert_ne!(row_hash(&a), row_hash(&b));
        assert_eq!(row_hash(&a), row_hash(&a.clone()));
        assert_eq!(
            copy_text(&Value::Text("a\tb\\c\nd".into())),
            "a\\tb\\\\c\\nd"
        );
        assert_eq!(copy_text(&Value::Null), "\\N");
        assert_eq!(Value::Float(2.0).text().unwrap(), "2.0");
    }
}
