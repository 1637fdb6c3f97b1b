//! The gross-profit report as tables: totals, then one row per product, day or month.

use zhanggui_analytics::profit::{CostKnown, ProfitReport};
use zhanggui_domain::Currency;

use crate::sheet::{Cell, NumberFormat, Sheet};

/// The totals sheet and the per-product sheet of a profit report.
pub fn sheets(r: &ProfitReport, currency: Currency) -> Vec<Sheet> {
    let money = NumberFormat::Money(currency);
    let m = |v: i64| Cell::number(Some(v as f64), money);
    let mut totals = Sheet::new(
        &format!("{} 毛利 {} .. {}", r.shop, r.from, r.to),
        &["measure", "value"],
    );
    totals.rows = vec![
        vec![Cell::text("net sales (all products)"), m(r.net_sales.minor)],
        vec![
            Cell::text("net sales (products with a cost price)"),
            m(r.net_sales_costed.minor),
        ],
        vec![Cell::text("cost of goods"), m(r.cogs.minor)],
        vec![Cell::text("gross profit"), m(r.gross_profit.minor)],
        vec![
            Cell::text("margin"),
            Cell::number(r.margin, NumberFormat::Percent),
        ],
        vec![
            Cell::text("products without a full cost price"),
            Cell::number(Some(r.missing_cost.len() as f64), NumberFormat::Count),
        ],
    ];
    let mut products = Sheet::new(
        match r.by {
            "day" => "days",
            "month" => "months",
            _ => "products",
        },
        &[
            r.by,
            "title",
            "units",
            "net sales",
            "refunds",
            "cost of goods",
            "gross profit",
            "margin",
            "cost",
        ],
    );
    products.rows = r
        .rows
        .iter()
        .map(|p| {
            vec![
                Cell::text(&p.key),
                Cell::text(p.title.clone().unwrap_or_default()),
                Cell::number(Some(p.units as f64), NumberFormat::Count),
                m(p.net_sales.minor),
                m(p.refunds.minor),
                Cell::number(p.cogs.map(|c| c.minor as f64), money),
                Cell::number(p.gross_profit.map(|g| g.minor as f64), money),
                Cell::number(p.margin, NumberFormat::Percent),
                Cell::text(match p.cost {
                    CostKnown::Known => "known",
                    CostKnown::Partial => "partial",
                    CostKnown::Missing => "missing",
                }),
            ]
        })
        .collect();
    vec![totals, products]
}
