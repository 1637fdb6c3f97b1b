//! The metric dictionary: every number zhanggui reports, defined once.
//!
//! A metric is a formula over *measures*, the additive or distinct counts a store computes
//! per group (a day, a product, a traffic source, ...). The engine evaluates the formulas;
//! `docs/metrics.md` is rendered from this table, so the documentation and the computation
//! cannot drift apart. A metric whose measures are missing (no traffic report imported, a
//! grouping the data cannot give) is unavailable with the reason, never 0.

use serde::Serialize;

/// What a store counts per group; metrics are formulas over these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Visitors (UV) as the platform's traffic reports count them, summed over days.
    Visitors,
    /// Page views (PV), summed over days.
    PageViews,
    /// Visitors of product pages as the product report counts them, summed over products
    /// and days: the base of the add-to-cart and favourite rates.
    ProductVisitors,
    /// People who added a product to their favourites, summed over days and products.
    Favourites,
    /// People who added a product to the cart, summed over days and products.
    AddToCart,
    /// Distinct buyers who placed an order (paid or not).
    OrderBuyers,
    /// Distinct buyers with a paid order.
    PaidBuyers,
    /// Paid orders.
    PaidOrders,
    /// Units on paid orders.
    PaidUnits,
    /// What buyers paid on paid orders, in minor units; refunds are not subtracted.
    PaidAmount,
    /// Refunds on paid orders, in minor units.
    RefundAmount,
    /// Paid orders with a refund.
    RefundedOrders,
    /// Paid buyers whose first paid order in the shop falls in the period.
    NewBuyers,
    /// Paid buyers who had paid an order in the shop before the period.
    ReturningBuyers,
    /// Paid buyers of the period who paid another order within 30 days after their first
    /// paid order of the period.
    Repurchasers30,
    /// The same within 90 days.
    Repurchasers90,
    /// Seconds from payment to shipping, summed over shipped orders.
    ShipSeconds,
    /// Paid orders that were shipped.
    ShippedOrders,
    /// DSR 描述相符 scores summed over rated orders, and the rated orders.
    DsrDescriptionSum,
    DsrDescriptionCount,
    /// DSR 服务态度.
    DsrServiceSum,
    DsrServiceCount,
    /// DSR 物流服务.
    DsrLogisticsSum,
    DsrLogisticsCount,
    /// Visitors of the paid traffic sources (直通车, 引力魔方, 万相台, 淘宝客, 京东快车,
    /// 多多搜索, 巨量千川, Google Ads, ... and any source named like an imported ad tool),
    /// from the traffic-source report.
    PaidVisitors,
    /// Ad impressions (展现量), clicks (点击量), spend (花费, minor units), attributed
    /// orders (rounded to whole orders), attributed sales (minor units) and add-to-cart
    /// from the ad reports: each plan's day counted once, at one grain and one attribution
    /// window (the report's own when it states none, else the shortest).
    AdImpressions,
    AdClicks,
    AdSpend,
    AdOrders,
    AdSales,
    AdAddToCart,
}

impl Measure {
    pub const ALL: [Measure; 31] = [
        Measure::Visitors,
        Measure::PageViews,
        Measure::ProductVisitors,
        Measure::Favourites,
        Measure::AddToCart,
        Measure::OrderBuyers,
        Measure::PaidBuyers,
        Measure::PaidOrders,
        Measure::PaidUnits,
        Measure::PaidAmount,
        Measure::RefundAmount,
        Measure::RefundedOrders,
        Measure::NewBuyers,
        Measure::ReturningBuyers,
        Measure::Repurchasers30,
        Measure::Repurchasers90,
        Measure::ShipSeconds,
        Measure::ShippedOrders,
        Measure::DsrDescriptionSum,
        Measure::DsrDescriptionCount,
        Measure::DsrServiceSum,
        Measure::DsrServiceCount,
        Measure::DsrLogisticsSum,
        Measure::DsrLogisticsCount,
        Measure::PaidVisitors,
        Measure::AdImpressions,
        Measure::AdClicks,
        Measure::AdSpend,
        Measure::AdOrders,
        Measure::AdSales,
        Measure::AdAddToCart,
    ];

    /// Where the measure comes from, for the dictionary.
    pub fn source(self) -> &'static str {
        use Measure::*;
        match self {
            Visitors | PageViews => "traffic-source report (流量来源); product report (商品效果) per product",
            ProductVisitors | Favourites | AddToCart => "product report (商品效果)",
            OrderBuyers | PaidBuyers | PaidOrders | PaidUnits | PaidAmount | RefundAmount
            | RefundedOrders | NewBuyers | ReturningBuyers | Repurchasers30 | Repurchasers90 | ShipSeconds
            | ShippedOrders => "orders and order lines (订单报表, 宝贝报表, Shopify orders); traffic-source report per source",
            DsrDescriptionSum | DsrDescriptionCount | DsrServiceSum | DsrServiceCount
            | DsrLogisticsSum | DsrLogisticsCount => "reviews with DSR scores (not yet importable)",
            PaidVisitors => "traffic-source report (流量来源), its paid sources",
            AdImpressions | AdClicks | AdSpend | AdOrders | AdSales | AdAddToCart => {
                "ad reports (直通车, 京东快车, 多多搜索, 巨量千川, Google Ads, Meta Ads, ...); per \
                 source where the source is named like the tool"
            }
        }
    }
}

/// How a metric is computed from measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Formula {
    /// The measure itself.
    Sum(Measure),
    /// One measure divided by another; unavailable when the denominator is 0.
    Ratio(Measure, Measure),
}

impl Formula {
    /// The measures the formula reads.
    pub fn measures(self) -> Vec<Measure> {
        match self {
            Formula::Sum(m) => vec![m],
            Formula::Ratio(a, b) => vec![a, b],
        }
    }
}

/// The unit of a metric's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A count of people, orders, units or views.
    Count,
    /// Money in the shop's minor units.
    Money,
    /// A share between 0 and 1, shown as a percentage.
    Rate,
    /// A plain ratio (units per order).
    Ratio,
    /// A duration, in seconds; shown in hours.
    Duration,
    /// A score out of 5.
    Score,
}

/// One entry of the dictionary.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MetricDef {
    /// Stable id, used on the command line and in the API.
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// What it means, for an operator.
    pub definition: &'static str,
    #[serde(skip)]
    pub formula: Formula,
    /// Which orders count.
    pub states: &'static str,
    pub unit: Unit,
    pub higher_is_better: bool,
}

impl MetricDef {
    /// The formula in words, as the dictionary prints it.
    pub fn formula_text(&self) -> String {
        match self.formula {
            Formula::Sum(m) => measure_name(m).to_owned(),
            Formula::Ratio(a, b) => format!("{} ÷ {}", measure_name(a), measure_name(b)),
        }
    }
}

/// A measure's name as formulas print it.
pub fn measure_name(m: Measure) -> &'static str {
    use Measure::*;
    match m {
        Visitors => "visitors",
        PageViews => "page views",
        ProductVisitors => "product-page visitors",
        Favourites => "favouriting people",
        AddToCart => "add-to-cart people",
        OrderBuyers => "ordering buyers",
        PaidBuyers => "paying buyers",
        PaidOrders => "paid orders",
        PaidUnits => "paid units",
        PaidAmount => "paid amount",
        RefundAmount => "refund amount",
        RefundedOrders => "refunded paid orders",
        NewBuyers => "new buyers",
        ReturningBuyers => "returning buyers",
        Repurchasers30 => "buyers paying again within 30 days",
        Repurchasers90 => "buyers paying again within 90 days",
        ShipSeconds => "time from payment to shipping",
        ShippedOrders => "shipped paid orders",
        DsrDescriptionSum => "描述相符 scores",
        DsrDescriptionCount => "描述相符 ratings",
        DsrServiceSum => "服务态度 scores",
        DsrServiceCount => "服务态度 ratings",
        DsrLogisticsSum => "物流服务 scores",
        DsrLogisticsCount => "物流服务 ratings",
        PaidVisitors => "visitors of paid sources",
        AdImpressions => "ad impressions",
        AdClicks => "ad clicks",
        AdSpend => "ad spend",
        AdOrders => "attributed orders",
        AdSales => "attributed sales",
        AdAddToCart => "ad add-to-cart",
    }
}

const PAID: &str = "paid orders: a payment time, or a state after payment (paid, shipped, \
completed); closed orders that were paid count (refunds are reported apart); orders \
never paid do not count";
const ANY_ORDER: &str = "every order placed, paid or not";
const TRAFFIC: &str = "no orders: counted by the platform's traffic reports";
const ADS: &str = "no orders: counted and attributed by the ad platform, under its attribution \
window (the report's own when it states none, else the shortest; windows are never added)";

use Formula::{Ratio, Sum};
use Measure as M;

/// The dictionary, in the order reports show it.
pub const METRICS: &[MetricDef] = &[
    MetricDef {
        id: "paid_amount",
        zh: "支付金额",
        en: "Paid amount (GMV paid)",
        definition: "What buyers paid, on orders paid in the period (by payment day in the \
                     shop's time zone). Refunds are not subtracted: see 退款金额.",
        formula: Sum(M::PaidAmount),
        states: PAID,
        unit: Unit::Money,
        higher_is_better: true,
    },
    MetricDef {
        id: "visitors",
        zh: "访客数",
        en: "Visitors (UV)",
        definition: "Unique visitors per day as the platform counts them, summed over the \
                     days of the period. The shop's figure is the sum over traffic sources.",
        formula: Sum(M::Visitors),
        states: TRAFFIC,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "page_views",
        zh: "浏览量",
        en: "Page views (PV)",
        definition: "Pages viewed, summed over the days of the period.",
        formula: Sum(M::PageViews),
        states: TRAFFIC,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "paid_buyers",
        zh: "支付买家数",
        en: "Paying buyers",
        definition: "Distinct buyers with at least one paid order in the period.",
        formula: Sum(M::PaidBuyers),
        states: PAID,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "paid_orders",
        zh: "支付订单数",
        en: "Paid orders",
        definition: "Orders paid in the period.",
        formula: Sum(M::PaidOrders),
        states: PAID,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "paid_units",
        zh: "支付件数",
        en: "Paid units",
        definition: "Units (quantity of the lines) on orders paid in the period.",
        formula: Sum(M::PaidUnits),
        states: PAID,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "pay_conversion",
        zh: "支付转化率",
        en: "Payment conversion rate",
        definition: "Share of visitors who paid: paying buyers over visitors. The core \
                     number of a shop; below the peer average it is the first problem.",
        formula: Ratio(M::PaidBuyers, M::Visitors),
        states: PAID,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "order_conversion",
        zh: "下单转化率",
        en: "Order conversion rate",
        definition: "Share of visitors who placed an order, paid or not. For presale items, \
                     whose payment conversion reads 0 until the balance is paid, this is the \
                     conversion to read.",
        formula: Ratio(M::OrderBuyers, M::Visitors),
        states: ANY_ORDER,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "order_buyers",
        zh: "下单买家数",
        en: "Ordering buyers",
        definition: "Distinct buyers who placed an order in the period (by order time), \
                     paid or not.",
        formula: Sum(M::OrderBuyers),
        states: ANY_ORDER,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "avg_order_value",
        zh: "客单价",
        en: "Average order value (per buyer)",
        definition: "Paid amount per paying buyer, as 生意参谋 defines 客单价.",
        formula: Ratio(M::PaidAmount, M::PaidBuyers),
        states: PAID,
        unit: Unit::Money,
        higher_is_better: true,
    },
    MetricDef {
        id: "uv_value",
        zh: "UV价值",
        en: "Value per visitor",
        definition: "Paid amount per visitor: what one visitor is worth.",
        formula: Ratio(M::PaidAmount, M::Visitors),
        states: PAID,
        unit: Unit::Money,
        higher_is_better: true,
    },
    MetricDef {
        id: "add_to_cart_rate",
        zh: "加购率",
        en: "Add-to-cart rate",
        definition: "People adding to cart over product-page visitors, both from the \
                     product report.",
        formula: Ratio(M::AddToCart, M::ProductVisitors),
        states: TRAFFIC,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "favourite_rate",
        zh: "收藏率",
        en: "Favourite rate",
        definition: "People adding to favourites over product-page visitors, both from the \
                     product report.",
        formula: Ratio(M::Favourites, M::ProductVisitors),
        states: TRAFFIC,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "refund_amount",
        zh: "退款金额",
        en: "Refund amount",
        definition: "Refunds on the orders paid in the period (counted on the payment day \
                     of the order, since exports carry no refund time).",
        formula: Sum(M::RefundAmount),
        states: PAID,
        unit: Unit::Money,
        higher_is_better: false,
    },
    MetricDef {
        id: "refund_rate",
        zh: "退款率(金额)",
        en: "Refund rate (by amount)",
        definition: "Refund amount over paid amount, for orders paid in the period.",
        formula: Ratio(M::RefundAmount, M::PaidAmount),
        states: PAID,
        unit: Unit::Rate,
        higher_is_better: false,
    },
    MetricDef {
        id: "refund_order_rate",
        zh: "退款率(笔数)",
        en: "Refund rate (by orders)",
        definition: "Share of the orders paid in the period that have a refund.",
        formula: Ratio(M::RefundedOrders, M::PaidOrders),
        states: PAID,
        unit: Unit::Rate,
        higher_is_better: false,
    },
    MetricDef {
        id: "repurchase_rate_30d",
        zh: "复购率(30天)",
        en: "Repurchase rate, 30 days",
        definition: "Share of the period's paying buyers who paid another order within 30 \
                     days after their first paid order of the period. Unavailable until 30 \
                     days of data follow the period.",
        formula: Ratio(M::Repurchasers30, M::PaidBuyers),
        states: PAID,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "repurchase_rate_90d",
        zh: "复购率(90天)",
        en: "Repurchase rate, 90 days",
        definition: "As the 30-day rate, within 90 days.",
        formula: Ratio(M::Repurchasers90, M::PaidBuyers),
        states: PAID,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "new_buyer_share",
        zh: "新客占比",
        en: "New buyer share",
        definition: "Share of paying buyers whose first paid order in the shop (in the data \
                     imported) falls in the period.",
        formula: Ratio(M::NewBuyers, M::PaidBuyers),
        states: PAID,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "returning_buyer_share",
        zh: "老客占比",
        en: "Returning buyer share",
        definition: "Share of paying buyers who had paid an order in the shop before the period.",
        formula: Ratio(M::ReturningBuyers, M::PaidBuyers),
        states: PAID,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "units_per_order",
        zh: "连带率",
        en: "Units per order",
        definition: "Paid units per paid order: how much one order carries.",
        formula: Ratio(M::PaidUnits, M::PaidOrders),
        states: PAID,
        unit: Unit::Ratio,
        higher_is_better: true,
    },
    MetricDef {
        id: "avg_unit_price",
        zh: "件单价",
        en: "Average unit price",
        definition: "Paid amount per paid unit.",
        formula: Ratio(M::PaidAmount, M::PaidUnits),
        states: PAID,
        unit: Unit::Money,
        higher_is_better: true,
    },
    MetricDef {
        id: "ship_hours",
        zh: "发货时长",
        en: "Hours to ship",
        definition: "Average hours from payment to shipping, over the paid orders of the \
                     period that were shipped.",
        formula: Ratio(M::ShipSeconds, M::ShippedOrders),
        states: "paid orders with a shipping time",
        unit: Unit::Duration,
        higher_is_better: false,
    },
    MetricDef {
        id: "dsr_description",
        zh: "描述相符",
        en: "DSR: item as described",
        definition: "Average 描述相符 score (1-5) of the ratings given in the period.",
        formula: Ratio(M::DsrDescriptionSum, M::DsrDescriptionCount),
        states: "rated orders",
        unit: Unit::Score,
        higher_is_better: true,
    },
    MetricDef {
        id: "dsr_service",
        zh: "服务态度",
        en: "DSR: service",
        definition: "Average 服务态度 score (1-5) of the ratings given in the period.",
        formula: Ratio(M::DsrServiceSum, M::DsrServiceCount),
        states: "rated orders",
        unit: Unit::Score,
        higher_is_better: true,
    },
    MetricDef {
        id: "dsr_logistics",
        zh: "物流服务",
        en: "DSR: logistics",
        definition: "Average 物流服务 score (1-5) of the ratings given in the period.",
        formula: Ratio(M::DsrLogisticsSum, M::DsrLogisticsCount),
        states: "rated orders",
        unit: Unit::Score,
        higher_is_better: true,
    },
    MetricDef {
        id: "ad_spend",
        zh: "推广花费",
        en: "Ad spend",
        definition: "What the ad tools charged in the period, from the imported ad reports \
                     (each plan's day once, at the grain that spends most).",
        formula: Sum(M::AdSpend),
        states: ADS,
        unit: Unit::Money,
        higher_is_better: false,
    },
    MetricDef {
        id: "ad_impressions",
        zh: "展现量",
        en: "Ad impressions",
        definition: "Times the ads were shown.",
        formula: Sum(M::AdImpressions),
        states: ADS,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "ad_clicks",
        zh: "点击量",
        en: "Ad clicks",
        definition: "Clicks on the ads.",
        formula: Sum(M::AdClicks),
        states: ADS,
        unit: Unit::Count,
        higher_is_better: true,
    },
    MetricDef {
        id: "ad_ctr",
        zh: "点击率",
        en: "Click-through rate (CTR)",
        definition: "Clicks over impressions. Seed 002: the core of promotion; raise bids \
                     and budgets on high-CTR plans, cut low ones, test images to raise it.",
        formula: Ratio(M::AdClicks, M::AdImpressions),
        states: ADS,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "ad_cpc",
        zh: "平均点击花费",
        en: "Cost per click (CPC)",
        definition: "Ad spend over clicks: what one ad visitor costs (访客成本 of a paid plan).",
        formula: Ratio(M::AdSpend, M::AdClicks),
        states: ADS,
        unit: Unit::Money,
        higher_is_better: false,
    },
    MetricDef {
        id: "ad_cvr",
        zh: "点击转化率",
        en: "Conversion rate of ad clicks (CVR)",
        definition: "Attributed orders over clicks.",
        formula: Ratio(M::AdOrders, M::AdClicks),
        states: ADS,
        unit: Unit::Rate,
        higher_is_better: true,
    },
    MetricDef {
        id: "ad_sales",
        zh: "推广成交金额",
        en: "Attributed sales",
        definition: "Sales the ad platforms attribute to their ads (direct and indirect), \
                     under their window: a platform's claim, part of 支付金额, not added to it.",
        formula: Sum(M::AdSales),
        states: ADS,
        unit: Unit::Money,
        higher_is_better: true,
    },
    MetricDef {
        id: "ad_roi",
        zh: "投入产出比(ROI)",
        en: "Return on ad spend (ROI = ROAS)",
        definition: "Attributed sales over ad spend: what Taobao, JD, Pinduoduo and Douyin \
                     call ROI (投入产出比) and Google and Meta call ROAS. Not (sales − spend) ÷ \
                     spend; the return after the margin is the profit ROI of `zhanggui ads \
                     report`, and a plan pays for itself above 保本ROI = 1 ÷ its margin.",
        formula: Ratio(M::AdSales, M::AdSpend),
        states: ADS,
        unit: Unit::Ratio,
        higher_is_better: true,
    },
    MetricDef {
        id: "ad_cost_per_cart",
        zh: "加购成本",
        en: "Cost per add-to-cart",
        definition: "Ad spend over the add-to-carts the ad reports attribute.",
        formula: Ratio(M::AdSpend, M::AdAddToCart),
        states: ADS,
        unit: Unit::Money,
        higher_is_better: false,
    },
    MetricDef {
        id: "paid_traffic_share",
        zh: "付费流量占比",
        en: "Paid traffic share",
        definition: "Visitors of paid sources over all visitors; the rest (1 − it) is free \
                     traffic. Seed 002: paid traffic should pull free traffic up, not replace it.",
        formula: Ratio(M::PaidVisitors, M::Visitors),
        states: TRAFFIC,
        unit: Unit::Rate,
        higher_is_better: false,
    },
    MetricDef {
        id: "visitor_cost",
        zh: "访客成本",
        en: "Cost per paid visitor",
        definition: "Ad spend over the visitors of paid sources; beside UV价值 (value per \
                     visitor) it says whether a paid visitor earns what it costs. Per source \
                     where the source is named like its ad tool; for the shop, paid sources \
                     whose cost no ad report carries (淘宝客 commissions) lower it.",
        formula: Ratio(M::AdSpend, M::PaidVisitors),
        states: ADS,
        unit: Unit::Money,
        higher_is_better: false,
    },
];

/// The metric with this id.
pub fn metric(id: &str) -> Option<&'static MetricDef> {
    METRICS.iter().find(|m| m.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_every_measure_is_used() {
        let ids: HashSet<_> = METRICS.iter().map(|m| m.id).collect();
        assert_eq!(ids.len(), METRICS.len());
        let used: HashSet<_> = METRICS.iter().flat_map(|m| m.formula.measures()).collect();
        for m in Measure::ALL {
            assert!(
                used.contains(&m),
                "{m:?} is measured but no metric reads it"
            );
        }
    }
}
