//! `zhanggui migrate`: applies pending schema migrations and says where the schema stands,
//! in a database file or (`--db postgres://...`) on a PostgreSQL server.

use std::process::ExitCode;

use zhanggui_storage::{is_postgres_url, AppliedMigration, DuckStore, PgStore};

use crate::cli::Cli;
use crate::{db, output};

pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let path = db::db_path(cli)?;
    let named = path.to_string_lossy().into_owned();
    let (shown, version, applied): (String, i64, Vec<AppliedMigration>) = if is_postgres_url(&named)
    {
        let (store, applied) = PgStore::open(&named)?;
        (store.shown().to_owned(), store.schema_version()?, applied)
    } else {
        let (store, applied) = DuckStore::open(&path)?;
        (path.display().to_string(), store.schema_version()?, applied)
    };
    if cli.json {
        output::json(&serde_json::json!({
            "database": shown,
            "schema_version": version,
            "applied": applied.iter().map(|m| m.version).collect::<Vec<_>>(),
        }))?;
    } else {
        for m in &applied {
            println!("applied migration {:04} {}", m.version, m.name);
        }
        println!("{shown}: schema version {version}");
    }
    Ok(ExitCode::SUCCESS)
}
