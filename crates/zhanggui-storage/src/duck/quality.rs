//! Data-quality checks run after each import: counts and a few example orders per check.

use duckdb::types::Value;
use duckdb::Connection;
use zhanggui_domain::Shop;

use crate::{QualityFinding, QualityKind, StoreError};

/// Each check is a query that yields `(order_no, n)`: an order concerned and how many
/// problems it has.
fn check_sql(kind: QualityKind, shop: i32) -> String {
    match kind {
        QualityKind::PaidBeforeCreated => format!(
            "SELECT order_no, 1 AS n FROM orders
             WHERE shop_id = {shop} AND paid_at < created_at"
        ),
        QualityKind::LinesDoNotAddUp => format!(
            "SELECT o.order_no, 1 AS n FROM orders o
             JOIN (SELECT order_no, sum(paid_amount) AS paid, count(*) AS n
                   FROM order_lines WHERE shop_id = {shop} GROUP BY order_no) l
               ON l.order_no = o.order_no
             WHERE o.shop_id = {shop} AND o.goods_amount IS NOT NULL AND l.paid IS NOT NULL
               AND abs(o.goods_amount - l.paid) > l.n"
        ),
        // Lines compared by a 64-bit hash of what they say: grouping by one number instead
        // of seven columns halves the time, and two different lines of one order share a
        // hash with a probability of about 1 in 10^19.
        QualityKind::DuplicateLines => format!(
            "SELECT order_no, count(*) - 1 AS n FROM order_lines WHERE shop_id = {shop}
             GROUP BY order_no, hash(product_code, sku_code, title, sku_properties, quantity,
                                     unit_price, paid_amount)
             HAVING count(*) > 1"
        ),
        QualityKind::NegativeQuantity => format!(
            "SELECT l.order_no, 1 AS n FROM order_lines l
             JOIN orders o ON o.shop_id = l.shop_id AND o.order_no = l.order_no
             WHERE l.shop_id = {shop} AND l.quantity < 0
               AND coalesce(o.state, '') <> 'closed'
               AND coalesce(o.refund_amount, 0) = 0 AND coalesce(l.refund_amount, 0) = 0"
        ),
        QualityKind::OrdersWithoutLines => format!(
            "SELECT o.order_no, 1 AS n FROM orders o
             ANTI JOIN (SELECT DISTINCT order_no FROM order_lines WHERE shop_id = {shop}) l
               ON l.order_no = o.order_no
             WHERE o.shop_id = {shop}"
        ),
    }
}

pub(super) fn run(conn: &Connection, shop: &Shop) -> Result<Vec<QualityFinding>, StoreError> {
    let mut findings = Vec::new();
    for kind in [
        QualityKind::PaidBeforeCreated,
        QualityKind::LinesDoNotAddUp,
        QualityKind::DuplicateLines,
        QualityKind::NegativeQuantity,
        QualityKind::OrdersWithoutLines,
    ] {
        let sql = check_sql(kind, shop.id.0);
        // One pass per check: the total and the first three orders concerned.
        let (count, examples): (i64, Value) = conn.query_row(
            &format!(
                "SELECT CAST(coalesce(sum(n), 0) AS BIGINT), min(order_no, 3)
                 FROM (SELECT order_no, sum(n) AS n FROM ({sql}) GROUP BY order_no)"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if count == 0 {
            continue;
        }
        let examples = match examples {
            Value::List(items) => items
                .into_iter()
                .filter_map(|v| match v {
                    Value::Text(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        findings.push(QualityFinding {
            kind,
            message: kind.describe(),
            count: count as u64,
            examples,
        });
    }
    Ok(findings)
}
