//! The Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): while active, a customer
//! buys as a Poisson process whose rate is gamma(r, α) across customers, and stays active
//! for an exponential lifetime whose rate is gamma(s, β) across customers. Fitted by
//! maximum likelihood on each customer's (x, t_x, T), with the likelihood as Fader, Hardie
//! & Lee give it in "A Note on Implementing the Pareto/NBD Model in MATLAB" (2005),
//! computed in logarithms so that long histories do not overflow.

use serde::Serialize;

use super::bgnbd::Customer;
use super::optimize::maximize_positive;
use super::special::{hyp2f1, ln_gamma};

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

/// ln(e^a − e^b) for a ≥ b.
fn ln_diff(a: f64, b: f64) -> f64 {
    if b == f64::NEG_INFINITY {
        a
    } else {
        a + (-(b - a).exp()).ln_1p()
    }
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

/// ln A₀ of the note: the integral over the customer's possible dropout times between
/// the last purchase and the end of the period.
fn ln_a0(r: f64, alpha: f64, s: f64, beta: f64, c: &Customer) -> f64 {
    let (x, tx, t) = (c.frequency, c.recency, c.age);
    let k = r + s + x;
    let term = |time: f64| {
        if alpha >= beta {
            hyp2f1(k, s + 1.0, k + 1.0, (alpha - beta) / (alpha + time)).ln()
                - k * (alpha + time).ln()
        } else {
            hyp2f1(k, r + x, k + 1.0, (beta - alpha) / (beta + time)).ln() - k * (beta + time).ln()
        }
    };
    if tx >= t {
        return f64::NEG_INFINITY;
    }
    ln_diff(term(tx), term(t))
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
        let fit = maximize_positive(&|p| log_likelihood(p[0], p[1], p[2], p[3], customers), 4);
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

#[cfg(test)]
mod tests {
    use super::*;

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
