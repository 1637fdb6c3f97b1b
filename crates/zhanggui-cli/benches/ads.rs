//! Ad report import speed: a year of daily 直通车 reports for 500 plans (182,500 rows, one
//! file), imported into a shop side by side with DuckDB's own `read_csv` loading the same
//! file into a table, in turns in the same run; best of each.
//!
//! Run with `cargo bench --workspace --bench ads`. The figures of record are in
//! docs/benchmarks.md.

use std::io::Write;
use std::time::{Duration, Instant};

use zhanggui_domain::{NewShop, Platform, ShopName};
use zhanggui_import::side::ad_reports::{import_ad_report, read_ad_report};
use zhanggui_storage::{DuckStore, Store};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 5;
const PLANS: u64 = 500;
const DAYS: u64 = 365;

/// Writes the report: each plan's day with counts from a fixed arithmetic pattern, so every
/// run reads the same file.
fn write_report(path: &std::path::Path) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(
        out,
        "日期,计划名称,展现量,点击量,花费,点击率,平均点击花费,直接成交笔数,直接成交金额,\
         总成交笔数,总成交金额,投入产出比,总购物车数,总收藏数"
    )
    .unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    for d in 0..DAYS {
        let day = start + chrono::Duration::days(d as i64);
        for p in 0..PLANS {
            let seed = (p * 7919 + d * 104_729) % 10_007;
            let impressions = 1_000 + seed * 3;
            let clicks = 10 + seed % 400;
            let spend = clicks * (50 + seed % 150);
            let orders = clicks / (10 + seed % 40);
            let sales = orders * (5_000 + seed * 7);
            writeln!(
                out,
                "{day},计划{p:03},{impressions},{clicks},{}.{:02},{:.2}%,{:.2},{},{}.{:02},{orders},{}.{:02},{:.2},{},{}",
                spend / 100,
                spend % 100,
                clicks as f64 * 100.0 / impressions as f64,
                spend as f64 / clicks as f64 / 100.0,
                orders / 2,
                sales / 200,
                (sales / 2) % 100,
                sales / 100,
                sales % 100,
                sales as f64 / spend.max(1) as f64,
                clicks / 5,
                clicks / 9,
            )
            .unwrap();
        }
    }
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("直通车报表.csv");
    write_report(&file);
    let rows = (PLANS * DAYS) as f64;

    let reference = || {
        let dir = tempfile::tempdir().unwrap();
        let conn = duckdb::Connection::open(dir.path().join("ref.duckdb")).unwrap();
        let started = Instant::now();
        conn.execute_batch(&format!(
            "CREATE TABLE report AS SELECT * FROM read_csv('{}', header = true)",
            file.display()
        ))
        .unwrap();
        started.elapsed()
    };
    let ours = || {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = DuckStore::open(&dir.path().join("bench.duckdb")).unwrap();
        let shop = store
            .add_shop(&NewShop::with_defaults(
                Platform::Taobao,
                ShopName::parse("tb").unwrap(),
            ))
            .unwrap();
        let started = Instant::now();
        let done = import_ad_report(&store, &shop, &file, None, None, &[]).unwrap();
        let elapsed = started.elapsed();
        assert_eq!(done.saved.inserted, PLANS * DAYS);
        assert!(done.rejected.is_empty());
        elapsed
    };
    // Where the time goes: reading and validating the file alone, nothing stored.
    let reading = || {
        let started = Instant::now();
        let read = read_ad_report(&file, 2, None, None, &[]).unwrap();
        assert_eq!(read.rows.len() as u64, PLANS * DAYS);
        started.elapsed()
    };
    let (mut best_ref, mut best_ours, mut best_read) =
        (Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..RUNS {
        best_ref = best_ref.min(reference());
        best_ours = best_ours.min(ours());
        best_read = best_read.min(reading());
    }
    let rate = |d: Duration| rows / d.as_secs_f64();
    println!("直通车 report, {PLANS} plans × {DAYS} days = {rows} rows, best of {RUNS}:");
    println!(
        "  duckdb read_csv into a table : {:>7.3} s  {:>10.0} rows/s",
        best_ref.as_secs_f64(),
        rate(best_ref)
    );
    println!(
        "  zhanggui ads import          : {:>7.3} s  {:>10.0} rows/s",
        best_ours.as_secs_f64(),
        rate(best_ours)
    );
    println!(
        "  of which reading the file    : {:>7.3} s",
        best_read.as_secs_f64()
    );
    println!(
        "  ratio (zhanggui speed / duckdb speed): {:.2}",
        rate(best_ours) / rate(best_ref)
    );
}
