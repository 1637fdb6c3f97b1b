//! Import speed on the Online Retail file (541,909 lines), side by side with DuckDB's own
//! `read_csv` loading the same file into a table, in the same run.
//!
//! Run with `cargo bench --workspace`. Prints lines per second for both
//! and the ratio; the figures of record are in docs/benchmarks.md.

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
fn best_of_alternating<A, B>(mut a: A, mut b: B) -> (Duration, Duration)
where
    A: FnMut() -> Duration,
    B: FnMut() -> Duration,
{
    (0..RUNS).fold((Duration::MAX, Duration::MAX), |(best_a, best_b), _| {
        (best_a.min(a()), best_b.min(b()))
    })
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
    let (reference, ours) = best_of_alternating(reference, ours);

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
        "  ratio (zhanggui speed / duckdb speed): {:.2}",
        rate(ours) / rate(reference)
    );
}
