//! Paid traffic's pull on free traffic (付费带动免费): whether free visitors rise in the week
//! after paid visitors rose, for the shop (paid and free sources of the traffic-source
//! report) and for each product an ad report names (its ad clicks against its visitors).
//!
//! The estimate is a regression on the week-to-week changes of whole calendar weeks
//! (Monday to Sunday), in visitors a day:
//!
//! ```text
//! Δfree(w) = a + b0·Δpaid(w) + b1·Δpaid(w − 1) + c·Δfree(w − 1) + e(w)
//! ```
//!
//! Taking changes removes what stays (the shop's size, a product's standing in search), and
//! `b0` takes up what moves both in the same week (a holiday, the season turning), so `b1`,
//! the pull, is the free visitors a day that one more paid visitor a day last week brings
//! this week; `Δfree(w − 1)` takes up demand that swings back. Its interval is from
//! Newey–West standard errors (four weeks' lags, Bartlett weights, residuals scaled by
//! their leverage), so weeks that move together are not counted as independent evidence.
//! The data are observational: the estimate is as good as the assumption that budget
//! changes, not the demand that moves free traffic, are what moved paid visitors.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};
use zhanggui_domain::Shop;
use zhanggui_storage::{AdStore, DayRange, StoreError};

/// Weeks of lag in the standard errors.
pub const LAG_WEEKS: usize = 4;
/// The fewest usable weeks (each with the two weeks before it) an estimate is given on.
pub const MIN_WEEKS: usize = 12;
const COEFFICIENTS: usize = 4;
const LAST_WEEK: usize = 2;

/// One day's paid and free visitors.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrafficDay {
    pub day: NaiveDate,
    pub paid: f64,
    pub free: f64,
}

/// The days the pull is estimated over: the 52 weeks up to `to`.
pub fn pull_range(to: NaiveDate) -> DayRange {
    DayRange {
        from: to - Duration::days(7 * 52 - 1),
        to,
    }
}

/// The shop's pull and each advertised product's, over the 52 weeks up to `to`: the shop
/// first (when it has a traffic-source report), then products by paid visitors a day.
pub fn pulls<S: AdStore>(store: &S, shop: &Shop, to: NaiveDate) -> Result<Vec<Pull>, StoreError> {
    let mut by_scope: BTreeMap<Option<String>, Vec<TrafficDay>> = BTreeMap::new();
    for d in store.paid_free_days(shop, pull_range(to))? {
        by_scope
            .entry(d.product_code)
            .or_default()
            .push(TrafficDay {
                day: d.day,
                paid: d.paid as f64,
                free: d.free as f64,
            });
    }
    let mut out: Vec<Pull> = by_scope
        .into_iter()
        .map(|(scope, days)| estimate(scope, &days))
        .collect();
    // The shop first, then products by paid visitors a day, most first.
    out.sort_by(|a, b| {
        a.product_code
            .is_some()
            .cmp(&b.product_code.is_some())
            .then(b.paid_per_day.total_cmp(&a.paid_per_day))
    });
    Ok(out)
}

/// What the estimate says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PullVerdict {
    /// The interval lies above zero: paid visitors bring free ones.
    Pulls,
    /// The interval lies below zero: paid visitors take the place of free ones.
    CrowdsOut,
    /// The interval holds zero.
    NoneFound,
    /// Fewer usable weeks than `MIN_WEEKS`, or paid visitors that never changed.
    NotEnoughData,
}

impl PullVerdict {
    pub fn label(self) -> &'static str {
        match self {
            PullVerdict::Pulls => "pulls free traffic",
            PullVerdict::CrowdsOut => "crowds free traffic out",
            PullVerdict::NoneFound => "no pull found",
            PullVerdict::NotEnoughData => "not enough weeks",
        }
    }
}

/// The pull of one scope (the shop, or a product).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pull {
    /// `None` for the shop, else the product code.
    pub product_code: Option<String>,
    /// Usable weeks (whole weeks with the two whole weeks before them).
    pub weeks: usize,
    pub paid_per_day: f64,
    pub free_per_day: f64,
    /// Free visitors a day this week per paid visitor a day more last week; `None`
    /// without an estimate.
    pub pull: Option<f64>,
    /// The 95 % interval of `pull`.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// What moves with paid visitors in the same week (`b0`).
    pub same_week: Option<f64>,
    pub verdict: PullVerdict,
}

/// Estimates the pull over `days` (any order; a week missing a day is left out, and the
/// changes around it with it).
pub fn estimate(product_code: Option<String>, days: &[TrafficDay]) -> Pull {
    let rows = design(days);
    let n = rows.len();
    let mean = |f: fn(&TrafficDay) -> f64| {
        if days.is_empty() {
            0.0
        } else {
            days.iter().map(f).sum::<f64>() / days.len() as f64
        }
    };
    let mut out = Pull {
        product_code,
        weeks: n,
        paid_per_day: mean(|d| d.paid),
        free_per_day: mean(|d| d.free),
        pull: None,
        low: None,
        high: None,
        same_week: None,
        verdict: PullVerdict::NotEnoughData,
    };
    if n < MIN_WEEKS {
        return out;
    }
    let Some(fit) = fit(&rows) else {
        return out;
    };
    let pull = fit.beta[LAST_WEEK];
    let se = fit.cov[LAST_WEEK][LAST_WEEK].max(0.0).sqrt();
    let t = StudentsT::new(0.0, 1.0, (n - COEFFICIENTS) as f64)
        .map(|d| d.inverse_cdf(0.975))
        .unwrap_or(1.96);
    let (low, high) = (pull - t * se, pull + t * se);
    out.pull = Some(pull);
    out.low = Some(low);
    out.high = Some(high);
    out.same_week = Some(fit.beta[1]);
    out.verdict = if low > 0.0 {
        PullVerdict::Pulls
    } else if high < 0.0 {
        PullVerdict::CrowdsOut
    } else {
        PullVerdict::NoneFound
    };
    out
}

/// One usable week: its regressors and its change of free visitors.
struct Row {
    x: [f64; COEFFICIENTS],
    y: f64,
}

/// Whole weeks' visitors a day, then the changes of three weeks in a row.
fn design(days: &[TrafficDay]) -> Vec<Row> {
    let mut weeks: std::collections::BTreeMap<NaiveDate, (usize, f64, f64)> =
        std::collections::BTreeMap::new();
    let mut seen = std::collections::BTreeSet::new();
    for d in days {
        if !seen.insert(d.day) {
            continue;
        }
        let monday = d.day - Duration::days(i64::from(d.day.weekday().num_days_from_monday()));
        let w = weeks.entry(monday).or_default();
        w.0 += 1;
        w.1 += d.paid;
        w.2 += d.free;
    }
    let whole: std::collections::BTreeMap<NaiveDate, (f64, f64)> = weeks
        .into_iter()
        .filter(|(_, w)| w.0 == 7)
        .map(|(m, w)| (m, (w.1 / 7.0, w.2 / 7.0)))
        .collect();
    let mut rows = Vec::new();
    for (&monday, &(paid, free)) in &whole {
        let before = |k: i64| whole.get(&(monday - Duration::days(7 * k))).copied();
        let (Some(w1), Some(w2)) = (before(1), before(2)) else {
            continue;
        };
        rows.push(Row {
            x: [1.0, paid - w1.0, w1.0 - w2.0, w1.1 - w2.1],
            y: free - w1.1,
        });
    }
    rows
}

/// The coefficients and their Newey–West covariance.
struct Fit {
    beta: [f64; COEFFICIENTS],
    cov: Square,
}

type Square = [[f64; COEFFICIENTS]; COEFFICIENTS];

// Index loops read as the matrix algebra they are.
#[allow(clippy::needless_range_loop)]
fn fit(rows: &[Row]) -> Option<Fit> {
    let k = COEFFICIENTS;
    let mut xtx: Square = [[0.0; COEFFICIENTS]; COEFFICIENTS];
    let mut xty = [0.0; COEFFICIENTS];
    for r in rows {
        for i in 0..k {
            xty[i] += r.x[i] * r.y;
            for j in 0..k {
                xtx[i][j] += r.x[i] * r.x[j];
            }
        }
    }
    let inv = invert(xtx)?;
    let mut beta = [0.0; COEFFICIENTS];
    for i in 0..k {
        beta[i] = (0..k).map(|j| inv[i][j] * xty[j]).sum();
    }
    // Residuals scaled by their leverage (as HC3 does): the few weeks in which a budget
    // changed carry the estimate, and their raw residuals understate its spread.
    let resid: Vec<f64> = rows
        .iter()
        .map(|r| {
            let e = r.y - (0..k).map(|i| r.x[i] * beta[i]).sum::<f64>();
            let h: f64 = (0..k)
                .map(|i| (0..k).map(|j| r.x[i] * inv[i][j] * r.x[j]).sum::<f64>())
                .sum();
            e / (1.0 - h.min(0.99))
        })
        .collect();
    // S = Σ e² x xᵀ + Σ_l w_l Σ e_t e_{t−l} (x_t x_{t−l}ᵀ + x_{t−l} x_tᵀ).
    let mut s: Square = [[0.0; COEFFICIENTS]; COEFFICIENTS];
    for lag in 0..=LAG_WEEKS {
        let w = 1.0 - lag as f64 / (LAG_WEEKS as f64 + 1.0);
        for t in lag..rows.len() {
            let e = resid[t] * resid[t - lag];
            let (a, b) = (&rows[t].x, &rows[t - lag].x);
            for i in 0..k {
                for j in 0..k {
                    let term = if lag == 0 {
                        a[i] * a[j]
                    } else {
                        w * (a[i] * b[j] + b[i] * a[j])
                    };
                    s[i][j] += e * term;
                }
            }
        }
    }
    let cov = multiply(&multiply(&inv, &s), &inv);
    Some(Fit { beta, cov })
}

// Index loops read as the matrix algebra they are.
#[allow(clippy::needless_range_loop)]
fn multiply(a: &Square, b: &Square) -> Square {
    let mut out: Square = [[0.0; COEFFICIENTS]; COEFFICIENTS];
    for i in 0..COEFFICIENTS {
        for j in 0..COEFFICIENTS {
            out[i][j] = (0..COEFFICIENTS).map(|m| a[i][m] * b[m][j]).sum();
        }
    }
    out
}

/// Gauss–Jordan with partial pivoting; `None` when the matrix is (near) singular, as it is
/// when paid visitors never change or a weekday never occurs.
// Index loops read as the matrix algebra they are.
#[allow(clippy::needless_range_loop)]
fn invert(mut a: Square) -> Option<Square> {
    let k = COEFFICIENTS;
    let mut inv: Square = [[0.0; COEFFICIENTS]; COEFFICIENTS];
    for (i, row) in inv.iter_mut().enumerate() {
        row[i] = 1.0;
    }
    let scale = (0..k).map(|i| a[i][i].abs()).fold(0.0, f64::max).max(1.0);
    for col in 0..k {
        let pivot = (col..k).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-10 * scale {
            return None;
        }
        a.swap(col, pivot);
        inv.swap(col, pivot);
        let p = a[col][col];
        for j in 0..k {
            a[col][j] /= p;
            inv[col][j] /= p;
        }
        for row in 0..k {
            if row != col {
                let f = a[row][col];
                if f != 0.0 {
                    for j in 0..k {
                        a[row][j] -= f * a[col][j];
                        inv[row][j] -= f * inv[col][j];
                    }
                }
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// `days` days from a Monday: demand with momentum and a weekly rhythm, paid visitors
    /// pushed in two-week bursts by budget on top of their share of demand, and free
    /// visitors lifted by `pull` × last calendar week's paid visitors a day.
    fn simulate(seed: u64, pull: f64, days: usize) -> Vec<TrafficDay> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let first = NaiveDate::from_ymd_opt(2024, 12, 30).unwrap();
        let mut demand: f64 = 1000.0;
        let mut paid_weeks: Vec<f64> = vec![0.0];
        let mut out = Vec::new();
        for i in 0..days {
            if i % 7 == 0 && i > 0 {
                let last: f64 = out[i - 7..i].iter().map(|d: &TrafficDay| d.paid).sum();
                paid_weeks.push(last / 7.0);
            }
            demand = 1000.0 + 0.8 * (demand - 1000.0) + rng.random_range(-80.0..80.0);
            let day = first + Duration::days(i as i64);
            let weekend = day.weekday().num_days_from_monday() >= 5;
            let rhythm = if weekend { 1.2 } else { 1.0 };
            let burst = if (i / 14) % 3 == 1 { 250.0 } else { 0.0 };
            let paid = 0.2 * demand * rhythm + burst + rng.random_range(-20.0..20.0);
            let last_week = paid_weeks[paid_weeks.len() - 1];
            let free = demand * rhythm + pull * last_week + rng.random_range(-40.0..40.0);
            out.push(TrafficDay { day, paid, free });
        }
        out
    }

    #[test]
    fn a_planted_pull_is_found_within_its_interval() {
        for seed in 0..5 {
            let p = estimate(None, &simulate(seed, 0.5, 364));
            assert_eq!(p.verdict, PullVerdict::Pulls, "seed {seed}: {p:?}");
            let (low, high) = (p.low.unwrap(), p.high.unwrap());
            assert!(low < 0.5 && 0.5 < high, "seed {seed}: {p:?}");
        }
    }

    #[test]
    fn no_pull_is_not_reported_as_one() {
        let found = (0..400)
            .filter(|&seed| {
                let p = estimate(None, &simulate(100 + seed, 0.0, 364));
                p.verdict != PullVerdict::NoneFound
            })
            .count();
        // A 95 % interval would miss zero one time in twenty; standard errors from fifty
        // weeks understate the spread a little and it misses about one time in ten (see
        // docs/promotion.md). A regression that mistook shared demand for pull (without
        // last week's free change, say) misses far more often.
        assert!(found <= 48, "{found} of 400 runs without pull reported one");
    }

    #[test]
    fn crowding_out_is_told_apart() {
        let p = estimate(None, &simulate(7, -0.6, 364));
        assert_eq!(p.verdict, PullVerdict::CrowdsOut, "{p:?}");
    }

    #[test]
    fn too_few_weeks_or_flat_paid_give_no_estimate() {
        let short = estimate(None, &simulate(1, 0.5, 7 * 13));
        assert_eq!(short.weeks, 11);
        assert_eq!(short.verdict, PullVerdict::NotEnoughData);
        assert_eq!(short.pull, None);
        let flat: Vec<TrafficDay> = simulate(2, 0.5, 200)
            .into_iter()
            .map(|d| TrafficDay { paid: 50.0, ..d })
            .collect();
        assert_eq!(estimate(None, &flat).verdict, PullVerdict::NotEnoughData);
    }

    #[test]
    fn a_week_missing_a_day_drops_the_changes_it_takes_part_in() {
        let mut days = simulate(3, 0.5, 7 * 20);
        assert_eq!(estimate(None, &days).weeks, 18);
        // A day of the tenth week: that week and the two after it lose their change.
        days.remove(7 * 9 + 3);
        assert_eq!(estimate(None, &days).weeks, 15);
    }
}
