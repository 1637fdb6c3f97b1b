//! Rules on the whole shop: conversion against the peer tier and the period before, UV
//! value against the peer tier, refunds, shipping.

use zhanggui_domain::metrics::Measure as M;

use super::context::{get, has, pct, ratio, Context};
use super::finding::{Confidence, Finding};
use super::Candidate;
use crate::stats::{rate_change, two_sided_p};

/// Store conversion below the peer average is the first problem (seed 002 §八.2), and the
/// products that pull it down.
pub fn conversion_below_peer(c: &Context<'_>) -> Vec<Candidate> {
    let (Some(peer), true) = (c.peer_average("pay_conversion"), has(&c.now, M::Visitors)) else {
        return Vec::new();
    };
    let v = get(&c.now, "total", M::Visitors);
    let b = get(&c.now, "total", M::PaidBuyers);
    let s = get(&c.now, "total", M::PaidAmount);
    if v == 0 || b == 0 || peer <= 0.0 || peer >= 1.0 {
        return Vec::new();
    }
    let cr = ratio(b, v);
    // One-sample test of the shop's buyers against the peer rate.
    let z = (b as f64 - v as f64 * peer) / (v as f64 * peer * (1.0 - peer)).sqrt();
    let aov = ratio(s, b);
    let stake = (peer - cr) * v as f64 * aov;
    let mut f = Finding::new(
        "conversion_below_peer",
        format!("支付转化率 {} 低于同行同层平均 {}", pct(cr), pct(peer)),
        stake,
        "visitors × (peer conversion − shop conversion) × order value",
    );
    f.evidence.push(format!(
        "{}: {} 访客, {} 支付买家, 支付转化率 {}; 同行同层平均 {}",
        c.period_text(),
        v,
        b,
        pct(cr),
        pct(peer)
    ));
    // Products with traffic that convert below the shop.
    let mut pulling: Vec<(String, f64)> = c
        .products_now
        .rows
        .iter()
        .filter_map(|r| {
            let vp = r.get(M::Visitors)?;
            let bp = r.get(M::PaidBuyers).unwrap_or(0);
            let sp = r.get(M::PaidAmount).unwrap_or(0);
            let crp = ratio(bp, vp);
            (vp >= c.t.min_visitors_for(c.range.days()) && crp < cr).then(|| {
                let aovp = if bp > 0 { ratio(sp, bp) } else { aov };
                let name = r.label.clone().unwrap_or_else(|| r.group.clone());
                (
                    format!("{name} ({} 访客, 转化率 {})", vp, pct(crp)),
                    (cr - crp) * vp as f64 * aovp,
                )
            })
        })
        .collect();
    pulling.sort_by(|a, b| b.1.total_cmp(&a.1));
    let names: Vec<String> = pulling.iter().take(3).map(|p| p.0.clone()).collect();
    if !names.is_empty() {
        f.evidence
            .push(format!("拉低转化的商品: {}", names.join("; ")));
    }
    f.action = format!(
        "店铺转化率由商品转化率决定：先提高这些商品的支付转化率（主图、详情、价格、评价、客服话术）{}，再加大引流",
        if names.is_empty() {
            String::new()
        } else {
            format!("，从 {} 开始", names[0])
        }
    );
    f.confidence = Confidence::tested(
        "one-sample test of buyers against the peer rate",
        two_sided_p(z),
    );
    vec![Candidate {
        finding: f,
        keep: cr < peer,
    }]
}

/// UV value under a share (80%) of the peer average.
pub fn uv_value_below_peer(c: &Context<'_>) -> Vec<Candidate> {
    let (Some(peer), true) = (c.peer_average("uv_value"), has(&c.now, M::Visitors)) else {
        return Vec::new();
    };
    let v = get(&c.now, "total", M::Visitors);
    if v == 0 || peer <= 0.0 {
        return Vec::new();
    }
    let uv = ratio(get(&c.now, "total", M::PaidAmount), v);
    let floor = peer * c.t.uv_value_peer_share;
    let mut f = Finding::new(
        "uv_value_below_peer",
        format!(
            "UV价值 {} 不到同行同层平均 {} 的 {:.0}%",
            c.money(uv),
            c.money(peer),
            c.t.uv_value_peer_share * 100.0
        ),
        (floor - uv) * v as f64,
        "visitors × (the floor of UV value − shop UV value)",
    );
    f.evidence.push(format!(
        "{}: UV价值 {} = 支付金额 ÷ {} 访客; 同行同层平均 {}",
        c.period_text(),
        c.money(uv),
        v,
        c.money(peer)
    ));
    f.action = "每个访客带来的销售额偏低：把流量引向高转化、高单价的商品，提高连带（搭配、满减、满赠），先提转化再提访客".into();
    f.confidence = Confidence::level("UV value compared with the peer average");
    vec![Candidate {
        finding: f,
        keep: uv < floor,
    }]
}

/// Shop conversion changed between the periods.
pub fn conversion_change(c: &Context<'_>) -> Vec<Candidate> {
    if !has(&c.now, M::Visitors) || !has(&c.before, M::Visitors) {
        return Vec::new();
    }
    let (v0, b0) = (
        get(&c.before, "total", M::Visitors),
        get(&c.before, "total", M::PaidBuyers),
    );
    let (v1, b1) = (
        get(&c.now, "total", M::Visitors),
        get(&c.now, "total", M::PaidBuyers),
    );
    let Some(sig) = rate_change(b0, v0, b1, v1) else {
        return Vec::new();
    };
    let (cr0, cr1) = (ratio(b0, v0), ratio(b1, v1));
    let aov = ratio(get(&c.now, "total", M::PaidAmount), b1.max(1));
    let fell = cr1 < cr0;
    let mut f = Finding::new(
        "shop_conversion_change",
        format!(
            "店铺支付转化率{} {} → {}",
            if fell { "下降" } else { "上升" },
            pct(cr0),
            pct(cr1)
        ),
        (cr0 - cr1).abs() * v1 as f64 * aov,
        "this period's visitors × the change of conversion × order value",
    );
    f.evidence.push(format!(
        "{}: {} / {} 访客; {}: {} / {} 访客",
        c.compared_text(),
        b0,
        v0,
        c.period_text(),
        b1,
        v1
    ));
    f.action = if fell {
        "找出转化下降的来源和商品（见下方按来源、按商品的拆分），先修复转化再加流量".into()
    } else {
        "转化提升：分析原因（活动、主图、价格）并推广到其他商品".into()
    };
    f.confidence = Confidence::tested("two-proportion z-test", sig.p_value);
    if !fell {
        f = f.opportunity();
    }
    vec![Candidate {
        finding: f,
        keep: (cr0 - cr1).abs() / cr0.max(1e-9) >= c.t.min_drop / 3.0,
    }]
}

/// Refunds spiked: the share of paid orders refunded, against the period before.
pub fn refund_spike(c: &Context<'_>) -> Vec<Candidate> {
    let (r0, o0) = (
        get(&c.before, "total", M::RefundedOrders),
        get(&c.before, "total", M::PaidOrders),
    );
    let (r1, o1) = (
        get(&c.now, "total", M::RefundedOrders),
        get(&c.now, "total", M::PaidOrders),
    );
    let Some(sig) = rate_change(r0, o0, r1, o1) else {
        return Vec::new();
    };
    let (rate0, rate1) = (ratio(r0, o0), ratio(r1, o1));
    let (a0, p0) = (
        get(&c.before, "total", M::RefundAmount),
        get(&c.before, "total", M::PaidAmount),
    );
    let (a1, p1) = (
        get(&c.now, "total", M::RefundAmount),
        get(&c.now, "total", M::PaidAmount),
    );
    let excess = a1 as f64 - ratio(a0, p0) * p1 as f64;
    let mut f = Finding::new(
        "refund_spike",
        format!("退款突增: 退款订单占比 {} → {}", pct(rate0), pct(rate1)),
        excess,
        "this period's refunds beyond the previous period's refund rate",
    );
    f.evidence.push(format!(
        "{}: {} / {} 笔退款, 退款 {}; {}: {} / {} 笔退款, 退款 {}",
        c.compared_text(),
        r0,
        o0,
        c.money(a0 as f64),
        c.period_text(),
        r1,
        o1,
        c.money(a1 as f64)
    ));
    // The products refunded most, for the evidence.
    let mut products: Vec<(String, i64)> = c
        .products_now
        .rows
        .iter()
        .filter_map(|r| {
            let a = r.get(M::RefundAmount)?;
            (a > 0).then(|| (r.label.clone().unwrap_or_else(|| r.group.clone()), a))
        })
        .collect();
    products.sort_by_key(|p| std::cmp::Reverse(p.1));
    if !products.is_empty() {
        let top: Vec<String> = products
            .iter()
            .take(3)
            .map(|(n, a)| format!("{n} {}", c.money(*a as f64)))
            .collect();
        f.evidence
            .push(format!("退款最多的商品: {}", top.join("; ")));
    }
    f.action =
        "按商品和退款原因排查（质量、描述不符、尺码、物流破损），联系退款买家，修正详情页描述"
            .into();
    f.confidence = Confidence::tested("two-proportion z-test on refunded orders", sig.p_value);
    vec![Candidate {
        finding: f,
        keep: rate1 > rate0 && excess > 0.0,
    }]
}

/// Slow shipping: average hours from payment to shipping above the threshold.
pub fn slow_shipping(c: &Context<'_>) -> Vec<Candidate> {
    let shipped = get(&c.now, "total", M::ShippedOrders);
    if shipped == 0 {
        return Vec::new();
    }
    let hours = get(&c.now, "total", M::ShipSeconds) as f64 / shipped as f64 / 3600.0;
    let mut f = Finding::new(
        "slow_shipping",
        format!(
            "发货慢: 平均 {:.1} 小时, 超过 {:.0} 小时",
            hours, c.t.ship_hours
        ),
        0.0,
        "not estimated: slow shipping shows in refunds and DSR later",
    );
    f.evidence.push(format!(
        "{}: {} 笔已发货订单, 付款到发货平均 {:.1} 小时",
        c.period_text(),
        shipped,
        hours
    ));
    f.action =
        "缩短发货时间：提前备货、增加打包人手、与快递约定揽收时间；大促前对热销城市预发货".into();
    f.confidence = Confidence::level("average shipping time compared with the threshold");
    vec![Candidate {
        finding: f,
        keep: hours > c.t.ship_hours,
    }]
}
