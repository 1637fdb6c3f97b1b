//! Column buffers for bulk staging: rows are gathered into Arrow arrays and handed to
//! DuckDB's appender a batch at a time, which costs far less per row than appending values
//! one by one.
//!
//! The appender is flushed after every full row group of DuckDB's (122,880 rows): a flush
//! writes what it holds to the database file, and a flush that ends inside a row group
//! leaves a partial one, which DuckDB writes once now and again when the checkpoint merges
//! it with its neighbour. Flushing on row-group boundaries writes each row once.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use duckdb::arrow::array::{
    ArrayRef, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use duckdb::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
use duckdb::arrow::record_batch::RecordBatch;
use duckdb::Appender;
use zhanggui_domain::records::LineRecord;

use crate::StoreError;

/// Rows gathered per batch before they are appended: a fifteenth of a row group.
const BATCH_ROWS: usize = 8_192;

/// DuckDB's rows per row group (its default `ROW_GROUP_SIZE`).
const ROW_GROUP_ROWS: usize = 122_880;

/// The type of one staged column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Text,
    Int,
    Time,
    Date,
    Float,
}

impl Kind {
    /// The kind of a staging column from its SQL type.
    pub(super) fn of_sql(sql: &str) -> Kind {
        match sql {
            "BIGINT" => Kind::Int,
            "TIMESTAMP" => Kind::Time,
            "DATE" => Kind::Date,
            "DOUBLE" => Kind::Float,
            _ => Kind::Text,
        }
    }
}

enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Time(TimestampMicrosecondBuilder),
    Date(Date32Builder),
    Float(Float64Builder),
}

/// Buffered rows of one staging table; values are pushed column by column, in table order.
pub(super) struct ColumnBuffer {
    schema: Arc<Schema>,
    builders: Vec<Builder>,
    next: usize,
    rows: usize,
    /// Rows handed to the appender since it was last flushed.
    unflushed: usize,
}

impl ColumnBuffer {
    pub(super) fn new(columns: &[(&str, Kind)]) -> Self {
        let fields: Vec<Field> = columns
            .iter()
            .map(|(name, kind)| {
                let data_type = match kind {
                    Kind::Text => DataType::Utf8,
                    Kind::Int => DataType::Int64,
                    Kind::Time => DataType::Timestamp(TimeUnit::Microsecond, None),
                    Kind::Date => DataType::Date32,
                    Kind::Float => DataType::Float64,
                };
                Field::new(*name, data_type, true)
            })
            .collect();
        let mut buffer = ColumnBuffer {
            schema: Arc::new(Schema::new(fields)),
            builders: Vec::new(),
            next: 0,
            rows: 0,
            unflushed: 0,
        };
        buffer.builders = buffer.fresh_builders();
        buffer
    }

    fn fresh_builders(&self) -> Vec<Builder> {
        self.schema
            .fields()
            .iter()
            .map(|f| match f.data_type() {
                DataType::Int64 => Builder::Int(Int64Builder::with_capacity(BATCH_ROWS)),
                DataType::Timestamp(..) => {
                    Builder::Time(TimestampMicrosecondBuilder::with_capacity(BATCH_ROWS))
                }
                DataType::Date32 => Builder::Date(Date32Builder::with_capacity(BATCH_ROWS)),
                DataType::Float64 => Builder::Float(Float64Builder::with_capacity(BATCH_ROWS)),
                _ => Builder::Text(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 16)),
            })
            .collect()
    }

    fn builder(&mut self) -> &mut Builder {
        let i = self.next;
        self.next += 1;
        &mut self.builders[i]
    }

    pub(super) fn text(&mut self, value: Option<&str>) -> &mut Self {
        match self.builder() {
            Builder::Text(b) => b.append_option(value),
            _ => unreachable!("column types are fixed by the staging table"),
        }
        self
    }

    pub(super) fn int(&mut self, value: Option<i64>) -> &mut Self {
        match self.builder() {
            Builder::Int(b) => b.append_option(value),
            _ => unreachable!("column types are fixed by the staging table"),
        }
        self
    }

    pub(super) fn time(&mut self, value: Option<NaiveDateTime>) -> &mut Self {
        let micros = value.map(|t| t.and_utc().timestamp_micros());
        match self.builder() {
            Builder::Time(b) => b.append_option(micros),
            _ => unreachable!("column types are fixed by the staging table"),
        }
        self
    }

    pub(super) fn date(&mut self, value: Option<NaiveDate>) -> &mut Self {
        // Arrow's dates count days from 1970-01-01 (`NaiveDate::default()`).
        let days = value.map(|d| (d - NaiveDate::default()).num_days() as i32);
        match self.builder() {
            Builder::Date(b) => b.append_option(days),
            _ => unreachable!("column types are fixed by the staging table"),
        }
        self
    }

    pub(super) fn float(&mut self, value: Option<f64>) -> &mut Self {
        match self.builder() {
            Builder::Float(b) => b.append_option(value),
            _ => unreachable!("column types are fixed by the staging table"),
        }
        self
    }

    /// The key and value columns of an order line, in the order of `order_lines`.
    pub(super) fn line(&mut self, l: &LineRecord) -> &mut Self {
        self.text(l.order_no.as_ref().map(|v| v.as_str()))
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
            .text(l.state.map(|s| s.as_str()))
    }

    /// Ends a row; appends the batch when it is full.
    pub(super) fn end_row(&mut self, appender: &mut Appender<'_>) -> Result<(), StoreError> {
        debug_assert_eq!(
            self.next,
            self.builders.len(),
            "every column of the row was given"
        );
        self.next = 0;
        self.rows += 1;
        if self.rows >= BATCH_ROWS {
            self.flush(appender)?;
            if self.unflushed >= ROW_GROUP_ROWS {
                appender.flush()?;
                self.unflushed = 0;
            }
        }
        Ok(())
    }

    /// Appends what is buffered.
    pub(super) fn flush(&mut self, appender: &mut Appender<'_>) -> Result<(), StoreError> {
        if self.rows == 0 {
            return Ok(());
        }
        let fresh = self.fresh_builders();
        let builders = std::mem::replace(&mut self.builders, fresh);
        let arrays: Vec<ArrayRef> = builders
            .into_iter()
            .map(|b| -> ArrayRef {
                match b {
                    Builder::Text(mut b) => Arc::new(b.finish()),
                    Builder::Int(mut b) => Arc::new(b.finish()),
                    Builder::Time(mut b) => Arc::new(b.finish()),
                    Builder::Date(mut b) => Arc::new(b.finish()),
                    Builder::Float(mut b) => Arc::new(b.finish()),
                }
            })
            .collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        self.unflushed += self.rows;
        self.rows = 0;
        appender.append_record_batch(batch)?;
        Ok(())
    }
}
