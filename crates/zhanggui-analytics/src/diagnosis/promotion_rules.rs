//! Rules on promotion, from the imported ad reports and the shop's creative tests (issue
//! "promotion", seed 002 §五): an ad plan whose ROI interval lies wholly below its
//! break-even ROI loses money on every yuan it spends, and a creative test that has
//! reached its horizon with a winner is money left on the table until the loser is
//! switched off. No ad report, no plan finding; no test, no creative finding.

use super::context::{pct, Context};
use super::finding::{Confidence, Finding};
use super::Candidate;
use crate::promotion::abtest::{ArmReadout, TestMetric, Verdict};
use crate::promotion::readouts::ADS_SOURCE;
use crate::promotion::{PlanJudgement, Standing, TestReadout};

/// Whether a stake is worth a finding: `min_profit_stake` of the period's sales.
fn worth(c: &Context<'_>, stake: f64) -> bool {
    stake > 0.0 && stake >= c.t.min_profit_stake * c.sales() as f64
}

fn plan_label(p: &PlanJudgement) -> String {
    if p.metrics.attribution.is_empty() {
        format!("{}（{}）", p.metrics.campaign, p.metrics.tool)
    } else {
        format!(
            "{}（{}，{}）",
            p.metrics.campaign, p.metrics.tool, p.metrics.attribution
        )
    }
}

/// A plan whose whole ROI interval (from its clicks and orders) is below its break-even
/// ROI: the margin of the sales it brought does not pay for its spend.
pub fn plan_below_break_even(c: &Context<'_>) -> Vec<Candidate> {
    let Some(ads) = &c.ads else {
        return Vec::new();
    };
    ads.rows
        .iter()
        .filter(|p| p.standing == Standing::Below)
        .filter_map(|p| {
            let m = &p.metrics;
            let margin = p.margin?;
            let spend = m.spend.minor as f64;
            let sales = m.sales.map_or(0.0, |s| s.minor as f64);
            let loss = spend - sales * margin;
            if !worth(c, loss) {
                return None;
            }
            let roi = m.roi.unwrap_or(0.0);
            let mut f = Finding::new(
                "plan_below_break_even",
                format!(
                    "推广计划 {} 的 ROI {:.2} 低于保本 ROI {:.2}：花费 {}，带来的毛利只有 {}，亏 {}",
                    plan_label(p),
                    roi,
                    p.break_even_roi.unwrap_or(0.0),
                    m.spend,
                    c.money(sales * margin),
                    c.money(loss)
                ),
                loss,
                "the plan's spend less its attributed sales times the margin",
            )
            .about(&m.campaign, Some(plan_label(p)))
            .profit();
            f.evidence.push(format!(
                "{}: 展现 {}，点击 {}，成交 {:.1} 笔，成交金额 {}；ROI 的 95% 区间 {:.2} – {:.2}，整体低于保本 ROI（毛利率 {}，{}）",
                c.period_text(),
                m.impressions.map_or("–".to_owned(), |v| v.to_string()),
                m.clicks.map_or("–".to_owned(), |v| v.to_string()),
                m.orders.unwrap_or(0.0),
                m.sales.map_or("–".to_owned(), |s| s.to_string()),
                p.roi_low.unwrap_or(0.0),
                p.roi_high.unwrap_or(0.0),
                pct(margin),
                p.margin_source
            ));
            let moves: Vec<String> = ads
                .moves
                .iter()
                .filter(|mv| mv.from_campaign == m.campaign && mv.tool == m.tool)
                .map(|mv| {
                    format!(
                        "把 {} 移到 {}（ROI {:.2}），预计多带来成交 {}（{} – {}）",
                        mv.amount,
                        mv.to_campaign,
                        mv.to_roi,
                        mv.sales_change,
                        mv.sales_change_low,
                        mv.sales_change_high
                    )
                })
                .collect();
            f.action = if moves.is_empty() {
                format!(
                    "降低这个计划的出价和日限额，停掉点击多、成交少的关键词和人群；ROI 回到 {:.2} 以上再放量",
                    p.break_even_roi.unwrap_or(0.0)
                )
            } else {
                format!(
                    "降低这个计划的出价和日限额：{}",
                    moves.join("；")
                )
            };
            f.confidence = Confidence::level(
                "the plan's ROI interval (Wilson on its clicks and orders, 95 %) lies wholly below break-even",
            );
            Some(Candidate {
                finding: f,
                keep: true,
            })
        })
        .collect()
}

/// The word for a test's units, in the finding's title.
fn unit_word(metric: TestMetric) -> &'static str {
    match metric {
        TestMetric::Ctr => "次展现",
        TestMetric::Cvr | TestMetric::Mean => "次点击",
        TestMetric::Rate => "个样本",
    }
}

fn show_value(metric: TestMetric, v: Option<f64>, c: &Context<'_>) -> String {
    match (metric, v) {
        (_, None) => "–".to_owned(),
        (TestMetric::Mean, Some(v)) => {
            let exponent = 10f64.powi(c.shop.currency.exponent() as i32);
            c.money(v * exponent)
        }
        (_, Some(v)) => pct(v),
    }
}

/// The winner and the arm it beat, with the winner's edge and the probability it is the
/// better one.
fn pair(readout: &[ArmReadout], winner: &str) -> Option<(usize, usize, f64, f64)> {
    let w = readout.iter().position(|a| a.arm == winner)?;
    if w > 0 {
        let a = &readout[w];
        return Some((w, 0, a.difference?, a.probability_better?));
    }
    // The control won: against the arm that lost to it most clearly.
    let (l, a) = readout
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, a)| a.p_value.is_some_and(|p| p < 0.05))
        .min_by(|x, y| {
            x.1.difference
                .unwrap_or(0.0)
                .total_cmp(&y.1.difference.unwrap_or(0.0))
        })?;
    Some((0, l, -a.difference?, 1.0 - a.probability_better?))
}

/// Value of one success of the test's metric, in minor units: a click at the plan's (or
/// else all ads') sales per click, an order at its order value.
fn success_value(c: &Context<'_>, t: &TestReadout, loser_source: Option<&str>) -> Option<f64> {
    let ads = c.ads.as_ref()?;
    let plan = loser_source
        .and_then(|s| s.strip_prefix(ADS_SOURCE))
        .and_then(|s| s.rsplit_once('/'))
        .map(|(plan, _)| plan);
    let rows: Vec<&crate::promotion::PlanMetrics> = match plan {
        Some(plan) => ads
            .rows
            .iter()
            .map(|r| &r.metrics)
            .filter(|m| m.campaign == plan)
            .collect(),
        None => ads.tools.iter().collect(),
    };
    let sales: f64 = rows
        .iter()
        .filter_map(|m| m.sales.map(|s| s.minor as f64))
        .sum();
    let clicks: f64 = rows.iter().filter_map(|m| m.clicks.map(|v| v as f64)).sum();
    let orders: f64 = rows.iter().filter_map(|m| m.orders).sum();
    match t.readout.metric {
        TestMetric::Ctr => (clicks > 0.0).then(|| sales / clicks),
        TestMetric::Cvr => (orders > 0.0).then(|| sales / orders),
        _ => None,
    }
}

/// A creative test past its horizon with a winner: the loser's traffic given to the
/// winner would have brought the difference times the loser's units.
pub fn creative_wins(c: &Context<'_>) -> Vec<Candidate> {
    c.tests
        .iter()
        .filter_map(|t| {
            let Verdict::Winner { arm } = &t.readout.verdict else {
                return None;
            };
            let arms = &t.readout.arms;
            let (w, l, edge, probability) = pair(arms, arm)?;
            let (win, lose) = (&arms[w], &arms[l]);
            let metric = t.readout.metric;
            let loser_source = t.sources.get(&lose.arm).map(String::as_str);
            let stake = match metric {
                TestMetric::Mean => {
                    let exponent = 10f64.powi(c.shop.currency.exponent() as i32);
                    Some(edge * lose.units as f64 * exponent)
                }
                _ => success_value(c, t, loser_source).map(|v| edge * lose.units as f64 * v),
            }
            .unwrap_or(0.0);
            let units = win.units + lose.units;
            let mut f = Finding::new(
                "creative_wins",
                format!(
                    "测试 {}：{} 胜过 {}，{} {} 对 {}，{} 更好的概率 {:.0}%（{} {}后）",
                    t.test.name,
                    win.arm,
                    lose.arm,
                    metric.as_str(),
                    show_value(metric, win.value, c),
                    show_value(metric, lose.value, c),
                    win.arm,
                    probability * 100.0,
                    units,
                    unit_word(metric)
                ),
                stake,
                "the winner's edge times the loser's units, at the plan's value per click or order",
            )
            .about(&t.test.name, Some(format!("{} / {}", win.arm, lose.arm)))
            .opportunity();
            for a in [win, lose] {
                f.evidence.push(format!(
                    "{}：{} {}，{} 次成功，{} {}（95% 区间 {} – {}）",
                    a.arm,
                    a.units,
                    unit_word(metric),
                    a.successes,
                    metric.as_str(),
                    show_value(metric, a.value, c),
                    show_value(metric, a.low, c),
                    show_value(metric, a.high, c)
                ));
            }
            f.evidence.push(format!(
                "自 {} 起，每组预定 {} 后读数；{}",
                t.test.started_on,
                t.test
                    .planned_units
                    .map_or("–".to_owned(), |u| format!("{u} {}", unit_word(metric))),
                t.readout.method
            ));
            f.action = format!(
                "把 {} 的展现和预算全部给 {}：停用 {}，用 {} 的图和文案做下一轮测试的对照组",
                lose.arm, win.arm, lose.arm, win.arm
            );
            let p = if w > 0 { win.p_value } else { lose.p_value };
            f.confidence = Confidence::level(&format!(
                "the test's own verdict at its fixed horizon: {}, p = {:.4}",
                t.readout.method,
                p.unwrap_or(1.0)
            ));
            Some(Candidate {
                finding: f,
                keep: true,
            })
        })
        .collect()
}
