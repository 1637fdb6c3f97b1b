//! Import speed on the Online Retail file (541,909 lines), side by side with DuckDB's own
//! `read_csv` loading the same file into a table, in the same run.
//!
//! A third arm measures the floor any import into this store pays: DuckDB's own reader
//! inserting the file's values, cast but not validated, numbered or merged, straight into
//! `order_lines`. It is not a goal; it shows how much of the reference's speed is left once
//! the lines are stored in the store's own table.
//!
//! Run with `cargo bench --workspace`. Prints lines per second for each arm
//! and the ratios; the figures of record are in docs/benchmarks.md.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use zhanggui_domain::{Currency, NewShop, Platform, ShopName};
use zhanggui_import::{import_file, ImportOptions};
use zhanggui_storage::{DuckStore, Store};

/// The allocator of the `zhanggui` binary, so that the bench measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs of each, alternating so that both meet the same conditions; the best counts.
const RUNS: usize = 5;

fn data_file() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/online_retail/online_retail.csv.gz");
    path.exists().then_some(path)
}

/// The best time of each of two runs, taken in turns.
/// Runs every arm once per round, in turns, and keeps each arm's best time.
fn best_of_turns(arms: &mut [&mut dyn FnMut() -> Duration]) -> Vec<Duration> {
    let mut best = vec![Duration::MAX; arms.len()];
    for _ in 0..RUNS {
        for (arm, best) in arms.iter_mut().zip(best.iter_mut()) {
            *best = (*best).min(arm());
        }
    }
    best
}

fn main() {
    let Some(file) = data_file() else {
        eprintln!("skipped: ../shared/data/online_retail/online_retail.csv.gz is absent");
        return;
    };
    let mapping =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/mappings/online_retail.toml");
    let lines = 541_909f64;

    let reference = || {
        let dir = tempfile::tempdir().unwrap();
        let conn = duckdb::Connection::open(dir.path().join("ref.duckdb")).unwrap();
        let started = Instant::now();
        conn.execute_batch(&format!(
            "CREATE TABLE lines AS SELECT * FROM read_csv('{}', header = true)",
            file.display()
        ))
        .unwrap();
        started.elapsed()
    };

    let ours = || {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = DuckStore::open(&dir.path().join("bench.duckdb")).unwrap();
        let mut shop =
            NewShop::with_defaults(Platform::Generic, ShopName::parse("online-retail").unwrap());
        shop.currency = Currency::GBP;
        shop.timezone = "Europe/London".parse().unwrap();
        let shop = store.add_shop(&shop).unwrap();
        let options = ImportOptions {
            mapping: Some(mapping.clone()),
            ..ImportOptions::default()
        };
        let started = Instant::now();
        let outcome = import_file(&store, &shop, &file, &options, &()).unwrap();
        let elapsed = started.elapsed();
        assert_eq!(outcome.inserted, 541_909);
        elapsed
    };
    let floor = || {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("floor.duckdb");
        drop(DuckStore::open(&path).unwrap());
        let conn = duckdb::Connection::open(&path).unwrap();
        let started = Instant::now();
        let inserted = conn
            .execute(
                &format!(
                    "INSERT INTO order_lines (shop_id, order_no, line_key, product_code, title, \
                     quantity, unit_price, state) \
                     SELECT 1, InvoiceNo, '', StockCode, Description, \
                     TRY_CAST(Quantity AS BIGINT), \
                     CAST(round(TRY_CAST(UnitPrice AS DECIMAL(18, 4)) * 100) AS BIGINT), \
                     CASE WHEN starts_with(InvoiceNo, 'C') THEN 'closed' ELSE 'completed' END \
                     FROM read_csv('{}', header = true, all_varchar = true)",
                    file.display()
                ),
                [],
            )
            .unwrap();
        let elapsed = started.elapsed();
        assert_eq!(inserted, 541_909);
        elapsed
    };
    let (mut reference, mut ours, mut floor) = (reference, ours, floor);
    let best = best_of_turns(&mut [&mut reference, &mut ours, &mut floor]);
    let (reference, ours, floor) = (best[0], best[1], best[2]);

    let rate = |d: Duration| lines / d.as_secs_f64();
    println!("Online Retail, 541,909 lines, best of {RUNS}:");
    println!(
        "  duckdb read_csv into a table : {:>7.3} s  {:>10.0} lines/s",
        reference.as_secs_f64(),
        rate(reference)
    );
    println!(
        "  zhanggui import (mapping)    : {:>7.3} s  {:>10.0} lines/s",
        ours.as_secs_f64(),
        rate(ours)
    );
    println!(
        "  duckdb read_csv cast straight into order_lines (floor): {:>7.3} s  {:>10.0} lines/s",
        floor.as_secs_f64(),
        rate(floor)
    );
    println!(
        "  ratio (zhanggui speed / duckdb speed): {:.2}",
        rate(ours) / rate(reference)
    );
    println!(
        "  ratio (floor speed / duckdb speed): {:.2}",
        rate(floor) / rate(reference)
    );
}
