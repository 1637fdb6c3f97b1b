//! Normalised records: what every importer produces, whatever the file looked like.
//!
//! Times are UTC. Amounts are integer minor units of the shop's currency. A field an export
//! does not carry is `None`, never a made-up zero, so that a later export that does carry it
//! can fill it in.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use crate::{BuyerId, LineKey, OrderNo, OrderState, ProductCode, RefundNo};

/// One order, as far as the file knows it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderRecord {
    pub order_no: Option<OrderNo>,
    pub state: Option<OrderState>,
    pub created_at: Option<NaiveDateTime>,
    pub paid_at: Option<NaiveDateTime>,
    pub shipped_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub buyer: Option<BuyerId>,
    pub region: Option<String>,
    pub channel: Option<String>,
    pub buyer_message: Option<String>,
    pub seller_note: Option<String>,
    pub tracking_no: Option<String>,
    pub carrier: Option<String>,
    pub close_reason: Option<String>,
    /// What the goods cost the buyer, before shipping (买家应付货款, Subtotal).
    pub goods_amount: Option<i64>,
    pub discount_amount: Option<i64>,
    /// What the buyer paid in all, shipping included (买家实际支付金额, Total).
    pub paid_amount: Option<i64>,
    pub shipping_fee: Option<i64>,
    pub refund_amount: Option<i64>,
    pub item_count: Option<i64>,
}

impl OrderRecord {
    /// Takes the fields `newer` has (the same order seen again, later in the file), keeping
    /// this record's values where `newer` has none.
    pub fn take_from(&mut self, newer: &OrderRecord) {
        macro_rules! take {
            ($($f:ident),*) => {$(
                if newer.$f.is_some() && newer.$f != self.$f {
                    self.$f.clone_from(&newer.$f);
                }
            )*};
        }
        take!(
            order_no,
            state,
            created_at,
            paid_at,
            shipped_at,
            completed_at,
            closed_at,
            buyer,
            region,
            channel,
            buyer_message,
            seller_note,
            tracking_no,
            carrier,
            close_reason,
            goods_amount,
            discount_amount,
            paid_amount,
            shipping_fee,
            refund_amount,
            item_count
        );
    }
}

/// One line of an order (子订单, line item).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineRecord {
    pub order_no: Option<OrderNo>,
    /// `None` when the export has no line id: the store numbers the order's lines in file order.
    pub line_key: Option<LineKey>,
    pub product_code: Option<ProductCode>,
    pub sku_code: Option<ProductCode>,
    pub title: Option<String>,
    /// The product's category (类目), when the file names it.
    pub category: Option<String>,
    pub sku_properties: Option<String>,
    pub quantity: i64,
    /// List price of one unit.
    pub unit_price: Option<i64>,
    pub discount_amount: Option<i64>,
    /// What the buyer paid for this line, shipping excluded.
    pub paid_amount: Option<i64>,
    pub refund_amount: Option<i64>,
    pub refund_status: Option<String>,
    pub state: Option<OrderState>,
}

/// One product on one day, from a business-advisor report (生意参谋 / 京东商智 / 拼多多后台).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductDayRecord {
    pub product_code: Option<ProductCode>,
    pub day: Option<NaiveDate>,
    pub title: Option<String>,
    /// The product's category (类目), when the report names it.
    pub category: Option<String>,
    pub visitors: Option<i64>,
    pub page_views: Option<i64>,
    pub favourites: Option<i64>,
    pub add_to_cart: Option<i64>,
    pub order_buyers: Option<i64>,
    pub buyers: Option<i64>,
    pub paid_units: Option<i64>,
    pub paid_amount: Option<i64>,
    pub paid_orders: Option<i64>,
}

/// One traffic source on one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceDayRecord {
    pub source: Option<String>,
    pub day: Option<NaiveDate>,
    pub visitors: Option<i64>,
    pub page_views: Option<i64>,
    pub order_buyers: Option<i64>,
    pub buyers: Option<i64>,
    pub paid_amount: Option<i64>,
    pub paid_orders: Option<i64>,
}

/// A peer benchmark (同行同层平均 / 优秀) for one metric on one day.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BenchmarkRecord {
    /// The metric's id, e.g. `visitors`, `pay_conversion`, `uv_value`.
    pub metric: String,
    pub day: Option<NaiveDate>,
    pub peer_average: Option<Decimal>,
    pub peer_excellent: Option<Decimal>,
}

/// One refund or after-sale case (退款 / 售后) from a refund export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RefundRecord {
    /// The platform's refund number (退款编号).
    pub refund_no: Option<RefundNo>,
    pub order_no: Option<OrderNo>,
    pub product_code: Option<ProductCode>,
    pub title: Option<String>,
    /// What is refunded to the buyer, in minor units.
    pub amount: Option<i64>,
    /// The platform's status words (退款成功, 退款关闭, ...), as exported.
    pub status: Option<String>,
    pub reason: Option<String>,
    pub requested_at: Option<NaiveDateTime>,
    pub completed_at: Option<NaiveDateTime>,
    /// Whether the goods came back.
    pub goods_returned: Option<bool>,
}

/// Any normalised record.
///
/// Records travel by the thousand between the reading and the staging thread; every
/// variant is boxed so that what moves is a pointer, not a few hundred bytes per row.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Order(Box<OrderRecord>),
    Line(Box<LineRecord>, Box<OrderRecord>),
    ProductDay(Box<ProductDayRecord>),
    SourceDay(Box<SourceDayRecord>),
    Benchmark(Box<BenchmarkRecord>),
    Refund(Box<RefundRecord>),
}

impl Record {
    /// An order seen on its own (a row of an order report).
    pub fn order(order: OrderRecord) -> Record {
        Record::Order(Box::new(order))
    }

    /// An order line and what its row says about the order.
    pub fn line(line: LineRecord, order: OrderRecord) -> Record {
        Record::Line(Box::new(line), Box::new(order))
    }
}
