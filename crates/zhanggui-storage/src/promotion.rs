//! Ad report rows and creative tests: the storage seam of the promotion module.
//!
//! An ad row is one day of one plan (and unit, keyword, creative or product where the
//! report breaks it down) under one attribution window. Saving rows is idempotent: a row
//! whose key is stored takes the file's values. Totals never add rows of two windows.

use chrono::{NaiveDate, NaiveDateTime};
use zhanggui_domain::Shop;

use crate::{CostsSaved, DayRange, StoreError};

/// One row of an ad report. Money in minor units of the shop's currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AdRow {
    pub tool: String,
    pub day: NaiveDate,
    pub campaign: String,
    pub unit: Option<String>,
    pub keyword: Option<String>,
    pub creative: Option<String>,
    pub product_code: Option<String>,
    /// The attribution window as the report states it (`15天`, `7-day click or 1-day view`).
    pub attribution: Option<String>,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub spend: i64,
    /// Attributed orders, direct and indirect (fractional where the platform shares a
    /// conversion between ads).
    pub orders: Option<f64>,
    pub sales: Option<i64>,
    pub direct_orders: Option<f64>,
    pub direct_sales: Option<i64>,
    pub add_to_cart: Option<i64>,
    pub favourites: Option<i64>,
}

/// How ad totals are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdBy {
    /// Per tool (直通车, Google Ads, ...).
    Tool,
    /// Per tool and plan.
    Campaign,
    /// Per tool, plan and creative.
    Creative,
    /// Per tool, plan, creative and day (a creative test's days).
    CreativeDay,
    /// Per tool, plan and day.
    CampaignDay,
    /// Per tool and product (rows that name one).
    Product,
}

/// Totals of ad rows over a period, for one group and one attribution window.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AdTotals {
    pub tool: String,
    pub attribution: String,
    /// The plan, creative, product or day of the group; empty where the grouping has none.
    pub campaign: String,
    pub creative: String,
    pub product_code: String,
    pub day: Option<NaiveDate>,
    pub days: i64,
    /// Null when no row of the group reports it.
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub spend: i64,
    pub orders: Option<f64>,
    pub sales: Option<i64>,
    pub direct_orders: Option<f64>,
    pub direct_sales: Option<i64>,
    pub add_to_cart: Option<i64>,
    pub favourites: Option<i64>,
}

/// A creative or image test (横向测试).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AbTest {
    pub name: String,
    pub metric: String,
    pub started_on: NaiveDate,
    /// Units per arm before which no verdict is given (the fixed horizon).
    pub planned_units: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The counts of one arm of a test.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AbArm {
    pub arm: String,
    pub units: i64,
    pub successes: i64,
    pub value_sum: Option<f64>,
    pub value_sq_sum: Option<f64>,
    pub source: String,
}

/// One day of paid and free visitors: for the shop, its traffic-source report's paid and
/// free sources; for a product an ad report names, its ad clicks and the rest of its
/// visitors.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PaidFreeDay {
    /// `None` for the shop.
    pub product_code: Option<String>,
    pub day: NaiveDate,
    pub paid: i64,
    pub free: i64,
}

/// Ad reports and creative tests of a shop.
pub trait AdStore {
    /// Saves ad rows by key (tool, day, plan, unit, keyword, creative, product, window); a
    /// stored row takes the file's values. Forgets the shop's derived profit lines.
    fn save_ad_rows(&self, shop: &Shop, rows: &[AdRow]) -> Result<CostsSaved, StoreError>;
    /// The same for rows that arrive in batches while they are read; a batch that is an
    /// error stops the save and nothing is kept.
    fn save_ad_batches(
        &self,
        shop: &Shop,
        batches: &mut dyn Iterator<Item = Result<Vec<AdRow>, StoreError>>,
    ) -> Result<CostsSaved, StoreError>;
    /// Ad totals over a range of days, one row per group and attribution window.
    fn ad_totals(
        &self,
        shop: &Shop,
        range: DayRange,
        by: AdBy,
    ) -> Result<Vec<AdTotals>, StoreError>;
    /// Paid and free visitors a day over a range: the shop's days of the traffic-source
    /// report, then each product's days of the product report between the first and last
    /// day of ad rows naming a product (a day without its clicks has none), by product and
    /// day.
    fn paid_free_days(&self, shop: &Shop, range: DayRange) -> Result<Vec<PaidFreeDay>, StoreError>;
    /// The first and last day with ad rows.
    fn ad_span(&self, shop: &Shop) -> Result<Option<(NaiveDate, NaiveDate)>, StoreError>;
    /// Creates a test; its name must be new in the shop.
    fn add_ab_test(&self, shop: &Shop, test: &AbTest) -> Result<(), StoreError>;
    /// Every test of a shop, by name.
    fn ab_tests(&self, shop: &Shop) -> Result<Vec<AbTest>, StoreError>;
    /// Sets an arm's counts (replacing what the arm had).
    fn set_ab_arm(&self, shop: &Shop, test: &str, arm: &AbArm) -> Result<(), StoreError>;
    /// The arms of a test, by name.
    fn ab_arms(&self, shop: &Shop, test: &str) -> Result<Vec<AbArm>, StoreError>;
}
