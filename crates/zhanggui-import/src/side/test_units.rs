//! A file of test units (one row per player, visitor or buyer of an A/B test): the arm
//! each unit was in and its outcome, a yes/no (retained, converted: 1/0, true/false, 是/否)
//! or an amount (revenue, rounds played). Read into each arm's counts: units, yes
//! outcomes, and the sum and sum of squares of the amounts.

use std::collections::BTreeMap;
use std::path::Path;

use rust_decimal::prelude::ToPrimitive;

use super::{RejectedRow, SideError};
use crate::read::{self, Header, Row};
use crate::values::{non_empty, parse_decimal};

/// One arm's counts from a units file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitCounts {
    pub units: i64,
    pub successes: i64,
    pub value_sum: f64,
    pub value_sq_sum: f64,
}

/// What reading a units file gave.
#[derive(Debug, Default)]
pub struct ReadUnits {
    pub arms: BTreeMap<String, UnitCounts>,
    pub rejected: Vec<RejectedRow>,
}

/// Reads a units file: `arm_column` names each unit's arm, `outcome_column` its outcome.
pub fn read_test_units(
    path: &Path,
    arm_column: &str,
    outcome_column: &str,
) -> Result<ReadUnits, SideError> {
    let accept =
        |h: &Header| h.index_of(arm_column).is_some() && h.index_of(outcome_column).is_some();
    let mut table = match read::open(path, &accept) {
        Ok(t) => t,
        Err(read::ReadError::NoHeader { .. }) => read::open(path, &|_| true)?,
        Err(e) => return Err(e.into()),
    };
    let find = |column: &str, field: &'static str| {
        table
            .header
            .index_of(column)
            .ok_or_else(|| SideError::NoSuchColumn {
                path: path.display().to_string(),
                field: field.to_owned(),
                column: column.to_owned(),
            })
    };
    let arm_at = find(arm_column, "arm")?;
    let outcome_at = find(outcome_column, "outcome")?;
    let mut out = ReadUnits::default();
    let mut row = Row::new();
    while let Some(number) = table.next_row(&mut row)? {
        let arm = row.get(arm_at).and_then(|v| non_empty(v));
        let outcome = row.get(outcome_at).unwrap_or("");
        match (arm, outcome_value(outcome)) {
            (Some(arm), Ok(v)) => {
                let c = out.arms.entry(arm.to_owned()).or_default();
                c.units += 1;
                if v > 0.0 {
                    c.successes += 1;
                }
                c.value_sum += v;
                c.value_sq_sum += v * v;
            }
            (None, _) => out.rejected.push(RejectedRow {
                row: number,
                reason: "no arm".into(),
            }),
            (_, Err(reason)) => out.rejected.push(RejectedRow {
                row: number,
                reason,
            }),
        }
    }
    Ok(out)
}

/// An outcome as a number: yes/no words as 1 and 0, amounts as themselves.
fn outcome_value(raw: &str) -> Result<f64, String> {
    let s = non_empty(raw).ok_or("no outcome")?;
    match s.to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "是" => return Ok(1.0),
        "false" | "no" | "n" | "否" => return Ok(0.0),
        _ => {}
    }
    parse_decimal(s)
        .map_err(|e| format!("outcome: {e}"))?
        .and_then(|d| d.to_f64())
        .ok_or_else(|| "no outcome".into())
}
