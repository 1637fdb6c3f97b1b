//! What each plan earns: the campaign metrics of the dictionary (CTR 点击率, CPC 平均点击花费,
//! CVR 点击转化率, ROI 投入产出比 / ROAS, 加购成本, 访客价值) from an ad report's totals, and a
//! judgement against the plan's break-even ROI that weighs how much the counts can say.
//!
//! ROI here is the platforms' 投入产出比: attributed sales ÷ spend, which Google and Meta call
//! ROAS; the same ratio under two names. Profit ROI ((sales × margin − spend) ÷ spend) is
//! shown beside it where the margin is known. A plan earns above break-even when its ROI ≥
//! 1 ÷ margin (保本ROI, the margin being contribution margin 1 over net sales).
//!
//! The uncertainty of a plan's ROI comes from its order count: the orders out of clicks
//! (Wilson's interval on the conversion rate) or, without clicks, the orders as a Poisson
//! count, each scaled by the plan's order value (held at its mean). A plan is judged above
//! or below break-even only when its whole interval is; otherwise it is unclear, with the
//! clicks it would need at its conversion rate to tell.

use serde::Serialize;
use zhanggui_domain::{Currency, Money};
use zhanggui_storage::AdTotals;

use super::intervals::{normal_quantile, poisson, wilson, CONFIDENCE};

/// A plan's (or tool's, creative's, product's) metrics over a period.
#[derive(Debug, Clone, Serialize)]
pub struct PlanMetrics {
    pub tool: String,
    pub attribution: String,
    pub campaign: String,
    pub creative: String,
    pub product_code: String,
    pub day: Option<chrono::NaiveDate>,
    pub days: i64,
    pub impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub spend: Money,
    pub orders: Option<f64>,
    pub sales: Option<Money>,
    pub add_to_cart: Option<i64>,
    pub favourites: Option<i64>,
    /// 点击率: clicks ÷ impressions.
    pub ctr: Option<f64>,
    /// 平均点击花费: spend ÷ clicks.
    pub cpc: Option<Money>,
    /// 点击转化率: orders ÷ clicks.
    pub cvr: Option<f64>,
    /// 投入产出比 / ROAS: sales ÷ spend.
    pub roi: Option<f64>,
    /// 加购成本: spend ÷ add-to-cart.
    pub cost_per_add_to_cart: Option<Money>,
    /// 访客价值 of the paid visitors: sales ÷ clicks (the 访客成本 is the CPC).
    pub visitor_value: Option<Money>,
    /// 客单价 of the attributed orders: sales ÷ orders.
    pub order_value: Option<Money>,
}

/// Computes a group's metrics.
pub fn metrics(t: &AdTotals, currency: Currency) -> PlanMetrics {
    let div = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    };
    let money = |v: Option<f64>| v.map(|v| Money::new(v.round() as i64, currency));
    let spend = Some(t.spend as f64);
    let clicks = t.clicks.map(|c| c as f64);
    let sales = t.sales.map(|s| s as f64);
    PlanMetrics {
        tool: t.tool.clone(),
        attribution: t.attribution.clone(),
        campaign: t.campaign.clone(),
        creative: t.creative.clone(),
        product_code: t.product_code.clone(),
        day: t.day,
        days: t.days,
        impressions: t.impressions,
        clicks: t.clicks,
        spend: Money::new(t.spend, currency),
        orders: t.orders,
        sales: t.sales.map(|s| Money::new(s, currency)),
        add_to_cart: t.add_to_cart,
        favourites: t.favourites,
        ctr: div(clicks, t.impressions.map(|i| i as f64)),
        cpc: money(div(spend, clicks)),
        cvr: div(t.orders, clicks),
        roi: div(sales, spend),
        cost_per_add_to_cart: money(div(spend, t.add_to_cart.map(|a| a as f64))),
        visitor_value: money(div(sales, clicks)),
        order_value: money(div(sales, t.orders)),
    }
}

/// Where a plan stands against its break-even ROI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Its whole ROI interval is at or above break-even.
    Above,
    /// Its whole ROI interval is below break-even.
    Below,
    /// The interval straddles break-even: the counts cannot tell yet.
    Unclear,
    /// No margin is known, so no break-even.
    NoBreakEven,
    /// The report gives no attributed sales.
    NoSales,
}

impl Standing {
    pub fn as_str(self) -> &'static str {
        match self {
            Standing::Above => "above break-even",
            Standing::Below => "below break-even",
            Standing::Unclear => "unclear",
            Standing::NoBreakEven => "no break-even (margin unknown)",
            Standing::NoSales => "no attributed sales",
        }
    }
}

/// A plan judged against its break-even ROI.
#[derive(Debug, Clone, Serialize)]
pub struct PlanJudgement {
    #[serde(flatten)]
    pub metrics: PlanMetrics,
    /// The margin the break-even came from, and where that margin came from.
    pub margin: Option<f64>,
    pub margin_source: &'static str,
    /// 保本ROI: 1 ÷ margin.
    pub break_even_roi: Option<f64>,
    /// (sales × margin − spend) ÷ spend.
    pub profit_roi: Option<f64>,
    pub roi_low: Option<f64>,
    pub roi_high: Option<f64>,
    pub standing: Standing,
    /// For an unclear plan: about how many clicks in all, at its conversion rate, its
    /// interval would need to clear break-even.
    pub clicks_to_tell: Option<i64>,
}

/// Judges a plan. `fallback_order_value` (minor units) sizes the interval of a plan with
/// no orders yet (the tool's order value).
pub fn judge(
    m: PlanMetrics,
    margin: Option<f64>,
    margin_source: &'static str,
    fallback_order_value: Option<f64>,
) -> PlanJudgement {
    let spend = m.spend.minor as f64;
    let break_even_roi = margin.filter(|v| *v > 0.0).map(|v| 1.0 / v);
    let order_value = m
        .order_value
        .map(|v| v.minor as f64)
        .or(fallback_order_value);
    let orders = m.orders.unwrap_or(0.0);
    let (roi_low, roi_high) = match (m.sales, order_value) {
        (Some(_), Some(aov)) if spend > 0.0 => {
            let (lo, hi) = match m.clicks.filter(|c| *c > 0) {
                Some(c) => {
                    let c = c as f64;
                    let (lo, hi) = wilson(orders.round().min(c), c).unwrap_or((0.0, 1.0));
                    (lo * c, hi * c)
                }
                None => poisson(orders),
            };
            (Some(lo * aov / spend), Some(hi * aov / spend))
        }
        _ => (None, None),
    };
    let standing = match (m.sales, break_even_roi, roi_low, roi_high) {
        (None, _, _, _) => Standing::NoSales,
        (_, None, _, _) => Standing::NoBreakEven,
        (_, Some(be), Some(lo), _) if lo >= be => Standing::Above,
        (_, Some(be), _, Some(hi)) if hi < be => Standing::Below,
        (_, Some(_), Some(_), Some(_)) => Standing::Unclear,
        _ => Standing::NoSales,
    };
    let clicks_to_tell = match (standing, break_even_roi, m.cvr, order_value, m.clicks) {
        (Standing::Unclear, Some(be), Some(cvr), Some(aov), Some(clicks))
            if cvr > 0.0 && cvr < 1.0 && aov > 0.0 && clicks > 0 =>
        {
            // The conversion rate at which the plan breaks even, and the clicks at which
            // the interval's half-width shrinks to the distance from it.
            let cpc = spend / clicks as f64;
            let cvr_even = be * cpc / aov;
            let gap = (cvr - cvr_even).abs();
            let z = normal_quantile(1.0 - (1.0 - CONFIDENCE) / 2.0);
            (gap > 0.0).then(|| (z * z * cvr * (1.0 - cvr) / (gap * gap)).ceil() as i64)
        }
        _ => None,
    };
    let profit_roi = match (m.sales, margin) {
        (Some(s), Some(margin)) if spend > 0.0 => Some((s.minor as f64 * margin - spend) / spend),
        _ => None,
    };
    PlanJudgement {
        metrics: m,
        margin,
        margin_source,
        break_even_roi,
        profit_roi,
        roi_low,
        roi_high,
        standing,
        clicks_to_tell,
    }
}
