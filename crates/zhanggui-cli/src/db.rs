//! Where the database lives, and opening it.

use std::path::PathBuf;

use anyhow::Context;
use zhanggui_storage::DuckStore;

use crate::cli::Cli;

/// The user's data directory for zhanggui (`~/.local/share/zhanggui` on Linux).
pub fn data_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("", "", "zhanggui")
        .map(|d| d.data_dir().to_path_buf())
        .context("cannot tell the user's data directory; pass --db PATH or set ZHANGGUI_DB")
}

/// `--db`, else `ZHANGGUI_DB`, else the data directory's `zhanggui.duckdb`.
pub fn db_path(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.db {
        Some(p) => Ok(p.clone()),
        None => Ok(data_dir()?.join("zhanggui.duckdb")),
    }
}

/// The database file of a command that needs one: `--db` naming a PostgreSQL server is
/// refused with what works there so far.
pub fn db_file(cli: &Cli) -> anyhow::Result<PathBuf> {
    let path = db_path(cli)?;
    if zhanggui_storage::is_postgres_url(&path.to_string_lossy()) {
        anyhow::bail!(
            "--db names a PostgreSQL server: so far the server backend holds the schema \
             (`zhanggui migrate --db postgres://...` creates and upgrades it) and takes a \
             whole installation (`zhanggui copy --from FILE --to postgres://...`), \
             docs/scaling.md; this command still needs a database file"
        );
    }
    Ok(path)
}

/// Opens the database, applying any pending migrations.
pub fn open(cli: &Cli) -> anyhow::Result<DuckStore> {
    let path = db_file(cli)?;
    let (store, _) = DuckStore::open(&path)?;
    Ok(store)
}
