//! Format presets: the platform exports zhanggui recognises from their header alone.
//!
//! Each preset lists, per field, the column names seen in that platform's exports (see
//! `docs/formats.md`), and which fields it needs. A file is given to the preset that needs
//! nothing missing and binds the most columns; `--format ID` names one outright.

use crate::binding::Binding;
use crate::fields::{Field, RowKind};
use crate::read::Header;

/// A platform export zhanggui reads without a mapping.
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub kind: RowKind,
    pub columns: &'static [(Field, &'static [&'static str])],
    pub required: &'static [Field],
}

use Field::*;

/// Taobao/Tmall 订单报表: one row per order.
pub const TAOBAO_ORDERS: Preset = Preset {
    id: "taobao-orders",
    title: "Taobao/Tmall 订单报表 (ExportOrderList*.csv)",
    kind: RowKind::Orders,
    columns: &[
        (OrderNo, &["订单编号"]),
        (Buyer, &["买家会员名", "买家昵称"]),
        (GoodsAmount, &["买家应付货款"]),
        (ShippingFee, &["买家应付邮费"]),
        (PaidAmount, &["买家实际支付金额"]),
        (State, &["订单状态"]),
        (BuyerMessage, &["买家留言"]),
        (Address, &["收货地址", "收货地址 "]),
        (CreatedAt, &["订单创建时间"]),
        (PaidAt, &["订单付款时间", "订单付款时间 "]),
        (ShippedAt, &["发货时间", "卖家发货时间"]),
        (
            CompletedAt,
            &["确认收货时间", "交易成功时间", "交易完成时间"],
        ),
        (ClosedAt, &["订单关闭时间", "交易关闭时间"]),
        (TrackingNo, &["物流单号", "物流单号 "]),
        (Carrier, &["物流公司"]),
        (SellerNote, &["订单备注"]),
        (ItemCount, &["宝贝总数量"]),
        (CloseReason, &["订单关闭原因"]),
        (Channel, &["是否手机订单"]),
        (RefundAmount, &["退款金额"]),
    ],
    required: &[OrderNo, State, CreatedAt, PaidAmount, Buyer],
};

/// Taobao/Tmall 宝贝报表: one row per order line (子订单).
pub const TAOBAO_LINES: Preset = Preset {
    id: "taobao-lines",
    title: "Taobao/Tmall 宝贝报表 (ExportOrderDetailList*.csv)",
    kind: RowKind::OrderLines,
    columns: &[
        (OrderNo, &["主订单编号", "订单编号"]),
        (LineKey, &["子订单编号"]),
        (Title, &["标题", "宝贝标题"]),
        (UnitPrice, &["价格", "单价"]),
        (Quantity, &["购买数量"]),
        (SkuCode, &["外部系统编号"]),
        (SkuProperties, &["商品属性", "套餐信息"]),
        (SellerNote, &["备注"]),
        (State, &["订单状态"]),
        (ProductCode, &["商家编码"]),
        (LinePaidAmount, &["买家实际支付金额"]),
        (RefundStatus, &["退款状态"]),
        (LineRefundAmount, &["退款金额"]),
        (CreatedAt, &["订单创建时间"]),
        (PaidAt, &["订单付款时间"]),
    ],
    required: &[OrderNo, Title, UnitPrice, Quantity],
};

/// Shopify's orders export: one row per line item, order fields on the first line.
pub const SHOPIFY_ORDERS: Preset = Preset {
    id: "shopify-orders",
    title: "Shopify orders export (orders_export.csv)",
    kind: RowKind::OrderLines,
    columns: &[
        (OrderNo, &["Name"]),
        (Buyer, &["Email"]),
        (FinancialStatus, &["Financial Status"]),
        (PaidAt, &["Paid at"]),
        (FulfillmentStatus, &["Fulfillment Status"]),
        (ShippedAt, &["Fulfilled at"]),
        (GoodsAmount, &["Subtotal"]),
        (ShippingFee, &["Shipping"]),
        (PaidAmount, &["Total"]),
        (DiscountAmount, &["Discount Amount"]),
        (Carrier, &["Shipping Method"]),
        (CreatedAt, &["Created at"]),
        (Quantity, &["Lineitem quantity"]),
        (Title, &["Lineitem name"]),
        (UnitPrice, &["Lineitem price"]),
        (SkuCode, &["Lineitem sku"]),
        (LineDiscount, &["Lineitem discount"]),
        (Region, &["Shipping Country", "Billing Country"]),
        (BuyerMessage, &["Notes"]),
        (ClosedAt, &["Cancelled at"]),
        (RefundAmount, &["Refunded Amount"]),
        (Channel, &["Source"]),
    ],
    required: &[OrderNo, CreatedAt, Quantity, Title, UnitPrice],
};

/// Business-advisor product-per-day reports (生意参谋, 京东商智, 拼多多后台).
pub const PRODUCT_DAYS: Preset = Preset {
    id: "product-days",
    title: "Product per day report (生意参谋 / 京东商智 / 拼多多 商品数据)",
    kind: RowKind::ProductDays,
    columns: &[
        (
            ProductCode,
            &[
                "商家编码",
                "商品ID",
                "商品id",
                "商品编号",
                "商品编码",
                "SKU",
                "货号",
            ],
        ),
        (Title, &["商品名称", "商品标题"]),
        (Category, &["所属类目", "叶子类目", "类目", "商品类目"]),
        (Day, &["日期", "统计日期", "时间"]),
        (Visitors, &["商品访客数", "访客数"]),
        (PageViews, &["商品浏览量", "浏览量"]),
        (
            Favourites,
            &["商品收藏数", "收藏人数", "商品收藏人数", "收藏买家数"],
        ),
        (
            AddToCart,
            &["加购人数", "加购件数", "商品加购人数", "商品加购件数"],
        ),
        (OrderBuyers, &["下单买家数"]),
        (Buyers, &["支付买家数", "成交客户数", "成交买家数"]),
        (PaidUnits, &["支付件数", "成交商品件数", "成团件数"]),
        (PaidAmount, &["支付金额", "成交金额"]),
        (PaidOrders, &["支付订单数", "成交单量", "成团订单数"]),
    ],
    required: &[ProductCode, Day, Visitors],
};

/// Business-advisor traffic-source-per-day reports; peer benchmark rows among them.
pub const SOURCE_DAYS: Preset = Preset {
    id: "source-days",
    title: "Traffic source per day report (生意参谋 流量来源)",
    kind: RowKind::SourceDays,
    columns: &[
        (Source, &["流量来源", "来源名称", "来源"]),
        (Day, &["日期", "统计日期", "时间"]),
        (Visitors, &["访客数"]),
        (PageViews, &["浏览量"]),
        (OrderBuyers, &["下单买家数"]),
        (Buyers, &["支付买家数"]),
        (PaidAmount, &["支付金额"]),
        (PaidOrders, &["支付订单数"]),
        (PayConversion, &["支付转化率"]),
        (UvValue, &["UV价值"]),
    ],
    required: &[Source, Day, Visitors],
};

/// Every preset, in the order they are tried.
pub const PRESETS: [&Preset; 5] = [
    &TAOBAO_ORDERS,
    &TAOBAO_LINES,
    &SHOPIFY_ORDERS,
    &PRODUCT_DAYS,
    &SOURCE_DAYS,
];

impl Preset {
    /// The columns of `header` this preset binds, and the required fields it lacks.
    pub fn match_header(&self, header: &Header) -> (Vec<(Field, usize)>, Vec<Field>) {
        let bound: Vec<(Field, usize)> = self
            .columns
            .iter()
            .filter_map(|(field, names)| header.find(names).map(|col| (*field, col)))
            .collect();
        let missing = self
            .required
            .iter()
            .copied()
            .filter(|f| !bound.iter().any(|(b, _)| b == f))
            .collect();
        (bound, missing)
    }

    /// Binds this preset to a header, or says which columns it lacks.
    pub fn bind(&self, header: &Header) -> Result<Binding, Vec<Field>> {
        let (bound, missing) = self.match_header(header);
        if !missing.is_empty() {
            return Err(missing);
        }
        Ok(Binding::new(self.id.to_owned(), self.kind, header, &bound))
    }

    /// The column names this preset expects for a field, for messages.
    pub fn names_for(&self, field: Field) -> &'static [&'static str] {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(&[], |(_, names)| names)
    }
}

/// Finds a preset by id.
pub fn by_id(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().copied().find(|p| p.id == id)
}

/// The preset that fits `header` best: nothing required missing, most columns bound.
pub fn detect(header: &Header) -> Option<&'static Preset> {
    PRESETS
        .iter()
        .copied()
        .filter_map(|p| {
            let (bound, missing) = p.match_header(header);
            missing.is_empty().then_some((p, bound.len()))
        })
        .max_by_key(|(_, n)| *n)
        .map(|(p, _)| p)
}

/// What each preset would need that this header lacks, closest first: the message for a file
/// no preset recognises.
pub fn explain_mismatch(header: &Header) -> String {
    let mut lines: Vec<(usize, String)> = PRESETS
        .iter()
        .map(|p| {
            let (_, missing) = p.match_header(header);
            let wanted: Vec<String> = missing
                .iter()
                .map(|f| p.names_for(*f).join(" or "))
                .collect();
            (
                missing.len(),
                format!("  {} ({}): missing {}", p.id, p.title, wanted.join(", ")),
            )
        })
        .collect();
    lines.sort_by_key(|(n, _)| *n);
    lines
        .into_iter()
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Header {
        Header::new(names.iter().map(|s| s.to_string()).collect(), 1)
    }

    #[test]
    fn the_two_taobao_reports_are_told_apart() {
        let orders = header(&[
            "订单编号",
            "买家会员名",
            "买家应付货款",
            "买家实际支付金额",
            "订单状态",
            "订单创建时间",
        ]);
        let lines = header(&[
            "订单编号",
            "标题",
            "价格",
            "购买数量",
            "外部系统编号",
            "订单状态",
        ]);
        assert_eq!(detect(&orders).map(|p| p.id), Some("taobao-orders"));
        assert_eq!(detect(&lines).map(|p| p.id), Some("taobao-lines"));
    }

    #[test]
    fn an_unknown_header_is_explained() {
        let h = header(&["foo", "bar"]);
        assert!(detect(&h).is_none());
        let message = explain_mismatch(&h);
        assert!(message.contains("taobao-orders"), "{message}");
        assert!(message.contains("订单编号"), "{message}");
    }
}
