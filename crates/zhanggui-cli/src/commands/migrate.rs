//! `zhanggui migrate`: applies pending schema migrations and says where the schema stands.

use std::process::ExitCode;

use zhanggui_storage::DuckStore;

use crate::cli::Cli;
use crate::{db, output};

pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let path = db::db_path(cli)?;
    let (store, applied) = DuckStore::open(&path)?;
    let version = store.schema_version()?;
    if cli.json {
        output::json(&serde_json::json!({
            "database": path,
            "schema_version": version,
            "applied": applied.iter().map(|m| m.version).collect::<Vec<_>>(),
        }))?;
    } else {
        for m in &applied {
            println!("applied migration {:04} {}", m.version, m.name);
        }
        println!("{}: schema version {version}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}
