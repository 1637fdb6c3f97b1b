//! An ad spend sheet (推广花费): what was spent on ads per day, optionally per channel or
//! tool (直通车, 引力魔方, 千川...). Until the promotion module reads the ad platforms'
//! reports per campaign, this is how ad spend reaches the profit model. Rows of one day
//! and channel add up.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use zhanggui_storage::AdSpendDay;

use super::{read_rows, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::Row;
use crate::values::{parse_date, parse_money};

/// The fields of an ad spend sheet.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "day",
        columns: &["日期", "时间", "投放日期", "Day", "Date", "day"],
        required: true,
    },
    FieldSpec {
        name: "spend",
        columns: &[
            "花费",
            "消耗",
            "推广花费",
            "花费(元)",
            "花费（元）",
            "Cost",
            "Amount spent",
            "spend",
        ],
        required: true,
    },
    FieldSpec {
        name: "channel",
        columns: &["渠道", "推广工具", "工具", "计划类型", "Channel", "channel"],
        required: false,
    },
];

/// What reading an ad spend sheet gave.
#[derive(Debug, Default)]
pub struct ReadAdSpend {
    pub days: Vec<AdSpendDay>,
    pub rejected: Vec<RejectedRow>,
}

/// Reads an ad spend sheet; `exponent` is the shop currency's decimal places.
pub fn read_ad_spend(
    path: &Path,
    exponent: u32,
    overrides: &[(String, String)],
) -> Result<ReadAdSpend, SideError> {
    let (rows, rejected) = read_rows(path, FIELDS, overrides, |c, r| row_of(c, r, exponent))?;
    let mut summed: BTreeMap<(NaiveDate, Option<String>), i64> = BTreeMap::new();
    for (day, channel, spend) in rows {
        *summed.entry((day, channel)).or_default() += spend;
    }
    let days = summed
        .into_iter()
        .map(|((day, channel), spend)| AdSpendDay {
            day,
            channel,
            spend,
        })
        .collect();
    Ok(ReadAdSpend { days, rejected })
}

fn row_of(
    cols: &Columns,
    row: &Row,
    exponent: u32,
) -> Result<(NaiveDate, Option<String>, i64), String> {
    let raw_day = cols.get(row, "day").ok_or("no day")?;
    let day = parse_date(raw_day)
        .map_err(|e| format!("day: {e}"))?
        .ok_or("no day")?;
    let spend = parse_money(cols.get(row, "spend").unwrap_or(""), exponent)
        .map_err(|e| format!("spend: {e}"))?
        .ok_or("no spend")?;
    if spend < 0 {
        return Err("the spend is negative".into());
    }
    Ok((day, cols.get(row, "channel").map(str::to_owned), spend))
}
