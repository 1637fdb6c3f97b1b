//! The PostgreSQL schema on a real server (a throwaway cluster): the embedded schema's
//! every table and column, each shop table keyed by shop first, migrations applied once
//! even by servers starting together.

use std::collections::{BTreeMap, BTreeSet};

use zhanggui_storage::{DuckStore, PgStore};
use zhanggui_testpg::Cluster;

/// Tables without a key: derived rows rebuilt whole, and an append-only log.
const KEYLESS: &[&str] = &["line_facts", "profit_lines", "audit_log"];
/// Installation tables: keyed on their own, copied to every node on Citus.
const INSTALLATION: &[&str] = &[
    "shops",
    "users",
    "sessions",
    "api_tokens",
    "audit_log",
    "schema_migrations",
];

/// The type a DuckDB column has on PostgreSQL.
fn pg_type(duck: &str) -> &'static str {
    match duck {
        "VARCHAR" => "character varying",
        "BIGINT" | "UBIGINT" => "bigint",
        "INTEGER" => "integer",
        "DOUBLE" => "double precision",
        "BOOLEAN" => "boolean",
        "DATE" => "date",
        "TIMESTAMP" => "timestamp without time zone",
        d if d.starts_with("DECIMAL") => "numeric",
        other => panic!("a DuckDB type the PostgreSQL schema does not map: {other}"),
    }
}

fn duck_columns() -> BTreeMap<(String, String), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.duckdb");
    drop(DuckStore::open(&path).unwrap());
    let conn = duckdb::Connection::open(&path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT table_name, column_name, data_type FROM information_schema.columns
             WHERE table_schema = 'main'",
        )
        .unwrap();
    let rows = stmt
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
        .unwrap();
    rows.map(|r| r.unwrap()).collect()
}

fn pg_client(url: &str) -> postgres::Client {
    postgres::Client::connect(url, postgres::NoTls).unwrap()
}

#[test]
fn the_postgres_schema_has_every_table_and_column_of_the_embedded_one_keyed_by_shop_first() {
    let cluster = Cluster::start();
    let url = cluster.database("schema");
    let (store, applied) = PgStore::open(&url).unwrap();
    assert_eq!(applied.len(), 15, "a new database takes every migration");
    assert_eq!(store.schema_version().unwrap(), 15);

    let mut pg = pg_client(&url);
    let pg_columns: BTreeMap<(String, String), String> = pg
        .query(
            "SELECT table_name::text, column_name::text, data_type::text
             FROM information_schema.columns WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| ((r.get(0), r.get(1)), r.get(2)))
        .collect();
    let duck = duck_columns();
    let expected: BTreeMap<(String, String), String> = duck
        .iter()
        .map(|(k, t)| (k.clone(), pg_type(t).to_owned()))
        .collect();
    assert_eq!(pg_columns, expected, "the same tables, columns and types");

    // Each table's primary key, in order.
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in pg
        .query(
            "SELECT c.relname::text, a.attname::text
             FROM pg_index i
             JOIN pg_class c ON c.oid = i.indrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
             CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, pos)
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
             WHERE i.indisprimary ORDER BY c.relname, k.pos",
            &[],
        )
        .unwrap()
    {
        keys.entry(r.get(0)).or_default().push(r.get(1));
    }
    let tables: BTreeSet<String> = duck.keys().map(|(t, _)| t.clone()).collect();
    for table in &tables {
        let key = keys.get(table);
        if KEYLESS.contains(&table.as_str()) {
            assert!(key.is_none(), "{table} is documented as keyless");
            continue;
        }
        let key = key.unwrap_or_else(|| panic!("{table} has no primary key"));
        if !INSTALLATION.contains(&table.as_str()) {
            assert_eq!(
                key[0], "shop_id",
                "{table}'s key starts with the shop: {key:?}"
            );
        }
    }
    // The rule keys of 0014: a courier company's rule beside the one without.
    assert_eq!(
        keys["expense_rules"],
        [
            "shop_id",
            "name",
            "product_code",
            "region",
            "carrier",
            "valid_from"
        ]
    );
}

#[test]
fn migrating_again_applies_nothing_and_servers_starting_together_apply_each_migration_once() {
    let cluster = Cluster::start();
    let url = cluster.database("twice");
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || PgStore::open(&url).map(|(_, applied)| applied.len()))
        })
        .collect();
    let applied: Vec<usize> = handles
        .into_iter()
        .map(|h| h.join().unwrap().unwrap())
        .collect();
    assert_eq!(applied.iter().sum::<usize>(), 15, "{applied:?}");
    let (_, again) = PgStore::open(&url).unwrap();
    assert!(again.is_empty());
    let mut pg = pg_client(&url);
    let versions: Vec<i64> = pg
        .query(
            "SELECT version FROM schema_migrations ORDER BY version",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(versions, (1..=15).collect::<Vec<i64>>());
}

#[test]
fn a_server_that_cannot_be_reached_is_named_without_its_password() {
    let err = PgStore::open("postgres://zg:s3cret@127.0.0.1:1/none")
        .err()
        .expect("nothing listens on port 1");
    let text = err.to_string();
    assert!(
        text.contains("postgres://zg:***@127.0.0.1:1/none"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "{text}");
}
