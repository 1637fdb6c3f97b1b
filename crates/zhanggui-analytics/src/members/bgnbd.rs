//! The BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way"):
//! while active, a customer buys as a Poisson process whose rate is gamma(r, α) across
//! customers; after each purchase they drop out with a probability that is beta(a, b)
//! across customers. Fitted by maximum likelihood on each customer's (x, t_x, T): repeat
//! purchases, the time of the last one and the time observed, all from the first purchase.

use serde::Serialize;

use super::grouped::{group, sum_over};
use super::optimize::maximize_positive_smooth;
use super::special::{digamma, hyp2f1, ln_gamma};

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

/// What a model of repeat buying says about one customer (BG/NBD and Pareto/NBD alike).
pub trait Purchases {
    /// Expected purchases in the next `horizon` time units.
    fn expected_purchases(&self, c: &Customer, horizon: f64) -> f64;
    /// The probability that the customer is still active.
    fn probability_alive(&self, c: &Customer) -> f64;
}

impl Purchases for BgNbd {
    fn expected_purchases(&self, c: &Customer, horizon: f64) -> f64 {
        BgNbd::expected_purchases(self, c, horizon)
    }
    fn probability_alive(&self, c: &Customer) -> f64 {
        BgNbd::probability_alive(self, c)
    }
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

/// A repeat buyer's history, counted `weight` times.
struct Row {
    x: f64,
    tx: f64,
    t: f64,
    weight: f64,
}

/// The customers grouped for a fast likelihood with its gradient: the terms that depend
/// only on the frequency are computed once per distinct frequency.
pub(crate) struct Prepared {
    /// Distinct frequencies and how many customers have each.
    frequencies: Vec<(f64, f64)>,
    /// Customers without repeat purchases: (T, weight).
    once: Vec<(f64, f64)>,
    repeat: Vec<Row>,
}

impl Prepared {
    pub(crate) fn new(customers: &[Customer]) -> Prepared {
        let key = |c: &Customer| (c.frequency.to_bits(), c.recency.to_bits(), c.age.to_bits());
        let grouped = group(customers, key);
        let frequencies = group(customers, |c| c.frequency.to_bits())
            .into_iter()
            .map(|(c, w)| (c.frequency, w))
            .collect();
        let once = grouped
            .iter()
            .filter(|(c, _)| c.frequency <= 0.0)
            .map(|(c, w)| (c.age, *w))
            .collect();
        let repeat = grouped
            .iter()
            .filter(|(c, _)| c.frequency > 0.0)
            .map(|(c, w)| Row {
                x: c.frequency,
                tx: c.recency,
                t: c.age,
                weight: *w,
            })
            .collect();
        Prepared {
            frequencies,
            once,
            repeat,
        }
    }

    /// The log-likelihood and its gradient in (r, α, a, b).
    pub(crate) fn evaluate(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let (r, alpha, a, b) = (p[0], p[1], p[2], p[3]);
        let mut out = [0.0; 5];
        // Per frequency: ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b).
        for &(x, w) in &self.frequencies {
            out[0] += w
                * (ln_gamma(r + x) - ln_gamma(r)
                    + r * alpha.ln()
                    + ln_gamma(a + b)
                    + ln_gamma(b + x)
                    - ln_gamma(b)
                    - ln_gamma(a + b + x));
            out[1] += w * (digamma(r + x) - digamma(r) + alpha.ln());
            out[2] += w * r / alpha;
            out[3] += w * (digamma(a + b) - digamma(a + b + x));
            out[4] += w * (digamma(a + b) + digamma(b + x) - digamma(b) - digamma(a + b + x));
        }
        let once = sum_over(&self.once, &|rows: &[(f64, f64)]| {
            let mut s = [0.0; 5];
            for &(t, w) in rows {
                let l = (alpha + t).ln();
                s[0] -= w * r * l;
                s[1] -= w * l;
                s[2] -= w * r / (alpha + t);
            }
            s
        });
        let repeat = sum_over(&self.repeat, &|rows: &[Row]| {
            let mut s = [0.0; 5];
            for row in rows {
                let (x, w) = (row.x, row.weight);
                let (l3, l4) = ((alpha + row.t).ln(), (alpha + row.tx).ln());
                let lb = (b + x - 1.0).ln();
                let a3 = -(r + x) * l3;
                let a4 = a.ln() - lb - (r + x) * l4;
                // ln(e^a3 + e^a4) and the shares of its two terms.
                let m = a3.max(a4);
                let (e3, e4) = ((a3 - m).exp(), (a4 - m).exp());
                let total = e3 + e4;
                let (w3, w4) = (e3 / total, e4 / total);
                s[0] += w * (m + total.ln());
                s[1] -= w * (w3 * l3 + w4 * l4);
                s[2] -= w * (r + x) * (w3 / (alpha + row.t) + w4 / (alpha + row.tx));
                s[3] += w * w4 / a;
                s[4] -= w * w4 / (b + x - 1.0);
            }
            s
        });
        for part in [once, repeat] {
            for (o, v) in out.iter_mut().zip(part) {
                *o += v;
            }
        }
        (out[0], out[1..].to_vec())
    }
}

impl BgNbd {
    /// Fits the model by maximum likelihood (over the logarithms of the parameters, so
    /// that they stay positive).
    pub fn fit(customers: &[Customer]) -> BgNbd {
        let prepared = Prepared::new(customers);
        let fit = maximize_positive_smooth(&|p| prepared.evaluate(p), &[1.0; 4]);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grouped_likelihood_and_its_gradient_match_the_plain_sum() {
        let customers: Vec<Customer> = (0..300)
            .map(|i| {
                let x = f64::from(i % 7);
                let t = 20.0 + f64::from(i % 13);
                Customer {
                    frequency: x,
                    recency: if x > 0.0 { t * 0.6 } else { 0.0 },
                    age: t,
                }
            })
            .collect();
        let prepared = Prepared::new(&customers);
        let p = [0.4, 3.0, 0.8, 2.5];
        let (ll, grad) = prepared.evaluate(&p);
        let plain = log_likelihood(p[0], p[1], p[2], p[3], &customers);
        assert!((ll - plain).abs() < 1e-9 * plain.abs(), "{ll} vs {plain}");
        for i in 0..4 {
            let h = 1e-6 * p[i];
            let mut up = p;
            up[i] += h;
            let mut down = p;
            down[i] -= h;
            let numeric = (log_likelihood(up[0], up[1], up[2], up[3], &customers)
                - log_likelihood(down[0], down[1], down[2], down[3], &customers))
                / (2.0 * h);
            assert!(
                (grad[i] - numeric).abs() < 1e-5 * (1.0 + numeric.abs()),
                "∂{i}: {} vs {numeric}",
                grad[i]
            );
        }
    }
}
