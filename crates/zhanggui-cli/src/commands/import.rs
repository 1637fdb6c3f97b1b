//! `zhanggui import --shop NAME FILE...`: each file in its own transaction, with a progress
//! bar, a summary of what happened and rejected rows; then, once every file is in, the
//! data-quality warnings about the shop.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use zhanggui_domain::{Shop, ShopName};
use zhanggui_import::{import_file, ImportError, ImportOptions, ImportOutcome, Progress};
use zhanggui_storage::{QualityFinding, Store};

use crate::cli::{Cli, ImportArgs};
use crate::{db, output, UsageError};

struct Bar(ProgressBar);

impl Progress for Bar {
    fn update(&self, bytes: u64, size: u64, rows: u64) {
        self.0.set_length(size.max(1));
        self.0.set_position(bytes.min(size));
        self.0.set_message(format!("{rows} rows"));
    }
}

#[derive(Serialize)]
struct Failure {
    file: String,
    error: String,
}

pub fn run(cli: &Cli, args: &ImportArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = find_shop(&store, &args.shop)?;
    let options = ImportOptions {
        format: args.format.clone(),
        mapping: args.mapping.clone(),
        strict: args.strict,
        dry_run: args.dry_run,
        defer_checks: true,
    };
    let mut outcomes = Vec::new();
    let mut failures = Vec::new();
    for file in &args.files {
        let bar = ProgressBar::new(1);
        if cli.json {
            bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {prefix} [{bar:30}] {percent}% {msg} ({elapsed})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar.set_prefix(file.display().to_string());
        let result = import_file(&store, &shop, file, &options, &Bar(bar.clone()));
        bar.finish_and_clear();
        match result {
            Ok(outcome) => {
                if !cli.json {
                    print_outcome(&outcome);
                }
                outcomes.push(outcome);
            }
            Err(ImportError::UnknownFormat(name, known)) => {
                return Err(
                    UsageError(format!("unknown format `{name}`; known formats: {known}")).into(),
                );
            }
            Err(err) => {
                if !cli.json {
                    eprintln!(
                        "error: {err}\n  nothing was imported from {}",
                        file.display()
                    );
                }
                failures.push(Failure {
                    file: file.display().to_string(),
                    error: err.to_string(),
                });
            }
        }
    }
    // The checks look at the whole shop: run once, after every file is in.
    let quality = if outcomes.iter().any(|o| !o.dry_run) {
        store.quality_checks(&shop)?
    } else {
        Vec::new()
    };
    if cli.json {
        output::json(&serde_json::json!({
            "imported": outcomes,
            "failed": failures,
            "quality": quality,
        }))?;
    } else {
        print_quality(&quality, outcomes.len());
    }
    Ok(if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The shop named on the command line, or a usage error listing the shops there are.
pub fn find_shop(store: &dyn Store, name: &str) -> anyhow::Result<Shop> {
    let parsed = ShopName::parse(name).map_err(|e| UsageError(format!("the shop name {e}")))?;
    match store.shop_by_name(&parsed)? {
        Some(shop) => Ok(shop),
        None => {
            let known: Vec<String> = store.shops()?.iter().map(|s| s.name.to_string()).collect();
            let hint = if known.is_empty() {
                "no shops yet; add one with: zhanggui shop add --platform taobao --name NAME"
                    .to_owned()
            } else {
                format!("shops: {}", known.join(", "))
            };
            Err(UsageError(format!("no shop named `{name}` ({hint})")).into())
        }
    }
}

fn print_outcome(o: &ImportOutcome) {
    let source = match (&o.encoding, &o.sheet) {
        (Some(enc), _) => format!("{}, {enc}", o.format),
        (None, Some(sheet)) => format!("{}, sheet {sheet}", o.format),
        _ => o.format.clone(),
    };
    let verb = if o.dry_run {
        "dry run, nothing written: "
    } else {
        ""
    };
    println!(
        "{}: {source}\n  {verb}{} rows read: {} inserted, {} updated, {} unchanged, {} rejected",
        o.file, o.rows_read, o.inserted, o.updated, o.unchanged, o.rejected
    );
    if o.repeated_in_file > 0 {
        println!(
            "  {} rows repeated the key of an earlier row of the file and were merged into it",
            o.repeated_in_file
        );
    }
    for r in o.rejections.iter().take(5) {
        println!(
            "  rejected row {}, column {}, value `{}`: {}",
            r.row, r.column, r.value, r.reason
        );
    }
    if let Some(path) = &o.reject_file {
        println!("  every rejected row: {}", path.display());
    }
    if let Some(err) = &o.reject_file_error {
        println!("  warning: could not write the reject file ({err})");
    }
}

/// The data-quality warnings about the shop once the command's files are in.
fn print_quality(quality: &[QualityFinding], files: usize) {
    if quality.is_empty() {
        return;
    }
    if files > 1 {
        println!("data quality after these {files} files:");
    } else {
        println!("data quality:");
    }
    for q in quality {
        println!(
            "  warning: {} {} (e.g. {})",
            q.count,
            q.message,
            q.examples.join(", ")
        );
    }
}
