//! Rules on traffic sources: a source whose traffic or conversion changed, and sources
//! that convert well but bring little traffic (seed 002 §八.3: grow those).

use zhanggui_domain::metrics::Measure as M;
use zhanggui_storage::MeasureRow;

use super::context::{pct, ratio, Context};
use super::finding::{Confidence, Finding};
use super::Candidate;
use crate::stats::{rate_change, two_proportions};
use crate::why::{split, Factor, Sales};

fn source_finding(
    row: &MeasureRow,
    rule: &'static str,
    title: String,
    stake: f64,
    basis: &'static str,
) -> Finding {
    Finding::new(rule, title, stake, basis).about(&row.group, None)
}

fn sales(row: Option<&MeasureRow>) -> Sales {
    let g = |m: M| row.and_then(|r| r.get(m)).unwrap_or(0);
    Sales {
        visitors: g(M::Visitors),
        buyers: g(M::PaidBuyers),
        amount: g(M::PaidAmount),
    }
}

/// A source's traffic or conversion changed between the periods; the money is its part
/// of the change of sales.
pub fn source_change(c: &Context<'_>) -> Vec<Candidate> {
    if c.sources_now.missing.contains_key(&M::Visitors)
        || c.sources_before.missing.contains_key(&M::Visitors)
    {
        return Vec::new();
    }
    let exposure = c.range.days() as f64 / c.compared.days() as f64;
    let total = |t: &zhanggui_storage::MeasureTable| -> i64 {
        t.rows.iter().filter_map(|r| r.get(M::Visitors)).sum()
    };
    let (all0, all1) = (total(&c.sources_before), total(&c.sources_now));
    let mut out = Vec::new();
    for row in &c.sources_now.rows {
        let before = sales(c.sources_before.row(&row.group));
        let now = sales(Some(row));
        if before.visitors < c.t.min_visitors_for(c.compared.days()) {
            continue;
        }
        let s = split(before, now, exposure);
        let evidence = format!(
            "{}: {} 访客, {} 买家, {}; {}: {} 访客, {} 买家, {}",
            c.compared_text(),
            before.visitors,
            before.buyers,
            c.money(before.amount as f64),
            c.period_text(),
            now.visitors,
            now.buyers,
            c.money(now.amount as f64)
        );
        // Traffic by the source's share of all visitors, so that the shop's own season
        // (a 双11 month against the month before) is not taken for the source's doing.
        if let Some(sig) = two_proportions(before.visitors, all0, now.visitors, all1) {
            let (share0, share1) = (ratio(before.visitors, all0), ratio(now.visitors, all1));
            let change = share1 / share0 - 1.0;
            let uv = ratio(before.amount, before.visitors);
            let mut f = source_finding(
                row,
                "source_traffic_change",
                format!(
                    "流量来源 {} 访客占比{} {:.0}%: {} → {}",
                    row.group,
                    if change < 0.0 { "下降" } else { "上升" },
                    change.abs() * 100.0,
                    pct(share0),
                    pct(share1)
                ),
                (share0 - share1) * all1 as f64 * uv,
                "visitors missing against its former share × its UV value before",
            );
            f.evidence.push(evidence.clone());
            f.action = format!(
                "查明 {} 流量下降的原因（搜索排名、推广预算或出价、活动结束、类目调整），优先恢复转化率高的来源",
                row.group
            );
            f.confidence = Confidence::tested(
                "two-proportion z-test on its share of visitors",
                sig.p_value,
            );
            out.push(Candidate {
                finding: f,
                keep: change <= -c.t.min_drop,
            });
        }
        if let Some(sig) = rate_change(before.buyers, before.visitors, now.buyers, now.visitors) {
            let (cr0, cr1) = (
                ratio(before.buyers, before.visitors),
                ratio(now.buyers, now.visitors),
            );
            let part = s.part(Factor::Conversion);
            let mut f = source_finding(
                row,
                "source_conversion_change",
                format!(
                    "流量来源 {} 支付转化率下降 {} → {}",
                    row.group,
                    pct(cr0),
                    pct(cr1)
                ),
                (-part) as f64,
                "the conversion part of this source's change of sales",
            );
            f.evidence.push(evidence);
            f.action = format!(
                "{} 的访客转化变差：检查这个来源引来的人群与商品是否匹配（关键词、人群定向、落地页）",
                row.group
            );
            f.confidence = Confidence::tested("two-proportion z-test", sig.p_value);
            out.push(Candidate {
                finding: f,
                keep: cr1 < cr0 && (cr0 - cr1) / cr0.max(1e-9) >= c.t.min_drop && part < 0,
            });
        }
    }
    out
}

/// Sources converting clearly better than the rest of the shop while bringing less than
/// an even share of visitors: grow them.
pub fn high_conversion_low_share(c: &Context<'_>) -> Vec<Candidate> {
    if c.sources_now.missing.contains_key(&M::Visitors) {
        return Vec::new();
    }
    let n = c.sources_now.rows.len();
    let total_v: i64 = c
        .sources_now
        .rows
        .iter()
        .filter_map(|r| r.get(M::Visitors))
        .sum();
    let total_b: i64 = c
        .sources_now
        .rows
        .iter()
        .filter_map(|r| r.get(M::PaidBuyers))
        .sum();
    if n < 2 || total_v == 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for row in &c.sources_now.rows {
        let s = sales(Some(row));
        if s.visitors < c.t.min_visitors_for(c.range.days()) {
            continue;
        }
        let (rest_v, rest_b) = (total_v - s.visitors, total_b - s.buyers);
        let Some(sig) = two_proportions(rest_b, rest_v, s.buyers, s.visitors) else {
            continue;
        };
        let cr = ratio(s.buyers, s.visitors);
        let rest_cr = ratio(rest_b, rest_v);
        let share = ratio(s.visitors, total_v);
        let mut f = source_finding(
            row,
            "source_high_conversion_low_share",
            format!(
                "流量来源 {} 转化率 {} 高于其他来源 {}, 但只占 {} 访客",
                row.group,
                pct(cr),
                pct(rest_cr),
                pct(share)
            ),
            c.t.growth_step * s.amount as f64,
            "sales from growth_step more visitors of this source",
        );
        f.evidence.push(format!(
            "{}: {} 访客, {} 买家, {}",
            c.period_text(),
            s.visitors,
            s.buyers,
            c.money(s.amount as f64)
        ));
        f.action = format!(
            "先提高转化率再提高访客数：{} 转化高，优先加大这个来源（加预算、做活动、提高排名），既增加访客又拉高整体转化",
            row.group
        );
        f.confidence = Confidence::tested(
            "two-proportion z-test against the other sources",
            sig.p_value,
        );
        out.push(Candidate {
            finding: f.opportunity(),
            keep: cr > rest_cr * 1.2 && share < 1.0 / n as f64,
        });
    }
    out
}
