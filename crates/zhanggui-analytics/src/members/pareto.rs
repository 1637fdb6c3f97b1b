//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): while active, a customer
//! buys as a Poisson process whose rate is gamma(r, α) across customers, and stays active
//! for an exponential lifetime whose rate is gamma(s, β) across customers. Fitted by
//! maximum likelihood on each customer's (x, t_x, T), with the likelihood as Fader, Hardie
//! & Lee give it in "A Note on Implementing the Pareto/NBD Model in MATLAB" (2005),
//! computed in logarithms so that long histories do not overflow.

use serde::Serialize;

use super::bgnbd::{Customer, Purchases};
use super::grouped::group;
use super::optimize::maximize_positive;
#[cfg(test)]
use super::special::hyp2f1;
use super::special::ln_gamma;

/// The fitted parameters, their standard errors and the log-likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParetoNbd {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
    pub log_likelihood: f64,
    /// Standard errors of r, alpha, s, beta (from the inverse of the observed information).
    pub std_errors: Option<[f64; 4]>,
}

/// ln(e^a + e^b).
fn ln_sum(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        m
    } else {
        m + ((a - m).exp() + (b - m).exp()).ln()
    }
}

/// Gauss-Legendre nodes and weights on [−1, 1], 8 points (the positive half).
const NODES: [f64; 4] = [
    0.183_434_642_495_649_8,
    0.525_532_409_916_329,
    0.796_666_477_413_626_7,
    0.960_289_856_497_536_3,
];
const WEIGHTS: [f64; 4] = [
    0.362_683_783_378_362,
    0.313_706_645_877_887_3,
    0.222_381_034_453_374_5,
    0.101_228_536_290_376_3,
];

/// ln ∫ from `from` to `to` of (α+τ)^−p (β+τ)^−q dτ.
///
/// Integrated over u = ln(min(α, β) + τ), where the integrand's logarithm is concave and
/// nearly linear, in as many 8-point Gauss-Legendre panels as keep its change within a
/// panel small; summed in logarithms. (The equivalent 2F1 power series of the published
/// note needs tens of thousands of terms when one of α, β is much smaller than the other.)
fn ln_integral(alpha: f64, beta: f64, p: f64, q: f64, from: f64, to: f64) -> f64 {
    if to <= from {
        return f64::NEG_INFINITY;
    }
    let alpha_smaller = alpha <= beta;
    let m = alpha.min(beta);
    let gap = (alpha - beta).abs();
    // The logarithm of the integrand times dτ/du = e^u.
    let ln_g = |u: f64| {
        let other = (gap + u.exp()).ln();
        if alpha_smaller {
            u - p * u - q * other
        } else {
            u - p * other - q * u
        }
    };
    let (u0, u1) = ((m + from).ln(), (m + to).ln());
    // Concave with slope at most 1: it rises by at most the width, then falls.
    let variation = (ln_g(u1) - ln_g(u0)).abs() + 2.0 * (u1 - u0);
    let panels = (variation / 2.0).ceil().clamp(1.0, 400.0) as usize;
    let width = (u1 - u0) / panels as f64;
    let mut terms: Vec<f64> = Vec::with_capacity(panels * 8);
    for i in 0..panels {
        let mid = u0 + (i as f64 + 0.5) * width;
        for (node, weight) in NODES.iter().zip(WEIGHTS) {
            for sign in [-1.0, 1.0] {
                let u = mid + sign * node * width / 2.0;
                terms.push((weight * width / 2.0).ln() + ln_g(u));
            }
        }
    }
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
}

/// ln A₀ of the note: the integral over the customer's possible dropout times between
/// the last purchase and the end of the period, A₀ = (r+s+x) ∫ from t_x to T of
/// (α+τ)^−(r+x) (β+τ)^−(s+1) dτ.
fn ln_a0(r: f64, alpha: f64, s: f64, beta: f64, c: &Customer) -> f64 {
    let (x, tx, t) = (c.frequency, c.recency, c.age);
    (r + s + x).ln() + ln_integral(alpha, beta, r + x, s + 1.0, tx, t)
}

/// The log-likelihood of one customer.
fn ll_one(r: f64, alpha: f64, s: f64, beta: f64, c: &Customer) -> f64 {
    let (x, t) = (c.frequency, c.age);
    let head = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
    let alive_to_end = -(r + x) * (alpha + t).ln() - s * (beta + t).ln();
    let dropped = (s / (r + s + x)).ln() + ln_a0(r, alpha, s, beta, c);
    head + ln_sum(alive_to_end, dropped)
}

/// The total log-likelihood.
pub fn log_likelihood(r: f64, alpha: f64, s: f64, beta: f64, customers: &[Customer]) -> f64 {
    customers.iter().map(|c| ll_one(r, alpha, s, beta, c)).sum()
}

impl ParetoNbd {
    /// Fits the model by maximum likelihood (over the logarithms of the parameters, so
    /// that they stay positive), restarting the simplex until it stops improving.
    pub fn fit(customers: &[Customer]) -> ParetoNbd {
        // Customers with the same history count once, weighted.
        let grouped = group(customers, |c| {
            (c.frequency.to_bits(), c.recency.to_bits(), c.age.to_bits())
        });
        let ll = |p: &[f64]| -> f64 {
            grouped
                .iter()
                .map(|(c, w)| w * ll_one(p[0], p[1], p[2], p[3], c))
                .sum()
        };
        let fit = maximize_positive(&ll, 4);
        let (params, std_errors) = (fit.params, fit.std_errors);
        let std_errors = std_errors.map(|se| [se[0], se[1], se[2], se[3]]);
        ParetoNbd {
            r: params[0],
            alpha: params[1],
            s: params[2],
            beta: params[3],
            log_likelihood: fit.log_likelihood,
            std_errors,
        }
    }

    /// The probability that a customer with history `c` is still active at the end of the
    /// period.
    pub fn probability_alive(&self, c: &Customer) -> f64 {
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let (x, t) = (c.frequency, c.age);
        let ln_odds = (s / (r + s + x)).ln()
            + (r + x) * (alpha + t).ln()
            + s * (beta + t).ln()
            + ln_a0(r, alpha, s, beta, c);
        1.0 / (1.0 + ln_odds.exp())
    }

    /// Expected purchases in the next `horizon` time units of a customer with history `c`.
    pub fn expected_purchases(&self, c: &Customer, horizon: f64) -> f64 {
        let (r, alpha, s, beta) = (self.r, self.alpha, self.s, self.beta);
        let (x, t) = (c.frequency, c.age);
        let rate = (r + x) * (beta + t) / ((alpha + t) * (s - 1.0));
        let share = 1.0 - ((beta + t) / (beta + t + horizon)).powf(s - 1.0);
        rate * share * self.probability_alive(c)
    }
}

impl Purchases for ParetoNbd {
    fn expected_purchases(&self, c: &Customer, horizon: f64) -> f64 {
        ParetoNbd::expected_purchases(self, c, horizon)
    }
    fn probability_alive(&self, c: &Customer) -> f64 {
        ParetoNbd::probability_alive(self, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_integral_matches_the_published_hypergeometric_form() {
        // A₀ by the note's 2F1 form, where its series converges well.
        let a0_series = |r: f64, alpha: f64, s: f64, beta: f64, x: f64, tx: f64, t: f64| {
            let k = r + s + x;
            let term = |time: f64| {
                if alpha >= beta {
                    hyp2f1(k, s + 1.0, k + 1.0, (alpha - beta) / (alpha + time))
                        / (alpha + time).powf(k)
                } else {
                    hyp2f1(k, r + x, k + 1.0, (beta - alpha) / (beta + time))
                        / (beta + time).powf(k)
                }
            };
            (term(tx) - term(t)).ln()
        };
        for (r, alpha, s, beta, x, tx, t) in [
            (0.55, 10.58, 0.61, 11.67, 2.0, 30.43, 38.86),
            (0.55, 10.58, 0.61, 11.67, 0.0, 0.0, 38.86),
            (0.8, 3.0, 1.2, 9.0, 7.0, 12.0, 50.0),
            (2.0, 25.0, 0.3, 4.0, 1.0, 3.0, 20.0),
        ] {
            let c = Customer {
                frequency: x,
                recency: tx,
                age: t,
            };
            let quad = ln_a0(r, alpha, s, beta, &c);
            let series = a0_series(r, alpha, s, beta, x, tx, t);
            assert!((quad - series).abs() < 1e-9, "{quad} vs {series}");
        }
        // Where the series would need a huge number of terms, the integral is still finite
        // and ordered: a longer window holds more.
        let c = Customer {
            frequency: 0.0,
            recency: 0.0,
            age: 50.0,
        };
        let short = Customer { age: 5.0, ..c };
        let (long_a0, short_a0) = (
            ln_a0(0.3, 40.0, 0.5, 1e-4, &c),
            ln_a0(0.3, 40.0, 0.5, 1e-4, &short),
        );
        assert!(long_a0.is_finite() && long_a0 > short_a0);
    }

    #[test]
    fn the_likelihood_adds_up_to_one_over_histories() {
        // For a customer observed for T = 1 with tiny rates, nearly all probability sits
        // on "no repeat purchase": the likelihood of x = 0 is close to 1.
        let c = Customer {
            frequency: 0.0,
            recency: 0.0,
            age: 1.0,
        };
        let ll = ll_one(0.5, 1000.0, 0.5, 1000.0, &c);
        assert!(ll < 0.0 && ll > -0.01, "{ll}");
        // A customer never seen again is less likely alive the longer ago they bought.
        let m = ParetoNbd {
            r: 0.55,
            alpha: 10.58,
            s: 0.61,
            beta: 11.67,
            log_likelihood: 0.0,
            std_errors: None,
        };
        let recent = Customer {
            frequency: 3.0,
            recency: 35.0,
            age: 38.0,
        };
        let long_ago = Customer {
            recency: 5.0,
            ..recent
        };
        assert!(m.probability_alive(&recent) > m.probability_alive(&long_ago));
        assert!(m.expected_purchases(&recent, 39.0) > m.expected_purchases(&long_ago, 39.0));
    }
}
