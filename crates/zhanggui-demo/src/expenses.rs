//! The Taobao shop's expense sheet (费用表) and ad spend sheet (推广花费): shipping per order
//! (dearer to the far west), a bag per order and a gift with every unit of the first profit
//! item, a fee rate of 6% for the orders the bill does not cover yet (about what the bill's
//! fees come to), rent, salaries and software per month
//! with a rent rise halfway, and a daily 直通车 spend that is higher at the weekend.

use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::catalog::{Product, Role};
use crate::write::{amount, CsvOut};
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

/// Writes `推广花费.csv` into `out`: one row per day from `first` for `days` days.
pub fn write_ad_spend(out: &Path, first: NaiveDate, days: u32) -> Result<PathBuf, DemoError> {
    let mut csv = CsvOut::create(&out.join("推广花费.csv"), false, None)?;
    csv.row(&["日期", "渠道", "花费"])?;
    for i in 0..days {
        let day = first + Duration::days(i64::from(i));
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let spend = if weekend { 42_000 } else { 30_000 } + i64::from(i % 7) * 1_000;
        csv.row(&[day.to_string().as_str(), "直通车", &amount(spend)])?;
    }
    csv.finish()
}
