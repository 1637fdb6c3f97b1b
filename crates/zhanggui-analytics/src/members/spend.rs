//! What a customer will spend: the Gamma-Gamma model of average order value (Fader, Hardie
//! & Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis"), and
//! customer lifetime value over a horizon with a discount rate.
//!
//! Gamma-Gamma: each order's value is gamma(p, ν) around the customer's own mean, and ν is
//! gamma(q, γ) across customers. It is fitted on customers with at least one repeat order,
//! from their number of repeat orders and the mean value of those orders.

use serde::Serialize;

use super::bgnbd::{BgNbd, Customer};
use super::optimize::maximize_positive;
use super::special::ln_gamma;

/// One customer's repeat orders: how many and their mean value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spend {
    pub orders: f64,
    pub mean_value: f64,
}

/// The fitted parameters, their standard errors and the log-likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
    pub log_likelihood: f64,
    /// Standard errors of p, q, gamma (from the inverse of the observed information).
    pub std_errors: Option<[f64; 3]>,
}

/// The log-likelihood of one customer's mean order value.
fn ll_one(p: f64, q: f64, gamma: f64, s: &Spend) -> f64 {
    let (x, m) = (s.orders, s.mean_value);
    ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
        + q * gamma.ln()
        + (p * x - 1.0) * m.ln()
        + p * x * x.ln()
        - (p * x + q) * (gamma + m * x).ln()
}

/// The total log-likelihood.
pub fn log_likelihood(p: f64, q: f64, gamma: f64, spends: &[Spend]) -> f64 {
    spends.iter().map(|s| ll_one(p, q, gamma, s)).sum()
}

impl GammaGamma {
    /// Fits the model by maximum likelihood on customers with repeat orders of positive
    /// value (others carry no information about spend and are left out).
    pub fn fit(spends: &[Spend]) -> GammaGamma {
        let used: Vec<Spend> = spends
            .iter()
            .copied()
            .filter(|s| s.orders >= 1.0 && s.mean_value > 0.0)
            .collect();
        let fit = maximize_positive(&|v| log_likelihood(v[0], v[1], v[2], &used), 3);
        let (params, std_errors) = (fit.params, fit.std_errors);
        let std_errors = std_errors.map(|se| [se[0], se[1], se[2]]);
        GammaGamma {
            p: params[0],
            q: params[1],
            gamma: params[2],
            log_likelihood: fit.log_likelihood,
            std_errors,
        }
    }

    /// The mean order value across customers (needs q > 1).
    pub fn population_mean(&self) -> f64 {
        self.p * self.gamma / (self.q - 1.0)
    }

    /// The expected value of a customer's future orders given their repeat orders: a
    /// weighted mean of the population's and their own, weighing their own more the more
    /// orders they have.
    pub fn expected_value(&self, s: &Spend) -> f64 {
        let (p, q, g) = (self.p, self.q, self.gamma);
        let x = s.orders;
        if x <= 0.0 || s.mean_value <= 0.0 {
            return self.population_mean();
        }
        p * (g + x * s.mean_value) / (p * x + q - 1.0)
    }
}

/// Customer lifetime value: expected spend in each of `periods` periods of
/// `period_length` time units, discounted by `discount` per period
/// (Σ ΔE[Y(k)] · E[M] / (1 + d)^k).
pub fn lifetime_value(
    purchases: &BgNbd,
    spend: &GammaGamma,
    history: &Customer,
    orders: &Spend,
    periods: u32,
    period_length: f64,
    discount: f64,
) -> f64 {
    let value = spend.expected_value(orders);
    let mut total = 0.0;
    let mut before = 0.0;
    for k in 1..=periods {
        let until = purchases.expected_purchases(history, period_length * f64::from(k));
        total += (until - before) * value / (1.0 + discount).powi(k as i32);
        before = until;
    }
    total
}
