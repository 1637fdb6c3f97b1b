//! The diagnosis: the rules of PRODUCT.md §3 and seed 002 §八 run as checks over a period,
//! each finding with its evidence, money at stake, action and confidence; what the books
//! show lost or owed (products sold at a loss, ads above break-even, an ad plan below its
//! break-even ROI, refunds eating a margin, orders never settled) ranked first, then problems (sales being lost), then
//! opportunities (sales to win), each kind by money at stake.
//!
//! A finding about a change is reported only when its test says the change is unlikely
//! to be noise: every test of the run is collected, the p-values are adjusted for their
//! number (Benjamini-Hochberg, so that looking at 300 products does not produce 15 false
//! alarms), and a change is kept when its adjusted p-value is below `alpha`.

mod context;
mod finding;
mod product_rules;
mod profit_rules;
mod promotion_rules;
mod shop_rules;
mod source_rules;
pub mod thresholds;

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{AdBy, AdStore, CostStore, DayRange, Store};

pub use finding::{Confidence, Finding, Kind, Severity};
pub use thresholds::{ThresholdError, Thresholds};

use crate::period::{Compare, PeriodSpec};
use crate::promotion::{ads_report, read_tests, AdsRequest};
use crate::report::{anchor_or_last, ReportError};
use context::Context;

/// A rule's finding before the tests of the whole run are weighed.
pub(crate) struct Candidate {
    pub finding: Finding,
    /// The rule's own conditions hold (direction, size); a tested finding must also pass
    /// the adjusted test.
    pub keep: bool,
}

/// The diagnosis of one shop for one period.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub shop: String,
    pub period: DayRange,
    pub compare: Compare,
    pub compared_with: DayRange,
    pub thresholds: Thresholds,
    /// Tests run, of which the kept changes passed.
    pub tests: usize,
    /// Profit findings, problems, then opportunities, each ranked by money at stake.
    pub findings: Vec<Finding>,
}

/// What to diagnose.
#[derive(Debug, Clone, Copy)]
pub struct DiagnoseRequest {
    pub period: PeriodSpec,
    pub compare: Compare,
    pub anchor: Option<NaiveDate>,
    /// Thresholds to use instead of the shop's.
    pub thresholds: Option<Thresholds>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiagnoseError {
    #[error(transparent)]
    Report(#[from] ReportError),
    #[error("the shop's diagnosis settings are wrong: {0}")]
    Thresholds(#[from] ThresholdError),
}

impl From<zhanggui_storage::StoreError> for DiagnoseError {
    fn from(e: zhanggui_storage::StoreError) -> Self {
        DiagnoseError::Report(ReportError::Store(e))
    }
}

/// Runs every rule and ranks what they find.
pub fn diagnose<S: Store + CostStore + AdStore>(
    store: &S,
    shop: &Shop,
    req: DiagnoseRequest,
) -> Result<Diagnosis, DiagnoseError> {
    let thresholds = match req.thresholds {
        Some(t) => t,
        None => Thresholds::from_settings(&store.settings(shop)?)?,
    };
    let anchor = anchor_or_last(store, shop, req.anchor)?;
    let range = req.period.resolve(anchor);
    let compared = req.period.compared(range, req.compare);
    let mut c = Context::gather(store, store, shop, thresholds, range, compared)?;
    if store.ad_span(shop)?.is_some() {
        c.ads = Some(ads_report(
            store,
            shop,
            AdsRequest {
                range,
                by: AdBy::Campaign,
                margin: None,
                rules: Default::default(),
                goals: Default::default(),
                targets: Default::default(),
            },
        )?);
    }
    c.tests = read_tests(store, shop)?;
    let rules: [fn(&Context<'_>) -> Vec<Candidate>; 18] = [
        profit_rules::loses_money,
        profit_rules::ads_above_break_even,
        promotion_rules::plan_below_break_even,
        promotion_rules::creative_wins,
        profit_rules::refunds_eat_margin,
        profit_rules::unsettled_orders,
        shop_rules::conversion_below_peer,
        shop_rules::uv_value_below_peer,
        shop_rules::conversion_change,
        shop_rules::refund_spike,
        shop_rules::slow_shipping,
        product_rules::conversion_change,
        product_rules::trend_break,
        product_rules::no_sales,
        product_rules::presale,
        product_rules::order_value_lever,
        source_rules::source_change,
        source_rules::high_conversion_low_share,
    ];
    let mut candidates: Vec<Candidate> = rules.iter().flat_map(|rule| rule(&c)).collect();
    let tests = adjust(&mut candidates);
    let sales = c.sales();
    let mut findings: Vec<Finding> = candidates
        .into_iter()
        .filter(|cand| {
            cand.keep
                && cand
                    .finding
                    .confidence
                    .adjusted_p
                    .is_none_or(|p| p < thresholds.alpha)
        })
        .map(|cand| {
            let mut f = cand.finding;
            f.severity = Severity::of(f.money_at_stake, sales);
            describe_confidence(&mut f.confidence, thresholds.alpha);
            f
        })
        .collect();
    dedupe(&mut findings);
    rank(&mut findings);
    Ok(Diagnosis {
        shop: shop.name.to_string(),
        period: range,
        compare: req.compare,
        compared_with: compared,
        thresholds,
        tests,
        findings,
    })
}

/// Profit findings (money the books show lost or owed, measured to the cent), then
/// problems, then opportunities, each by money at stake (then rule and subject, so the
/// order is stable). Seed 002's rule is to raise conversion before buying traffic: what is
/// losing sales now comes before what could win more, whose stake rests on an assumed step
/// of growth (`growth_step`) rather than on a loss measured. Ranked by money alone, a
/// product whose conversion collapsed in the last week sat below half a dozen such
/// estimates.
fn rank(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.kind
            .cmp(&b.kind)
            .then_with(|| b.money_at_stake.cmp(&a.money_at_stake))
            .then_with(|| a.rule.cmp(b.rule))
            .then_with(|| a.subject.cmp(&b.subject))
    });
}

/// Benjamini-Hochberg: each tested candidate's p-value adjusted for all the tests of the
/// run. Returns the number of tests.
fn adjust(candidates: &mut [Candidate]) -> usize {
    let mut tested: Vec<(usize, f64)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.finding.confidence.p_value.map(|p| (i, p)))
        .collect();
    let m = tested.len();
    tested.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut running = 1.0_f64;
    for rank in (0..m).rev() {
        let (i, p) = tested[rank];
        running = running.min(p * m as f64 / (rank + 1) as f64).min(1.0);
        candidates[i].finding.confidence.adjusted_p = Some(running);
    }
    m
}

fn describe_confidence(c: &mut Confidence, alpha: f64) {
    if let Some(adjusted) = c.adjusted_p {
        c.statement = format!(
            "{}: p = {}, {:.3} after adjusting for the number of tests; below {alpha}, so unlikely to be noise",
            c.test,
            show_p(c.p_value.unwrap_or(adjusted)),
            adjusted
        );
    }
}

fn show_p(p: f64) -> String {
    if p < 0.0001 {
        "<0.0001".into()
    } else {
        format!("{p:.4}")
    }
}

/// One finding per rule family and subject: a product whose conversion fell over the
/// period and broke its trend at the end is reported once, with the larger stake, and so
/// is a product that loses money with refunds that eat its margin.
fn dedupe(findings: &mut Vec<Finding>) {
    findings.sort_by_key(|f| std::cmp::Reverse(f.money_at_stake));
    fn family(rule: &'static str) -> &'static str {
        match rule {
            "product_conversion_change" | "product_conversion_break" => "product_conversion",
            // A product that loses money and whose refunds eat its margin: one finding.
            "product_loses_money" | "refunds_eat_margin" => "product_profit",
            other => other,
        }
    }
    let mut seen = std::collections::HashSet::new();
    findings.retain(|f| {
        f.subject.is_none() || seen.insert((family(f.rule).to_owned(), f.subject.clone()))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(p: f64) -> Candidate {
        Candidate {
            finding: Finding {
                rule: "t",
                kind: Kind::Problem,
                severity: Severity::Low,
                subject: None,
                subject_label: None,
                title: String::new(),
                evidence: Vec::new(),
                money_at_stake: 0,
                stake_basis: "",
                action: String::new(),
                confidence: Confidence::tested("t", p),
            },
            keep: true,
        }
    }

    #[test]
    fn benjamini_hochberg_by_hand() {
        // p = 0.01, 0.04, 0.03, 0.20 (m = 4): sorted 0.01, 0.03, 0.04, 0.20 →
        // 0.04, 0.0533, 0.0533, 0.20.
        let mut c: Vec<Candidate> = [0.01, 0.04, 0.03, 0.20].map(candidate).into();
        assert_eq!(adjust(&mut c), 4);
        let adj: Vec<f64> = c
            .iter()
            .map(|c| c.finding.confidence.adjusted_p.unwrap())
            .collect();
        let third = 0.04 * 4.0 / 3.0;
        assert!((adj[0] - 0.04).abs() < 1e-12);
        assert!((adj[1] - third).abs() < 1e-12);
        assert!(
            (adj[2] - third).abs() < 1e-12,
            "monotone: min over the ranks above"
        );
        assert!((adj[3] - 0.20).abs() < 1e-12);
    }
}
