//! Loading one file: records are appended to staging tables inside one transaction, then
//! merged into the shop's tables with set-based SQL.
//!
//! Merge rule, the same for every table: rows are keyed by shop and natural key; a row whose
//! key is new is inserted; a row whose key exists takes the file's values where the file has
//! them and keeps the stored values where it does not (a later export updates state and
//! times, an order report and a line report of the same order complete each other). Rows of
//! one file with the same key are combined the same way, the later row winning.

use std::collections::HashMap;

use duckdb::{params, Appender, Connection};
use zhanggui_domain::records::{
    BenchmarkRecord, LineRecord, OrderRecord, ProductDayRecord, Record, SourceDayRecord,
};
use zhanggui_domain::Shop;

use super::columns::{ColumnBuffer, Kind};
use crate::{Entity, EntityCounts, ImportSink, MergeReport, StoreError};

/// One table the loader merges into: its key and value columns, as in the schema.
struct Target {
    entity: Entity,
    table: &'static str,
    stage: &'static str,
    keys: &'static [&'static str],
    values: &'static [&'static str],
    /// Column types of keys then values, for the staging table.
    types: &'static [&'static str],
}

const ORDERS: Target = Target {
    entity: Entity::Orders,
    table: "orders",
    stage: "_stage_orders",
    keys: &["order_no"],
    values: &[
        "state",
        "created_at",
        "paid_at",
        "shipped_at",
        "completed_at",
        "closed_at",
        "buyer_id",
        "region",
        "channel",
        "buyer_message",
        "seller_note",
        "tracking_no",
        "carrier",
        "close_reason",
        "goods_amount",
        "discount_amount",
        "paid_amount",
        "shipping_fee",
        "refund_amount",
        "item_count",
    ],
    types: &[
        "VARCHAR",
        "VARCHAR",
        "TIMESTAMP",
        "TIMESTAMP",
        "TIMESTAMP",
        "TIMESTAMP",
        "TIMESTAMP",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "BIGINT",
        "BIGINT",
        "BIGINT",
        "BIGINT",
        "BIGINT",
        "BIGINT",
    ],
};

const LINES: Target = Target {
    entity: Entity::OrderLines,
    table: "order_lines",
    stage: "_stage_lines",
    keys: &["order_no", "line_key"],
    values: &[
        "product_code",
        "sku_code",
        "title",
        "sku_properties",
        "quantity",
        "unit_price",
        "discount_amount",
        "paid_amount",
        "refund_amount",
        "refund_status",
        "state",
    ],
    types: &[
        "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT",
        "BIGINT", "BIGINT", "BIGINT", "VARCHAR", "VARCHAR",
    ],
};

const PRODUCTS: Target = Target {
    entity: Entity::Products,
    table: "products",
    stage: "_stage_products",
    keys: &["product_code"],
    values: &["title", "list_price"],
    types: &["VARCHAR", "VARCHAR", "BIGINT"],
};

const PRODUCT_DAYS: Target = Target {
    entity: Entity::ProductDays,
    table: "product_days",
    stage: "_stage_product_days",
    keys: &["product_code", "day"],
    values: &[
        "title",
        "visitors",
        "page_views",
        "favourites",
        "add_to_cart",
        "order_buyers",
        "buyers",
        "paid_units",
        "paid_amount",
        "paid_orders",
    ],
    types: &[
        "VARCHAR", "DATE", "VARCHAR", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
        "BIGINT", "BIGINT", "BIGINT",
    ],
};

const SOURCE_DAYS: Target = Target {
    entity: Entity::SourceDays,
    table: "source_days",
    stage: "_stage_source_days",
    keys: &["source", "day"],
    values: &[
        "visitors",
        "page_views",
        "order_buyers",
        "buyers",
        "paid_amount",
        "paid_orders",
    ],
    types: &[
        "VARCHAR", "DATE", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
    ],
};

const BENCHMARKS: Target = Target {
    entity: Entity::Benchmarks,
    table: "peer_benchmarks",
    stage: "_stage_benchmarks",
    keys: &["metric", "day"],
    values: &["peer_average", "peer_excellent"],
    types: &["VARCHAR", "DATE", "DECIMAL(20, 6)", "DECIMAL(20, 6)"],
};

const TARGETS: [&Target; 6] = [
    &ORDERS,
    &LINES,
    &PRODUCTS,
    &PRODUCT_DAYS,
    &SOURCE_DAYS,
    &BENCHMARKS,
];

/// One appender per staging table; orders and lines, the bulk of every file, are buffered
/// in columns and appended a batch at a time.
struct Appenders<'a> {
    orders: Appender<'a>,
    order_rows: ColumnBuffer,
    lines: Appender<'a>,
    line_rows: ColumnBuffer,
    product_days: Appender<'a>,
    source_days: Appender<'a>,
    benchmarks: Appender<'a>,
}

/// The columns of a staging table: its file row, then its keys and values.
fn staging_columns(t: &Target) -> Vec<(&'static str, Kind)> {
    std::iter::once(("file_row", Kind::Int))
        .chain(
            t.keys
                .iter()
                .chain(t.values)
                .zip(t.types)
                .map(|(c, ty)| (*c, Kind::of_sql(ty))),
        )
        .collect()
}

/// An import in progress: an open transaction and the appenders of its staging tables.
pub(super) struct DuckImport<'a> {
    conn: &'a Connection,
    shop: Shop,
    file_name: String,
    format: String,
    /// `None` once staging is over (the appenders are flushed and closed).
    appenders: Option<Appenders<'a>>,
    /// The last order record staged, to skip repeating it for every line of one order.
    last_order: Option<Box<OrderRecord>>,
    last_order_row: u64,
    /// Products named by the file, combined in memory: far fewer than the lines naming them.
    products: HashMap<String, StagedProduct>,
    finished: bool,
}

/// What a file says about one product, the later row winning field by field.
#[derive(Default)]
struct StagedProduct {
    file_row: u64,
    title: Option<String>,
    list_price: Option<i64>,
    /// How many rows named it.
    rows: u64,
}

impl StagedProduct {
    fn update(&mut self, file_row: u64, title: Option<&str>, list_price: Option<i64>) {
        self.file_row = file_row;
        self.rows += 1;
        if let Some(t) = title {
            if self.title.as_deref() != Some(t) {
                self.title = Some(t.to_owned());
            }
        }
        if list_price.is_some() {
            self.list_price = list_price;
        }
    }
}

impl<'a> DuckImport<'a> {
    pub(super) fn begin(
        conn: &'a Connection,
        shop: &Shop,
        file_name: &str,
        format: &str,
    ) -> Result<Self, StoreError> {
        conn.execute_batch("BEGIN TRANSACTION")?;
        let created = (|| -> Result<_, StoreError> {
            for target in TARGETS {
                if target.entity == Entity::Products {
                    continue;
                }
                let cols: Vec<String> = target
                    .keys
                    .iter()
                    .chain(target.values)
                    .zip(target.types)
                    .map(|(c, t)| format!("{c} {t}"))
                    .collect();
                conn.execute_batch(&format!(
                    "CREATE TEMP TABLE {} (file_row BIGINT, {})",
                    target.stage,
                    cols.join(", ")
                ))?;
            }
            Ok(Appenders {
                orders: conn.appender_to_catalog_and_db(ORDERS.stage, "temp", "main")?,
                order_rows: ColumnBuffer::new(&staging_columns(&ORDERS)),
                lines: conn.appender_to_catalog_and_db(LINES.stage, "temp", "main")?,
                line_rows: ColumnBuffer::new(&staging_columns(&LINES)),
                product_days: conn.appender_to_catalog_and_db(
                    PRODUCT_DAYS.stage,
                    "temp",
                    "main",
                )?,
                source_days: conn.appender_to_catalog_and_db(SOURCE_DAYS.stage, "temp", "main")?,
                benchmarks: conn.appender_to_catalog_and_db(BENCHMARKS.stage, "temp", "main")?,
            })
        })();
        let appenders = match created {
            Ok(appenders) => appenders,
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                return Err(e);
            }
        };
        Ok(DuckImport {
            conn,
            shop: shop.clone(),
            file_name: file_name.to_owned(),
            format: format.to_owned(),
            appenders: Some(appenders),
            last_order: None,
            last_order_row: 0,
            products: HashMap::new(),
            finished: false,
        })
    }

    fn stage_order(
        &mut self,
        file_row: u64,
        mut order: Box<OrderRecord>,
    ) -> Result<(), StoreError> {
        // Lines of one order usually stand together: combine their order fields in memory
        // and stage the order once, when the next order begins.
        if let Some(last) = self.last_order.as_mut() {
            if last.order_no == order.order_no {
                order.fill_from(last);
                *last = order;
                self.last_order_row = file_row;
                return Ok(());
            }
        }
        self.flush_order()?;
        self.last_order = Some(order);
        self.last_order_row = file_row;
        Ok(())
    }

    fn staging(&mut self) -> Result<&mut Appenders<'a>, StoreError> {
        self.appenders
            .as_mut()
            .ok_or_else(|| StoreError::Backend("the import is already finished".into()))
    }

    /// Flushes and closes the appenders: staging is over.
    fn close_staging(&mut self) -> Result<(), StoreError> {
        self.flush_order()?;
        if let Some(mut a) = self.appenders.take() {
            a.order_rows.flush(&mut a.orders)?;
            a.line_rows.flush(&mut a.lines)?;
            for app in [
                &mut a.orders,
                &mut a.lines,
                &mut a.product_days,
                &mut a.source_days,
                &mut a.benchmarks,
            ] {
                app.flush()?;
            }
        }
        Ok(())
    }

    fn flush_order(&mut self) -> Result<(), StoreError> {
        let Some(o) = self.last_order.take() else {
            return Ok(());
        };
        let row = self.last_order_row as i64;
        let a = self.staging()?;
        a.order_rows
            .int(Some(row))
            .text(o.order_no.as_ref().map(|v| v.as_str()))
            .text(o.state.map(|s| s.as_str()))
            .time(o.created_at)
            .time(o.paid_at)
            .time(o.shipped_at)
            .time(o.completed_at)
            .time(o.closed_at)
            .text(o.buyer.as_ref().map(|v| v.as_str()))
            .text(o.region.as_deref())
            .text(o.channel.as_deref())
            .text(o.buyer_message.as_deref())
            .text(o.seller_note.as_deref())
            .text(o.tracking_no.as_deref())
            .text(o.carrier.as_deref())
            .text(o.close_reason.as_deref())
            .int(o.goods_amount)
            .int(o.discount_amount)
            .int(o.paid_amount)
            .int(o.shipping_fee)
            .int(o.refund_amount)
            .int(o.item_count);
        a.order_rows.end_row(&mut a.orders)?;
        Ok(())
    }

    fn stage_product(
        &mut self,
        file_row: u64,
        code: &str,
        title: Option<&str>,
        price: Option<i64>,
    ) {
        match self.products.get_mut(code) {
            Some(p) => p.update(file_row, title, price),
            None => self
                .products
                .entry(code.to_owned())
                .or_default()
                .update(file_row, title, price),
        }
    }

    fn stage_line(&mut self, file_row: u64, l: &LineRecord) -> Result<(), StoreError> {
        if let Some(code) = &l.product_code {
            self.stage_product(file_row, code.as_str(), l.title.as_deref(), l.unit_price);
        }
        let a = self.staging()?;
        a.line_rows
            .int(Some(file_row as i64))
            .text(l.order_no.as_ref().map(|v| v.as_str()))
            .text(l.line_key.as_ref().map(|v| v.as_str()))
            .text(l.product_code.as_ref().map(|v| v.as_str()))
            .text(l.sku_code.as_ref().map(|v| v.as_str()))
            .text(l.title.as_deref())
            .text(l.sku_properties.as_deref())
            .int(Some(l.quantity))
            .int(l.unit_price)
            .int(l.discount_amount)
            .int(l.paid_amount)
            .int(l.refund_amount)
            .text(l.refund_status.as_deref())
            .text(l.state.map(|s| s.as_str()));
        a.line_rows.end_row(&mut a.lines)?;
        Ok(())
    }

    fn stage_product_day(&mut self, file_row: u64, p: &ProductDayRecord) -> Result<(), StoreError> {
        if let Some(code) = &p.product_code {
            self.stage_product(file_row, code.as_str(), p.title.as_deref(), None);
        }
        self.staging()?.product_days.append_row(params![
            file_row as i64,
            p.product_code.as_ref().map(|v| v.as_str()),
            p.day,
            p.title,
            p.visitors,
            p.page_views,
            p.favourites,
            p.add_to_cart,
            p.order_buyers,
            p.buyers,
            p.paid_units,
            p.paid_amount,
            p.paid_orders,
        ])?;
        Ok(())
    }

    fn stage_source_day(&mut self, file_row: u64, s: &SourceDayRecord) -> Result<(), StoreError> {
        self.staging()?.source_days.append_row(params![
            file_row as i64,
            s.source,
            s.day,
            s.visitors,
            s.page_views,
            s.order_buyers,
            s.buyers,
            s.paid_amount,
            s.paid_orders,
        ])?;
        Ok(())
    }

    fn stage_benchmark(&mut self, file_row: u64, b: &BenchmarkRecord) -> Result<(), StoreError> {
        self.staging()?.benchmarks.append_row(params![
            file_row as i64,
            b.metric,
            b.day,
            b.peer_average.map(|d| d.to_string()),
            b.peer_excellent.map(|d| d.to_string()),
        ])?;
        Ok(())
    }

    /// Writes the products combined in memory to their staging table; returns how many rows
    /// named a product another row had already named.
    fn stage_products(&mut self) -> Result<u64, StoreError> {
        self.conn.execute_batch(&format!(
            "CREATE TEMP TABLE {} (file_row BIGINT, product_code VARCHAR, title VARCHAR,
                                   list_price BIGINT)",
            PRODUCTS.stage
        ))?;
        let mut appender = self
            .conn
            .appender_to_catalog_and_db(PRODUCTS.stage, "temp", "main")?;
        let mut repeats = 0;
        for (code, p) in self.products.drain() {
            repeats += p.rows - 1;
            appender.append_row(params![p.file_row as i64, code, p.title, p.list_price])?;
        }
        appender.flush()?;
        Ok(repeats)
    }

    fn merge_all(&mut self, rows_read: u64, rejected: u64) -> Result<MergeReport, StoreError> {
        self.close_staging()?;
        let conn = self.conn;
        let shop = self.shop.id.0;
        let staged = |stage: &str| -> Result<i64, StoreError> {
            Ok(conn.query_row(&format!("SELECT count(*) FROM {stage}"), [], |r| r.get(0))?)
        };
        let mut report = MergeReport::default();
        // Products are known from the lines that sell them and from product-day reports;
        // they were combined while staging.
        let product_repeats = self.stage_products()?;
        for target in TARGETS {
            if staged(target.stage)? == 0 {
                continue;
            }
            let combined = if target.entity == Entity::Products {
                product_repeats
            } else {
                0
            };
            let counts = merge(conn, shop, target, combined)?;
            report.entities.push((target.entity, counts));
        }
        let (inserted, updated, unchanged) = report
            .entities
            .iter()
            .filter(|(e, _)| *e == primary_entity(&report))
            .map(|(_, c)| (c.inserted, c.updated, c.unchanged))
            .next()
            .unwrap_or_default();
        let import_id: i64 = conn.query_row(
            "SELECT coalesce(max(import_id), 0) + 1 FROM imports WHERE shop_id = ?",
            params![shop],
            |r| r.get(0),
        )?;
        conn.execute(
            "INSERT INTO imports VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?, ?)",
            params![
                shop,
                import_id,
                self.file_name,
                self.format,
                rows_read as i64,
                inserted as i64,
                updated as i64,
                unchanged as i64,
                rejected as i64,
            ],
        )?;
        for target in TARGETS {
            conn.execute_batch(&format!("DROP TABLE IF EXISTS {}", target.stage))?;
        }
        Ok(report)
    }
}

/// The kind of row a file is mostly about: lines for line reports, orders for order reports.
pub(crate) fn primary_entity(report: &MergeReport) -> Entity {
    [
        Entity::OrderLines,
        Entity::Orders,
        Entity::ProductDays,
        Entity::SourceDays,
        Entity::Benchmarks,
    ]
    .into_iter()
    .find(|e| report.get(*e).is_some())
    .unwrap_or(Entity::Orders)
}

/// Merges one staging table into its target and counts what happened; `precombined` rows
/// of the file were already combined before staging and count as repeated.
fn merge(
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
    if target_empty {
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

impl ImportSink for DuckImport<'_> {
    fn append(&mut self, file_row: u64, record: Record) -> Result<(), StoreError> {
        match record {
            Record::Order(o) => self.stage_order(file_row, o),
            Record::Line(l, o) => {
                self.stage_line(file_row, &l)?;
                self.stage_order(file_row, o)
            }
            Record::ProductDay(p) => self.stage_product_day(file_row, &p),
            Record::SourceDay(s) => self.stage_source_day(file_row, &s),
            Record::Benchmark(b) => self.stage_benchmark(file_row, &b),
        }
    }

    fn finish(
        mut self: Box<Self>,
        rows_read: u64,
        rejected: u64,
        commit: bool,
    ) -> Result<MergeReport, StoreError> {
        let result = self.merge_all(rows_read, rejected);
        self.finished = true;
        self.appenders = None;
        let conn = self.conn;
        drop(self);
        match result {
            Ok(report) if commit => {
                conn.execute_batch("COMMIT")?;
                Ok(report)
            }
            Ok(report) => {
                conn.execute_batch("ROLLBACK")?;
                Ok(report)
            }
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn abort(mut self: Box<Self>) -> Result<(), StoreError> {
        self.finished = true;
        self.appenders = None;
        let conn = self.conn;
        drop(self);
        conn.execute_batch("ROLLBACK")?;
        Ok(())
    }
}

impl Drop for DuckImport<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.appenders = None;
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staging_column_has_a_type() {
        for t in TARGETS {
            if t.entity != Entity::Products {
                assert_eq!(t.keys.len() + t.values.len(), t.types.len(), "{}", t.table);
            }
        }
    }
}
