//! Speed of the customer-base fits: BG/NBD plus Gamma-Gamma on CDNOW side by side with the
//! Python `lifetimes` package fitting the same customers in the same run, and both fits on
//! a million generated customers.
//!
//! Run with `bash bench/members_vs_lifetimes.sh` (it makes a virtual environment with
//! `lifetimes` and points `ZHANGGUI_LIFETIMES_PYTHON` at it). Without that variable the
//! bench measures zhanggui alone. The CDNOW file is `../shared/data/cdnow/CDNOW_sample.txt`
//! beside the repository, or `ZHANGGUI_CDNOW`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use zhanggui_analytics::members::bgnbd::{BgNbd, Customer};
use zhanggui_analytics::members::spend::{GammaGamma, Spend};

#[path = "../tests/it/simulate.rs"]
mod simulate;

/// Runs of each, alternating; the best counts.
const RUNS: usize = 5;
/// Generated customers for the large fit.
const LARGE: usize = 1_000_000;

fn cdnow_path() -> PathBuf {
    std::env::var_os("ZHANGGUI_CDNOW").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/data/cdnow/CDNOW_sample.txt")
        },
        PathBuf::from,
    )
}

/// CDNOW's customers as the published fit counts them: purchase days (records of one day
/// merged) up to 1997-09-30, times in weeks from the first purchase day; spend is the mean
/// value of the repeat purchase days.
fn cdnow_customers(path: &Path) -> Vec<(Customer, Spend)> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let until = NaiveDate::from_ymd_opt(1997, 9, 30).unwrap();
    let mut days: BTreeMap<String, BTreeMap<NaiveDate, f64>> = BTreeMap::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [_, id, date, _, value] = fields[..] else {
            continue;
        };
        let date = NaiveDate::parse_from_str(date, "%Y%m%d").unwrap();
        if date <= until {
            *days
                .entry(id.to_string())
                .or_default()
                .entry(date)
                .or_default() += value.parse::<f64>().unwrap();
        }
    }
    days.values()
        .map(|by_day| {
            let first = *by_day.keys().next().unwrap();
            let last = *by_day.keys().next_back().unwrap();
            let x = by_day.len() - 1;
            let repeat: f64 = by_day.values().skip(1).sum();
            let weeks = |d: NaiveDate| (d - first).num_days() as f64 / 7.0;
            (
                Customer {
                    frequency: x as f64,
                    recency: weeks(last),
                    age: weeks(until),
                },
                Spend {
                    orders: x as f64,
                    mean_value: if x > 0 { repeat / x as f64 } else { 0.0 },
                },
            )
        })
        .collect()
}

fn fit_both(base: &[(Customer, Spend)]) -> (BgNbd, GammaGamma, Duration) {
    let started = Instant::now();
    let customers: Vec<Customer> = base.iter().map(|(c, _)| *c).collect();
    let spends: Vec<Spend> = base.iter().map(|(_, s)| *s).collect();
    let bg = BgNbd::fit(&customers);
    let gg = GammaGamma::fit(&spends);
    (bg, gg, started.elapsed())
}

/// One run of `bench/lifetimes_fit.py` on the summary file: its fit time in seconds.
fn lifetimes_run(python: &str, summary: &Path) -> (f64, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/lifetimes_fit.py");
    let out = Command::new(python)
        .arg(&script)
        .arg(summary)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "lifetimes failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let seconds = text
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .expect("seconds first");
    (seconds, text)
}

fn main() {
    let base = cdnow_customers(&cdnow_path());
    println!("CDNOW: {} customers, calibration to 1997-09-30", base.len());
    let python = std::env::var("ZHANGGUI_LIFETIMES_PYTHON").ok();
    let summary = std::env::temp_dir().join(format!("zhanggui-cdnow-{}.csv", std::process::id()));
    let mut csv = String::from("frequency,recency,T,monetary_value\n");
    for (c, s) in &base {
        csv.push_str(&format!(
            "{},{},{},{}\n",
            c.frequency, c.recency, c.age, s.mean_value
        ));
    }
    std::fs::write(&summary, csv).unwrap();
    let (mut ours, mut theirs) = (f64::MAX, f64::MAX);
    let mut last = None;
    let mut their_params = String::new();
    for _ in 0..RUNS {
        if let Some(python) = &python {
            let (seconds, text) = lifetimes_run(python, &summary);
            theirs = theirs.min(seconds);
            their_params = text;
        }
        let (bg, gg, took) = fit_both(&base);
        ours = ours.min(took.as_secs_f64());
        last = Some((bg, gg));
    }
    let _ = std::fs::remove_file(&summary);
    let (bg, gg) = last.unwrap();
    println!(
        "zhanggui  BG/NBD r {:.4} alpha {:.4} a {:.4} b {:.4} LL {:.1}; Gamma-Gamma p {:.3} q {:.3} gamma {:.3}",
        bg.r, bg.alpha, bg.a, bg.b, bg.log_likelihood, gg.p, gg.q, gg.gamma
    );
    println!("zhanggui  fit: {:.2} ms (best of {RUNS})", ours * 1e3);
    if python.is_some() {
        println!("lifetimes {their_params}");
        println!("lifetimes fit: {:.2} ms (best of {RUNS})", theirs * 1e3);
        println!("ratio (lifetimes / zhanggui): {:.1}x", theirs / ours);
    } else {
        println!(
            "lifetimes: not run (set ZHANGGUI_LIFETIMES_PYTHON, see bench/members_vs_lifetimes.sh)"
        );
    }

    let truth = simulate::Truth {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };
    let generated = Instant::now();
    let large = simulate::bgnbd_base(&truth, LARGE, 42);
    println!(
        "\n{LARGE} generated customers (drawn in {:.1} s)",
        generated.elapsed().as_secs_f64()
    );
    let mut best = f64::MAX;
    for _ in 0..3 {
        let (bg, gg, took) = fit_both(&large);
        best = best.min(took.as_secs_f64());
        println!(
            "  BG/NBD r {:.3} alpha {:.3} a {:.3} b {:.3}; Gamma-Gamma p {:.2} q {:.2} gamma {:.2}; {:.2} s",
            bg.r,
            bg.alpha,
            bg.a,
            bg.b,
            gg.p,
            gg.q,
            gg.gamma,
            took.as_secs_f64()
        );
    }
    println!("  fit on {LARGE} customers: {best:.2} s (best of 3; target under 5 s)");
}
