//! A logistics tracking export (物流跟踪: one row per event of a parcel) as events.
//!
//! Each row names the order, the time and what happened (揽收, 运输中, 派送中, 已签收 ...);
//! an event whose status says it was signed for (签收, 已妥投, delivered) marks the parcel
//! delivered. Times are the shop's local time unless they carry an offset.

use std::path::Path;

use chrono_tz::Tz;
use zhanggui_storage::LogisticsEvent;

use super::{read_rows, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::Row;
use crate::values::{parse_id, parse_instant};

/// The fields of a logistics file.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "order_no",
        columns: &["订单编号", "订单号", "主订单编号", "order_no", "Order"],
        required: true,
    },
    FieldSpec {
        name: "tracking_no",
        columns: &[
            "运单号",
            "物流单号",
            "快递单号",
            "tracking_no",
            "Tracking Number",
        ],
        required: false,
    },
    FieldSpec {
        name: "carrier",
        columns: &["物流公司", "快递公司", "carrier", "Carrier"],
        required: false,
    },
    FieldSpec {
        name: "at",
        columns: &["时间", "更新时间", "物流时间", "节点时间", "at", "Time"],
        required: true,
    },
    FieldSpec {
        name: "status",
        columns: &[
            "状态",
            "物流状态",
            "物流信息",
            "节点",
            "描述",
            "status",
            "Status",
        ],
        required: true,
    },
];

/// Words of a signed-for event.
const DELIVERED: &[&str] = &["签收", "妥投", "已送达", "delivered", "Delivered"];

/// What reading a logistics file gave.
#[derive(Debug, Default)]
pub struct ReadEvents {
    pub events: Vec<LogisticsEvent>,
    pub rejected: Vec<RejectedRow>,
}

/// Reads a logistics file; `tz` is the shop's time zone.
pub fn read_events(
    path: &Path,
    tz: Tz,
    overrides: &[(String, String)],
) -> Result<ReadEvents, SideError> {
    let (events, rejected) = read_rows(path, FIELDS, overrides, |c, r| event_of(c, r, tz))?;
    Ok(ReadEvents { events, rejected })
}

fn event_of(cols: &Columns, row: &Row, tz: Tz) -> Result<LogisticsEvent, String> {
    let order_no = parse_id(cols.get(row, "order_no").unwrap_or(""))?.ok_or("no order number")?;
    let at = parse_instant(cols.get(row, "at").unwrap_or(""), tz)?.ok_or("no event time")?;
    let status = cols.get(row, "status").ok_or("no status")?.to_owned();
    let delivered = DELIVERED.iter().any(|w| status.contains(w)) && !status.contains("未签收");
    Ok(LogisticsEvent {
        order_no,
        tracking_no: cols.get(row, "tracking_no").map(str::to_owned),
        carrier: cols.get(row, "carrier").map(str::to_owned),
        at,
        status,
        delivered,
    })
}
