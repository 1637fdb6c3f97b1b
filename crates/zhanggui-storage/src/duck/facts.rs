//! The facts reports read: one row per order and per order line with shop-local times, the
//! order's amounts from its lines where the order report has none, the buyer as an integer
//! key, the buyer's first purchase and their next one, and each order's previous order of
//! its buyer (so that a buyer's first order in a period is found without grouping).
//! Rebuilt for a shop by the first report after an import (imports stay as fast as they
//! were; the first report after an import of ten million lines pays about 45 s once),
//! so that reports do not recompute them from ten million lines each time.

use chrono::Duration;
use duckdb::Connection;
use zhanggui_domain::Shop;

use super::local_time::local_time_sql;
use super::summary::PAID_ORDER;
use crate::StoreError;

/// Rebuilds the shop's facts if an import came after they were built.
pub(super) fn ensure_fresh(conn: &Connection, shop: &Shop) -> Result<(), StoreError> {
    let id = shop.id.0;
    let (latest, built): (i64, Option<i64>) = conn.query_row(
        "SELECT (SELECT coalesce(max(import_id), 0) FROM imports WHERE shop_id = ?),
                (SELECT import_id FROM facts_state WHERE shop_id = ?)",
        [id, id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if built == Some(latest) {
        return Ok(());
    }
    conn.execute_batch("BEGIN TRANSACTION")?;
    let result = rebuild(conn, shop).and_then(|_| {
        conn.execute(
            "INSERT OR REPLACE INTO facts_state VALUES (?, ?)",
            duckdb::params![id, latest],
        )?;
        Ok(())
    });
    match result {
        Ok(()) => conn.execute_batch("COMMIT")?,
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            return Err(e);
        }
    }
    Ok(())
}

/// Rebuilds the facts of one shop from its orders and lines.
fn rebuild(conn: &Connection, shop: &Shop) -> Result<(), StoreError> {
    let id = shop.id.0;
    let (paid_local, created_local) = local_exprs(conn, shop)?;
    // Facts stored in the order of payment time: a report's range then skips the row
    // groups outside it (DuckDB keeps min/max per row group), which needs the insertion
    // order kept for these inserts.
    conn.execute_batch("SET preserve_insertion_order = true")?;
    let built = conn.execute_batch(&format!(
        "DELETE FROM order_facts WHERE shop_id = {id};
         DELETE FROM line_facts WHERE shop_id = {id};
         INSERT INTO order_facts
         WITH lt AS (
             SELECT order_no, sum(paid_amount) AS paid, sum(refund_amount) AS refund,
                    sum(quantity) AS units
             FROM order_lines WHERE shop_id = {id} GROUP BY order_no),
         o AS (
             SELECT o.order_no,
                    CASE WHEN o.buyer_id IS NOT NULL THEN hash(o.buyer_id) END AS buyer_key,
                    o.region, o.channel, o.paid_at, o.shipped_at,
                    {paid_local} AS paid_local, {created_local} AS created_local,
                    coalesce(o.paid_amount, lt.paid) AS amount,
                    coalesce(o.refund_amount, lt.refund) AS refund,
                    coalesce(lt.units, o.item_count) AS units,
                    coalesce({PAID_ORDER}, false) AS is_paid
             FROM orders o LEFT JOIN lt ON lt.order_no = o.order_no
             WHERE o.shop_id = {id}),
         firsts AS (
             SELECT buyer_key, min(paid_local) AS first_paid FROM o
             WHERE is_paid AND buyer_key IS NOT NULL GROUP BY buyer_key),
         times AS (
             SELECT DISTINCT buyer_key, paid_local FROM o
             WHERE is_paid AND buyer_key IS NOT NULL),
         nexts AS (
             SELECT buyer_key, paid_local,
                    lead(paid_local) OVER (PARTITION BY buyer_key ORDER BY paid_local)
                        AS next_paid
             FROM times)
         SELECT {id}, o.order_no, o.buyer_key, o.paid_local, o.created_local, o.is_paid,
                o.amount, o.refund, o.units,
                CASE WHEN o.is_paid AND o.shipped_at >= o.paid_at
                     THEN CAST(epoch(o.shipped_at) - epoch(o.paid_at) AS BIGINT) END,
                o.region, o.channel, f.first_paid,
                CASE WHEN o.is_paid THEN n.next_paid END,
                CASE WHEN o.is_paid AND o.buyer_key IS NOT NULL THEN
                    lag(o.paid_local) OVER (PARTITION BY o.buyer_key, o.is_paid
                                            ORDER BY o.paid_local, o.order_no) END,
                CASE WHEN o.buyer_key IS NOT NULL THEN
                    lag(o.created_local) OVER (PARTITION BY o.buyer_key
                                               ORDER BY o.created_local, o.order_no) END
         FROM o LEFT JOIN firsts f ON f.buyer_key = o.buyer_key
              LEFT JOIN nexts n ON n.buyer_key = o.buyer_key AND n.paid_local = o.paid_local
         ORDER BY o.paid_local;
         INSERT INTO line_facts
         WITH lines AS (
             SELECT hash(l.order_no) AS order_key, hash(l.product_code) AS product_key,
                    l.product_code, l.line_key, f.buyer_key, f.paid_local, f.created_local,
                    f.is_paid, l.quantity, l.paid_amount, l.refund_amount
             FROM order_lines l
                  JOIN order_facts f ON f.shop_id = {id} AND f.order_no = l.order_no
             WHERE l.shop_id = {id}),
         -- Windows over integer keys (hashes) sort far faster than over the text ids.
         lf AS (
             SELECT *,
                    row_number() OVER (PARTITION BY order_key, product_key
                                       ORDER BY line_key) = 1 AS first_of_product,
                    coalesce(bool_or(refund_amount > 0)
                                 OVER (PARTITION BY order_key, product_key), false)
                        AS product_refunded
             FROM lines)
         SELECT {id}, order_key, product_code, buyer_key, paid_local, created_local, is_paid,
                quantity, paid_amount, refund_amount, first_of_product, product_refunded,
                CASE WHEN first_of_product AND is_paid AND buyer_key IS NOT NULL THEN
                    lag(paid_local) OVER (
                        PARTITION BY buyer_key, product_key, first_of_product, is_paid
                        ORDER BY paid_local, order_key) END,
                CASE WHEN first_of_product AND buyer_key IS NOT NULL THEN
                    lag(created_local) OVER (
                        PARTITION BY buyer_key, product_key, first_of_product
                        ORDER BY created_local, order_key) END
         FROM lf
         ORDER BY paid_local;"
    ));
    conn.execute_batch("SET preserve_insertion_order = false")?;
    built?;
    Ok(())
}

/// The shop-local time expressions for order times, exact over the span of the shop's
/// orders.
fn local_exprs(conn: &Connection, shop: &Shop) -> Result<(String, String), StoreError> {
    let (first, last): (Option<chrono::NaiveDateTime>, Option<chrono::NaiveDateTime>) = conn
        .query_row(
            "SELECT min(least(coalesce(created_at, paid_at), coalesce(paid_at, created_at))),
                    max(greatest(coalesce(created_at, paid_at), coalesce(paid_at, created_at)))
             FROM orders WHERE shop_id = ?",
            [shop.id.0],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
    let now = chrono::Utc::now().naive_utc();
    let (from, to) = (
        first.unwrap_or(now) - Duration::days(2),
        last.unwrap_or(now) + Duration::days(2),
    );
    Ok((
        local_time_sql("coalesce(o.paid_at, o.created_at)", shop.timezone, from, to),
        local_time_sql("coalesce(o.created_at, o.paid_at)", shop.timezone, from, to),
    ))
}
