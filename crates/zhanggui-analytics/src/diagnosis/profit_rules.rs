//! Rules on profit, from the shop's costs and bills (PRODUCT.md §算利润, issue "profit"):
//! a product that loses money on every order, ad spend above what the shop's margin can
//! pay for, refunds that eat a product's margin, and paid orders the platform never
//! settled. They run only on what the shop imported: no cost prices, no profit findings;
//! no bill, no settlement finding.

use zhanggui_domain::Money;

use super::context::{pct, ratio, Context};
use super::finding::{Confidence, Finding};
use super::Candidate;
use crate::profit::ProfitRow;

/// Whether a stake is worth a finding: `min_profit_stake` of the period's net sales.
fn worth(c: &Context<'_>, stake: f64) -> bool {
    let sales = c.profit.as_ref().map_or(0, |p| p.net_sales.minor);
    stake > 0.0 && stake >= c.t.min_profit_stake * sales as f64
}

fn name(r: &ProfitRow) -> String {
    r.title.clone().unwrap_or_else(|| r.key.clone())
}

fn minor(m: Money) -> i64 {
    m.minor
}

/// Where the row's fees come from, for the confidence statement.
fn fees_word(r: &ProfitRow) -> &'static str {
    match r.fees {
        crate::profit::FeesKnown::Billed => "fees from the bills",
        _ => "fees partly estimated at the expense sheet's rate",
    }
}

/// A product whose contribution margin 1 (before ads and fixed costs) is below zero: each
/// order sold loses money before a yuan is spent on promotion.
pub fn loses_money(c: &Context<'_>) -> Vec<Candidate> {
    let Some(p) = &c.profit else {
        return Vec::new();
    };
    p.rows
        .iter()
        .filter(|r| r.orders >= c.t.min_profit_orders)
        .filter_map(|r| {
            let cm1 = minor(r.cm1?);
            let loss = -cm1 as f64;
            if cm1 >= 0 || !worth(c, loss) {
                return None;
            }
            let mut f = Finding::new(
                "product_loses_money",
                format!(
                    "{} 每卖一单亏 {}：{} 单共亏 {}",
                    name(r),
                    c.money(loss / r.orders as f64),
                    r.orders,
                    c.money(loss)
                ),
                loss,
                "the product's loss before ads and fixed costs (contribution margin 1) over the period",
            )
            .about(&r.key, r.title.clone())
            .profit();
            f.evidence.push(format!(
                "{}: 净销售额 {} − 成本 {} − 平台费 {} − 运费 {} − 包装 {} = 边际贡献1 {}",
                c.period_text(),
                r.net_sales,
                r.cogs.map_or("?".to_owned(), |m| m.to_string()),
                r.platform_fees,
                r.shipping,
                r.packaging,
                Money::new(cm1, c.shop.currency)
            ));
            f.action = format!(
                "先停掉它的推广（卖得越多亏得越多），再提价（每件至少提 {}）、压低进货价或运费，或只作搭配销售；若要留作引流款，限制它的流量占比，用搭配和满减拉高客单价",
                c.money(loss / r.units.max(1) as f64)
            );
            f.confidence = Confidence::level(&format!(
                "a margin from the cost prices in force and {}",
                fees_word(r)
            ));
            Some(Candidate {
                finding: f,
                keep: true,
            })
        })
        .collect()
}

/// The shop's ad spend is more than its contribution margin 1: its ads return less than
/// the break-even ROI (1 / the margin before ads), so every yuan spent loses money even if
/// every sale came from the ads.
pub fn ads_above_break_even(c: &Context<'_>) -> Vec<Candidate> {
    let Some(p) = &c.profit else {
        return Vec::new();
    };
    let (sales, cm1, spend) = (minor(p.net_sales_known), minor(p.cm1), minor(p.ad_spend));
    if spend <= 0 || sales <= 0 {
        return Vec::new();
    }
    let roi = sales as f64 / spend as f64;
    let break_even = if cm1 > 0 {
        format!("{:.2}", sales as f64 / cm1 as f64)
    } else {
        "无（边际贡献1 不为正）".to_owned()
    };
    let mut f = Finding::new(
        "ads_above_break_even",
        format!(
            "推广花费 {} 超过边际贡献1 {}：推广 ROI {:.2} 低于保本 ROI {}",
            c.money(spend as f64),
            c.money(cm1 as f64),
            roi,
            break_even
        ),
        (spend - cm1) as f64,
        "ad spend less the contribution margin 1 of the products whose costs are known",
    )
    .profit();
    f.evidence.push(format!(
        "{}: 净销售额 {}（成本齐全的商品）, 边际贡献1 {}, 推广花费 {}; ROI 按全部销售额计算，已是推广效果的上限",
        c.period_text(),
        p.net_sales_known,
        p.cm1,
        p.ad_spend
    ));
    f.action = "推广在亏钱：暂停 ROI 最低的计划，只推利润款（保本 ROI 低的商品），提高出价门槛到保本 ROI 以上，再逐步放量".into();
    f.confidence = Confidence::level(
        "the shop's ad spend against its margin; sales counted in full, so the ads' own return is lower still",
    );
    vec![Candidate {
        finding: f,
        keep: spend > cm1 && worth(c, (spend - cm1) as f64),
    }]
}

/// A product refunded `refund_rate_factor` times as often as the shop or more, whose
/// refunds above the shop's rate are more than the margin it has left.
pub fn refunds_eat_margin(c: &Context<'_>) -> Vec<Candidate> {
    let Some(p) = &c.profit else {
        return Vec::new();
    };
    let shop_rate = ratio(minor(p.refunds), minor(p.net_sales) + minor(p.refunds));
    p.rows
        .iter()
        .filter(|r| r.orders >= c.t.min_profit_orders)
        .filter_map(|r| {
            let cm1 = minor(r.cm1?);
            let refunds = minor(r.refunds);
            let paid = minor(r.net_sales) + refunds;
            let rate = ratio(refunds, paid);
            let excess = refunds as f64 - shop_rate * paid as f64;
            // The refunds above the shop's rate are more than the margin left.
            if rate < c.t.refund_rate_factor * shop_rate
                || excess <= cm1.max(0) as f64
                || !worth(c, excess)
            {
                return None;
            }
            let mut f = Finding::new(
                "refunds_eat_margin",
                format!(
                    "退款吃掉了 {} 的利润：退款 {}（占支付 {}，店铺 {}），边际贡献1 只剩 {}",
                    name(r),
                    c.money(refunds as f64),
                    pct(rate),
                    pct(shop_rate),
                    c.money(cm1 as f64)
                ),
                excess,
                "the product's refunds above the shop's refund rate",
            )
            .about(&r.key, r.title.clone())
            .profit();
            f.evidence.push(format!(
                "{}: 支付 {}, 退款 {}, 边际贡献1 {}",
                c.period_text(),
                Money::new(paid, c.shop.currency),
                r.refunds,
                Money::new(cm1, c.shop.currency)
            ));
            f.action = format!(
                "查看它的退款原因（尺码、质量、与描述不符），改详情页和质检；退款率回到店铺水平可多留 {}",
                c.money(excess)
            );
            f.confidence = Confidence::level("refunds against the shop's rate and the product's margin");
            Some(Candidate {
                finding: f,
                keep: true,
            })
        })
        .collect()
}

/// Paid orders that no bill names though the platform's settlement delay has passed.
pub fn unsettled_orders(c: &Context<'_>) -> Vec<Candidate> {
    if c.unsettled.is_empty() {
        return Vec::new();
    }
    let total: i64 = c.unsettled.iter().map(|u| u.paid).sum();
    let mut f = Finding::new(
        "unsettled_orders",
        format!(
            "{} 笔已付款订单过了 {} 天仍未出现在账单里，共 {}",
            c.unsettled.len(),
            c.t.settlement_days,
            c.money(total as f64)
        ),
        total as f64,
        "the paid amount of the orders no bill names",
    )
    .profit();
    for u in c.unsettled.iter().take(5) {
        f.evidence.push(format!(
            "订单 {} 付款于 {}，{}",
            u.order_no,
            u.paid_at,
            Money::new(u.paid, c.shop.currency)
        ));
    }
    if c.unsettled.len() > 5 {
        f.evidence.push(format!(
            "……共 {} 笔，见 zhanggui costs reconcile",
            c.unsettled.len()
        ));
    }
    f.action = "到平台后台逐笔核对：是否超时未确认收货、是否因投诉或售后被冻结、账单是否下载完整；确认后联系平台客服追回货款".into();
    f.confidence = Confidence::level("the orders' numbers looked up in the imported bills");
    vec![Candidate {
        finding: f,
        keep: true,
    }]
}
