//! An expense sheet (费用表): the costs that no bill names, one rule per row. Each rule has a
//! name, a category (运费 shipping, 包装/赠品 packaging, 平台费 an estimated fee rate for orders
//! no bill covers, 固定 fixed costs), a basis (按单 per order, 按件 per unit, 按月 per month,
//! 按销售额 a share of net sales, 按重量 shipping by the order's weight), an amount or a rate
//! (by weight: the first kilogram 首重 and each further one 续重), optionally a product
//! (packaging per unit of one product), a region or a courier company (shipping to one
//! region, or by one company), and the day from which it holds (the first day when none is
//! given).
//!
//! Which combinations make sense is checked: shipping is per order or by weight; packaging
//! per order or per unit; a fee rate a share of sales; fixed costs per month or a share of
//! sales.

use std::path::Path;

use chrono::NaiveDate;
use zhanggui_domain::ProductCode;
use zhanggui_storage::{ExpenseBasis, ExpenseCategory, ExpenseRule};

use super::{read_rows, Columns, FieldSpec, RejectedRow, SideError};
use crate::read::Row;
use crate::values::{parse_date, parse_id, parse_money, parse_percent};

/// The fields of an expense sheet.
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "name",
        columns: &["费用名称", "项目", "费用项目", "名称", "name"],
        required: true,
    },
    FieldSpec {
        name: "category",
        columns: &["类别", "费用类别", "分类", "category"],
        required: true,
    },
    FieldSpec {
        name: "basis",
        columns: &["计费方式", "方式", "计算方式", "basis"],
        required: false,
    },
    FieldSpec {
        name: "amount",
        columns: &[
            "金额",
            "费用",
            "单价",
            "首重",
            "首重价格",
            "首重费用",
            "amount",
        ],
        required: false,
    },
    FieldSpec {
        name: "extra_amount",
        columns: &["续重", "续重价格", "续重单价", "续重费用", "extra_amount"],
        required: false,
    },
    FieldSpec {
        name: "rate",
        columns: &["比例", "费率", "扣点", "rate"],
        required: false,
    },
    FieldSpec {
        name: "product_code",
        columns: &["商家编码", "商品编码", "SKU编码", "product_code"],
        required: false,
    },
    FieldSpec {
        name: "region",
        columns: &["地区", "省份", "区域", "region"],
        required: false,
    },
    FieldSpec {
        name: "carrier",
        columns: &["快递公司", "物流公司", "承运商", "carrier"],
        required: false,
    },
    FieldSpec {
        name: "valid_from",
        columns: &["生效日期", "起始日期", "开始日期", "valid_from"],
        required: false,
    },
];

/// What reading an expense sheet gave.
#[derive(Debug, Default)]
pub struct ReadExpenses {
    pub rules: Vec<ExpenseRule>,
    pub rejected: Vec<RejectedRow>,
}

/// A category from the words sheets use for it.
pub fn category_of(raw: &str) -> Option<ExpenseCategory> {
    let has = |words: &[&str]| words.iter().any(|w| raw.contains(w));
    if let Some(c) = ExpenseCategory::parse(raw) {
        return Some(c);
    }
    if has(&["运费", "快递", "物流", "邮费"]) {
        Some(ExpenseCategory::Shipping)
    } else if has(&["包装", "包材", "赠品", "礼品"]) {
        Some(ExpenseCategory::Packaging)
    } else if has(&["平台", "佣金", "扣点", "手续费"]) {
        Some(ExpenseCategory::PlatformFees)
    } else if has(&["固定", "房租", "工资", "薪资", "软件", "水电", "办公"]) {
        Some(ExpenseCategory::Fixed)
    } else {
        None
    }
}

/// A basis from the words sheets use for it.
pub fn basis_of(raw: &str) -> Option<ExpenseBasis> {
    let has = |words: &[&str]| words.iter().any(|w| raw.contains(w));
    if let Some(b) = ExpenseBasis::parse(raw) {
        return Some(b);
    }
    if has(&["重"]) {
        Some(ExpenseBasis::PerWeight)
    } else if has(&["单"]) {
        Some(ExpenseBasis::PerOrder)
    } else if has(&["件", "个"]) {
        Some(ExpenseBasis::PerUnit)
    } else if has(&["月"]) {
        Some(ExpenseBasis::PerMonth)
    } else if has(&["销售额", "比例", "百分比"]) {
        Some(ExpenseBasis::ShareOfSales)
    } else {
        None
    }
}

/// Reads an expense sheet; `exponent` is the shop currency's decimal places.
pub fn read_expenses(
    path: &Path,
    exponent: u32,
    overrides: &[(String, String)],
) -> Result<ReadExpenses, SideError> {
    let (rules, rejected) = read_rows(path, FIELDS, overrides, |c, r| rule_of(c, r, exponent))?;
    Ok(ReadExpenses { rules, rejected })
}

fn rule_of(cols: &Columns, row: &Row, exponent: u32) -> Result<ExpenseRule, String> {
    use ExpenseBasis::*;
    use ExpenseCategory::*;
    let name = cols.get(row, "name").ok_or("no name")?.to_owned();
    let raw_category = cols.get(row, "category").ok_or("no category")?;
    let category = category_of(raw_category).ok_or_else(|| {
        format!("category `{raw_category}`: expected 运费, 包装, 平台费 or 固定 (shipping, packaging, platform_fees, fixed)")
    })?;
    let amount = match cols.get(row, "amount") {
        Some(raw) => parse_money(raw, exponent).map_err(|e| format!("amount: {e}"))?,
        None => None,
    };
    let rate = match cols.get(row, "rate") {
        Some(raw) => parse_percent(raw)
            .map_err(|e| format!("rate: {e}"))?
            .map(|d| d.to_string().parse::<f64>().unwrap_or(f64::NAN)),
        None => None,
    };
    let basis = match cols.get(row, "basis") {
        Some(raw) => basis_of(raw).ok_or_else(|| {
            format!("basis `{raw}`: expected 按单, 按件, 按月, 按销售额 or 按重量 (per_order, per_unit, per_month, share_of_sales, per_weight)")
        })?,
        None if rate.is_some() => ShareOfSales,
        None => match category {
            Fixed => PerMonth,
            PlatformFees => ShareOfSales,
            Shipping | Packaging => PerOrder,
        },
    };
    let allowed = match category {
        Shipping => matches!(basis, PerOrder | PerWeight),
        Packaging => matches!(basis, PerOrder | PerUnit),
        PlatformFees => matches!(basis, ShareOfSales),
        Fixed => matches!(basis, PerMonth | ShareOfSales),
    };
    if !allowed {
        return Err(format!(
            "{} cannot be counted {}: shipping is per order or by weight, packaging per order or per unit, a fee rate a share of sales, fixed costs per month or a share of sales",
            category.as_str(),
            basis.as_str()
        ));
    }
    let (amount, rate) = match basis {
        ShareOfSales => {
            let rate = rate.ok_or("a share of sales needs a rate (比例), e.g. 5%")?;
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("rate {rate} is not between 0% and 100%"));
            }
            (None, Some(rate))
        }
        _ => {
            let amount = amount
                .ok_or("no amount: a cost without an amount is left out, never counted at zero")?;
            if amount < 0 {
                return Err("the amount is negative".into());
            }
            (Some(amount), None)
        }
    };
    let product_code = match cols.get(row, "product_code") {
        Some(raw) => {
            let code = parse_id(raw)?.ok_or("no product code")?;
            Some(ProductCode::from_string(code).map_err(|e| format!("the product code {e}"))?)
        }
        None => None,
    };
    if product_code.is_some() && basis != PerUnit {
        return Err("a product is named only for a cost per unit".into());
    }
    let region = cols.get(row, "region").map(str::to_owned);
    if region.is_some() && !matches!(basis, PerOrder | PerWeight) {
        return Err("a region is named only for a cost per order or by weight".into());
    }
    let carrier = cols.get(row, "carrier").map(str::to_owned);
    if carrier.is_some() && category != Shipping {
        return Err("a courier company is named only for a shipping rule".into());
    }
    let extra_amount = match cols.get(row, "extra_amount") {
        Some(raw) => parse_money(raw, exponent).map_err(|e| format!("extra amount: {e}"))?,
        None => None,
    };
    let extra_amount = match (basis, extra_amount) {
        (PerWeight, Some(v)) if v < 0 => return Err("the 续重 amount is negative".into()),
        (PerWeight, Some(v)) => Some(v),
        (PerWeight, None) => {
            return Err(
                "shipping by weight needs the price of each further kilogram (续重), 0 if none"
                    .into(),
            )
        }
        (_, Some(_)) => return Err("a 续重 amount is given only for shipping by weight".into()),
        (_, None) => None,
    };
    let valid_from = match cols.get(row, "valid_from") {
        Some(day) => parse_date(day)
            .map_err(|e| format!("day: {e}"))?
            .unwrap_or_else(from_the_start),
        None => from_the_start(),
    };
    Ok(ExpenseRule {
        name,
        category,
        basis,
        amount,
        extra_amount,
        rate,
        product_code,
        region,
        carrier,
        valid_from,
    })
}

/// The day from which a rule without a day holds.
fn from_the_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_and_bases_are_read_from_their_words() {
        assert_eq!(category_of("快递费"), Some(ExpenseCategory::Shipping));
        assert_eq!(category_of("赠品"), Some(ExpenseCategory::Packaging));
        assert_eq!(category_of("平台扣点"), Some(ExpenseCategory::PlatformFees));
        assert_eq!(category_of("房租"), Some(ExpenseCategory::Fixed));
        assert_eq!(category_of("fixed"), Some(ExpenseCategory::Fixed));
        assert_eq!(category_of("杂项"), None);
        assert_eq!(basis_of("按单"), Some(ExpenseBasis::PerOrder));
        assert_eq!(basis_of("每件"), Some(ExpenseBasis::PerUnit));
        assert_eq!(basis_of("按月"), Some(ExpenseBasis::PerMonth));
        assert_eq!(basis_of("按销售额"), Some(ExpenseBasis::ShareOfSales));
        assert_eq!(basis_of("按重量"), Some(ExpenseBasis::PerWeight));
        assert_eq!(basis_of("首重续重"), Some(ExpenseBasis::PerWeight));
    }
}
