//! Speed of a full report (12 months against the 12 before: every metric, the split of
//! the change per shop, source and product), side by side with hand-written DuckDB SQL
//! computing the same measures, in the same run.
//!
//! Run with `cargo bench --workspace`. The store is the demo's Taobao shop: by default a
//! demo of 600,000 order lines built in a temporary directory; set `ZHANGGUI_BENCH_DB` to a
//! database made by `zhanggui demo --lines 11800000 --into PATH` for the 10-million-line
//! figure of docs/benchmarks.md (`bash bench/report_10m.sh` does both).

mod common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use zhanggui_analytics::{report, Compare, PeriodSpec, ReportRequest};

/// The allocator of the `zhanggui` binary, so that the bench measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs of each, alternating; the best counts.
const RUNS: usize = 5;

const FROM: &str = "2024-12-01";
const TO: &str = "2025-11-30";

/// The same measures as the report, written by hand for this shop (UTC+8, no daylight
/// saving): totals, sources and products, for the period and the one before. Returns the
/// period's paid amount.
fn hand_written(conn: &duckdb::Connection, shop: i32) -> i64 {
    let periods = [("2023-12-01", "2024-12-01"), (FROM, "2025-12-01")];
    let mut paid = 0;
    for (from, to) in periods {
        let orders = format!(
            "WITH lt AS (
                 SELECT order_no, sum(paid_amount) AS paid, sum(refund_amount) AS refund,
                        sum(quantity) AS units
                 FROM order_lines WHERE shop_id = {shop} GROUP BY order_no),
             o AS (
                 SELECT o.order_no, o.buyer_id, o.paid_at, o.shipped_at,
                        coalesce(o.paid_at, o.created_at) + INTERVAL 8 HOUR AS pl,
                        coalesce(o.created_at, o.paid_at) + INTERVAL 8 HOUR AS cl,
                        coalesce(o.paid_amount, lt.paid) AS amount,
                        coalesce(o.refund_amount, lt.refund) AS refund,
                        coalesce(lt.units, o.item_count) AS units,
                        (o.paid_at IS NOT NULL OR o.state IN ('paid', 'shipped', 'completed'))
                            AS is_paid
                 FROM orders o LEFT JOIN lt ON lt.order_no = o.order_no
                 WHERE o.shop_id = {shop}),
             firsts AS (
                 SELECT buyer_id, min(pl) AS first_paid FROM o
                 WHERE is_paid AND buyer_id IS NOT NULL GROUP BY buyer_id),
             p AS (SELECT * FROM o WHERE is_paid AND pl >= '{from}' AND pl < '{to}'),
             fp AS (SELECT buyer_id, min(pl) AS f FROM p WHERE buyer_id IS NOT NULL GROUP BY 1),
             rep AS (
                 SELECT fp.buyer_id, bool_or(o2.pl <= fp.f + INTERVAL 30 DAY) AS r30
                 FROM fp JOIN o o2 ON o2.buyer_id = fp.buyer_id AND o2.is_paid
                      AND o2.pl > fp.f AND o2.pl <= fp.f + INTERVAL 90 DAY
                 GROUP BY 1)
             SELECT CAST(sum(p.amount) AS BIGINT), count(*), count(DISTINCT p.buyer_id),
                    sum(p.units), sum(p.refund), count(*) FILTER (WHERE p.refund > 0),
                    count(DISTINCT p.buyer_id) FILTER (WHERE f.first_paid >= '{from}'),
                    sum(epoch(p.shipped_at) - epoch(p.paid_at))
                        FILTER (WHERE p.shipped_at >= p.paid_at),
                    (SELECT count(*) FROM rep), (SELECT count(*) FILTER (WHERE r30) FROM rep),
                    (SELECT count(DISTINCT buyer_id) FROM o WHERE cl >= '{from}' AND cl < '{to}')
             FROM p LEFT JOIN firsts f ON f.buyer_id = p.buyer_id"
        );
        let amount: Option<i64> = conn.query_row(&orders, [], |r| r.get(0)).unwrap();
        paid = amount.unwrap_or(0);
        let products = format!(
            "WITH o AS (
                 SELECT order_no, buyer_id,
                        coalesce(paid_at, created_at) + INTERVAL 8 HOUR AS pl,
                        coalesce(created_at, paid_at) + INTERVAL 8 HOUR AS cl,
                        (paid_at IS NOT NULL OR state IN ('paid', 'shipped', 'completed'))
                            AS is_paid
                 FROM orders WHERE shop_id = {shop}),
             pl AS (
                 SELECT l.product_code, l.quantity, l.paid_amount, l.refund_amount,
                        o.order_no, o.buyer_id, o.pl, o.cl, o.is_paid
                 FROM order_lines l JOIN o ON o.order_no = l.order_no
                 WHERE l.shop_id = {shop})
             SELECT product_code,
                    count(DISTINCT buyer_id) FILTER (WHERE is_paid AND pl >= '{from}' AND pl < '{to}'),
                    count(DISTINCT order_no) FILTER (WHERE is_paid AND pl >= '{from}' AND pl < '{to}'),
                    sum(quantity) FILTER (WHERE is_paid AND pl >= '{from}' AND pl < '{to}'),
                    sum(paid_amount) FILTER (WHERE is_paid AND pl >= '{from}' AND pl < '{to}'),
                    count(DISTINCT buyer_id) FILTER (WHERE cl >= '{from}' AND cl < '{to}')
             FROM pl GROUP BY 1"
        );
        conn.prepare(&products)
            .unwrap()
            .query([])
            .unwrap()
            .next()
            .unwrap();
        let reports = format!(
            "SELECT source, sum(visitors), sum(page_views), sum(buyers), sum(paid_amount)
             FROM source_days WHERE shop_id = {shop} AND day >= '{from}' AND day < '{to}'
             GROUP BY 1;
             SELECT product_code, sum(visitors), sum(favourites), sum(add_to_cart)
             FROM product_days WHERE shop_id = {shop} AND day >= '{from}' AND day < '{to}'
             GROUP BY 1;"
        );
        conn.execute_batch(&reports).unwrap();
    }
    paid
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::bench_db(dir.path());
    let lines: i64 = {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.query_row("SELECT count(*) FROM order_lines", [], |r| r.get(0))
            .unwrap()
    };
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let mut expected = 0;
    let mut got = 0;
    let reference = || {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch("SET memory_limit = '512MB'; SET preserve_insertion_order = false;")
            .unwrap();
        let shop = common::taobao_id(&conn);
        let started = Instant::now();
        expected = hand_written(&conn, shop);
        started.elapsed()
    };
    let ours = || {
        let (store, shop) = common::taobao(&db);
        let started = Instant::now();
        let r = report(
            &store,
            &shop,
            ReportRequest {
                period: PeriodSpec::Range(day(FROM), day(TO)),
                compare: Compare::Previous,
                anchor: None,
            },
        )
        .unwrap();
        let elapsed = started.elapsed();
        got = r
            .kpis
            .iter()
            .find(|k| k.id == "paid_amount")
            .and_then(|k| k.current.value)
            .unwrap_or(0.0) as i64;
        elapsed
    };
    let (mut best_ref, mut best_ours) = (Duration::MAX, Duration::MAX);
    let (mut reference, mut ours) = (reference, ours);
    for _ in 0..RUNS {
        best_ref = best_ref.min(reference());
        best_ours = best_ours.min(ours());
    }
    assert_eq!(
        got, expected,
        "the report and the hand-written SQL agree on sales"
    );
    println!("Full report, 12 months against the 12 before, store of {lines} order lines, best of {RUNS}:");
    println!(
        "  hand-written DuckDB SQL : {:>7.3} s",
        best_ref.as_secs_f64()
    );
    println!(
        "  zhanggui report         : {:>7.3} s",
        best_ours.as_secs_f64()
    );
    println!(
        "  ratio (zhanggui time / hand-written time): {:.2}",
        best_ours.as_secs_f64() / best_ref.as_secs_f64()
    );
}
