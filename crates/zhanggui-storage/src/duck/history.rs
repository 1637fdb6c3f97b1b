//! The import history of a shop, one product day by day, and the per-buyer histories,
//! cohorts and profiles the members models read.

use duckdb::{params, Connection};
use zhanggui_domain::Shop;

use crate::{
    CohortCell, CohortRepeat, CustomerHistory, CustomerProfile, DayRange, FirstOrderBy,
    ImportRecord, ProductDay, StoreError,
};

pub(super) fn imports(conn: &Connection, shop: &Shop) -> Result<Vec<ImportRecord>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT import_id, file_name, format, imported_at, rows_read, inserted, updated,
                unchanged, rejected
         FROM imports WHERE shop_id = ? ORDER BY import_id DESC",
    )?;
    let rows = stmt.query_map([shop.id.0], |r| {
        Ok(ImportRecord {
            import_id: r.get(0)?,
            file_name: r.get(1)?,
            format: r.get(2)?,
            imported_at: r.get(3)?,
            rows_read: r.get::<_, i64>(4)? as u64,
            inserted: r.get::<_, i64>(5)? as u64,
            updated: r.get::<_, i64>(6)? as u64,
            unchanged: r.get::<_, i64>(7)? as u64,
            rejected: r.get::<_, i64>(8)? as u64,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Visitors come from `product_days`, money, buyers and units from the paid lines in
/// `line_facts` (shop-local days); a day is listed when either has it.
pub(super) fn product_days(
    conn: &Connection,
    shop: &Shop,
    product: &str,
    range: DayRange,
) -> Result<Vec<ProductDay>, StoreError> {
    super::facts::ensure_fresh(conn, shop)?;
    let mut stmt = conn.prepare(
        "WITH sold AS (
             SELECT CAST(paid_local AS DATE) AS day,
                    CAST(sum(paid_amount) AS BIGINT) AS amount,
                    count(DISTINCT buyer_key) AS buyers,
                    CAST(sum(quantity) AS BIGINT) AS units
             FROM line_facts
             WHERE shop_id = ? AND product_code = ? AND is_paid
               AND paid_local >= CAST(? AS DATE) AND paid_local < CAST(? AS DATE) + INTERVAL 1 DAY
             GROUP BY 1),
         seen AS (
             SELECT day, CAST(sum(visitors) AS BIGINT) AS visitors FROM product_days
             WHERE shop_id = ? AND product_code = ? AND day BETWEEN CAST(? AS DATE) AND CAST(? AS DATE)
             GROUP BY 1)
         SELECT coalesce(sold.day, seen.day) AS d, seen.visitors,
                coalesce(sold.amount, 0), coalesce(sold.buyers, 0), coalesce(sold.units, 0)
         FROM sold FULL OUTER JOIN seen ON sold.day = seen.day
         ORDER BY d",
    )?;
    let id = shop.id.0;
    let rows = stmt.query_map(
        params![id, product, range.from, range.to, id, product, range.from, range.to],
        |r| {
            Ok(ProductDay {
                day: r.get(0)?,
                visitors: r.get(1)?,
                paid_amount: r.get(2)?,
                buyers: r.get(3)?,
                units: r.get(4)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Paid orders per identified buyer up to the end of `until`, from the derived order facts
/// (shop-local times) and the orders' buyer ids.
pub(super) fn customers(
    conn: &Connection,
    shop: &Shop,
    until: chrono::NaiveDate,
) -> Result<Vec<CustomerHistory>, StoreError> {
    super::facts::ensure_fresh(conn, shop)?;
    let mut stmt = conn.prepare(
        "SELECT o.buyer_id, min(f.paid_local), max(f.paid_local), count(*),
                count(DISTINCT CAST(f.paid_local AS DATE)),
                CAST(coalesce(sum(f.amount), 0) AS BIGINT),
                CAST(coalesce(arg_min(f.amount, f.paid_local), 0) AS BIGINT)
         FROM order_facts f
         JOIN orders o ON o.shop_id = f.shop_id AND o.order_no = f.order_no
         WHERE f.shop_id = ? AND f.is_paid AND o.buyer_id IS NOT NULL
           AND f.paid_local < CAST(? AS DATE) + INTERVAL 1 DAY
         GROUP BY o.buyer_id
         ORDER BY o.buyer_id",
    )?;
    let rows = stmt.query_map(params![shop.id.0, until], |r| {
        Ok(CustomerHistory {
            buyer: r.get(0)?,
            first_paid: r.get(1)?,
            last_paid: r.get(2)?,
            orders: r.get(3)?,
            paid_days: r.get(4)?,
            amount: r.get(5)?,
            first_amount: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Cohorts from the derived order facts: a buyer's cohort is the month of their first paid
/// order; only orders paid by the end of `until` count, repeat windows included.
pub(super) fn cohorts(
    conn: &Connection,
    shop: &Shop,
    until: chrono::NaiveDate,
) -> Result<(Vec<CohortCell>, Vec<CohortRepeat>), StoreError> {
    super::facts::ensure_fresh(conn, shop)?;
    let paid = "FROM order_facts
         WHERE shop_id = ? AND is_paid AND buyer_key IS NOT NULL
           AND paid_local < CAST(? AS DATE) + INTERVAL 1 DAY";
    let mut stmt = conn.prepare(&format!(
        "SELECT strftime(first_paid_local, '%Y-%m'),
                (extract(year FROM paid_local) - extract(year FROM first_paid_local)) * 12
                  + extract(month FROM paid_local) - extract(month FROM first_paid_local),
                count(DISTINCT buyer_key), CAST(coalesce(sum(amount), 0) AS BIGINT)
         {paid}
         GROUP BY 1, 2 ORDER BY 1, 2"
    ))?;
    let cells = stmt
        .query_map(params![shop.id.0, until], |r| {
            Ok(CohortCell {
                cohort: r.get(0)?,
                month: r.get(1)?,
                buyers: r.get(2)?,
                amount: r.get(3)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut stmt = conn.prepare(&format!(
        "SELECT strftime(first_paid_local, '%Y-%m'), {REPEAT_COUNTS}
         {paid} AND prev_paid_local IS NULL
         GROUP BY 1 ORDER BY 1"
    ))?;
    let repeats = stmt
        .query_map(params![until, until, until, until, shop.id.0, until], |r| {
            Ok(CohortRepeat {
                group: r.get(0)?,
                eligible_30: r.get(1)?,
                repeated_30: r.get(2)?,
                eligible_90: r.get(3)?,
                repeated_90: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok((cells, repeats))
}

/// The 30/90-day repeat counts over rows with `paid_local` and `next_paid_local`, for a
/// calibration ending with the day bound to each `?`.
const REPEAT_COUNTS: &str = "
    count(*) FILTER (WHERE paid_local + INTERVAL 30 DAY < CAST(? AS DATE) + INTERVAL 1 DAY),
    count(*) FILTER (WHERE paid_local + INTERVAL 30 DAY < CAST(? AS DATE) + INTERVAL 1 DAY
                       AND next_paid_local <= paid_local + INTERVAL 30 DAY),
    count(*) FILTER (WHERE paid_local + INTERVAL 90 DAY < CAST(? AS DATE) + INTERVAL 1 DAY),
    count(*) FILTER (WHERE paid_local + INTERVAL 90 DAY < CAST(? AS DATE) + INTERVAL 1 DAY
                       AND next_paid_local <= paid_local + INTERVAL 90 DAY)";

/// Repeat rates by what the first paid order held: a buyer counts once per category (or
/// product) of that order.
pub(super) fn first_order_repeats(
    conn: &Connection,
    shop: &Shop,
    until: chrono::NaiveDate,
    by: FirstOrderBy,
) -> Result<Vec<CohortRepeat>, StoreError> {
    super::facts::ensure_fresh(conn, shop)?;
    let group = match by {
        FirstOrderBy::Category => "coalesce(pr.category, '(none)')",
        FirstOrderBy::Product => "l.product_code",
    };
    let mut stmt = conn.prepare(&format!(
        "WITH firsts AS (
             SELECT buyer_key, hash(order_no) AS order_key, paid_local, next_paid_local
             FROM order_facts
             WHERE shop_id = ? AND is_paid AND buyer_key IS NOT NULL
               AND paid_local < CAST(? AS DATE) + INTERVAL 1 DAY AND prev_paid_local IS NULL),
         held AS (
             SELECT DISTINCT f.buyer_key, f.paid_local, f.next_paid_local, {group} AS grp
             FROM firsts f
                  JOIN line_facts l ON l.shop_id = ? AND l.order_key = f.order_key
                  LEFT JOIN products pr
                         ON pr.shop_id = ? AND pr.product_code = l.product_code
             WHERE l.product_code IS NOT NULL)
         SELECT grp, {REPEAT_COUNTS}
         FROM held GROUP BY grp ORDER BY count(*) DESC, grp"
    ))?;
    let id = shop.id.0;
    let rows = stmt.query_map(
        params![id, until, id, id, until, until, until, until],
        |r| {
            Ok(CohortRepeat {
                group: r.get(0)?,
                eligible_30: r.get(1)?,
                repeated_30: r.get(2)?,
                eligible_90: r.get(3)?,
                repeated_90: r.get(4)?,
            })
        },
    )?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

/// Each identified buyer's latest region and the categories of what they bought.
pub(super) fn profiles(
    conn: &Connection,
    shop: &Shop,
    until: chrono::NaiveDate,
) -> Result<Vec<CustomerProfile>, StoreError> {
    super::facts::ensure_fresh(conn, shop)?;
    let mut stmt = conn.prepare(
        "WITH paid AS (
             SELECT o.buyer_id, f.order_no, f.paid_local, f.region
             FROM order_facts f
             JOIN orders o ON o.shop_id = f.shop_id AND o.order_no = f.order_no
             WHERE f.shop_id = ? AND f.is_paid AND o.buyer_id IS NOT NULL
               AND f.paid_local < CAST(? AS DATE) + INTERVAL 1 DAY),
         regions AS (
             SELECT buyer_id, arg_max(region, paid_local) AS region FROM paid GROUP BY 1),
         cats AS (
             SELECT p.buyer_id,
                    string_agg(DISTINCT pr.category, chr(31) ORDER BY pr.category) AS cats
             FROM paid p
                  JOIN order_lines l ON l.shop_id = ? AND l.order_no = p.order_no
                  JOIN products pr ON pr.shop_id = ? AND pr.product_code = l.product_code
             WHERE pr.category IS NOT NULL
             GROUP BY 1)
         SELECT r.buyer_id, r.region, c.cats
         FROM regions r LEFT JOIN cats c ON c.buyer_id = r.buyer_id
         ORDER BY r.buyer_id",
    )?;
    let id = shop.id.0;
    let rows = stmt.query_map(params![id, until, id, id], |r| {
        let cats: Option<String> = r.get(2)?;
        Ok(CustomerProfile {
            buyer: r.get(0)?,
            region: r.get(1)?,
            categories: cats
                .map(|c| c.split('\u{1f}').map(str::to_string).collect())
                .unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}
