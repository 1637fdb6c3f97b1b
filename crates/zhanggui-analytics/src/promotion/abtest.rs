//! Creative and image tests (横向测试): the readout of a test from its arms' counts.
//!
//! - A rate (CTR, CVR, retention) is compared with the two-proportion z-test (pooled
//!   standard error for the p-value, unpooled for the interval of the difference).
//! - An amount per unit (revenue per visitor) with Welch's t-test from each arm's sums
//!   and sums of squares; where an arm has only daily totals (an ad report's sales and
//!   clicks per day), its ratio's variance comes from the delta method over the days.
//! - A sample-ratio-mismatch check (χ² against the planned split, flagged below p = 0.001)
//!   says when the split itself is broken and no verdict should be read.
//! - The probability that each arm beats the first is read from Beta(1 + x, 1 + n − x)
//!   posteriors (normal approximation, exact enough for the counts ads give).
//! - Peeking: a test has a fixed horizon (units per arm). Before every arm reaches it, the
//!   readout shows the counts and withholds the verdict; reading p-values early and
//!   stopping at the first small one inflates false winners.
//!
//! The sample size per arm follows Evan Miller's formula ("How Not To Run An A/B Test" and
//! his sample-size calculator, evanmiller.org): for a baseline rate p and an absolute
//! change δ, n = (z₁₋α/₂·√(2p(1−p)) + z₁₋β·√(p(1−p) + (p+δ)(1−p−δ)))² / δ².

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

use super::intervals::{normal_cdf, normal_quantile, wilson, CONFIDENCE};

/// What a test compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TestMetric {
    /// Clicks out of impressions.
    Ctr,
    /// Orders out of clicks (or visitors).
    Cvr,
    /// A yes/no outcome per unit (retention, conversion) from a file of units.
    Rate,
    /// An amount per unit (revenue per visitor), compared by its mean.
    Mean,
}

impl TestMetric {
    pub fn parse(s: &str) -> Option<TestMetric> {
        Some(match s {
            "ctr" => TestMetric::Ctr,
            "cvr" => TestMetric::Cvr,
            "rate" => TestMetric::Rate,
            "mean" | "rpv" => TestMetric::Mean,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TestMetric::Ctr => "ctr",
            TestMetric::Cvr => "cvr",
            TestMetric::Rate => "rate",
            TestMetric::Mean => "mean",
        }
    }

    pub fn is_rate(self) -> bool {
        !matches!(self, TestMetric::Mean)
    }
}

/// One arm's counts, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ArmCounts {
    pub arm: String,
    pub units: i64,
    pub successes: i64,
    pub value_sum: Option<f64>,
    pub value_sq_sum: Option<f64>,
    /// Daily (units, amount) pairs, when the arm comes from an ad report without squares.
    pub days: Vec<(f64, f64)>,
}

/// One arm in a readout.
#[derive(Debug, Clone, Serialize)]
pub struct ArmReadout {
    pub arm: String,
    pub units: i64,
    pub successes: i64,
    /// The rate, or the mean amount per unit.
    pub value: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// Against the first arm: the difference, its interval, the relative lift, the
    /// two-sided p-value and the probability this arm is the better one.
    pub difference: Option<f64>,
    pub difference_low: Option<f64>,
    pub difference_high: Option<f64>,
    pub lift: Option<f64>,
    pub p_value: Option<f64>,
    pub probability_better: Option<f64>,
}

/// The sample-ratio check.
#[derive(Debug, Clone, Serialize)]
pub struct SampleRatio {
    pub chi_square: f64,
    pub p_value: f64,
    /// True when the split differs from the plan beyond chance (p < 0.001).
    pub mismatch: bool,
}

/// What the test says.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Verdict {
    /// Fewer arms than two, or no counts.
    NoData,
    /// The split is broken: fix the assignment before reading anything.
    SampleRatioMismatch,
    /// The horizon is not reached: `units` of the smallest arm out of `planned`.
    Running { units: i64, planned: i64 },
    /// An arm differs from the first beyond chance at 5 %.
    Winner { arm: String },
    /// No arm differs from the first beyond chance.
    NoDifference,
}

/// A test's readout.
#[derive(Debug, Clone, Serialize)]
pub struct Readout {
    pub metric: TestMetric,
    /// The test behind the p-values, in words.
    pub method: &'static str,
    pub confidence: f64,
    pub arms: Vec<ArmReadout>,
    pub sample_ratio: Option<SampleRatio>,
    pub planned_units: Option<i64>,
    pub verdict: Verdict,
}

/// Reads a test out. The first arm is the control; each other arm is compared with it.
/// `planned_units` is the fixed horizon per arm.
pub fn read_out(metric: TestMetric, arms: &[ArmCounts], planned_units: Option<i64>) -> Readout {
    let readouts: Vec<ArmReadout> = arms
        .iter()
        .map(|a| {
            let (value, low, high) = if metric.is_rate() {
                let v = (a.units > 0).then(|| a.successes as f64 / a.units as f64);
                let i = wilson(a.successes as f64, a.units as f64);
                (v, i.map(|i| i.0), i.map(|i| i.1))
            } else {
                match mean_and_variance(a) {
                    Some((m, v)) => {
                        let half = z_two_sided() * (v / a.units as f64).sqrt();
                        (Some(m), Some(m - half), Some(m + half))
                    }
                    None => (None, None, None),
                }
            };
            ArmReadout {
                arm: a.arm.clone(),
                units: a.units,
                successes: a.successes,
                value,
                low,
                high,
                difference: None,
                difference_low: None,
                difference_high: None,
                lift: None,
                p_value: None,
                probability_better: None,
            }
        })
        .collect();
    let mut readouts = readouts;
    if let Some(control) = arms.first() {
        for (i, arm) in arms.iter().enumerate().skip(1) {
            let cmp = if metric.is_rate() {
                compare_rates(control, arm)
            } else {
                compare_means(control, arm)
            };
            if let Some(c) = cmp {
                let r = &mut readouts[i];
                r.difference = Some(c.difference);
                r.difference_low = Some(c.low);
                r.difference_high = Some(c.high);
                r.lift = readouts_value(control, metric)
                    .filter(|v| *v != 0.0)
                    .map(|v| c.difference / v);
                r.p_value = Some(c.p_value);
                r.probability_better = Some(c.probability_better);
            }
        }
    }
    let sample_ratio = sample_ratio(arms);
    let verdict = verdict(&readouts, sample_ratio.as_ref(), planned_units);
    Readout {
        metric,
        method: if metric.is_rate() {
            "two-proportion z-test; Wilson intervals per arm"
        } else if arms
            .iter()
            .any(|a| a.value_sq_sum.is_none() && !a.days.is_empty())
        {
            "Welch's t-test, the variance of each arm's ratio by the delta method over days"
        } else {
            "Welch's t-test"
        },
        confidence: CONFIDENCE,
        arms: readouts,
        sample_ratio,
        planned_units,
        verdict,
    }
}

fn readouts_value(a: &ArmCounts, metric: TestMetric) -> Option<f64> {
    if metric.is_rate() {
        (a.units > 0).then(|| a.successes as f64 / a.units as f64)
    } else {
        mean_and_variance(a).map(|(m, _)| m)
    }
}

fn z_two_sided() -> f64 {
    normal_quantile(1.0 - (1.0 - CONFIDENCE) / 2.0)
}

struct Comparison {
    difference: f64,
    low: f64,
    high: f64,
    p_value: f64,
    probability_better: f64,
}

fn compare_rates(a: &ArmCounts, b: &ArmCounts) -> Option<Comparison> {
    if a.units <= 0 || b.units <= 0 {
        return None;
    }
    let (n1, n2) = (a.units as f64, b.units as f64);
    let (p1, p2) = (a.successes as f64 / n1, b.successes as f64 / n2);
    let pooled = (a.successes + b.successes) as f64 / (n1 + n2);
    let se_pooled = (pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)).sqrt();
    let se = (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2).sqrt();
    let d = p2 - p1;
    let p_value = if se_pooled > 0.0 {
        2.0 * (1.0 - normal_cdf((d / se_pooled).abs()))
    } else {
        1.0
    };
    // Beta(1 + x, 1 + n − x) posteriors, each taken as normal.
    let beta = |x: f64, n: f64| {
        let (al, be) = (1.0 + x, 1.0 + n - x);
        let mean = al / (al + be);
        let var = al * be / ((al + be).powi(2) * (al + be + 1.0));
        (mean, var)
    };
    let (m1, v1) = beta(a.successes as f64, n1);
    let (m2, v2) = beta(b.successes as f64, n2);
    let probability_better = normal_cdf((m2 - m1) / (v1 + v2).sqrt());
    let z = z_two_sided();
    Some(Comparison {
        difference: d,
        low: d - z * se,
        high: d + z * se,
        p_value,
        probability_better,
    })
}

/// An arm's mean amount per unit and the variance of one unit's amount.
fn mean_and_variance(a: &ArmCounts) -> Option<(f64, f64)> {
    let n = a.units as f64;
    if a.units < 2 {
        return None;
    }
    match (a.value_sum, a.value_sq_sum) {
        (Some(s), Some(sq)) => {
            let m = s / n;
            Some((m, ((sq - n * m * m) / (n - 1.0)).max(0.0)))
        }
        (Some(s), None) if a.days.len() >= 2 => {
            // Delta method for a ratio of sums over k days (Deng, Knoblich & Lu 2018,
            // "Applying the Delta Method in Metric Analytics", KDD): var(ΣY/ΣX) ≈
            // (var(Y) − 2R·cov(X, Y) + R²·var(X)) / (k·mean(X)²); returned per unit so
            // that dividing by the units gives it back.
            let k = a.days.len() as f64;
            let r = s / n;
            let mx = a.days.iter().map(|d| d.0).sum::<f64>() / k;
            let my = a.days.iter().map(|d| d.1).sum::<f64>() / k;
            let (mut vx, mut vy, mut cxy) = (0.0, 0.0, 0.0);
            for (x, y) in &a.days {
                vx += (x - mx).powi(2);
                vy += (y - my).powi(2);
                cxy += (x - mx) * (y - my);
            }
            let (vx, vy, cxy) = (vx / (k - 1.0), vy / (k - 1.0), cxy / (k - 1.0));
            let var_ratio = (vy - 2.0 * r * cxy + r * r * vx) / (k * mx * mx);
            Some((r, (var_ratio * n).max(0.0)))
        }
        _ => None,
    }
}

fn compare_means(a: &ArmCounts, b: &ArmCounts) -> Option<Comparison> {
    let (m1, v1) = mean_and_variance(a)?;
    let (m2, v2) = mean_and_variance(b)?;
    let (n1, n2) = (a.units as f64, b.units as f64);
    let (s1, s2) = (v1 / n1, v2 / n2);
    let se = (s1 + s2).sqrt();
    let d = m2 - m1;
    if se == 0.0 {
        return None;
    }
    // Welch–Satterthwaite degrees of freedom.
    let df = (s1 + s2).powi(2) / (s1 * s1 / (n1 - 1.0) + s2 * s2 / (n2 - 1.0));
    let t = StudentsT::new(0.0, 1.0, df).ok()?;
    let p_value = 2.0 * (1.0 - t.cdf((d / se).abs()));
    let q = t.inverse_cdf(1.0 - (1.0 - CONFIDENCE) / 2.0);
    Some(Comparison {
        difference: d,
        low: d - q * se,
        high: d + q * se,
        p_value,
        probability_better: normal_cdf(d / se),
    })
}

/// χ² of the arms' units against an even split.
fn sample_ratio(arms: &[ArmCounts]) -> Option<SampleRatio> {
    if arms.len() < 2 {
        return None;
    }
    let total: f64 = arms.iter().map(|a| a.units as f64).sum();
    if total <= 0.0 {
        return None;
    }
    let expected = total / arms.len() as f64;
    let chi_square: f64 = arms
        .iter()
        .map(|a| (a.units as f64 - expected).powi(2) / expected)
        .sum();
    let dist = ChiSquared::new((arms.len() - 1) as f64).ok()?;
    let p_value = 1.0 - dist.cdf(chi_square);
    Some(SampleRatio {
        chi_square,
        p_value,
        mismatch: p_value < 0.001,
    })
}

fn verdict(arms: &[ArmReadout], srm: Option<&SampleRatio>, planned: Option<i64>) -> Verdict {
    if arms.len() < 2 || arms.iter().any(|a| a.units <= 0) {
        return Verdict::NoData;
    }
    if srm.is_some_and(|s| s.mismatch) {
        return Verdict::SampleRatioMismatch;
    }
    let smallest = arms.iter().map(|a| a.units).min().unwrap_or(0);
    if let Some(planned) = planned {
        if smallest < planned {
            return Verdict::Running {
                units: smallest,
                planned,
            };
        }
    }
    let alpha = 1.0 - CONFIDENCE;
    let best = arms
        .iter()
        .skip(1)
        .filter(|a| a.p_value.is_some_and(|p| p < alpha))
        .max_by(|x, y| {
            x.difference
                .unwrap_or(0.0)
                .abs()
                .total_cmp(&y.difference.unwrap_or(0.0).abs())
        });
    match best {
        Some(b) if b.difference.unwrap_or(0.0) > 0.0 => Verdict::Winner { arm: b.arm.clone() },
        Some(_) => Verdict::Winner {
            arm: arms[0].arm.clone(),
        },
        None => Verdict::NoDifference,
    }
}

/// Units per arm to detect an absolute change `delta` from a `baseline` rate with a
/// two-sided test at 5 % and power 80 % (Evan Miller's formula, module doc).
pub fn sample_size(baseline: f64, delta: f64) -> Option<i64> {
    let p2 = baseline + delta;
    if !(0.0..1.0).contains(&baseline) || !(0.0..=1.0).contains(&p2) || delta == 0.0 {
        return None;
    }
    let za = normal_quantile(1.0 - 0.05 / 2.0);
    let zb = normal_quantile(0.80);
    let a = za * (2.0 * baseline * (1.0 - baseline)).sqrt();
    let b = zb * (baseline * (1.0 - baseline) + p2 * (1.0 - p2)).sqrt();
    Some(((a + b).powi(2) / (delta * delta)).ceil() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// The sample size finds the change it was sized for about 80 % of the time, and a
    /// test with no change says so about 95 % of the time: simulated experiments.
    #[test]
    fn the_sample_size_gives_the_power_it_promises() {
        let (baseline, delta) = (0.10, 0.03);
        let n = sample_size(baseline, delta).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let runs = 1000;
        let mut found = 0;
        let mut false_alarms = 0;
        let draw = |p: f64, rng: &mut rand_chacha::ChaCha8Rng| {
            (0..n).filter(|_| rng.random::<f64>() < p).count() as i64
        };
        for _ in 0..runs {
            let arm = |name: &str, successes| ArmCounts {
                arm: name.into(),
                units: n,
                successes,
                value_sum: None,
                value_sq_sum: None,
                days: Vec::new(),
            };
            let a = draw(baseline, &mut rng);
            let b = draw(baseline + delta, &mut rng);
            let c = draw(baseline, &mut rng);
            let r = read_out(TestMetric::Rate, &[arm("a", a), arm("b", b)], Some(n));
            if r.verdict == (Verdict::Winner { arm: "b".into() }) {
                found += 1;
            }
            let r = read_out(TestMetric::Rate, &[arm("a", a), arm("c", c)], Some(n));
            if r.verdict != Verdict::NoDifference {
                false_alarms += 1;
            }
        }
        let power = found as f64 / runs as f64;
        let alpha = false_alarms as f64 / runs as f64;
        assert!((0.76..=0.84).contains(&power), "power {power} at n = {n}");
        assert!((0.03..=0.07).contains(&alpha), "false alarms {alpha}");
    }

    #[test]
    fn welch_from_sums_matches_the_textbook_case() {
        // Two samples: 1, 2, 3, 4, 5 and 2, 4, 6, 8, 10 → means 3 and 6, variances 2.5
        // and 10; t = 3 / √2.5 = 1.897, Welch df = 5.88, two-sided p = 0.107.
        let arm = |name: &str, v: &[f64]| ArmCounts {
            arm: name.into(),
            units: v.len() as i64,
            successes: 0,
            value_sum: Some(v.iter().sum()),
            value_sq_sum: Some(v.iter().map(|x| x * x).sum()),
            days: Vec::new(),
        };
        let r = read_out(
            TestMetric::Mean,
            &[
                arm("a", &[1., 2., 3., 4., 5.]),
                arm("b", &[2., 4., 6., 8., 10.]),
            ],
            None,
        );
        let b = &r.arms[1];
        assert!((b.difference.unwrap() - 3.0).abs() < 1e-12);
        assert!(
            (b.p_value.unwrap() - 0.107).abs() < 0.002,
            "{:?}",
            b.p_value
        );
    }
}
