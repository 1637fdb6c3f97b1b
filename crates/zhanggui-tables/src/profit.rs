//! The profit report as tables: the P&L (net sales down to net profit), then one row per
//! order, SKU, product, category, day, month or channel (products with their role, once
//! roles are assigned).

use zhanggui_analytics::profit::{CostKnown, FeesKnown, ProfitReport};
use zhanggui_analytics::profit_shops::{PnlLine, ShopsPnl};
use zhanggui_domain::Currency;

use crate::sheet::{Cell, NumberFormat, Sheet};

/// The P&L sheet and the rows sheet of a profit report.
pub fn sheets(r: &ProfitReport, currency: Currency) -> Vec<Sheet> {
    let money = NumberFormat::Money(currency);
    let m = |v: i64| Cell::number(Some(v as f64), money);
    let mut totals = Sheet::new(
        &format!("{} 利润 {} .. {}", r.shop, r.from, r.to),
        &["measure", "value"],
    );
    let line = |name: &str, v: i64| vec![Cell::text(name), m(v)];
    totals.rows = vec![
        line("net sales (all products)", r.net_sales.minor),
        line("refunds", r.refunds.minor),
        line(
            "net sales (products with a cost price)",
            r.net_sales_costed.minor,
        ),
        line("cost of goods of those", r.cogs_costed.minor),
        line("gross profit", r.gross_profit.minor),
        vec![
            Cell::text("gross margin"),
            Cell::number(r.gross_margin, NumberFormat::Percent),
        ],
        line(
            "net sales (products with every cost known)",
            r.net_sales_known.minor,
        ),
        line("cost of goods", r.cogs.minor),
        line("platform fees", r.platform_fees.minor),
        line("shipping", r.shipping.minor),
        line("packaging and gifts", r.packaging.minor),
        line("CM1", r.cm1.minor),
        line("ad spend", r.ad_spend.minor),
        line("CM2", r.cm2.minor),
        line("fixed costs", r.other_costs.minor),
        line("net profit", r.net_profit.minor),
        vec![
            Cell::text("net margin"),
            Cell::number(r.margin, NumberFormat::Percent),
        ],
        line(
            "ad spend on days without sales",
            r.unallocated_ad_spend.minor,
        ),
        line(
            "fixed costs of months without sales",
            r.unallocated_fixed.minor,
        ),
        vec![
            Cell::text("products without a full cost price"),
            Cell::number(Some(r.missing_cost.len() as f64), NumberFormat::Count),
        ],
        vec![
            Cell::text("products with orders no bill or fee rate covers"),
            Cell::number(Some(r.missing_fees.len() as f64), NumberFormat::Count),
        ],
    ];
    let mut rows = Sheet::new(
        match r.by {
            "order" => "orders",
            "sku" => "SKUs",
            "category" => "categories",
            "day" => "days",
            "month" => "months",
            "channel" => "channels",
            _ => "products",
        },
        &[
            r.by,
            "title",
            "orders",
            "units",
            "net sales",
            "refunds",
            "cost of goods",
            "gross profit",
            "platform fees",
            "shipping",
            "packaging",
            "CM1",
            "ad spend",
            "CM2",
            "fixed costs",
            "net profit",
            "margin",
            "break-even ROI",
            "cost",
            "fees",
        ],
    );
    let roles = r.roles.is_some();
    if roles {
        rows.header.push("role".to_owned());
    }
    let opt = |v: Option<zhanggui_domain::Money>| Cell::number(v.map(|c| c.minor as f64), money);
    rows.rows = r
        .rows
        .iter()
        .map(|p| {
            let mut cells = vec![
                Cell::text(&p.key),
                Cell::text(p.title.clone().unwrap_or_default()),
                Cell::number(Some(p.orders as f64), NumberFormat::Count),
                Cell::number(Some(p.units as f64), NumberFormat::Count),
                m(p.net_sales.minor),
                m(p.refunds.minor),
                opt(p.cogs),
                opt(p.gross_profit),
                m(p.platform_fees.minor),
                m(p.shipping.minor),
                m(p.packaging.minor),
                opt(p.cm1),
                m(p.ad_spend.minor),
                opt(p.cm2),
                m(p.other_costs.minor),
                opt(p.net_profit),
                Cell::number(p.margin, NumberFormat::Percent),
                Cell::number(p.break_even_roi, NumberFormat::Decimal),
                Cell::text(match p.cost {
                    CostKnown::Known => "known",
                    CostKnown::Partial => "partial",
                    CostKnown::Missing => "missing",
                }),
                Cell::text(match p.fees {
                    FeesKnown::Billed => "billed",
                    FeesKnown::Estimated => "estimated",
                    FeesKnown::Missing => "missing",
                }),
            ];
            if roles {
                cells.push(Cell::text(p.role.map_or("", |role| role.zh())));
            }
            cells
        })
        .collect();
    vec![totals, rows]
}

/// The P&L across shops: one sheet by month, one by shop, each ending with the total.
pub fn shops_sheets(p: &ShopsPnl) -> Vec<Sheet> {
    let money = NumberFormat::Money(p.currency);
    let header = [
        "net sales",
        "net sales (every cost known)",
        "cost of goods",
        "platform fees",
        "shipping",
        "packaging",
        "CM1",
        "ad spend",
        "CM2",
        "fixed costs",
        "net profit",
        "net margin",
    ];
    let row = |l: &PnlLine| {
        let mut cells = vec![Cell::text(&l.key)];
        for m in [
            l.net_sales,
            l.net_sales_known,
            l.cogs,
            l.platform_fees,
            l.shipping,
            l.packaging,
            l.cm1,
            l.ad_spend,
            l.cm2,
            l.other_costs,
            l.net_profit,
        ] {
            cells.push(Cell::number(Some(m.minor as f64), money));
        }
        cells.push(Cell::number(l.margin, NumberFormat::Percent));
        cells
    };
    let rates: Vec<String> = p.rates.iter().map(|(c, r)| format!("{c}={r}")).collect();
    let title = format!(
        "P&L {} .. {} in {}{}",
        p.from,
        p.to,
        p.currency,
        if rates.is_empty() {
            String::new()
        } else {
            format!(" ({})", rates.join(", "))
        }
    );
    let sheet = |name: &str, first: &str, lines: &[PnlLine]| {
        let mut cols = vec![first];
        cols.extend(header);
        let mut s = Sheet::new(name, &cols);
        s.rows = lines.iter().chain([&p.total]).map(row).collect();
        s
    };
    vec![
        sheet(&title, "month", &p.months),
        sheet("shops", "shop", &p.by_shop),
    ]
}
