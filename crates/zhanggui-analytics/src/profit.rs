//! The profit model (算利润), per order, SKU, product, category, day, month or channel:
//!
//! ```text
//! net sales (paid − refunded)
//!   − cost of goods (cost price in force on the payment day)   = gross profit  毛利
//!   − platform fees (the bills, or the expense sheet's fee rate)
//!   − shipping − packaging and gifts                           = CM1           边际贡献1
//!   − ad spend (the day's spend, shared by net sales)          = CM2           边际贡献2
//!   − fixed costs (the month's, shared by net sales)           = net profit    净利润
//! ```
//!
//! Nothing unknown is counted as zero: a row with units sold before any cost price has no
//! gross profit, and one with orders that no bill covers and no fee rate estimates has no
//! CM1; such rows are listed and left out of the totals, which say what net sales they
//! cover. Shares of costs are fractions of a cent in the storage's parts; here they are
//! rounded so that the rows add up to the totals (largest remainder), and each row's net
//! profit is its net sales less its rounded costs, so the P&L adds up to the cent.

use serde::Serialize;
use zhanggui_domain::{Currency, Money, Shop};
use zhanggui_storage::{CostStore, DayRange, ProfitBy, ProfitInputs, ProfitParts, StoreError};

use crate::roles::{ProductRole, RolesUsed};

/// Whether a row's cost of goods is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostKnown {
    /// Every unit sold had a cost price.
    Known,
    /// Some units were sold before their product's first cost price.
    Partial,
    /// No cost price covers any unit sold.
    Missing,
}

/// Where a row's platform fees come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeesKnown {
    /// From the bills, for every order.
    Billed,
    /// From the expense sheet's fee rate for some or all orders (no bill covers them).
    Estimated,
    /// Some orders have neither a bill nor a fee rate.
    Missing,
}

/// One row of the profit report. Money in the shop's currency.
#[derive(Debug, Clone, Serialize)]
pub struct ProfitRow {
    /// The order number, SKU, product code, category, day, month or channel.
    pub key: String,
    pub title: Option<String>,
    pub orders: i64,
    pub units: i64,
    pub net_sales: Money,
    pub refunds: Money,
    /// Cost of the units with a cost price (`None` when none has).
    pub cogs: Option<Money>,
    pub gross_profit: Option<Money>,
    pub gross_margin: Option<f64>,
    pub platform_fees: Money,
    pub shipping: Money,
    pub packaging: Money,
    /// Net sales less cost of goods, fees, shipping and packaging, when all are known.
    pub cm1: Option<Money>,
    pub ad_spend: Money,
    pub cm2: Option<Money>,
    /// Fixed costs allocated to the row.
    pub other_costs: Money,
    pub net_profit: Option<Money>,
    /// Net profit over net sales.
    pub margin: Option<f64>,
    /// The ROI an ad must earn (sales over spend) to break even on this row: 1 / the
    /// margin before ad spend and fixed costs (CM1 over net sales).
    pub break_even_roi: Option<f64>,
    pub cost: CostKnown,
    pub fees: FeesKnown,
    /// 引流款, 利润款, 形象款, 滞销 or 常规款, for products once roles are assigned
    /// ([`crate::roles::assign_roles`]).
    pub role: Option<ProductRole>,
}

/// A shop's profit over a period, its rows, and the totals over the rows whose costs are
/// all known.
#[derive(Debug, Clone, Serialize)]
pub struct ProfitReport {
    pub shop: String,
    pub currency: Currency,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    /// What each row is about: order, sku, product, category, day, month or channel.
    pub by: &'static str,
    pub rows: Vec<ProfitRow>,
    /// Net sales of every product.
    pub net_sales: Money,
    pub refunds: Money,
    /// Net sales of the products whose cost of goods is known (what `cogs_costed` and
    /// `gross_profit` cover).
    pub net_sales_costed: Money,
    pub cogs_costed: Money,
    pub gross_profit: Money,
    pub gross_margin: Option<f64>,
    /// Net sales of the products whose every cost is known: what the P&L from `cogs` to
    /// `net_profit` covers (`net_sales_known` − those costs = `net_profit`, to the cent).
    pub net_sales_known: Money,
    pub cogs: Money,
    pub platform_fees: Money,
    pub shipping: Money,
    pub packaging: Money,
    pub cm1: Money,
    pub ad_spend: Money,
    pub cm2: Money,
    pub other_costs: Money,
    pub net_profit: Money,
    pub margin: Option<f64>,
    /// Ad spend on days without sales, and fixed costs of months without sales: counted
    /// in no row.
    pub unallocated_ad_spend: Money,
    pub unallocated_fixed: Money,
    /// Products sold in the period without a cost price for every unit.
    pub missing_cost: Vec<String>,
    /// Products with orders that no bill covers and no fee rate estimates.
    pub missing_fees: Vec<String>,
    /// What the model had to go on.
    pub inputs: ProfitInputs,
    /// What the figures leave out, in words.
    pub notes: Vec<String>,
    /// The thresholds the products' roles were judged by, once assigned.
    pub roles: Option<RolesUsed>,
}

/// The profit of one shop over a period, per `by`.
pub fn profit(
    store: &dyn CostStore,
    shop: &Shop,
    range: DayRange,
    by: ProfitBy,
) -> Result<ProfitReport, StoreError> {
    let (products, unallocated) = store.profit_parts(shop, range, ProfitBy::Product)?;
    let rows = match by {
        ProfitBy::Product => None,
        other => Some(store.profit_parts(shop, range, other)?.0),
    };
    let inputs = store.profit_inputs(shop)?;
    let c = shop.currency;
    let product_rows = rounded(&products, c);
    let shown = match &rows {
        Some(parts) => rounded(parts, c),
        None => product_rows.clone(),
    };
    let sum = |rows: &[&ProfitRow], f: &dyn Fn(&ProfitRow) -> i64| -> i64 {
        rows.iter().map(|r| f(r)).sum()
    };
    let all: Vec<&ProfitRow> = product_rows.iter().collect();
    let costed: Vec<&ProfitRow> = all
        .iter()
        .copied()
        .filter(|r| r.cost == CostKnown::Known)
        .collect();
    let known: Vec<&ProfitRow> = costed
        .iter()
        .copied()
        .filter(|r| r.fees != FeesKnown::Missing)
        .collect();
    let net_sales_costed = sum(&costed, &|r| r.net_sales.minor);
    let cogs_costed = sum(&costed, &|r| r.cogs.map_or(0, |m| m.minor));
    let gross = net_sales_costed - cogs_costed;
    let net_known = sum(&known, &|r| r.net_sales.minor);
    let cogs_known = sum(&known, &|r| r.cogs.map_or(0, |m| m.minor));
    let fees = sum(&known, &|r| r.platform_fees.minor);
    let shipping = sum(&known, &|r| r.shipping.minor);
    let packaging = sum(&known, &|r| r.packaging.minor);
    let ad = sum(&known, &|r| r.ad_spend.minor);
    let other = sum(&known, &|r| r.other_costs.minor);
    let cm1 = net_known - cogs_known - fees - shipping - packaging;
    let net_profit = cm1 - ad - other;
    let list = |keep: &dyn Fn(&ProfitRow) -> bool| -> Vec<String> {
        product_rows
            .iter()
            .filter(|r| keep(r))
            .map(|r| r.key.clone())
            .collect()
    };
    Ok(ProfitReport {
        shop: shop.name.to_string(),
        currency: c,
        from: range.from,
        to: range.to,
        by: by.as_str(),
        net_sales: Money::new(sum(&all, &|r| r.net_sales.minor), c),
        refunds: Money::new(sum(&all, &|r| r.refunds.minor), c),
        net_sales_costed: Money::new(net_sales_costed, c),
        cogs_costed: Money::new(cogs_costed, c),
        gross_profit: Money::new(gross, c),
        gross_margin: ratio(gross, net_sales_costed),
        net_sales_known: Money::new(net_known, c),
        cogs: Money::new(cogs_known, c),
        platform_fees: Money::new(fees, c),
        shipping: Money::new(shipping, c),
        packaging: Money::new(packaging, c),
        cm1: Money::new(cm1, c),
        ad_spend: Money::new(ad, c),
        cm2: Money::new(cm1 - ad, c),
        other_costs: Money::new(other, c),
        net_profit: Money::new(net_profit, c),
        margin: ratio(net_profit, net_known),
        unallocated_ad_spend: Money::new(unallocated.ad_spend.round() as i64, c),
        unallocated_fixed: Money::new(unallocated.fixed.round() as i64, c),
        missing_cost: list(&|r| r.cost != CostKnown::Known),
        missing_fees: list(&|r| r.fees == FeesKnown::Missing),
        notes: notes(&inputs),
        inputs,
        rows: shown,
        roles: None,
    })
}

/// What the figures leave out for want of inputs.
fn notes(inputs: &ProfitInputs) -> Vec<String> {
    let mut notes = Vec::new();
    if inputs.bill_lines == 0 && inputs.fee_rate_rules == 0 {
        notes.push(
            "no bill and no fee rate: platform fees are unknown, so CM1 and net profit are \
             too (import a bill, or a 平台费 rate in an expense sheet)"
                .into(),
        );
    }
    match (inputs.shipping_rules, inputs.courier_charges) {
        (0, 0) => notes.push("no shipping rule: shipping is counted as 0".into()),
        (0, _) => notes.push(
            "no shipping rule: orders whose parcel no courier bill charged count shipping as 0"
                .into(),
        ),
        _ => {}
    }
    if inputs.weight_rules > 0 {
        notes.push(format!(
            "shipping by weight: {} products have a weight (重量 in the cost sheet); an order \
             with a product of no known weight takes the per-order shipping rules (0 without one)",
            inputs.product_weights
        ));
    }
    if inputs.packaging_rules == 0 {
        notes.push("no packaging rule: packaging is counted as 0".into());
    }
    if inputs.ad_spend_days == 0 {
        notes.push("no ad spend imported: ad spend is counted as 0".into());
    }
    if inputs.fixed_rules == 0 {
        notes.push("no fixed costs in an expense sheet: fixed costs are counted as 0".into());
    }
    notes
}

/// The rows with their shared costs rounded to whole minor units so that each column adds
/// up to its rounded total.
fn rounded(parts: &[ProfitParts], c: Currency) -> Vec<ProfitRow> {
    let fees = largest_remainder(
        &parts
            .iter()
            .map(|p| p.fees_billed + p.fees_estimated)
            .collect::<Vec<_>>(),
    );
    let shipping = largest_remainder(&parts.iter().map(|p| p.shipping).collect::<Vec<_>>());
    let packaging = largest_remainder(&parts.iter().map(|p| p.packaging).collect::<Vec<_>>());
    let ad = largest_remainder(&parts.iter().map(|p| p.ad_spend).collect::<Vec<_>>());
    let fixed = largest_remainder(&parts.iter().map(|p| p.fixed).collect::<Vec<_>>());
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| row(p, c, [fees[i], shipping[i], packaging[i], ad[i], fixed[i]]))
        .collect()
}

fn row(p: &ProfitParts, c: Currency, shared: [i64; 5]) -> ProfitRow {
    let [fees, shipping, packaging, ad, fixed] = shared;
    let net = p.paid - p.refunds;
    let cost = if p.units_without_cost == 0 {
        CostKnown::Known
    } else if p.units_without_cost < p.units {
        CostKnown::Partial
    } else {
        CostKnown::Missing
    };
    let fees_known = if p.lines_without_fees > 0 {
        FeesKnown::Missing
    } else if p.fees_estimated != 0.0 {
        FeesKnown::Estimated
    } else {
        FeesKnown::Billed
    };
    let gross = (cost == CostKnown::Known).then_some(net - p.cogs);
    let cm1 = gross
        .filter(|_| fees_known != FeesKnown::Missing)
        .map(|g| g - fees - shipping - packaging);
    let cm2 = cm1.map(|v| v - ad);
    let net_profit = cm2.map(|v| v - fixed);
    let m = |v: i64| Money::new(v, c);
    ProfitRow {
        key: p.key.clone(),
        title: p.title.clone(),
        orders: p.orders,
        units: p.units,
        net_sales: m(net),
        refunds: m(p.refunds),
        cogs: (cost != CostKnown::Missing).then_some(m(p.cogs)),
        gross_profit: gross.map(m),
        gross_margin: gross.and_then(|g| ratio(g, net)),
        platform_fees: m(fees),
        shipping: m(shipping),
        packaging: m(packaging),
        cm1: cm1.map(m),
        ad_spend: m(ad),
        cm2: cm2.map(m),
        other_costs: m(fixed),
        net_profit: net_profit.map(m),
        margin: net_profit.and_then(|v| ratio(v, net)),
        break_even_roi: cm1
            .and_then(|v| ratio(v, net))
            .filter(|margin| *margin > 0.0)
            .map(|margin| 1.0 / margin),
        cost,
        fees: fees_known,
        role: None,
    }
}

/// Whole numbers that add up to the rounded sum of `values`, each the floor of its value
/// or one more, the ones go to the largest fractional parts (ties to the earlier row).
pub fn largest_remainder(values: &[f64]) -> Vec<i64> {
    let total = values.iter().sum::<f64>().round() as i64;
    let mut out: Vec<i64> = values.iter().map(|v| v.floor() as i64).collect();
    let short = total - out.iter().sum::<i64>();
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = values[a] - values[a].floor();
        let fb = values[b] - values[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &i in order.iter().take(short.max(0) as usize) {
        out[i] += 1;
    }
    out
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole != 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::largest_remainder;

    #[test]
    fn shares_round_to_whole_cents_that_add_up_to_the_total() {
        // 100 cents split three ways: 33.33 each, one row takes the extra cent.
        let third = 100.0 / 3.0;
        assert_eq!(largest_remainder(&[third, third, third]), [34, 33, 33]);
        assert_eq!(largest_remainder(&[0.6, 0.6, 0.8]), [1, 0, 1]);
        assert_eq!(largest_remainder(&[5.0, 7.0]), [5, 7]);
        assert_eq!(largest_remainder(&[]), Vec::<i64>::new());
    }
}
