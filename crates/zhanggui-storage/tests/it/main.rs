//! Storage tests on a real DuckDB database: merge semantics, transactions, migrations.

mod merge;
mod migrations;
