//! Saving the profit model's inputs (bill lines, expense rules, ad spend) by key, set-based:
//! the rows go to a temporary table, the file's last row per key wins, and one delete and
//! one insert replace what was stored; and reading back what the bills do not match.

use chrono::NaiveDateTime;
use duckdb::{params, Appender, Connection};
use zhanggui_domain::{OrderNo, ProductCode, Shop};

use super::scripts::in_transaction;
use crate::costs::{
    AdSpendDay, BillKind, BillLine, CostsSaved, ExpenseBasis, ExpenseCategory, ExpenseRule,
    OrderFee, ProfitInputs, Unsettled,
};
use crate::{DayRange, StoreError};

/// Replaces the rows of `table` whose keys `fill` appends (to a temporary table shaped like
/// `table`, plus a running number), counting new, changed and unchanged keys.
pub(super) fn upsert(
    conn: &Connection,
    table: &str,
    keys: &[&str],
    fill: impl FnOnce(&mut Appender<'_>) -> Result<(), StoreError>,
) -> Result<CostsSaved, StoreError> {
    in_transaction(conn, || {
        conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP TABLE _in AS
                 SELECT *, CAST(0 AS BIGINT) AS _seq FROM {table} LIMIT 0"
        ))?;
        {
            let mut appender = conn.appender_to_catalog_and_db("_in", "temp", "main")?;
            fill(&mut appender)?;
            appender.flush()?;
        }
        let on: Vec<String> = std::iter::once("shop_id")
            .chain(keys.iter().copied())
            .map(|k| format!("t.{k} = n.{k}"))
            .collect();
        let on = on.join(" AND ");
        let partition = keys.join(", ");
        conn.execute_batch(&format!(
            "CREATE OR REPLACE TEMP TABLE _new AS
                 SELECT * EXCLUDE (_seq) FROM _in
                 QUALIFY row_number() OVER (PARTITION BY shop_id, {partition}
                                            ORDER BY _seq DESC) = 1"
        ))?;
        let (new, existing, unchanged): (i64, i64, i64) = conn.query_row(
            &format!(
                "SELECT (SELECT count(*) FROM _new),
                        (SELECT count(*) FROM _new n JOIN {table} t ON {on}),
                        (SELECT count(*) FROM (SELECT * FROM _new INTERSECT SELECT * FROM {table}))"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        conn.execute_batch(&format!(
            "DELETE FROM {table} t USING _new n WHERE {on};
             INSERT INTO {table} SELECT * FROM _new;
             DROP TABLE _in; DROP TABLE _new;"
        ))?;
        Ok(CostsSaved {
            inserted: (new - existing) as u64,
            updated: (existing - unchanged) as u64,
            unchanged: unchanged as u64,
        })
    })
}

pub(super) fn save_bill_lines(
    conn: &Connection,
    shop: &Shop,
    lines: &[BillLine],
) -> Result<CostsSaved, StoreError> {
    upsert(conn, "bill_lines", &["line_key"], |a| {
        for (seq, l) in lines.iter().enumerate() {
            a.append_row(params![
                shop.id.0,
                l.line_key,
                l.order_no.as_ref().map(|o| o.as_str()),
                l.kind.as_str(),
                l.amount,
                l.occurred_at,
                l.business_type,
                l.note,
                seq as i64,
            ])?;
        }
        Ok(())
    })
}

pub(super) fn save_expense_rules(
    conn: &Connection,
    shop: &Shop,
    rules: &[ExpenseRule],
) -> Result<CostsSaved, StoreError> {
    upsert(
        conn,
        "expense_rules",
        &["name", "product_code", "region", "carrier", "valid_from"],
        |a| {
            for (seq, r) in rules.iter().enumerate() {
                a.append_row(params![
                    shop.id.0,
                    r.name,
                    r.category.as_str(),
                    r.basis.as_str(),
                    r.amount,
                    r.rate,
                    r.product_code.as_ref().map_or("", |p| p.as_str()),
                    r.region.as_deref().unwrap_or(""),
                    r.valid_from,
                    r.extra_amount,
                    r.carrier.as_deref().unwrap_or(""),
                    seq as i64,
                ])?;
            }
            Ok(())
        },
    )
}

pub(super) fn expense_rules(
    conn: &Connection,
    shop: &Shop,
) -> Result<Vec<ExpenseRule>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT name, category, basis, amount, rate, product_code, region, valid_from,
                extra_amount, coalesce(carrier, '')
         FROM expense_rules WHERE shop_id = ?
         ORDER BY name, product_code, region, carrier, valid_from",
    )?;
    let rows = stmt.query_map([shop.id.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get(7)?,
            r.get(8)?,
            r.get::<_, String>(9)?,
        ))
    })?;
    rows.map(|row| {
        let (
            name,
            category,
            basis,
            amount,
            rate,
            product,
            region,
            valid_from,
            extra_amount,
            carrier,
        ) = row?;
        let corrupt = |what: &str| StoreError::Corrupt(format!("a stored expense rule's {what}"));
        Ok(ExpenseRule {
            name,
            category: ExpenseCategory::parse(&category).ok_or_else(|| corrupt("category"))?,
            basis: ExpenseBasis::parse(&basis).ok_or_else(|| corrupt("basis"))?,
            amount,
            extra_amount,
            rate,
            product_code: if product.is_empty() {
                None
            } else {
                Some(ProductCode::from_string(product).map_err(|_| corrupt("product code"))?)
            },
            region: (!region.is_empty()).then_some(region),
            carrier: (!carrier.is_empty()).then_some(carrier),
            valid_from,
        })
    })
    .collect()
}

pub(super) fn save_ad_spend(
    conn: &Connection,
    shop: &Shop,
    days: &[AdSpendDay],
) -> Result<CostsSaved, StoreError> {
    upsert(conn, "ad_spend", &["day", "channel"], |a| {
        for (seq, d) in days.iter().enumerate() {
            a.append_row(params![
                shop.id.0,
                d.day,
                d.channel.as_deref().unwrap_or(""),
                d.spend,
                seq as i64,
            ])?;
        }
        Ok(())
    })
}

pub(super) fn profit_inputs(conn: &Connection, shop: &Shop) -> Result<ProfitInputs, StoreError> {
    let id = shop.id.0;
    let count = |sql: &str| -> Result<u64, StoreError> {
        let n: i64 = conn.query_row(sql, [id], |r| r.get(0))?;
        Ok(n as u64)
    };
    let rules = |category: &str| {
        count(&format!(
            "SELECT count(*) FROM expense_rules WHERE shop_id = ? AND category = '{category}'"
        ))
    };
    Ok(ProfitInputs {
        cost_prices: count("SELECT count(*) FROM cost_prices WHERE shop_id = ?")?,
        bill_lines: count("SELECT count(*) FROM bill_lines WHERE shop_id = ?")?,
        shipping_rules: rules("shipping")?,
        weight_rules: count(
            "SELECT count(*) FROM expense_rules WHERE shop_id = ? AND basis = 'per_weight'",
        )?,
        product_weights: count("SELECT count(*) FROM product_weights WHERE shop_id = ?")?,
        packaging_rules: rules("packaging")?,
        fee_rate_rules: rules("platform_fees")?,
        fixed_rules: rules("fixed")?,
        ad_spend_days: count(
            "SELECT count(*) FROM (SELECT day, tool FROM ad_rows WHERE shop_id = $1
                                   UNION SELECT day, channel FROM ad_spend WHERE shop_id = $1)",
        )?,
        courier_charges: count("SELECT count(*) FROM courier_charges WHERE shop_id = ?")?,
        last_bill_at: conn.query_row(
            "SELECT max(occurred_at) FROM bill_lines WHERE shop_id = ?",
            [id],
            |r| r.get(0),
        )?,
    })
}

pub(super) fn unmatched_bill_lines(
    conn: &Connection,
    shop: &Shop,
) -> Result<Vec<BillLine>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT b.line_key, b.order_no, b.kind, b.amount, b.occurred_at, b.business_type, b.note
         FROM bill_lines b
         LEFT JOIN (SELECT order_no FROM orders WHERE shop_id = ?) o ON o.order_no = b.order_no
         WHERE b.shop_id = ? AND o.order_no IS NULL
           AND b.kind NOT IN ('sales', 'refund', 'transfer')
         ORDER BY b.occurred_at, b.line_key",
    )?;
    let rows = stmt.query_map(params![shop.id.0, shop.id.0], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, String>(2)?,
            r.get(3)?,
            r.get(4)?,
            r.get(5)?,
            r.get(6)?,
        ))
    })?;
    rows.map(|row| {
        let (line_key, order_no, kind, amount, occurred_at, business_type, note) = row?;
        Ok(BillLine {
            line_key,
            order_no: order_no.and_then(|o| OrderNo::from_string(o).ok()),
            kind: BillKind::parse(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("a stored bill kind `{kind}`")))?,
            amount,
            occurred_at,
            business_type,
            note,
        })
    })
    .collect()
}

pub(super) fn unsettled_orders(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
    settled_before: NaiveDateTime,
) -> Result<Vec<Unsettled>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT f.order_no, f.paid_local, f.amount
         FROM order_facts f
         WHERE f.shop_id = ? AND f.is_paid
           AND CAST(f.paid_local AS DATE) BETWEEN ? AND ?
           AND f.paid_local < ?
           AND coalesce(f.refund, 0) < coalesce(f.amount, 0)
           AND NOT EXISTS (SELECT 1 FROM bill_lines b
                           WHERE b.shop_id = f.shop_id AND b.order_no = f.order_no)
         ORDER BY f.paid_local, f.order_no",
    )?;
    let rows = stmt.query_map(
        params![shop.id.0, range.from, range.to, settled_before],
        |r| {
            Ok(Unsettled {
                order_no: r.get(0)?,
                paid_at: r.get(1)?,
                paid: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
            })
        },
    )?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(super) fn order_fees(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
) -> Result<Vec<OrderFee>, StoreError> {
    let mut stmt = conn.prepare(
        "WITH b AS (SELECT order_no, kind, sum(amount) AS amount FROM bill_lines
                    WHERE shop_id = ? AND order_no IS NOT NULL
                      AND CAST(occurred_at AS DATE) BETWEEN ? AND ?
                    GROUP BY ALL),
              s AS (SELECT order_no, sum(amount) AS settled FROM b
                    WHERE kind IN ('sales', 'refund') GROUP BY 1)
         SELECT b.order_no, b.kind, s.settled, -b.amount
         FROM b JOIN s ON s.order_no = b.order_no
         WHERE b.kind IN ('commission', 'affiliate', 'payment') AND s.settled > 0
         ORDER BY b.order_no, b.kind",
    )?;
    let rows = stmt.query_map(params![shop.id.0, range.from, range.to], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (order_no, kind, settled, fee) = row?;
        out.push(OrderFee {
            order_no,
            kind: BillKind::parse(&kind).unwrap_or(BillKind::Other),
            settled,
            fee,
        });
    }
    Ok(out)
}
