//! Storage tests on a real DuckDB database: merge semantics, transactions, migrations, the
//! derived facts refreshed after imports.

mod facts;
mod merge;
mod migrations;
