//! `zhanggui summary`: per shop, the date range and the counts that show what landed.

use std::collections::BTreeMap;
use std::process::ExitCode;

use serde::Serialize;
use zhanggui_domain::Money;
use zhanggui_storage::{ShopSummary, Store};

use crate::cli::Cli;
use crate::{db, output};

/// One shop's summary as printed with `--json`, keyed by shop name.
#[derive(Debug, Serialize)]
pub struct SummaryJson {
    pub platform: String,
    pub currency: String,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub orders: u64,
    pub order_lines: u64,
    pub products: u64,
    pub customers: u64,
    /// Decimals in the shop's currency, the currency named.
    pub paid_amount: Money,
    pub paid_amount_identified: Money,
    pub refund_amount: Money,
    pub product_days: u64,
    pub source_days: u64,
    /// Refund and after-sale cases from refund exports.
    pub refunds: u64,
}

pub fn to_json(summaries: &[ShopSummary]) -> BTreeMap<String, SummaryJson> {
    summaries
        .iter()
        .map(|s| {
            (
                s.shop.name.to_string(),
                SummaryJson {
                    platform: s.shop.platform.to_string(),
                    currency: s.shop.currency.to_string(),
                    first_day: s.first_day.map(|d| d.to_string()),
                    last_day: s.last_day.map(|d| d.to_string()),
                    orders: s.orders,
                    order_lines: s.order_lines,
                    products: s.products,
                    customers: s.customers,
                    paid_amount: s.paid_amount,
                    paid_amount_identified: s.paid_amount_identified,
                    refund_amount: s.refund_amount,
                    product_days: s.product_days,
                    source_days: s.source_days,
                    refunds: s.refunds,
                },
            )
        })
        .collect()
}

/// The summary as a table for people.
pub fn render(summaries: &[ShopSummary]) -> String {
    if summaries.is_empty() {
        return "no shops yet: zhanggui shop add --platform taobao --name NAME".into();
    }
    let rows: Vec<Vec<String>> = summaries
        .iter()
        .map(|s| {
            let range = match (s.first_day, s.last_day) {
                (Some(a), Some(b)) => format!("{a} .. {b}"),
                _ => "-".into(),
            };
            vec![
                s.shop.name.to_string(),
                s.shop.platform.to_string(),
                range,
                s.orders.to_string(),
                s.order_lines.to_string(),
                s.products.to_string(),
                s.customers.to_string(),
                s.paid_amount.to_string(),
                s.refund_amount.to_string(),
                s.refunds.to_string(),
            ]
        })
        .collect();
    output::table(
        &[
            "shop",
            "platform",
            "dates",
            "orders",
            "lines",
            "products",
            "customers",
            "paid",
            "refunded",
            "refund cases",
        ],
        &rows,
    )
}

pub fn run(cli: &Cli) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let summaries = store.summary()?;
    if cli.json {
        output::json(&to_json(&summaries))?;
    } else {
        println!("{}", render(&summaries));
    }
    Ok(ExitCode::SUCCESS)
}
