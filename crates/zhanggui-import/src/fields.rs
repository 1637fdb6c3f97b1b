//! The canonical fields a column can be bound to, by presets and by column mappings alike.

use std::fmt;
use std::str::FromStr;

/// What kind of rows a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// One row per order (订单报表).
    Orders,
    /// One row per order line (宝贝报表, Shopify, flat order-line files).
    OrderLines,
    /// One row per product per day.
    ProductDays,
    /// One row per traffic source per day (peer benchmarks may stand among them).
    SourceDays,
    /// One row per refund or after-sale case (退款报表, 售后单).
    Refunds,
}

impl RowKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            RowKind::Orders => "orders",
            RowKind::OrderLines => "order_lines",
            RowKind::ProductDays => "product_days",
            RowKind::SourceDays => "source_days",
            RowKind::Refunds => "refunds",
        }
    }
}

macro_rules! fields {
    ($($variant:ident => $name:literal : $doc:literal,)*) => {
        /// A canonical field.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Field { $($variant,)* }

        impl Field {
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// The field's name in mapping files.
            pub fn as_str(&self) -> &'static str {
                match self { $(Field::$variant => $name,)* }
            }

            /// What the field means, for mapping skeletons and docs.
            pub fn doc(&self) -> &'static str {
                match self { $(Field::$variant => $doc,)* }
            }
        }
    };
}

fields! {
    OrderNo => "order_no": "order number (订单编号, Name, InvoiceNo)",
    LineKey => "line_key": "line id within the order (子订单编号); lines are numbered in file order when absent",
    State => "state": "order state word (订单状态: 交易成功, 交易关闭, paid, ...)",
    FinancialStatus => "financial_status": "Shopify-style payment status (paid, refunded, pending, voided ...)",
    FulfillmentStatus => "fulfillment_status": "Shopify-style fulfillment status (fulfilled, unfulfilled ...)",
    CreatedAt => "created_at": "when the order was created (订单创建时间)",
    PaidAt => "paid_at": "when it was paid (订单付款时间)",
    ShippedAt => "shipped_at": "when it was shipped (发货时间)",
    CompletedAt => "completed_at": "when it was completed (交易成功时间)",
    ClosedAt => "closed_at": "when it was closed or cancelled",
    Buyer => "buyer": "buyer id or nickname (买家会员名, Email, CustomerID)",
    Region => "region": "region or country (省份, Country)",
    Address => "address": "shipping address; its first word is taken as the region",
    Channel => "channel": "channel or device (是否手机订单, Source)",
    BuyerMessage => "buyer_message": "buyer's message (买家留言)",
    SellerNote => "seller_note": "seller's note (订单备注)",
    TrackingNo => "tracking_no": "tracking number (物流单号)",
    Carrier => "carrier": "carrier (物流公司)",
    CloseReason => "close_reason": "why the order was closed (订单关闭原因)",
    GoodsAmount => "goods_amount": "what the goods cost the buyer before shipping (买家应付货款, Subtotal)",
    DiscountAmount => "discount_amount": "order discount (Discount Amount)",
    PaidAmount => "paid_amount": "what the buyer paid in all (买家实际支付金额, Total, 支付金额)",
    ShippingFee => "shipping_fee": "shipping fee (买家应付邮费, Shipping)",
    RefundAmount => "refund_amount": "refunded amount (退款金额, Refunded Amount)",
    ItemCount => "item_count": "number of items in the order (宝贝总数量)",
    ProductCode => "product_code": "product code (商家编码, StockCode, 商品ID)",
    SkuCode => "sku_code": "SKU code (外部系统编号, Lineitem sku)",
    Title => "title": "product title (标题, Description, 商品名称)",
    Category => "category": "product category (所属类目, 类目); segments and repeat rates read it",
    SkuProperties => "sku_properties": "SKU properties (商品属性, 套餐信息)",
    Quantity => "quantity": "units on the line (购买数量, Quantity)",
    UnitPrice => "unit_price": "list price of one unit (价格, UnitPrice)",
    LineDiscount => "line_discount": "discount on the line (Lineitem discount)",
    LinePaidAmount => "line_paid_amount": "what the buyer paid for the line; quantity x unit price - discount when absent",
    LineRefundAmount => "line_refund_amount": "refunded on the line (退款金额 in a line report)",
    RefundStatus => "refund_status": "refund status of the line (退款状态)",
    Day => "day": "the day a report row is about (日期, 统计日期)",
    Visitors => "visitors": "visitors (访客数, 商品访客数)",
    PageViews => "page_views": "page views (浏览量)",
    Favourites => "favourites": "favourites (收藏人数, 商品收藏数)",
    AddToCart => "add_to_cart": "add-to-cart (加购人数, 加购件数)",
    OrderBuyers => "order_buyers": "buyers who placed an order (下单买家数)",
    Buyers => "buyers": "paying buyers (支付买家数, 成交客户数)",
    PaidUnits => "paid_units": "paid units (支付件数, 成团件数)",
    PaidOrders => "paid_orders": "paid orders (支付订单数, 成团订单数)",
    Source => "source": "traffic source (流量来源); rows named 同行同层平均/优秀 are peer benchmarks",
    PayConversion => "pay_conversion": "payment conversion rate (支付转化率); read for peer benchmarks",
    UvValue => "uv_value": "value per visitor (UV价值); read for peer benchmarks",
    RefundNo => "refund_no": "refund or after-sale case number (退款编号, 售后单号)",
    RefundRequestedAt => "refund_requested_at": "when the refund was asked for (退款的申请时间, 申请时间)",
    RefundCompletedAt => "refund_completed_at": "when the refund was settled (完结时间, 退款完结时间)",
    RefundReason => "refund_reason": "why the buyer asked (买家退款原因, 售后原因)",
    GoodsReturned => "goods_returned": "whether the goods came back (是否需要退货: 是/否)",
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Field {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Field::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not a field zhanggui knows"))
    }
}
