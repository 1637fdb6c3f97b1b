//! Saved member segments: named filters per shop.

use duckdb::{params, Connection};
use zhanggui_domain::Shop;

use crate::{SavedSegment, StoreError};

/// Saves (or replaces) a segment in one transaction.
pub(super) fn save(
    conn: &Connection,
    shop: &Shop,
    name: &str,
    filter_json: &str,
    saved_by: Option<&str>,
) -> Result<(), StoreError> {
    conn.execute_batch("BEGIN")?;
    let done = conn
        .execute(
            "DELETE FROM segments WHERE shop_id = ? AND name = ?",
            params![shop.id.0, name],
        )
        .and_then(|_| {
            conn.execute(
                "INSERT INTO segments VALUES (?, ?, ?, ?, CAST(now() AS TIMESTAMP))",
                params![shop.id.0, name, filter_json, saved_by],
            )
        });
    match done {
        Ok(_) => Ok(conn.execute_batch("COMMIT")?),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e.into())
        }
    }
}

pub(super) fn list(conn: &Connection, shop: &Shop) -> Result<Vec<SavedSegment>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT name, filter, saved_by, saved_at FROM segments WHERE shop_id = ? ORDER BY name",
    )?;
    let rows = stmt.query_map([shop.id.0], |r| {
        Ok(SavedSegment {
            name: r.get(0)?,
            filter: r.get(1)?,
            saved_by: r.get(2)?,
            saved_at: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<Vec<_>, _>>()?)
}

pub(super) fn delete(conn: &Connection, shop: &Shop, name: &str) -> Result<bool, StoreError> {
    let n = conn.execute(
        "DELETE FROM segments WHERE shop_id = ? AND name = ?",
        params![shop.id.0, name],
    )?;
    Ok(n > 0)
}
