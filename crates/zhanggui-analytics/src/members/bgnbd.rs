//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"):
//! while active, a customer buys as a Poisson process whose rate is gamma(r, α) across
//! customers; after each purchase they drop out with a probability that is beta(a, b)
//! across customers. Fitted by maximum likelihood on each customer's (x, t_x, T): repeat
//! purchases, the time of the last one and the time observed, all from the first purchase.

use serde::Serialize;

use super::optimize::maximize_positive;
use super::special::{hyp2f1, ln_gamma};

/// One customer in the calibration period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Customer {
    /// Repeat purchases: distinct purchase days after the first.
    pub frequency: f64,
    /// Time from the first purchase to the last.
    pub recency: f64,
    /// Time from the first purchase to the end of the calibration period.
    pub age: f64,
}

/// The fitted parameters, their standard errors and the log-likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BgNbd {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub log_likelihood: f64,
    /// Standard errors of r, alpha, a, b (from the inverse of the observed information).
    pub std_errors: Option<[f64; 4]>,
}

/// The log-likelihood of one customer.
fn ll_one(r: f64, alpha: f64, a: f64, b: f64, c: &Customer) -> f64 {
    let (x, tx, t) = (c.frequency, c.recency, c.age);
    let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
    let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
    let a3 = -(r + x) * (alpha + t).ln();
    if x > 0.0 {
        let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + tx).ln();
        // ln(e^a3 + e^a4), kept stable.
        let m = a3.max(a4);
        a1 + a2 + m + ((a3 - m).exp() + (a4 - m).exp()).ln()
    } else {
        a1 + a2 + a3
    }
}

/// The total log-likelihood.
pub fn log_likelihood(r: f64, alpha: f64, a: f64, b: f64, customers: &[Customer]) -> f64 {
    customers.iter().map(|c| ll_one(r, alpha, a, b, c)).sum()
}

impl BgNbd {
    /// Fits the model by maximum likelihood (over the logarithms of the parameters, so
    /// that they stay positive).
    pub fn fit(customers: &[Customer]) -> BgNbd {
        let fit = maximize_positive(&|p| log_likelihood(p[0], p[1], p[2], p[3], customers), 4);
        let (params, std_errors) = (fit.params, fit.std_errors);
        let std_errors = std_errors.map(|se| [se[0], se[1], se[2], se[3]]);
        BgNbd {
            r: params[0],
            alpha: params[1],
            a: params[2],
            b: params[3],
            log_likelihood: fit.log_likelihood,
            std_errors,
        }
    }

    /// Expected purchases in the next `horizon` time units of a customer with history `c`
    /// (Fader, Hardie & Lee 2005, equation 10).
    pub fn expected_purchases(&self, c: &Customer, horizon: f64) -> f64 {
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        let (x, tx, t) = (c.frequency, c.recency, c.age);
        let z = horizon / (alpha + t + horizon);
        let hyp = hyp2f1(r + x, b + x, a + b + x - 1.0, z);
        let numerator = (a + b + x - 1.0) / (a - 1.0)
            * (1.0 - ((alpha + t) / (alpha + t + horizon)).powf(r + x) * hyp);
        let denominator = if x > 0.0 {
            1.0 + a / (b + x - 1.0) * ((alpha + t) / (alpha + tx)).powf(r + x)
        } else {
            1.0
        };
        numerator / denominator
    }

    /// The probability that a customer with history `c` is still active.
    pub fn probability_alive(&self, c: &Customer) -> f64 {
        let (r, alpha, a, b) = (self.r, self.alpha, self.a, self.b);
        let (x, tx, t) = (c.frequency, c.recency, c.age);
        if x == 0.0 {
            return 1.0;
        }
        1.0 / (1.0 + a / (b + x - 1.0) * ((alpha + t) / (alpha + tx)).powf(r + x))
    }
}
