//! Rules on products: conversion that rose (give it traffic) or fell (fix it or hand its
//! traffic on), breaks of trend at the end of the period, products without sales, presale
//! items whose payment conversion reads 0, and where order value can be won.

use zhanggui_domain::metrics::Measure as M;
use zhanggui_storage::{MeasureRow, MeasureTable};

use super::context::{get, pct, ratio, Context};
use super::finding::{Confidence, Finding};
use super::Candidate;
use crate::stats::{rate_change, two_proportions};

fn product_finding(
    rule: &'static str,
    row: &MeasureRow,
    title: String,
    stake: f64,
    basis: &'static str,
) -> Finding {
    Finding::new(rule, title, stake, basis).about(&row.group, row.label.clone())
}

fn name(row: &MeasureRow) -> String {
    row.label.clone().unwrap_or_else(|| row.group.clone())
}

/// Visitors, buyers, amount of a product row.
fn vbs(row: Option<&MeasureRow>) -> (i64, i64, i64) {
    let g = |m: M| row.and_then(|r| r.get(m)).unwrap_or(0);
    (g(M::Visitors), g(M::PaidBuyers), g(M::PaidAmount))
}

/// The shop's order value in a table of the whole shop.
fn shop_aov(c: &Context<'_>) -> f64 {
    ratio(
        get(&c.now, "total", M::PaidAmount),
        get(&c.now, "total", M::PaidBuyers),
    )
}

/// A product's conversion rose or fell between the periods (seed 002 §八.2, 3 and 4).
pub fn conversion_change(c: &Context<'_>) -> Vec<Candidate> {
    compare_conversion(
        c,
        &c.products_before,
        &c.products_now,
        "product_conversion_change",
        &c.compared_text(),
        &c.period_text(),
    )
}

/// A product's traffic or conversion broke its trend in the last days of the period.
pub fn trend_break(c: &Context<'_>) -> Vec<Candidate> {
    let recent = format!("{} .. {}", c.recent.from, c.recent.to);
    let baseline = format!("{} .. {}", c.baseline.from, c.baseline.to);
    let mut out = compare_conversion(
        c,
        &c.products_baseline,
        &c.products_recent,
        "product_conversion_break",
        &baseline,
        &recent,
    );
    out.retain(|cand| cand.finding.title.contains("下降"));
    // Traffic is judged by the product's share of all product-page visitors, so that the
    // shop's own ups and downs (a 双11 in the weeks before) are not taken for a break.
    let total =
        |t: &MeasureTable| -> i64 { t.rows.iter().filter_map(|r| r.get(M::Visitors)).sum() };
    let (all0, all1) = (total(&c.products_baseline), total(&c.products_recent));
    for row in &c.products_recent.rows {
        let base = c.products_baseline.row(&row.group);
        let (v0, b0, s0) = vbs(base);
        let (v1, _, _) = vbs(Some(row));
        if v0 < c.t.min_visitors_for(c.baseline.days()) || all0 == 0 || all1 == 0 {
            continue;
        }
        let Some(sig) = two_proportions(v0, all0, v1, all1) else {
            continue;
        };
        let expected = ratio(v0, all0) * all1 as f64;
        let drop = 1.0 - v1 as f64 / expected;
        let uv = ratio(s0, v0);
        let mut f = product_finding(
            "product_traffic_break",
            row,
            format!(
                "商品 {} 访客骤降 {:.0}%: 按此前占比应有 {:.0}, 实际 {}",
                name(row),
                drop * 100.0,
                expected,
                v1
            ),
            (expected - v1 as f64) * uv * c.range.days() as f64 / c.recent.days() as f64,
            "visitors missing against its former share × its UV value before, over a period as long as the report's",
        );
        f.evidence.push(format!(
            "{baseline}: {v0} 访客 (占 {}), {b0} 买家; {recent}: {v1} 访客 (占 {})",
            pct(ratio(v0, all0)),
            pct(ratio(v1, all1))
        ));
        f.action = "流量异常下滑：检查是否被降权（违规、差评、库存不足、价格变动）、推广计划是否停投、搜索排名是否下降".into();
        f.confidence = Confidence::tested(
            "two-proportion z-test on its share of visitors",
            sig.p_value,
        );
        out.push(Candidate {
            finding: f,
            keep: drop >= c.t.min_drop,
        });
    }
    out
}

/// Compares conversion between two windows; `scale` turns the later window's money into
/// the report period's length.
fn compare_conversion(
    c: &Context<'_>,
    before: &MeasureTable,
    now: &MeasureTable,
    rule: &'static str,
    before_text: &str,
    now_text: &str,
) -> Vec<Candidate> {
    let scale = c.range.days() as f64 / now.range.days() as f64;
    let min_before = c.t.min_visitors_for(before.range.days());
    let min_now = c.t.min_visitors_for(now.range.days());
    if before.missing.contains_key(&M::Visitors) || now.missing.contains_key(&M::Visitors) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in &now.rows {
        let (v0, b0, s0) = vbs(before.row(&row.group));
        let (v1, b1, s1) = vbs(Some(row));
        if v0 < min_before || v1 < min_now {
            continue;
        }
        let Some(sig) = rate_change(b0, v0, b1, v1) else {
            continue;
        };
        let (cr0, cr1) = (ratio(b0, v0), ratio(b1, v1));
        let aov = if b1 > 0 {
            ratio(s1, b1)
        } else if b0 > 0 {
            ratio(s0, b0)
        } else {
            shop_aov(c)
        };
        let fell = cr1 < cr0;
        let (stake, basis) = if fell {
            (
                (cr0 - cr1) * v1 as f64 * aov * scale,
                "visitors × the fall of conversion × order value, over a period as long as the report's",
            )
        } else {
            (
                c.t.growth_step * v1 as f64 * cr1 * aov * scale,
                "sales from growth_step more visitors at the new conversion, over a period as long as the report's",
            )
        };
        let mut f = product_finding(
            rule,
            row,
            format!(
                "商品 {} 支付转化率{} {} → {}",
                name(row),
                if fell { "下降" } else { "上升" },
                pct(cr0),
                pct(cr1)
            ),
            stake,
            basis,
        );
        f.evidence.push(format!(
            "{before_text}: {b0} / {v0} 访客; {now_text}: {b1} / {v1} 访客"
        ));
        f.action = if fell {
            "分析转化下降的原因（主图、价格、评价、库存、详情页）并调整；如果努力后仍无法提高，减少该商品的流量，把流量引导到转化率更高的商品".into()
        } else {
            "转化率上升说明吸引力增加：给予更多流量（推广、资源位、关联推荐），并分析原因能否用到其他商品".into()
        };
        f.confidence = Confidence::tested("two-proportion z-test", sig.p_value);
        if !fell {
            f = f.opportunity();
        }
        let relative = (cr1 - cr0).abs() / cr0.max(1e-9);
        out.push(Candidate {
            finding: f,
            keep: relative >= c.t.min_drop,
        });
    }
    out
}

/// Products with traffic and no sales: no product should sell nothing.
pub fn no_sales(c: &Context<'_>) -> Vec<Candidate> {
    if c.products_now.missing.contains_key(&M::Visitors) {
        return Vec::new();
    }
    let shop_cr = ratio(
        get(&c.now, "total", M::PaidBuyers),
        get(&c.now, "total", M::Visitors).max(1),
    );
    let uv = ratio(
        get(&c.now, "total", M::PaidAmount),
        get(&c.now, "total", M::Visitors).max(1),
    );
    let mut out = Vec::new();
    for row in &c.products_now.rows {
        let v = row.get(M::Visitors).unwrap_or(0);
        let paid = row.get(M::PaidBuyers).unwrap_or(0);
        let ordered = row.get(M::OrderBuyers).unwrap_or(0);
        if v < c.t.min_visitors_for(c.range.days()) || paid > 0 || ordered > 0 || shop_cr <= 0.0 {
            continue;
        }
        // The chance of no buyer among v visitors at the shop's conversion.
        let p = (1.0 - shop_cr).powf(v as f64);
        let mut f = product_finding(
            "no_sales",
            row,
            format!("商品 {} 有 {} 访客却 0 销量", name(row), v),
            v as f64 * uv,
            "its visitors × the shop's UV value",
        );
        f.evidence.push(format!(
            "{}: {v} 访客, 0 下单, 0 支付; 店铺转化率 {}",
            c.period_text(),
            pct(shop_cr)
        ));
        f.action = "0 销量商品：检查标题、主图、价格、库存和评价；仍无改善则下架或换款，把流量让给能卖的商品".into();
        f.confidence = Confidence::tested("chance of no buyer at the shop's conversion", p);
        out.push(Candidate {
            finding: f,
            keep: true,
        });
    }
    out
}

/// Presale items: orders are placed but the balance is not paid yet, so payment
/// conversion reads 0 (seed 002 §八.7): read order conversion instead.
pub fn presale(c: &Context<'_>) -> Vec<Candidate> {
    if c.products_now.missing.contains_key(&M::Visitors) {
        return Vec::new();
    }
    let aov = shop_aov(c);
    let mut out = Vec::new();
    for row in &c.products_now.rows {
        let v = row.get(M::Visitors).unwrap_or(0);
        let paid = row.get(M::PaidBuyers).unwrap_or(0);
        let ordered = row.get(M::OrderBuyers).unwrap_or(0);
        // A fact about the data, not a claim about a change: any traffic will do.
        if v == 0 || paid > 0 || ordered < 5 {
            continue;
        }
        let mut f = product_finding(
            "presale_zero_conversion",
            row,
            format!(
                "商品 {} 支付转化率为 0, 但下单转化率 {}: 预售尾款未付",
                name(row),
                pct(ratio(ordered, v))
            ),
            ordered as f64 * aov,
            "ordering buyers × the shop's order value: orders awaiting payment",
        );
        f.evidence.push(format!(
            "{}: {v} 访客, {ordered} 下单买家, 0 支付买家",
            c.period_text()
        ));
        f.action = "预售商品的支付转化率为 0 是因为尾款未付：用下单转化率（或预售订单数 ÷ 访客数）判断它的真实转化，不要据此减少它的流量；尾款开始前提醒买家付尾款".into();
        f.confidence = Confidence::level("orders placed and none paid in the period");
        out.push(Candidate {
            finding: f,
            keep: true,
        });
    }
    out
}

/// Order value: steer traffic to products with a high price and high conversion that get
/// little of it (seed 002 §八.4).
pub fn order_value_lever(c: &Context<'_>) -> Vec<Candidate> {
    if c.products_now.missing.contains_key(&M::Visitors) {
        return Vec::new();
    }
    let shop_cr = ratio(
        get(&c.now, "total", M::PaidBuyers),
        get(&c.now, "total", M::Visitors).max(1),
    );
    let rows: Vec<(&MeasureRow, i64, f64, f64)> = c
        .products_now
        .rows
        .iter()
        .filter_map(|r| {
            let v = r.get(M::Visitors)?;
            let b = r.get(M::PaidBuyers).unwrap_or(0);
            let units = r.get(M::PaidUnits).unwrap_or(0);
            (v >= c.t.min_visitors_for(c.range.days()) && units > 0).then(|| {
                (
                    r,
                    v,
                    ratio(b, v),
                    ratio(r.get(M::PaidAmount).unwrap_or(0), units),
                )
            })
        })
        .collect();
    if rows.len() < 4 {
        return Vec::new();
    }
    let mut prices: Vec<f64> = rows.iter().map(|r| r.3).collect();
    prices.sort_by(f64::total_cmp);
    let mut visitors: Vec<i64> = rows.iter().map(|r| r.1).collect();
    visitors.sort_unstable();
    let price_q3 = prices[prices.len() * 3 / 4];
    let median_visitors = visitors[visitors.len() / 2];
    let mut out: Vec<Candidate> = rows
        .iter()
        .filter(|(_, v, cr, price)| *price >= price_q3 && *cr >= shop_cr && *v < median_visitors)
        .map(|(row, v, cr, price)| {
            let uv = cr * ratio(
                row.get(M::PaidAmount).unwrap_or(0),
                row.get(M::PaidBuyers).unwrap_or(0).max(1),
            );
            let mut f = product_finding(
                "order_value_lever",
                row,
                format!(
                    "商品 {} 单价高 ({}) 且转化率高 ({}), 但流量少",
                    name(row),
                    c.money(*price),
                    pct(*cr)
                ),
                c.t.growth_step * *v as f64 * uv,
                "sales from growth_step more visitors at its conversion and order value",
            );
            f.evidence.push(format!(
                "{}: {v} 访客 (中位数 {median_visitors}), 转化率 {} (店铺 {}), 件单价 {}",
                c.period_text(),
                pct(*cr),
                pct(shop_cr),
                c.money(*price)
            ));
            f.action = "同样的流量下，把流量引向单价高、转化率高的商品（首页、关联推荐、推广），减少单价低且转化低商品的流量，可直接提高销售额和客单价".into();
            f.confidence = Confidence::level("price and conversion compared with the shop's");
            Candidate {
                finding: f.opportunity(),
                keep: true,
            }
        })
        .collect();
    out.sort_by_key(|c| std::cmp::Reverse(c.finding.money_at_stake));
    out.truncate(3);
    out
}
