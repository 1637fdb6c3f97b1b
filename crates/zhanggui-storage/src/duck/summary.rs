//! Per-shop totals: what landed, in the numbers a user checks first.

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use duckdb::Connection;
use zhanggui_domain::{Money, Shop};

use crate::{ShopSummary, StoreError};

/// An order counts as paid when it has a payment time or a state after payment; closed
/// orders that were paid before they were refunded count too (支付金额 does not net refunds).
pub(crate) const PAID_ORDER: &str =
    "(o.paid_at IS NOT NULL OR o.state IN ('paid', 'shipped', 'completed'))";

pub(super) fn of_shop(conn: &Connection, shop: Shop) -> Result<ShopSummary, StoreError> {
    let id = shop.id.0;
    let sql = format!(
        "WITH lt AS (
             SELECT order_no, sum(paid_amount) AS paid, sum(refund_amount) AS refund
             FROM order_lines WHERE shop_id = {id} GROUP BY order_no
         )
         SELECT count(*),
                min(coalesce(o.created_at, o.paid_at)),
                max(coalesce(o.created_at, o.paid_at)),
                count(DISTINCT o.buyer_id),
                coalesce(sum(coalesce(o.paid_amount, lt.paid)) FILTER (WHERE {PAID_ORDER}), 0),
                coalesce(sum(coalesce(o.paid_amount, lt.paid))
                         FILTER (WHERE {PAID_ORDER} AND o.buyer_id IS NOT NULL), 0),
                coalesce(sum(coalesce(o.refund_amount, lt.refund)), 0)
         FROM orders o LEFT JOIN lt ON lt.order_no = o.order_no
         WHERE o.shop_id = {id}"
    );
    type Row = (
        i64,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        i64,
        i128,
        i128,
        i128,
    );
    let (orders, first, last, customers, paid, paid_identified, refund): Row =
        conn.query_row(&sql, [], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?;
    let count = |table: &str| -> Result<u64, StoreError> {
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM {table} WHERE shop_id = {id}"),
            [],
            |r| r.get(0),
        )?;
        Ok(n as u64)
    };
    let local_day = |t: Option<NaiveDateTime>| -> Option<NaiveDate> {
        t.map(|utc| shop.timezone.from_utc_datetime(&utc).date_naive())
    };
    let money = |minor: i128| -> Result<Money, StoreError> {
        i64::try_from(minor)
            .map(|m| Money::new(m, shop.currency))
            .map_err(|_| StoreError::Corrupt(format!("amount {minor} is out of range")))
    };
    Ok(ShopSummary {
        first_day: local_day(first),
        last_day: local_day(last),
        orders: orders as u64,
        order_lines: count("order_lines")?,
        products: count("products")?,
        customers: customers as u64,
        paid_amount: money(paid)?,
        paid_amount_identified: money(paid_identified)?,
        refund_amount: money(refund)?,
        product_days: count("product_days")?,
        source_days: count("source_days")?,
        refunds: count("refunds")?,
        shop,
    })
}
