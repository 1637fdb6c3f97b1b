//! Speed of the profit model by product over 12 months (cost of goods by the price in force,
//! the bills' fees or the estimated rate, shipping and packaging rules, the day's ad spend
//! and the month's fixed costs shared by net sales), side by side with hand-written DuckDB
//! SQL computing the same per-product figures over the same tables, in the same run. The
//! first report after the import builds the profit lines (`duck/profit.rs`) and is timed
//! apart; the best of the later runs reads them.
//!
//! Run with `cargo bench --workspace --bench profit`. The store is the demo's Taobao shop
//! with its cost sheet, bill, expense sheet and ad spend: by default a demo of 600,000 order
//! lines built in a temporary directory; set `ZHANGGUI_BENCH_DB` to a database made by
//! `zhanggui demo --lines 11800000 --into PATH` for the 10-million-line figure of
//! docs/benchmarks.md (`bash bench/profit_10m.sh` does both).

mod common;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use zhanggui_analytics::profit::profit;
use zhanggui_storage::{DayRange, FactsRefresh, ProfitBy};

/// The allocator of the `zhanggui` binary, so that the bench measures what users run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Runs of each, alternating; the best counts. `ZHANGGUI_BENCH_RUNS` sets another number
/// (the 10-million-line store takes long enough for fewer to do).
fn runs() -> usize {
    std::env::var("ZHANGGUI_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or(5)
}

const FROM: &str = "2024-12-01";
const TO: &str = "2025-11-30";

/// Per product: net sales, cost of goods, and every other cost (fees, shipping, packaging,
/// ad spend, fixed costs) before rounding, written by hand over the stored tables.
fn hand_written(conn: &duckdb::Connection, shop: i32) -> HashMap<String, (i64, i64, f64)> {
    // The months the period touches carry the fixed costs; the days in it the ad spend.
    let (m_from, m_to) = ("2024-12-01", "2025-11-30");
    let sql = format!(
        "WITH
 rules AS (SELECT *, lead(valid_from) OVER (PARTITION BY name, product_code, region
                                             ORDER BY valid_from) AS valid_to
           FROM expense_rules WHERE shop_id = {shop}),
 days AS (SELECT CAST(range AS DATE) AS day
          FROM range(DATE '{m_from}', DATE '{m_to}' + 1, INTERVAL 1 DAY)),
 rd AS (SELECT d.day, r.* FROM days d JOIN rules r
          ON d.day >= r.valid_from AND (r.valid_to IS NULL OR d.day < r.valid_to)),
 o AS (SELECT order_no, CAST(paid_local AS DATE) AS day, coalesce(region, '') AS region
       FROM order_facts WHERE shop_id = {shop} AND is_paid
         AND CAST(paid_local AS DATE) BETWEEN DATE '{FROM}' AND DATE '{TO}'),
 l AS (SELECT ol.order_no, o.day, o.region, ol.product_code, ol.sku_code, ol.quantity AS q,
              coalesce(ol.paid_amount, 0) - coalesce(ol.refund_amount, 0) AS net
       FROM order_lines ol JOIN o ON o.order_no = ol.order_no WHERE ol.shop_id = {shop}),
 cp AS (SELECT product_code, valid_from, unit_cost FROM cost_prices WHERE shop_id = {shop}),
 lc AS (SELECT l.*, coalesce(a.unit_cost, b.unit_cost) * l.q AS cogs,
               sum(l.net) OVER (PARTITION BY l.order_no) AS o_net,
               sum(l.q) OVER (PARTITION BY l.order_no) AS o_q,
               count(*) OVER (PARTITION BY l.order_no) AS o_n,
               sum(l.net) OVER (PARTITION BY l.day) AS d_net,
               sum(l.net) OVER (PARTITION BY date_trunc('month', l.day)) AS m_net
        FROM l
        ASOF LEFT JOIN cp a ON a.product_code = l.sku_code AND l.day >= a.valid_from
        ASOF LEFT JOIN cp b ON b.product_code = l.product_code AND l.day >= b.valid_from),
 sh AS (SELECT *, CASE WHEN o_net > 0 THEN net / o_net WHEN o_q > 0 THEN q / o_q
                       ELSE 1 / o_n END AS s FROM lc),
 fees AS (SELECT order_no, sum(-amount) AS fees FROM bill_lines
          WHERE shop_id = {shop} AND kind NOT IN ('sales', 'refund', 'transfer')
            AND order_no IS NOT NULL GROUP BY 1),
 billed AS (SELECT DISTINCT order_no FROM bill_lines WHERE shop_id = {shop}),
 rate AS (SELECT day, sum(rate) AS r FROM rd
          WHERE basis = 'share_of_sales' AND category = 'platform_fees' GROUP BY 1),
 per_order AS (SELECT order_no, sum(amount) AS amount FROM (
                 SELECT o.order_no, rd.name, arg_max(rd.amount, length(rd.region)) AS amount
                 FROM o JOIN rd ON rd.day = o.day AND rd.basis = 'per_order'
                      AND (rd.region = '' OR starts_with(o.region, rd.region))
                 GROUP BY ALL) GROUP BY 1),
 per_unit AS (SELECT day, product_code, sum(amount) AS amount FROM rd
              WHERE basis = 'per_unit' GROUP BY ALL),
 ads AS (SELECT day, sum(spend) AS spend FROM ad_spend
         WHERE shop_id = {shop} AND day BETWEEN DATE '{FROM}' AND DATE '{TO}' GROUP BY 1),
 fixed AS (SELECT date_trunc('month', day) AS month, sum(amount) AS amount FROM rd
           WHERE category = 'fixed' AND basis = 'per_month' AND day = last_day(day)
           GROUP BY 1)
 SELECT lc.product_code, sum(lc.net), CAST(sum(lc.cogs) AS BIGINT),
        sum(
          CASE WHEN bd.order_no IS NOT NULL THEN coalesce(f.fees, 0) * lc.s
               ELSE coalesce(rt.r, 0) * lc.net END
          + coalesce(po.amount, 0) * lc.s
          + coalesce(pu.amount, 0) * lc.q + coalesce(pg.amount, 0) * lc.q
          + CASE WHEN lc.d_net > 0 THEN coalesce(ad.spend, 0) * lc.net / lc.d_net ELSE 0 END
          + CASE WHEN lc.m_net > 0 THEN coalesce(fx.amount, 0) * lc.net / lc.m_net ELSE 0 END)
 FROM sh lc
 LEFT JOIN billed bd ON bd.order_no = lc.order_no
 LEFT JOIN fees f ON f.order_no = lc.order_no
 LEFT JOIN rate rt ON rt.day = lc.day
 LEFT JOIN per_order po ON po.order_no = lc.order_no
 LEFT JOIN per_unit pu ON pu.day = lc.day AND pu.product_code = lc.product_code
 LEFT JOIN per_unit pg ON pg.day = lc.day AND pg.product_code = ''
 LEFT JOIN ads ad ON ad.day = lc.day
 LEFT JOIN fixed fx ON fx.month = date_trunc('month', lc.day)
 GROUP BY 1"
    );
    let mut stmt = conn.prepare(&sql).unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get::<_, i64>(1)?,
                    r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                    r.get::<_, f64>(3)?,
                ),
            ))
        })
        .unwrap();
    rows.collect::<Result<_, _>>().unwrap()
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
    // The order facts are brought up to date once, before timing; the profit lines are not:
    // the first report builds them, and its time is shown apart.
    {
        let (store, shop) = common::taobao(&db);
        store.refresh_facts(&shop, FactsRefresh::Auto).unwrap();
    }
    let mut expected = HashMap::new();
    let mut got = Vec::new();
    let mut reference = || {
        let conn = duckdb::Connection::open(&db).unwrap();
        conn.execute_batch("SET preserve_insertion_order = false;")
            .unwrap();
        let shop = common::taobao_id(&conn);
        let started = Instant::now();
        expected = hand_written(&conn, shop);
        started.elapsed()
    };
    let mut ours = || {
        let (store, shop) = common::taobao(&db);
        let started = Instant::now();
        let r = profit(
            &store,
            &shop,
            DayRange::new(day(FROM), day(TO)),
            ProfitBy::Product,
        )
        .unwrap();
        let elapsed = started.elapsed();
        got = r.rows;
        elapsed
    };
    let (mut best_ref, mut best_ours) = (Duration::MAX, Duration::MAX);
    let first = ours();
    let runs = runs();
    for _ in 0..runs {
        best_ref = best_ref.min(reference());
        best_ours = best_ours.min(ours());
    }
    // Both compute the same: net sales and cost of goods to the cent, the other costs to
    // the cent after rounding, per product.
    assert_eq!(got.len(), expected.len(), "the same products");
    for row in &got {
        let (net, cogs, others) = expected[&row.key];
        assert_eq!(row.net_sales.minor, net, "{}: net sales", row.key);
        if let Some(c) = row.cogs {
            assert_eq!(c.minor, cogs, "{}: cost of goods", row.key);
        }
        let ours_others = row.platform_fees.minor
            + row.shipping.minor
            + row.packaging.minor
            + row.ad_spend.minor
            + row.other_costs.minor;
        assert!(
            (ours_others as f64 - others).abs() <= 5.0,
            "{}: other costs {ours_others} against {others}",
            row.key
        );
    }
    println!(
        "Profit by product, 12 months, store of {lines} order lines ({} products), best of {runs}:",
        got.len()
    );
    println!(
        "  hand-written DuckDB SQL : {:>7.3} s",
        best_ref.as_secs_f64()
    );
    println!(
        "  zhanggui profit         : {:>7.3} s  (the first report, which builds the 12 months of profit lines: {:.3} s)",
        best_ours.as_secs_f64(),
        first.as_secs_f64()
    );
    println!(
        "  ratio (zhanggui time / hand-written time): {:.2}",
        best_ours.as_secs_f64() / best_ref.as_secs_f64()
    );
}
