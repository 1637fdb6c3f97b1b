//! Paid and free visitors a day, the input of paid traffic's pull on free traffic: the
//! shop's from the traffic-source report (paid sources as `ad_measures` names them), and
//! each product's that an ad report names, its clicks (one attribution window and grain
//! per plan's day, as the metric engine counts them) against its product-report visitors.

use duckdb::{params, Connection};
use zhanggui_domain::Shop;

use super::ad_measures::{one_grain_rows, paid_source_sql};
use crate::promotion::PaidFreeDay;
use crate::{DayRange, StoreError};

pub(super) fn paid_free_days(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
) -> Result<Vec<PaidFreeDay>, StoreError> {
    let paid = paid_source_sql("s", shop.id.0);
    let shop_sql = format!(
        "SELECT NULL::VARCHAR, day,
                CAST(sum(CASE WHEN {paid} THEN visitors ELSE 0 END) AS BIGINT),
                CAST(sum(CASE WHEN {paid} THEN 0 ELSE visitors END) AS BIGINT)
         FROM source_days s
         WHERE shop_id = $1 AND day BETWEEN $2 AND $3 AND visitors IS NOT NULL
         GROUP BY day ORDER BY day"
    );
    let rows = one_grain_rows("AND product_code <> '' AND clicks IS NOT NULL");
    let product_sql = format!(
        "{rows},
         clicks AS (
           SELECT r.product_code, r.day, sum(r.clicks) AS paid
           FROM r JOIN pick USING (tool, campaign, day, attribution, grain)
           GROUP BY r.product_code, r.day),
         span AS (SELECT min(day) AS first, max(day) AS last FROM clicks)
         SELECT p.product_code, p.day, CAST(coalesce(c.paid, 0) AS BIGINT),
                CAST(greatest(p.visitors - coalesce(c.paid, 0), 0) AS BIGINT)
         FROM product_days p
              JOIN span ON p.day BETWEEN span.first AND span.last
              LEFT JOIN clicks c ON c.product_code = p.product_code AND c.day = p.day
         WHERE p.shop_id = $1 AND p.visitors IS NOT NULL
           AND p.product_code IN (SELECT product_code FROM clicks)
         ORDER BY p.product_code, p.day"
    );
    let mut out = Vec::new();
    for sql in [shop_sql, product_sql] {
        let mut stmt = conn.prepare(&sql)?;
        let mut q = stmt.query(params![shop.id.0, range.from, range.to])?;
        while let Some(r) = q.next()? {
            out.push(PaidFreeDay {
                product_code: r.get(0)?,
                day: r.get(1)?,
                paid: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                free: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
            });
        }
    }
    Ok(out)
}
