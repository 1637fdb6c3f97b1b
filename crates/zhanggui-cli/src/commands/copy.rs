//! `zhanggui copy --from A --to B`: a whole installation from a database file to a
//! PostgreSQL server, or back into a new database file, each table verified by its row
//! count and checksum after the copy.

use std::path::Path;
use std::process::ExitCode;

use zhanggui_storage::copy::{copy_installation, Direction, TableCopied};
use zhanggui_storage::{is_postgres_url, DuckStore, PgStore};

use crate::cli::{Cli, CopyArgs};
use crate::{output, UsageError};

pub fn run(cli: &Cli, args: &CopyArgs) -> anyhow::Result<ExitCode> {
    let (from_pg, to_pg) = (is_postgres_url(&args.from), is_postgres_url(&args.to));
    let mut say = |t: &TableCopied| {
        if !cli.json {
            eprintln!(
                "{:<22} {:>10} rows  verified ({})",
                t.table, t.rows, t.checksum
            );
        }
    };
    let (tables, from, to) = match (from_pg, to_pg) {
        (false, true) => {
            let path = Path::new(&args.from);
            if !path.exists() {
                return Err(
                    UsageError(format!("--from {}: no such database file", args.from)).into(),
                );
            }
            let (duck, _) = DuckStore::open(path)?;
            let (pg, _) = PgStore::open(&args.to)?;
            let done = copy_installation(
                Direction::DuckToPg {
                    from: &duck,
                    to: &pg,
                },
                &mut say,
            )?;
            (done, path.display().to_string(), pg.shown().to_owned())
        }
        (true, false) => {
            let path = Path::new(&args.to);
            if path.exists() {
                return Err(UsageError(format!(
                    "--to {}: the file exists; copy into a new database file",
                    args.to
                ))
                .into());
            }
            let (pg, _) = PgStore::open(&args.from)?;
            let (duck, _) = DuckStore::open(path)?;
            let done = copy_installation(
                Direction::PgToDuck {
                    from: &pg,
                    to: &duck,
                },
                &mut say,
            );
            match done {
                Ok(done) => (done, pg.shown().to_owned(), path.display().to_string()),
                Err(e) => {
                    drop(duck);
                    let _ = std::fs::remove_file(path);
                    let _ = std::fs::remove_file(format!("{}.wal", path.display()));
                    return Err(e.into());
                }
            }
        }
        _ => {
            return Err(UsageError(
                "copy goes between a database file and a PostgreSQL server: one of --from \
                 and --to is a file, the other postgres://..."
                    .to_owned(),
            )
            .into())
        }
    };
    let rows: u64 = tables.iter().map(|t| t.rows).sum();
    if cli.json {
        output::json(&serde_json::json!({
            "from": from,
            "to": to,
            "rows": rows,
            "tables": tables,
        }))?;
    } else {
        println!(
            "copied {rows} rows in {} tables from {from} to {to}, every table verified",
            tables.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}
