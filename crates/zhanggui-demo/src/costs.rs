//! The Taobao shop's cost sheet (成本表): a unit cost per product by its role (引流款 thin,
//! 利润款 and 形象款 wide margins), one price change in the middle of the period, one
//! traffic item planted that costs more than it sells for, and the last image item left
//! without a cost so that the profit report has a product to list as missing.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::catalog::{Product, Role};
use crate::write::{amount, CsvOut};
use crate::DemoError;

/// Of the list price, what a unit costs, by role.
fn cost_share(role: Role) -> f64 {
    match role {
        Role::Traffic => 0.7,
        Role::Profit => 0.4,
        Role::Image => 0.35,
    }
}

/// What the sheet plants, for the demo's notes and tests.
#[derive(Debug, Clone)]
pub struct PlantedCosts {
    /// Costs more than its list price: loses money on every unit.
    pub losing: String,
    /// Its cost rises by a tenth from `changed_on`.
    pub changed: String,
    pub changed_on: NaiveDate,
    /// Has no cost price.
    pub missing: String,
}

/// Writes `成本表.csv` (UTF-8) into `out`.
pub fn write_costs(
    out: &Path,
    products: &[Product],
    changed_on: NaiveDate,
) -> Result<(PathBuf, PlantedCosts), DemoError> {
    let first = |role: Role| products.iter().find(|p| p.role == role);
    let losing = first(Role::Traffic).expect("the catalog has traffic items");
    let changed = first(Role::Profit).expect("the catalog has profit items");
    let missing = products
        .iter()
        .rev()
        .find(|p| p.role == Role::Image)
        .expect("the catalog has image items");
    let mut csv = CsvOut::create(&out.join("成本表.csv"), false, None)?;
    csv.row(&["商家编码", "成本价", "生效日期"])?;
    for p in products {
        if p.code == missing.code {
            continue;
        }
        let share = if p.code == losing.code {
            1.05
        } else {
            cost_share(p.role)
        };
        let cost = (p.price as f64 * share).round() as i64;
        csv.row(&[p.code.as_str(), &amount(cost), ""])?;
        if p.code == changed.code {
            let raised = (cost as f64 * 1.1).round() as i64;
            csv.row(&[p.code.as_str(), &amount(raised), &changed_on.to_string()])?;
        }
    }
    Ok((
        csv.finish()?,
        PlantedCosts {
            losing: losing.code.clone(),
            changed: changed.code.clone(),
            changed_on,
            missing: missing.code.clone(),
        },
    ))
}
