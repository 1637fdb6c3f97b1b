//! Cost prices and what products earned against them: the storage seam of the profit
//! module.
//!
//! A cost price holds from its day on, until the product's next one: a price change never
//! rewrites what earlier sales cost.

use chrono::NaiveDate;
use zhanggui_domain::{ProductCode, Shop};

use crate::{DayRange, StoreError};

/// The cost of one unit of a product (or SKU code) from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostPrice {
    pub product_code: ProductCode,
    pub valid_from: NaiveDate,
    /// In minor units of the shop's currency.
    pub unit_cost: i64,
}

/// What saving a cost sheet did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CostsSaved {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// What each row of sales and cost is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalesBy {
    Product,
    /// The payment day, `2025-03-01`.
    Day,
    /// The payment month, `2025-03`.
    Month,
}

impl SalesBy {
    pub fn as_str(self) -> &'static str {
        match self {
            SalesBy::Product => "product",
            SalesBy::Day => "day",
            SalesBy::Month => "month",
        }
    }
}

/// The sales of one product (or day, or month) in a period and their cost, from the order
/// lines of paid orders (by payment day in the shop's time zone). Amounts in minor units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductSales {
    /// The product code, day or month.
    pub key: String,
    /// The product's title (products only).
    pub title: Option<String>,
    pub units: i64,
    /// What buyers paid for the lines.
    pub paid: i64,
    /// What was refunded on them.
    pub refunds: i64,
    /// Units × the cost price in force on each line's payment day, over the lines that
    /// have one.
    pub cogs: i64,
    /// Units sold on days before the product's first cost price (or with none at all).
    pub units_without_cost: i64,
}

/// Cost prices and the sales they are set against.
pub trait CostStore {
    /// Saves cost prices, keyed by product code and first day: a row for a key already
    /// stored replaces its cost.
    fn save_cost_prices(&self, shop: &Shop, prices: &[CostPrice])
        -> Result<CostsSaved, StoreError>;
    /// Every cost price of a shop, by product and day.
    fn cost_prices(&self, shop: &Shop) -> Result<Vec<CostPrice>, StoreError>;
    /// Sales and cost of goods over a period, per product (most paid first), day or month
    /// (in order).
    fn product_sales(
        &self,
        shop: &Shop,
        range: DayRange,
        by: SalesBy,
    ) -> Result<Vec<ProductSales>, StoreError>;
}
