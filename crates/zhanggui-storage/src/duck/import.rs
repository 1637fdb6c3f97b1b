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
    BenchmarkRecord, LineRecord, OrderRecord, ProductDayRecord, Record, RefundRecord,
    SourceDayRecord,
};
use zhanggui_domain::Shop;

use super::columns::{ColumnBuffer, Kind};
use super::merge::merge;
use super::targets::{
    staging_columns, BENCHMARKS, LINES, ORDERS, PRODUCTS, PRODUCT_DAYS, REFUNDS, SOURCE_DAYS,
    TARGETS,
};
use crate::{Entity, EntityCounts, ImportSink, MergeReport, StoreError};
/// One appender per staging table; orders and lines, the bulk of every file, are buffered
/// in columns and appended a batch at a time.
struct Appenders<'a> {
    orders: Appender<'a>,
    order_rows: ColumnBuffer,
    /// Into `_stage_lines`, or straight into `order_lines` (see [`DuckImport::direct_lines`]).
    lines: Appender<'a>,
    line_rows: ColumnBuffer,
    product_days: Appender<'a>,
    source_days: Appender<'a>,
    benchmarks: Appender<'a>,
    refunds: Appender<'a>,
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
    /// Lines staged so far.
    lines: u64,
    /// The lines go straight into `order_lines`, not through a staging table: the shop has
    /// no lines yet and the caller promised that no two of the file's lines share a key, so
    /// there is nothing to combine or compare. Writing them once instead of staging and
    /// copying them is most of a first import's merge.
    direct_lines: bool,
    finished: bool,
}

/// What a file says about one product, the later row winning field by field.
#[derive(Default)]
struct StagedProduct {
    file_row: u64,
    title: Option<String>,
    list_price: Option<i64>,
    category: Option<String>,
    /// How many rows named it.
    rows: u64,
}

impl StagedProduct {
    fn update(&mut self, file_row: u64, named: &Named<'_>) {
        let Named {
            title,
            list_price,
            category,
        } = *named;
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
        if let Some(c) = category {
            if self.category.as_deref() != Some(c) {
                self.category = Some(c.to_owned());
            }
        }
    }
}

/// What one row says about a product.
#[derive(Clone, Copy)]
struct Named<'r> {
    title: Option<&'r str>,
    list_price: Option<i64>,
    category: Option<&'r str>,
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
                refunds: conn.appender_to_catalog_and_db(REFUNDS.stage, "temp", "main")?,
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
            lines: 0,
            direct_lines: false,
            finished: false,
        })
    }

    /// Switches the lines to [`DuckImport::direct_lines`] when the shop has none yet.
    fn write_lines_directly(&mut self) -> Result<(), StoreError> {
        if self.direct_lines || self.lines > 0 {
            return Ok(());
        }
        let empty: bool = self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM order_lines WHERE shop_id = ?)",
            params![self.shop.id.0],
            |r| r.get(0),
        )?;
        if !empty {
            return Ok(());
        }
        let mut columns = staging_columns(&LINES);
        columns[0] = ("shop_id", Kind::Int);
        let appender = self.conn.appender(LINES.table)?;
        let a = self.staging()?;
        a.lines = appender;
        a.line_rows = ColumnBuffer::new(&columns);
        self.direct_lines = true;
        Ok(())
    }

    fn stage_order(&mut self, file_row: u64, order: &OrderRecord) -> Result<(), StoreError> {
        // Lines of one order usually stand together: combine their order fields in memory
        // and stage the order once, when the next order begins.
        if let Some(last) = self.last_order.as_mut() {
            if last.order_no == order.order_no {
                last.take_from(order);
                self.last_order_row = file_row;
                return Ok(());
            }
        }
        self.flush_order()?;
        self.last_order = Some(Box::new(order.clone()));
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
                &mut a.refunds,
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

    fn stage_product(&mut self, file_row: u64, code: &str, named: Named<'_>) {
        match self.products.get_mut(code) {
            Some(p) => p.update(file_row, &named),
            None => self
                .products
                .entry(code.to_owned())
                .or_default()
                .update(file_row, &named),
        }
    }

    fn stage_line(&mut self, file_row: u64, l: &LineRecord) -> Result<(), StoreError> {
        if let Some(code) = &l.product_code {
            let named = Named {
                title: l.title.as_deref(),
                list_price: l.unit_price,
                category: l.category.as_deref(),
            };
            self.stage_product(file_row, code.as_str(), named);
        }
        // The first column is the file row in the staging table, the shop in `order_lines`.
        let first = if self.direct_lines {
            i64::from(self.shop.id.0)
        } else {
            file_row as i64
        };
        self.lines += 1;
        let a = self.staging()?;
        a.line_rows.int(Some(first)).line(l);
        a.line_rows.end_row(&mut a.lines)?;
        Ok(())
    }

    fn stage_product_day(&mut self, file_row: u64, p: &ProductDayRecord) -> Result<(), StoreError> {
        if let Some(code) = &p.product_code {
            let named = Named {
                title: p.title.as_deref(),
                list_price: None,
                category: p.category.as_deref(),
            };
            self.stage_product(file_row, code.as_str(), named);
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

    fn stage_refund(&mut self, file_row: u64, r: &RefundRecord) -> Result<(), StoreError> {
        self.staging()?.refunds.append_row(params![
            file_row as i64,
            r.refund_no.as_ref().map(|v| v.as_str()),
            r.order_no.as_ref().map(|v| v.as_str()),
            r.product_code.as_ref().map(|v| v.as_str()),
            r.title,
            r.amount,
            r.status,
            r.reason,
            r.requested_at,
            r.completed_at,
            r.goods_returned,
        ])?;
        Ok(())
    }

    /// Writes the products combined in memory to their staging table; returns how many rows
    /// named a product another row had already named.
    fn stage_products(&mut self) -> Result<u64, StoreError> {
        self.conn.execute_batch(&format!(
            "CREATE TEMP TABLE {} (file_row BIGINT, product_code VARCHAR, title VARCHAR,
                                   list_price BIGINT, category VARCHAR)",
            PRODUCTS.stage
        ))?;
        let mut appender = self
            .conn
            .appender_to_catalog_and_db(PRODUCTS.stage, "temp", "main")?;
        let mut repeats = 0;
        for (code, p) in self.products.drain() {
            repeats += p.rows - 1;
            appender.append_row(params![
                p.file_row as i64,
                code,
                p.title,
                p.list_price,
                p.category
            ])?;
        }
        appender.flush()?;
        Ok(repeats)
    }

    fn merge_all(&mut self, rows_read: u64, rejected: u64) -> Result<MergeReport, StoreError> {
        self.close_staging()?;
        let conn = self.conn;
        let shop = self.shop.id.0;
        let staged_rows = |stage: &str| -> Result<i64, StoreError> {
            Ok(conn.query_row(&format!("SELECT count(*) FROM {stage}"), [], |r| r.get(0))?)
        };
        let mut report = MergeReport::default();
        // Products are known from the lines that sell them and from product-day reports;
        // they were combined while staging.
        let product_repeats = self.stage_products()?;
        for target in TARGETS {
            if target.entity == Entity::OrderLines && self.direct_lines {
                // Written already; the shop's facts are rebuilt whole, as after any first
                // import.
                conn.execute("DELETE FROM facts_state WHERE shop_id = ?", [shop])?;
                let counts = EntityCounts {
                    inserted: self.lines,
                    ..EntityCounts::default()
                };
                report.entities.push((target.entity, counts));
                continue;
            }
            if staged_rows(target.stage)? == 0 {
                continue;
            }
            let precombined = match target.entity {
                Entity::Products => product_repeats,
                _ => 0,
            };
            let counts = merge(conn, shop, target, precombined)?;
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
        Entity::Refunds,
    ]
    .into_iter()
    .find(|e| report.get(*e).is_some())
    .unwrap_or(Entity::Orders)
}
impl ImportSink for DuckImport<'_> {
    fn append(&mut self, file_row: u64, record: &Record) -> Result<(), StoreError> {
        match record {
            Record::Order(o) => self.stage_order(file_row, o),
            Record::Line(l, o) => {
                self.stage_line(file_row, l)?;
                self.stage_order(file_row, o)
            }
            Record::ProductDay(p) => self.stage_product_day(file_row, p),
            Record::SourceDay(s) => self.stage_source_day(file_row, s),
            Record::Benchmark(b) => self.stage_benchmark(file_row, b),
            Record::Refund(r) => self.stage_refund(file_row, r),
        }
    }

    fn line_keys_unique(&mut self) -> Result<(), StoreError> {
        self.write_lines_directly()
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
