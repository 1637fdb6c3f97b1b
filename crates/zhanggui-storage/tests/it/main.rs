//! Storage tests on a real DuckDB database: merge semantics, transactions, migrations, the
//! derived facts refreshed after imports; and the PostgreSQL schema on a real server.

mod facts;
mod merge;
mod migrations;
mod pg_schema;
