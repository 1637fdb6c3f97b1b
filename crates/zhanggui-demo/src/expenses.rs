//! The Taobao shop's expense sheet (费用表): shipping per order (dearer to the far west), a
//! bag per order and a gift with every unit of the first profit item, a fee rate of 6% for
//! the orders the bill does not cover yet (about what the bill's fees come to), rent,
//! salaries and software per month with a rent rise halfway. Its ad spend comes from the
//! 直通车 report (`ads.rs`).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::catalog::{Product, Role};
use crate::write::CsvOut;
use crate::DemoError;

/// Writes `费用表.csv` into `out`; the rent rises on `rent_rise`.
pub fn write_expenses(
    out: &Path,
    products: &[Product],
    rent_rise: NaiveDate,
) -> Result<PathBuf, DemoError> {
    let gifted = products
        .iter()
        .find(|p| p.role == Role::Profit)
        .expect("the catalog has profit items");
    let mut csv = CsvOut::create(&out.join("费用表.csv"), false, None)?;
    csv.row(&[
        "费用名称",
        "类别",
        "计费方式",
        "金额",
        "比例",
        "商家编码",
        "地区",
        "生效日期",
    ])?;
    let rise = rent_rise.to_string();
    let rows: [[&str; 8]; 10] = [
        ["快递费", "运费", "按单", "4.50", "", "", "", ""],
        ["快递费", "运费", "按单", "12.00", "", "", "新疆", ""],
        ["快递费", "运费", "按单", "12.00", "", "", "西藏", ""],
        ["包装袋", "包装", "按单", "0.80", "", "", "", ""],
        [
            "赠品",
            "赠品",
            "按件",
            "1.50",
            "",
            gifted.code.as_str(),
            "",
            "",
        ],
        ["平台费估算", "平台费", "按销售额", "", "6%", "", "", ""],
        ["房租", "固定", "按月", "3000.00", "", "", "", ""],
        ["房租", "固定", "按月", "3500.00", "", "", "", rise.as_str()],
        ["工资", "固定", "按月", "12000.00", "", "", "", ""],
        ["软件", "固定", "按月", "300.00", "", "", "", ""],
    ];
    for row in rows {
        csv.row(&row)?;
    }
    csv.finish()
}
