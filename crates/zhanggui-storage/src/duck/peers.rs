//! Peer benchmarks (同行同层平均 / 优秀) over a range of days, in the dictionary's terms:
//! counts and money summed over the days, rates averaged; only metrics the reports carry
//! for every day of the range.

use duckdb::Connection;
use zhanggui_domain::Shop;

use crate::measures::{DayRange, PeerFigure};
use crate::StoreError;

/// Benchmark metric as imported → dictionary id, whether it is summed (else averaged),
/// and whether it is money (stored in major units).
const METRICS: &[(&str, &str, bool, bool)] = &[
    ("visitors", "visitors", true, false),
    ("page_views", "page_views", true, false),
    ("order_buyers", "order_buyers", true, false),
    ("buyers", "paid_buyers", true, false),
    ("paid_amount", "paid_amount", true, true),
    ("pay_conversion", "pay_conversion", false, false),
    ("uv_value", "uv_value", false, true),
];

pub(super) fn figures(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
) -> Result<Vec<PeerFigure>, StoreError> {
    let scale = 10_f64.powi(shop.currency.exponent() as i32);
    let mut stmt = conn.prepare(
        "SELECT metric, count(DISTINCT day),
                CAST(sum(peer_average) AS DOUBLE), CAST(avg(peer_average) AS DOUBLE),
                count(peer_average),
                CAST(sum(peer_excellent) AS DOUBLE), CAST(avg(peer_excellent) AS DOUBLE),
                count(peer_excellent)
         FROM peer_benchmarks WHERE shop_id = ? AND day BETWEEN ? AND ?
         GROUP BY metric",
    )?;
    let mut rows = stmt.query(duckdb::params![shop.id.0, range.from, range.to])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let metric: String = r.get(0)?;
        let Some((_, id, summed, money)) = METRICS.iter().find(|m| m.0 == metric) else {
            continue;
        };
        let days: i64 = r.get(1)?;
        if days < range.days() {
            continue;
        }
        let pick = |sum: Option<f64>, avg: Option<f64>, n: i64| -> Option<f64> {
            if n < range.days() {
                return None;
            }
            let v = if *summed { sum } else { avg }?;
            Some(if *money { v * scale } else { v })
        };
        let average = pick(r.get(2)?, r.get(3)?, r.get(4)?);
        let excellent = pick(r.get(5)?, r.get(6)?, r.get(7)?);
        if average.is_some() || excellent.is_some() {
            out.push(PeerFigure {
                metric: (*id).to_owned(),
                average,
                excellent,
            });
        }
    }
    out.sort_by(|a, b| a.metric.cmp(&b.metric));
    Ok(out)
}
