//! A courier bill (快递账单 / 快递对账单 / 运费账单): what each parcel cost, by tracking
//! number (运单号), with its carrier, day and billed weight where the bill gives them. The
//! profit model takes an order's shipping from here when its tracking number is billed.
//! Lines of one tracking number add up (a 续重 surcharge on its own line, a rebate); a
//! weight is read in kilograms (计费重量 3.2 = 3,200 g).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use zhanggui_storage::CourierCharge;

use super::{read_rows, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::Row;
use crate::values::{parse_date, parse_decimal, parse_id, parse_money};

/// The fields of a courier bill.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "tracking_no",
        columns: &[
            "运单号",
            "运单编号",
            "快递单号",
            "物流单号",
            "面单号",
            "Tracking Number",
            "tracking_no",
        ],
        required: true,
    },
    FieldSpec {
        name: "amount",
        columns: &[
            "运费",
            "运费(元)",
            "运费（元）",
            "快递费",
            "应付金额",
            "结算金额",
            "费用",
            "金额",
            "金额(元)",
            "金额（元）",
            "Amount",
            "amount",
        ],
        required: true,
    },
    FieldSpec {
        name: "carrier",
        columns: &["快递公司", "物流公司", "承运商", "Carrier", "carrier"],
        required: false,
    },
    FieldSpec {
        name: "day",
        columns: &[
            "寄件日期",
            "揽收日期",
            "发货日期",
            "寄件时间",
            "揽收时间",
            "发货时间",
            "日期",
            "Date",
            "day",
        ],
        required: false,
    },
    FieldSpec {
        name: "weight",
        columns: &[
            "计费重量",
            "计费重量(kg)",
            "计费重量（kg）",
            "重量",
            "重量(kg)",
            "重量（kg）",
            "Weight",
            "weight",
        ],
        required: false,
    },
];

/// What reading a courier bill gave.
#[derive(Debug, Default)]
pub struct ReadCourierBill {
    pub charges: Vec<CourierCharge>,
    pub rejected: Vec<RejectedRow>,
}

/// Reads a courier bill; `exponent` is the shop currency's decimal places.
pub fn read_courier_bill(
    path: &Path,
    exponent: u32,
    overrides: &[(String, String)],
) -> Result<ReadCourierBill, SideError> {
    let (rows, rejected) = read_rows(path, FIELDS, overrides, |c, r| row_of(c, r, exponent))?;
    let mut parcels: BTreeMap<String, CourierCharge> = BTreeMap::new();
    for line in rows {
        match parcels.get_mut(&line.tracking_no) {
            Some(parcel) => {
                parcel.amount += line.amount;
                parcel.carrier = line.carrier.or(parcel.carrier.take());
                parcel.day = parcel.day.or(line.day);
                parcel.weight_grams = line.weight_grams.or(parcel.weight_grams);
            }
            None => {
                parcels.insert(line.tracking_no.clone(), line);
            }
        }
    }
    Ok(ReadCourierBill {
        charges: parcels.into_values().collect(),
        rejected,
    })
}

fn row_of(cols: &Columns, row: &Row, exponent: u32) -> Result<CourierCharge, String> {
    let tracking_no = parse_id(cols.get(row, "tracking_no").unwrap_or(""))
        .map_err(|e| format!("tracking number: {e}"))?
        .ok_or("no tracking number")?;
    let amount = parse_money(cols.get(row, "amount").unwrap_or(""), exponent)
        .map_err(|e| format!("amount: {e}"))?
        .ok_or("no amount")?;
    let day: Option<NaiveDate> = match cols.get(row, "day") {
        Some(raw) => parse_date(raw).map_err(|e| format!("day: {e}"))?,
        None => None,
    };
    let weight_grams = match cols.get(row, "weight") {
        Some(raw) => {
            let kg = parse_decimal(raw.trim_end_matches(['k', 'g', 'K', 'G']))
                .map_err(|e| format!("weight: {e}"))?;
            match kg {
                Some(kg) if kg < Decimal::ZERO => return Err("the weight is negative".into()),
                Some(kg) => Some(
                    (kg * Decimal::from(1000))
                        .round()
                        .to_i64()
                        .ok_or("the weight is too large")?,
                ),
                None => None,
            }
        }
        None => None,
    };
    Ok(CourierCharge {
        tracking_no,
        carrier: cols.get(row, "carrier").map(str::to_owned),
        day,
        weight_grams,
        amount,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parcels_lines_add_up_and_weights_are_read_in_kilograms() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("快递账单.csv");
        std::fs::write(
            &path,
            "运单号,快递公司,寄件日期,计费重量,运费\n\
             YT001,圆通,2025-03-02,1.2,4.50\n\
             YT001,圆通,2025-03-02,,1.00\n\
             YT002,圆通,2025-03-11,0.5kg,4.50\n\
             ,圆通,2025-03-11,0.5,4.50\n\
             YT003,圆通,2025-03-11,0.5,四元\n",
        )
        .unwrap();
        let read = read_courier_bill(&path, 2, &[]).unwrap();
        assert_eq!(read.charges.len(), 2);
        let first = &read.charges[0];
        assert_eq!(first.tracking_no, "YT001");
        assert_eq!(
            first.amount, 550,
            "the surcharge line is added to the parcel"
        );
        assert_eq!(first.weight_grams, Some(1200));
        assert_eq!(first.day, NaiveDate::from_ymd_opt(2025, 3, 2));
        assert_eq!(read.charges[1].weight_grams, Some(500));
        let rows: Vec<u64> = read.rejected.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![5, 6], "{:?}", read.rejected);
        assert!(read.rejected[0].reason.contains("tracking number"));
        assert!(read.rejected[1].reason.contains("amount"));
    }
}
