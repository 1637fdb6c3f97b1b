//! Merging one staging table into its target with set-based SQL: repeated keys of the file
//! combined (the later row winning field by field), new keys inserted, known keys updated
//! where the file has values, and the counts of each. Orders and lines also note which
//! orders' facts they made stale (`facts_pending`), so that the next refresh recomputes
//! only those.

use duckdb::Connection;

use super::targets::Target;
use crate::{EntityCounts, StoreError};

/// Merges one staging table into its target and counts what happened; `precombined` rows
/// of the file were already combined before staging and count as repeated.
pub(super) fn merge(
    conn: &Connection,
    shop: i32,
    t: &Target,
    precombined: u64,
) -> Result<EntityCounts, StoreError> {
    let keys = t.keys.join(", ");
    let not_null_keys = t
        .keys
        .iter()
        .map(|k| format!("{k} IS NOT NULL"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let combined = t
        .values
        .iter()
        .map(|c| format!("arg_max({c}, file_row) FILTER (WHERE {c} IS NOT NULL) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let join_on = t
        .keys
        .iter()
        .map(|k| format!("t.{k} = s.{k}"))
        .collect::<Vec<_>>()
        .join(" AND ");
    let merged_values = t
        .values
        .iter()
        .map(|c| format!("coalesce(s.{c}, t.{c}) AS {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let changed = t
        .values
        .iter()
        .map(|c| format!("coalesce(s.{c}, t.{c}) IS DISTINCT FROM t.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let s_keys = t
        .keys
        .iter()
        .map(|k| format!("s.{k}"))
        .collect::<Vec<_>>()
        .join(", ");
    let first_key = t.keys[0];
    // Rows of the file are combined by key only when some key repeats: the combining
    // aggregate is the dearest step of a merge, and most files repeat no key.
    // A plain GROUP BY (not count(DISTINCT ...)) so that DuckDB can spill it to disk on a
    // file of ten million rows.
    let repeats: i64 = conn.query_row(
        &format!(
            "SELECT CAST(coalesce(sum(c - 1), 0) AS BIGINT) FROM (
                 SELECT count(*) AS c FROM {stage} WHERE {not_null_keys}
                 GROUP BY {keys} HAVING count(*) > 1)",
            stage = t.stage
        ),
        [],
        |r| r.get(0),
    )?;
    let source = if repeats > 0 {
        format!(
            "SELECT {keys}, count(*) AS n, {combined}
             FROM {stage} WHERE {not_null_keys} GROUP BY {keys}",
            stage = t.stage
        )
    } else {
        format!(
            "SELECT {keys}, 1 AS n, {values} FROM {stage} WHERE {not_null_keys}",
            values = t.values.join(", "),
            stage = t.stage
        )
    };
    let all_cols = t
        .keys
        .iter()
        .chain(t.values)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    // The shop's first file of this kind has nothing to compare with: insert directly.
    let target_empty: bool = conn.query_row(
        &format!(
            "SELECT NOT EXISTS (SELECT 1 FROM {table} WHERE shop_id = {shop})",
            table = t.table
        ),
        [],
        |r| r.get(0),
    )?;
    // A refund case changes its order's profit (whether the goods came back), so its
    // order is refreshed like an order of the file.
    let stales_facts = matches!(t.table, "orders" | "order_lines" | "refunds");
    if target_empty {
        if t.table == "refunds" {
            conn.execute_batch(&format!(
                "INSERT INTO facts_pending
                 SELECT DISTINCT {shop}, order_no FROM ({source}) WHERE order_no IS NOT NULL"
            ))?;
        } else if stales_facts {
            // Everything is new: the next refresh rebuilds the shop's facts whole.
            conn.execute("DELETE FROM facts_state WHERE shop_id = ?", [shop])?;
        }
        let inserted = conn.execute(
            &format!(
                "INSERT INTO {table} (shop_id, {all_cols})
                 SELECT {shop}, {all_cols} FROM ({source})",
                table = t.table
            ),
            [],
        )?;
        return Ok(EntityCounts {
            inserted: inserted as u64,
            updated: 0,
            unchanged: 0,
            repeated_in_file: repeats as u64 + precombined,
        });
    }
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE _merged AS
         WITH s AS ({source})
         SELECT {s_keys}, s.n, t.{first_key} IS NULL AS is_new,
                t.{first_key} IS NOT NULL AND ({changed}) AS is_changed,
                {merged_values}
         FROM s LEFT JOIN (SELECT * FROM {table} WHERE shop_id = {shop}) t ON {join_on}",
        table = t.table,
    ))?;
    let (inserted, updated, unchanged, repeated): (i64, i64, i64, i64) = conn.query_row(
        "SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE is_changed),
                count(*) FILTER (WHERE NOT is_new AND NOT is_changed), coalesce(sum(n - 1), 0)
         FROM _merged",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    if updated > 0 {
        let on = t
            .keys
            .iter()
            .map(|k| format!("{table}.{k} = m.{k}", table = t.table))
            .collect::<Vec<_>>()
            .join(" AND ");
        conn.execute_batch(&format!(
            "DELETE FROM {table} USING _merged m
             WHERE {table}.shop_id = {shop} AND m.is_changed AND {on}",
            table = t.table
        ))?;
    }
    if stales_facts {
        // The orders whose facts this import made stale, for the next refresh.
        conn.execute_batch(&format!(
            "INSERT INTO facts_pending
             SELECT DISTINCT {shop}, order_no FROM _merged
             WHERE (is_new OR is_changed) AND order_no IS NOT NULL"
        ))?;
    }
    conn.execute_batch(&format!(
        "INSERT INTO {table} (shop_id, {all_cols})
         SELECT {shop}, {all_cols} FROM _merged WHERE is_new OR is_changed;
         DROP TABLE _merged;",
        table = t.table
    ))?;
    Ok(EntityCounts {
        inserted: inserted as u64,
        updated: updated as u64,
        unchanged: unchanged as u64,
        repeated_in_file: repeated as u64 + precombined,
    })
}
