//! Cost prices, bills, expense rules and ad spend, and what products earned against them:
//! the storage seam of the profit module.
//!
//! A cost price (and an expense rule) holds from its day on, until the next one: a price
//! change never rewrites what earlier sales cost.

use chrono::{NaiveDate, NaiveDateTime};
use zhanggui_domain::{OrderNo, ProductCode, Shop};

use crate::{DayRange, StoreError};

/// The cost of one unit of a product (or SKU code) from a day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostPrice {
    pub product_code: ProductCode,
    pub valid_from: NaiveDate,
    /// In minor units of the shop's currency.
    pub unit_cost: i64,
    /// What one unit weighs, when the sheet says (for shipping priced by weight); kept per
    /// code, the latest sheet's weight standing.
    pub weight_grams: Option<i64>,
}

/// What saving a cost sheet did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct CostsSaved {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
}

/// What a bill line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BillKind {
    /// Money from a sale (交易收入, 货款).
    Sales,
    /// Money paid back to a buyer (交易退款).
    Refund,
    /// The platform's commission (佣金, 技术服务费).
    Commission,
    /// An affiliate's commission (淘宝客佣金, 联盟佣金).
    Affiliate,
    /// Payment processing (支付手续费, 花呗/信用卡服务费).
    Payment,
    /// Return-shipping insurance (运费险).
    ShippingInsurance,
    /// Deductions and penalties (扣款, 罚款, 赔付).
    Deduction,
    /// Money moved, not earned or spent (提现, 转账, 充值).
    Transfer,
    /// Anything else the bill lists.
    Other,
}

impl BillKind {
    pub const ALL: [BillKind; 9] = [
        BillKind::Sales,
        BillKind::Refund,
        BillKind::Commission,
        BillKind::Affiliate,
        BillKind::Payment,
        BillKind::ShippingInsurance,
        BillKind::Deduction,
        BillKind::Transfer,
        BillKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BillKind::Sales => "sales",
            BillKind::Refund => "refund",
            BillKind::Commission => "commission",
            BillKind::Affiliate => "affiliate",
            BillKind::Payment => "payment",
            BillKind::ShippingInsurance => "shipping_insurance",
            BillKind::Deduction => "deduction",
            BillKind::Transfer => "transfer",
            BillKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<BillKind> {
        BillKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the line is a cost of selling (a platform fee) in the profit model: the
    /// sale and refund lines are the order's own money, transfers are no one's cost.
    pub fn is_fee(self) -> bool {
        !matches!(
            self,
            BillKind::Sales | BillKind::Refund | BillKind::Transfer
        )
    }
}

/// One line of a platform bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillLine {
    /// The bill's own line number (账务流水号), or a key made from the line's content.
    pub line_key: String,
    /// The order the line is about, when the bill names one.
    pub order_no: Option<OrderNo>,
    pub kind: BillKind,
    /// Signed as the bill books it: money in positive, money out negative.
    pub amount: i64,
    pub occurred_at: NaiveDateTime,
    pub business_type: Option<String>,
    pub note: Option<String>,
}

/// Where an expense rule's cost lands in the profit model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseCategory {
    Shipping,
    /// Packaging and gifts.
    Packaging,
    /// An estimated fee rate for orders that no bill covers.
    PlatformFees,
    /// Rent, salaries, software: the costs of running the shop.
    Fixed,
}

impl ExpenseCategory {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpenseCategory::Shipping => "shipping",
            ExpenseCategory::Packaging => "packaging",
            ExpenseCategory::PlatformFees => "platform_fees",
            ExpenseCategory::Fixed => "fixed",
        }
    }

    pub fn parse(s: &str) -> Option<ExpenseCategory> {
        [
            ExpenseCategory::Shipping,
            ExpenseCategory::Packaging,
            ExpenseCategory::PlatformFees,
            ExpenseCategory::Fixed,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }
}

/// What an expense rule's amount is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseBasis {
    PerOrder,
    PerUnit,
    PerMonth,
    /// A rate of net sales.
    ShareOfSales,
    /// Per order by its weight: the first kilogram (首重) and each further one (续重).
    PerWeight,
}

impl ExpenseBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpenseBasis::PerOrder => "per_order",
            ExpenseBasis::PerUnit => "per_unit",
            ExpenseBasis::PerMonth => "per_month",
            ExpenseBasis::ShareOfSales => "share_of_sales",
            ExpenseBasis::PerWeight => "per_weight",
        }
    }

    pub fn parse(s: &str) -> Option<ExpenseBasis> {
        [
            ExpenseBasis::PerOrder,
            ExpenseBasis::PerUnit,
            ExpenseBasis::PerMonth,
            ExpenseBasis::ShareOfSales,
            ExpenseBasis::PerWeight,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// A cost rule from an expense sheet, holding from a day until the next rule of the same
/// name and scope.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpenseRule {
    pub name: String,
    pub category: ExpenseCategory,
    pub basis: ExpenseBasis,
    /// Per order, unit or month, in minor units (`None` for a share of sales); per weight,
    /// the first kilogram.
    pub amount: Option<i64>,
    /// Per weight: each kilogram or part of one beyond the first (`None` otherwise).
    pub extra_amount: Option<i64>,
    /// The share of net sales (`None` unless the basis is a share of sales).
    pub rate: Option<f64>,
    /// Only for this product's units (packaging per unit).
    pub product_code: Option<ProductCode>,
    /// Only for orders shipped to this region (shipping per order or by weight).
    pub region: Option<String>,
    /// Only for parcels of this courier company (shipping per order or by weight).
    pub carrier: Option<String>,
    pub valid_from: NaiveDate,
}

/// Ad spend of one day and channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdSpendDay {
    pub day: NaiveDate,
    /// The channel (or tool) the sheet names, matched to the orders' channel.
    pub channel: Option<String>,
    pub spend: i64,
}

/// What a courier bill charged for one parcel (all its lines in the file added up).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CourierCharge {
    pub tracking_no: String,
    pub carrier: Option<String>,
    /// The day the parcel was sent or billed, when the bill says.
    pub day: Option<NaiveDate>,
    /// The billed weight, when the bill says.
    pub weight_grams: Option<i64>,
    /// In minor units of the shop's currency.
    pub amount: i64,
}

/// What each row of the profit model is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfitBy {
    Order,
    Sku,
    Product,
    Category,
    Day,
    Month,
    Channel,
}

impl ProfitBy {
    pub const ALL: [ProfitBy; 7] = [
        ProfitBy::Order,
        ProfitBy::Sku,
        ProfitBy::Product,
        ProfitBy::Category,
        ProfitBy::Day,
        ProfitBy::Month,
        ProfitBy::Channel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ProfitBy::Order => "order",
            ProfitBy::Sku => "sku",
            ProfitBy::Product => "product",
            ProfitBy::Category => "category",
            ProfitBy::Day => "day",
            ProfitBy::Month => "month",
            ProfitBy::Channel => "channel",
        }
    }

    pub fn parse(s: &str) -> Option<ProfitBy> {
        ProfitBy::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// The costs of one row of the profit model (an order, SKU, product, category, day, month
/// or channel) before rounding: costs shared by several rows (an order's shipping split
/// over its lines, a day's ad spend, a month's rent) are fractions of a minor unit here,
/// rounded by the caller so that the rows add up to the totals. Amounts in minor units.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfitParts {
    pub key: String,
    /// The product's title (products only).
    pub title: Option<String>,
    pub orders: i64,
    pub units: i64,
    pub paid: i64,
    pub refunds: i64,
    /// Cost of goods of the units with a cost price.
    pub cogs: i64,
    pub units_without_cost: i64,
    /// Fees the bills book for the orders (their share, for a row of part of an order).
    pub fees_billed: f64,
    /// Fees estimated at the expense sheet's fee rate for orders no bill covers.
    pub fees_estimated: f64,
    /// Lines of orders that no bill covers and no fee rate estimates.
    pub lines_without_fees: i64,
    pub shipping: f64,
    pub packaging: f64,
    pub ad_spend: f64,
    pub fixed: f64,
}

/// What the profit model could not set against any row of a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Unallocated {
    /// Ad spend on days without sales.
    pub ad_spend: f64,
    /// Fixed costs of months without sales.
    pub fixed: f64,
}

/// What the profit model has to go on for a shop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProfitInputs {
    pub cost_prices: u64,
    pub bill_lines: u64,
    pub shipping_rules: u64,
    /// Shipping rules priced by weight (首重 + 续重), and the products with a weight.
    pub weight_rules: u64,
    pub product_weights: u64,
    pub packaging_rules: u64,
    pub fee_rate_rules: u64,
    pub fixed_rules: u64,
    pub ad_spend_days: u64,
    /// Parcels a courier bill charged.
    pub courier_charges: u64,
    /// When the latest bill line was booked.
    pub last_bill_at: Option<NaiveDateTime>,
}

/// One finding of a bill against the orders.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unsettled {
    pub order_no: String,
    pub paid_at: NaiveDateTime,
    pub paid: i64,
}

/// One fee of an order as its bill books it, against the money the bill settled for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderFee {
    pub order_no: String,
    pub kind: BillKind,
    /// The order's sales lines less its refund lines.
    pub settled: i64,
    /// The order's lines of this kind, as a cost (positive when the platform took money).
    pub fee: i64,
}

/// Cost prices and the sales they are set against.
pub trait CostStore {
    /// Saves cost prices, keyed by product code and first day: a row for a key already
    /// stored replaces its cost.
    fn save_cost_prices(&self, shop: &Shop, prices: &[CostPrice])
        -> Result<CostsSaved, StoreError>;
    /// Every cost price of a shop, by product and day.
    fn cost_prices(&self, shop: &Shop) -> Result<Vec<CostPrice>, StoreError>;
    /// Saves bill lines keyed by line key: a line already stored takes the file's values.
    fn save_bill_lines(&self, shop: &Shop, lines: &[BillLine]) -> Result<CostsSaved, StoreError>;
    /// Saves expense rules keyed by name, product, region and first day.
    fn save_expense_rules(
        &self,
        shop: &Shop,
        rules: &[ExpenseRule],
    ) -> Result<CostsSaved, StoreError>;
    /// Every expense rule of a shop, by name and day.
    fn expense_rules(&self, shop: &Shop) -> Result<Vec<ExpenseRule>, StoreError>;
    /// Saves ad spend keyed by day and channel.
    fn save_ad_spend(&self, shop: &Shop, days: &[AdSpendDay]) -> Result<CostsSaved, StoreError>;
    /// Saves courier charges keyed by tracking number: a parcel already stored takes the
    /// file's amount.
    fn save_courier_charges(
        &self,
        shop: &Shop,
        charges: &[CourierCharge],
    ) -> Result<CostsSaved, StoreError>;
    /// Courier charges whose tracking number no order of the shop carries.
    fn unmatched_courier_charges(&self, shop: &Shop) -> Result<Vec<CourierCharge>, StoreError>;
    /// How many of each input the profit model has for a shop.
    fn profit_inputs(&self, shop: &Shop) -> Result<ProfitInputs, StoreError>;
    /// The profit model's parts per row over a period (paid orders by payment day, shop
    /// local), most net sales first for products, SKUs, categories and channels, in order
    /// for orders, days and months; and what could not be set against any row.
    fn profit_parts(
        &self,
        shop: &Shop,
        range: DayRange,
        by: ProfitBy,
    ) -> Result<(Vec<ProfitParts>, Unallocated), StoreError>;
    /// Bill lines of fee kinds that name no order, or an order the shop does not have.
    fn unmatched_bill_lines(&self, shop: &Shop) -> Result<Vec<BillLine>, StoreError>;
    /// Every order's commission, affiliate and payment fees in the bills booked in the
    /// period, with what the bill settled for the order (orders with a settled amount
    /// above zero), by order and kind.
    fn order_fees(&self, shop: &Shop, range: DayRange) -> Result<Vec<OrderFee>, StoreError>;
    /// Paid orders of the period, not refunded in full (the money of those never reaches
    /// the seller), that no bill line names, paid before `settled_before` (the platform's
    /// settlement delay ago), earliest first.
    fn unsettled_orders(
        &self,
        shop: &Shop,
        range: DayRange,
        settled_before: NaiveDateTime,
    ) -> Result<Vec<Unsettled>, StoreError>;
}
