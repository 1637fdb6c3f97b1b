//! A cost-price sheet (成本表): per product or SKU code (商家编码), the cost of one unit and
//! the day from which it holds. A sheet without a day column gives prices that hold from
//! the first day (`valid_from` 2000-01-01); a later sheet with a day adds a price change
//! without rewriting what earlier sales cost. An optional weight column (重量, in kg, or in
//! grams where the header says g or 克) gives what one unit weighs, for shipping priced by
//! weight.

use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use zhanggui_domain::ProductCode;
use zhanggui_storage::CostPrice;

use super::{read_rows, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::Row;
use crate::values::{parse_date, parse_decimal, parse_id, parse_money};

/// The fields of a cost sheet.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "product_code",
        columns: &[
            "商家编码",
            "商品编码",
            "SKU编码",
            "货号",
            "product_code",
            "sku",
            "SKU",
            "StockCode",
        ],
        required: true,
    },
    FieldSpec {
        name: "unit_cost",
        columns: &[
            "成本价",
            "成本",
            "单位成本",
            "进货价",
            "采购价",
            "unit_cost",
            "cost",
        ],
        required: true,
    },
    FieldSpec {
        name: "weight_kg",
        columns: &[
            "重量",
            "重量(kg)",
            "重量（kg）",
            "重量(千克)",
            "重量（千克）",
            "单件重量",
            "毛重",
            "weight",
            "weight_kg",
        ],
        required: false,
    },
    FieldSpec {
        name: "weight_g",
        columns: &["重量(g)", "重量（g）", "重量(克)", "重量（克）", "weight_g"],
        required: false,
    },
    FieldSpec {
        name: "valid_from",
        columns: &[
            "生效日期",
            "起始日期",
            "开始日期",
            "日期",
            "valid_from",
            "from",
        ],
        required: false,
    },
];

/// The day from which a price without a day holds.
fn from_the_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

/// What reading a cost sheet gave.
#[derive(Debug, Default)]
pub struct ReadCosts {
    pub prices: Vec<CostPrice>,
    pub rejected: Vec<RejectedRow>,
}

/// Reads a cost sheet; `exponent` is the shop currency's decimal places.
pub fn read_costs(
    path: &Path,
    exponent: u32,
    overrides: &[(String, String)],
) -> Result<ReadCosts, SideError> {
    let (prices, rejected) = read_rows(path, FIELDS, overrides, |c, r| price_of(c, r, exponent))?;
    Ok(ReadCosts { prices, rejected })
}

fn price_of(cols: &Columns, row: &Row, exponent: u32) -> Result<CostPrice, String> {
    let code = parse_id(cols.get(row, "product_code").unwrap_or(""))?.ok_or("no product code")?;
    let product_code =
        ProductCode::from_string(code).map_err(|e| format!("the product code {e}"))?;
    let raw_cost = cols.get(row, "unit_cost").unwrap_or("");
    let unit_cost = parse_money(raw_cost, exponent)
        .map_err(|e| format!("cost: {e}"))?
        .ok_or("no cost: a product without a cost is left out, never counted at zero")?;
    if unit_cost < 0 {
        return Err(format!("cost `{raw_cost}` is negative"));
    }
    let valid_from = match cols.get(row, "valid_from") {
        Some(day) => parse_date(day)
            .map_err(|e| format!("day: {e}"))?
            .unwrap_or_else(from_the_start),
        None => from_the_start(),
    };
    let weight_grams = match (cols.get(row, "weight_g"), cols.get(row, "weight_kg")) {
        (Some(raw), _) => weight(raw, 1)?,
        (None, Some(raw)) => weight(raw, 1000)?,
        (None, None) => None,
    };
    Ok(CostPrice {
        product_code,
        valid_from,
        unit_cost,
        weight_grams,
    })
}

/// A weight in grams from a number of grams (`per_unit` 1) or kilograms (1000).
fn weight(raw: &str, per_unit: i64) -> Result<Option<i64>, String> {
    let Some(value) = parse_decimal(raw).map_err(|e| format!("weight: {e}"))? else {
        return Ok(None);
    };
    let grams = (value * Decimal::from(per_unit)).round();
    if grams.is_sign_negative() {
        return Err(format!("weight `{raw}` is negative"));
    }
    i64::try_from(grams)
        .map(Some)
        .map_err(|_| format!("weight `{raw}` is too large"))
}
