//! Plain result types that stores return.

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::{Money, Shop};

/// What a merge did to one kind of row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EntityCounts {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows that repeated a key seen earlier in the same file (the later row wins).
    pub repeated_in_file: u64,
}

/// The kinds of rows a file can bring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    Orders,
    OrderLines,
    Products,
    ProductDays,
    SourceDays,
    Benchmarks,
    Refunds,
}

impl Entity {
    pub fn as_str(&self) -> &'static str {
        match self {
            Entity::Orders => "orders",
            Entity::OrderLines => "order_lines",
            Entity::Products => "products",
            Entity::ProductDays => "product_days",
            Entity::SourceDays => "source_days",
            Entity::Benchmarks => "benchmarks",
            Entity::Refunds => "refunds",
        }
    }
}

/// What one import did, per kind of row.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct MergeReport {
    pub entities: Vec<(Entity, EntityCounts)>,
}

impl MergeReport {
    pub fn get(&self, entity: Entity) -> Option<EntityCounts> {
        self.entities
            .iter()
            .find(|(e, _)| *e == entity)
            .map(|(_, c)| *c)
    }
}

/// One shop's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShopSummary {
    pub shop: Shop,
    /// First and last order day in the shop's time zone.
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    pub orders: u64,
    pub order_lines: u64,
    pub products: u64,
    pub customers: u64,
    /// 支付金额: what buyers paid on orders that were paid (refunds not subtracted).
    pub paid_amount: Money,
    /// The part of `paid_amount` paid by identified buyers (orders with a buyer id).
    pub paid_amount_identified: Money,
    pub refund_amount: Money,
    pub product_days: u64,
    pub source_days: u64,
    /// Refund and after-sale cases imported from refund exports.
    pub refunds: u64,
}

/// The data-quality checks run after each import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityKind {
    PaidBeforeCreated,
    LinesDoNotAddUp,
    DuplicateLines,
    NegativeQuantity,
    OrdersWithoutLines,
}

impl QualityKind {
    pub fn describe(&self) -> &'static str {
        match self {
            QualityKind::PaidBeforeCreated => "orders paid before they were created",
            QualityKind::LinesDoNotAddUp => {
                "orders whose lines do not add up to the order's goods amount"
            }
            QualityKind::DuplicateLines => {
                "order lines that repeat another line of the same order exactly"
            }
            QualityKind::NegativeQuantity => {
                "order lines with a negative quantity in an order that is not closed or refunded"
            }
            QualityKind::OrdersWithoutLines => "orders with no lines",
        }
    }
}

/// One data-quality warning: how many, and a few examples (order numbers).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityFinding {
    pub kind: QualityKind,
    pub message: &'static str,
    pub count: u64,
    pub examples: Vec<String>,
}

/// One imported file, as the import history lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImportRecord {
    pub import_id: i64,
    pub file_name: String,
    pub format: String,
    /// UTC.
    pub imported_at: chrono::NaiveDateTime,
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
}

/// One product on one shop-local day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductDay {
    pub day: NaiveDate,
    /// 访客数 from the product reports; `None` when no report covers the day.
    pub visitors: Option<i64>,
    /// Paid amount of the product's lines, in minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub paid_amount: i64,
    /// Buyers who paid for the product that day.
    pub buyers: i64,
    pub units: i64,
}

/// One buyer's paid orders up to a day: the raw material of RFM and the repeat-buying
/// models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerHistory {
    /// The platform's buyer id.
    pub buyer: String,
    /// First and last paid order, shop-local time.
    pub first_paid: chrono::NaiveDateTime,
    pub last_paid: chrono::NaiveDateTime,
    pub orders: i64,
    /// Distinct shop-local days with a paid order.
    pub paid_days: i64,
    /// What the buyer paid, in minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub amount: i64,
    /// What their first paid order came to (the spend models read repeat orders only).
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub first_amount: i64,
}

/// Buyers of one first-purchase month who bought again `month` months later, and what they
/// paid then.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortCell {
    /// The month of the first paid order, `YYYY-MM`, shop-local.
    pub cohort: String,
    /// Months after the first purchase's month (0: the month itself).
    pub month: i64,
    pub buyers: i64,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub amount: i64,
}

/// A group's repeat purchase within 30 and 90 days of the first order, counted only for
/// buyers whose window had ended by the day asked for. The group is the first order's
/// month (a cohort), or a category or product the first order held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CohortRepeat {
    pub group: String,
    pub eligible_30: i64,
    pub repeated_30: i64,
    pub eligible_90: i64,
    pub repeated_90: i64,
}

/// What a first paid order is grouped by for its repeat purchase rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstOrderBy {
    /// Each category in the first order counts the buyer once.
    Category,
    /// Each product in the first order counts the buyer once.
    Product,
}

/// What the segment filters read of a buyer beyond their orders' times and amounts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CustomerProfile {
    pub buyer: String,
    /// The region of their latest paid order.
    pub region: Option<String>,
    /// Categories of the products in their paid orders, sorted.
    pub categories: Vec<String>,
}

/// A saved member segment: a named filter of a shop.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SavedSegment {
    pub name: String,
    /// The filter as JSON (its shape belongs to the analytics crate).
    pub filter: String,
    pub saved_by: Option<String>,
    pub saved_at: chrono::NaiveDateTime,
}
