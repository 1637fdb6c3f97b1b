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

/// JD (京东商家后台) order export: one row per product of an order, the order's fields
/// repeated on each (docs/formats.md says which columns are known and what is assumed).
pub const JD_ORDERS: Preset = Preset {
    id: "jd-orders",
    title: "JD 京东商家后台 订单导出",
    kind: RowKind::OrderLines,
    columns: &[
        (OrderNo, &["订单号", "订单编号"]),
        (ProductCode, &["货号", "商家SKUID", "商品ID", "商品编号"]),
        (Title, &["商品名称"]),
        (Quantity, &["订购数量", "商品数量"]),
        (UnitPrice, &["京东价"]),
        (CreatedAt, &["下单时间"]),
        (PaidAt, &["付款确认时间", "付款时间"]),
        (CompletedAt, &["订单完成时间"]),
        (State, &["订单状态"]),
        (Buyer, &["下单帐号", "下单账号"]),
        (Address, &["客户地址"]),
        (BuyerMessage, &["订单备注"]),
        (SellerNote, &["商家备注"]),
        (ShippingFee, &["运费金额"]),
        (GoodsAmount, &["订单金额"]),
        (PaidAmount, &["应付金额"]),
        (Channel, &["订单渠道", "订单来源"]),
    ],
    required: &[OrderNo, Title, Quantity, UnitPrice, CreatedAt, State],
};

/// Pinduoduo (拼多多商家后台) order export: one row per order, and a Pinduoduo order holds
/// one SKU, so each row is also the order's one line.
pub const PDD_ORDERS: Preset = Preset {
    id: "pdd-orders",
    title: "Pinduoduo 拼多多商家后台 订单导出",
    kind: RowKind::OrderLines,
    columns: &[
        (OrderNo, &["订单号"]),
        (Title, &["商品"]),
        (State, &["订单状态"]),
        (GoodsAmount, &["商品总价(元)"]),
        (DiscountAmount, &["店铺优惠折扣(元)"]),
        (ShippingFee, &["邮费(元)"]),
        (PaidAmount, &["用户实付金额(元)"]),
        (LinePaidAmount, &["用户实付金额(元)"]),
        (Quantity, &["商品数量(件)"]),
        (Region, &["省", "省份"]),
        // The versions described publicly carry no creation time: the payment time stands
        // in for it.
        (CreatedAt, &["订单创建时间", "订单成交时间", "支付时间"]),
        (PaidAt, &["支付时间"]),
        (ShippedAt, &["发货时间"]),
        (CompletedAt, &["确认收货时间"]),
        (ProductCode, &["商家编码-商品维度", "商品id", "商品ID"]),
        (SkuCode, &["商家编码-SKU维度", "样式ID"]),
        (SkuProperties, &["商品规格", "样式"]),
        (SellerNote, &["商家备注"]),
        (BuyerMessage, &["买家留言"]),
        (TrackingNo, &["快递单号"]),
        (Carrier, &["快递公司"]),
        (RefundStatus, &["售后状态"]),
    ],
    required: &[OrderNo, Title, State, Quantity, PaidAmount, CreatedAt],
};

/// Douyin (抖店) order export: one row per sub-order (子订单), the order's fields on each.
pub const DOUYIN_ORDERS: Preset = Preset {
    id: "douyin-orders",
    title: "Douyin 抖店 订单导出",
    kind: RowKind::OrderLines,
    columns: &[
        (OrderNo, &["主订单编号"]),
        (LineKey, &["子订单编号"]),
        (Title, &["选购商品"]),
        (SkuProperties, &["商品规格"]),
        (Quantity, &["商品数量"]),
        (ProductCode, &["商家编码", "货号", "商品ID"]),
        (UnitPrice, &["商品单价", "商品金额"]),
        // What the buyer pays for the sub-order; the order's total is then the sum of its
        // lines, as for a line report without an order report.
        (LinePaidAmount, &["订单应付金额"]),
        (CreatedAt, &["订单提交时间"]),
        (PaidAt, &["支付完成时间"]),
        (CompletedAt, &["订单完成时间"]),
        (State, &["订单状态"]),
        (CloseReason, &["取消原因"]),
        (RefundStatus, &["售后状态"]),
        (BuyerMessage, &["买家留言"]),
        (SellerNote, &["商家备注"]),
        (Region, &["省"]),
        (Channel, &["流量来源", "流量渠道"]),
    ],
    required: &[OrderNo, Title, Quantity, CreatedAt, State],
};

/// Taobao/Tmall 退款报表 (卖家中心 → 退款管理 → 导出): one row per refund.
pub const TAOBAO_REFUNDS: Preset = Preset {
    id: "taobao-refunds",
    title: "Taobao/Tmall 退款报表",
    kind: RowKind::Refunds,
    columns: &[
        (RefundNo, &["退款编号"]),
        (OrderNo, &["订单编号"]),
        (ProductCode, &["商家编码"]),
        (Title, &["宝贝标题"]),
        (RefundAmount, &["买家退款金额", "退款金额"]),
        (RefundStatus, &["退款状态"]),
        (RefundReason, &["买家退款原因", "退款原因"]),
        (RefundRequestedAt, &["退款的申请时间", "申请时间"]),
        (RefundCompletedAt, &["完结时间"]),
        (GoodsReturned, &["是否需要退货"]),
    ],
    required: &[RefundNo, OrderNo, RefundAmount],
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
pub const PRESETS: [&Preset; 9] = [
    &TAOBAO_ORDERS,
    &TAOBAO_LINES,
    &SHOPIFY_ORDERS,
    &JD_ORDERS,
    &PDD_ORDERS,
    &DOUYIN_ORDERS,
    &TAOBAO_REFUNDS,
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
    fn each_platform_export_finds_its_own_preset() {
        let jd = header(&[
            "订单号",
            "商品ID",
            "商品名称",
            "订购数量",
            "支付方式",
            "下单时间",
            "京东价",
            "订单金额",
            "结算金额",
            "余额支付",
            "应付金额",
            "订单状态",
            "订单类型",
            "下单帐号",
        ]);
        let pdd = header(&[
            "商品",
            "订单号",
            "订单状态",
            "商品总价(元)",
            "店铺优惠折扣(元)",
            "平台优惠折扣(元)",
            "邮费(元)",
            "用户实付金额(元)",
            "商家实收金额(元)",
            "商品数量(件)",
            "支付时间",
            "发货时间",
            "商品id",
            "商家编码-SKU维度",
            "售后状态",
        ]);
        let douyin = header(&[
            "主订单编号",
            "子订单编号",
            "选购商品",
            "商品规格",
            "商品数量",
            "商品ID",
            "商家编码",
            "商品金额",
            "订单应付金额",
            "订单提交时间",
            "支付完成时间",
            "订单状态",
            "售后状态",
        ]);
        assert_eq!(detect(&jd).map(|p| p.id), Some("jd-orders"));
        assert_eq!(detect(&pdd).map(|p| p.id), Some("pdd-orders"));
        assert_eq!(detect(&douyin).map(|p| p.id), Some("douyin-orders"));
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
