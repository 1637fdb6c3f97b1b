//! Gross profit per product, day or month (毛利): net sales (paid minus refunded) less the cost of the
//! goods at the cost price in force on each line's payment day.
//!
//! This is the first step of the profit model: platform fees, shipping, packaging, ad
//! spend and fixed costs are not deducted yet, so gross profit is not contribution margin.
//! A product without a cost price is never counted at zero cost: its cost is `missing`,
//! its gross profit unknown, and it is listed so that its price can be added; one whose
//! price starts after some of its sales is `partial` the same way.

use serde::Serialize;
use zhanggui_domain::{Currency, Money, Shop};
use zhanggui_storage::{CostStore, DayRange, ProductSales, SalesBy, StoreError};

/// Whether a product's cost of goods is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKnown {
    /// Every unit sold had a cost price.
    Known,
    /// Some units were sold before the product's first cost price.
    Partial,
    /// No cost price covers any unit sold.
    Missing,
}

/// The gross profit of one product (or day, or month) in a period.
#[derive(Debug, Clone, Serialize)]
pub struct ProductProfit {
    /// The product code, day or month.
    pub key: String,
    pub title: Option<String>,
    pub units: i64,
    pub net_sales: Money,
    pub refunds: Money,
    /// Cost of the units that have a cost price (`None` when none has).
    pub cogs: Option<Money>,
    /// Net sales less cost of goods, when every unit's cost is known.
    pub gross_profit: Option<Money>,
    /// Gross profit over net sales.
    pub margin: Option<f64>,
    pub cost: CostKnown,
}

/// A shop's gross profit per product, day or month in a period, and the totals over the
/// products whose cost is known.
#[derive(Debug, Clone, Serialize)]
pub struct ProfitReport {
    pub shop: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// `product`, `day` or `month`: what each row is about.
    pub by: &'static str,
    pub rows: Vec<ProductProfit>,
    /// Net sales of every product.
    pub net_sales: Money,
    /// Net sales of the products whose cost is known: what the totals below cover.
    pub net_sales_costed: Money,
    pub cogs: Money,
    pub gross_profit: Money,
    pub margin: Option<f64>,
    /// Products sold in the period without a cost price for every unit.
    pub missing_cost: Vec<String>,
}

/// Gross profit of one shop over a period, per product, day or month.
pub fn profit(
    store: &dyn CostStore,
    shop: &Shop,
    range: DayRange,
    by: SalesBy,
) -> Result<ProfitReport, StoreError> {
    let products = store.product_sales(shop, range, SalesBy::Product)?;
    let rows = match by {
        SalesBy::Product => None,
        other => Some(store.product_sales(shop, range, other)?),
    };
    Ok(report(
        shop,
        range,
        by,
        &products,
        rows.as_deref().unwrap_or(&products),
    ))
}

/// The report from per-product sales (for the totals and the missing costs) and the rows
/// shown.
fn report(
    shop: &Shop,
    range: DayRange,
    by: SalesBy,
    sales: &[ProductSales],
    rows: &[ProductSales],
) -> ProfitReport {
    let c = shop.currency;
    let products: Vec<ProductProfit> = sales.iter().map(|s| product(s, c)).collect();
    let costed = products.iter().filter(|p| p.cost == CostKnown::Known);
    let net_sales: i64 = products.iter().map(|p| p.net_sales.minor).sum();
    let net_sales_costed: i64 = costed.clone().map(|p| p.net_sales.minor).sum();
    let cogs: i64 = costed.map(|p| p.cogs.map_or(0, |m| m.minor)).sum();
    let gross = net_sales_costed - cogs;
    ProfitReport {
        shop: shop.name.to_string(),
        from: range.from,
        to: range.to,
        by: by.as_str(),
        missing_cost: products
            .iter()
            .filter(|p| p.cost != CostKnown::Known)
            .map(|p| p.key.clone())
            .collect(),
        net_sales: Money::new(net_sales, c),
        net_sales_costed: Money::new(net_sales_costed, c),
        cogs: Money::new(cogs, c),
        gross_profit: Money::new(gross, c),
        margin: ratio(gross, net_sales_costed),
        rows: rows.iter().map(|s| product(s, c)).collect(),
    }
}

fn product(s: &ProductSales, c: Currency) -> ProductProfit {
    let net = s.paid - s.refunds;
    let cost = if s.units_without_cost == 0 {
        CostKnown::Known
    } else if s.units_without_cost < s.units {
        CostKnown::Partial
    } else {
        CostKnown::Missing
    };
    let gross = (cost == CostKnown::Known).then_some(net - s.cogs);
    ProductProfit {
        key: s.key.clone(),
        title: s.title.clone(),
        units: s.units,
        net_sales: Money::new(net, c),
        refunds: Money::new(s.refunds, c),
        cogs: (cost != CostKnown::Missing).then_some(Money::new(s.cogs, c)),
        gross_profit: gross.map(|g| Money::new(g, c)),
        margin: gross.and_then(|g| ratio(g, net)),
        cost,
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}
