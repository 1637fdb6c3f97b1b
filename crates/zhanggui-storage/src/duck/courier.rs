//! Courier bills: each parcel's charge saved by tracking number (the same keyed upsert as
//! the other profit inputs), and the charges no order's tracking number names.

use duckdb::{params, Connection};
use zhanggui_domain::Shop;

use super::profit_inputs::upsert;
use crate::costs::{CostsSaved, CourierCharge};
use crate::StoreError;

pub(super) fn save_courier_charges(
    conn: &Connection,
    shop: &Shop,
    charges: &[CourierCharge],
) -> Result<CostsSaved, StoreError> {
    upsert(conn, "courier_charges", &["tracking_no"], |a| {
        for (seq, c) in charges.iter().enumerate() {
            a.append_row(params![
                shop.id.0,
                c.tracking_no,
                c.carrier,
                c.day,
                c.weight_grams,
                c.amount,
                seq as i64,
            ])?;
        }
        Ok(())
    })
}

pub(super) fn unmatched_courier_charges(
    conn: &Connection,
    shop: &Shop,
) -> Result<Vec<CourierCharge>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT c.tracking_no, c.carrier, c.day, c.weight_grams, c.amount
         FROM courier_charges c
         WHERE c.shop_id = ?
           AND NOT EXISTS (SELECT 1 FROM orders o
                           WHERE o.shop_id = ? AND o.tracking_no = c.tracking_no)
         ORDER BY c.day NULLS LAST, c.tracking_no",
    )?;
    let rows = stmt.query_map(params![shop.id.0, shop.id.0], |r| {
        Ok(CourierCharge {
            tracking_no: r.get(0)?,
            carrier: r.get(1)?,
            day: r.get(2)?,
            weight_grams: r.get(3)?,
            amount: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
