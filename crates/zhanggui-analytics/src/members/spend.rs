//! What a customer will spend: the Gamma-Gamma model of average order value (Fader, Hardie
//! & Lee 2005, "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis"), and
//! customer lifetime value over a horizon with a discount rate.
//!
//! Gamma-Gamma: each order's value is gamma(p, ν) around the customer's own mean, and ν is
//! gamma(q, γ) across customers. It is fitted on customers with at least one repeat order,
//! from their number of repeat orders and the mean value of those orders.

use serde::Serialize;

use super::bgnbd::{Customer, Purchases};
use super::grouped::{group, sum_over};
use super::optimize::maximize_positive_smooth;
use super::special::{digamma, ln_gamma};

/// One customer's repeat orders: how many and their mean value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spend {
    pub orders: f64,
    pub mean_value: f64,
}

/// The fitted parameters, their standard errors and the log-likelihood. `gamma` is a
/// scale of money, in minor units here and in the currency's unit in JSON.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GammaGamma {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
    pub log_likelihood: f64,
    /// Standard errors of p, q, gamma (from the inverse of the observed information).
    pub std_errors: Option<[f64; 3]>,
}

impl Serialize for GammaGamma {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        use zhanggui_domain::money_json::minor_parameter;
        /// A money parameter in the currency's unit.
        struct Scale(f64);
        impl Serialize for Scale {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                minor_parameter(&self.0, s)
            }
        }
        #[derive(Serialize)]
        struct Errors {
            p: f64,
            q: f64,
            gamma: Scale,
        }
        let mut o = s.serialize_struct("GammaGamma", 5)?;
        o.serialize_field("p", &self.p)?;
        o.serialize_field("q", &self.q)?;
        o.serialize_field("gamma", &Scale(self.gamma))?;
        o.serialize_field("log_likelihood", &self.log_likelihood)?;
        o.serialize_field(
            "std_errors",
            &self.std_errors.map(|[p, q, gamma]| Errors {
                p,
                q,
                gamma: Scale(gamma),
            }),
        )?;
        o.end()
    }
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

/// The spends grouped for a fast likelihood with its gradient in (p, q, γ).
struct Prepared {
    /// Per distinct number of repeat orders x: (x, customers, Σ ln m over them).
    orders: Vec<(f64, f64, f64)>,
    /// Distinct (x, m) with their weight.
    rows: Vec<(Spend, f64)>,
}

impl Prepared {
    fn new(spends: &[Spend]) -> Prepared {
        let rows = group(spends, |s| (s.orders.to_bits(), s.mean_value.to_bits()));
        let mut orders: Vec<(f64, f64, f64)> = Vec::new();
        let mut at: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
        for (s, w) in &rows {
            let slot = *at.entry(s.orders.to_bits()).or_insert_with(|| {
                orders.push((s.orders, 0.0, 0.0));
                orders.len() - 1
            });
            orders[slot].1 += w;
            orders[slot].2 += w * s.mean_value.ln();
        }
        Prepared { orders, rows }
    }

    fn evaluate(&self, v: &[f64]) -> (f64, Vec<f64>) {
        let (p, q, g) = (v[0], v[1], v[2]);
        let mut out = [0.0; 4];
        for &(x, w, sum_ln_m) in &self.orders {
            let own = sum_ln_m + w * x.ln();
            out[0] += w * (ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q) + q * g.ln())
                + p * x * own
                - sum_ln_m;
            out[1] += w * x * (digamma(p * x + q) - digamma(p * x)) + x * own;
            out[2] += w * (digamma(p * x + q) - digamma(q) + g.ln());
            out[3] += w * q / g;
        }
        let rows = sum_over(&self.rows, &|rows: &[(Spend, f64)]| {
            let mut s = [0.0; 4];
            for (spend, w) in rows {
                let (x, m) = (spend.orders, spend.mean_value);
                let l = (g + m * x).ln();
                s[0] -= w * (p * x + q) * l;
                s[1] -= w * x * l;
                s[2] -= w * l;
                s[3] -= w * (p * x + q) / (g + m * x);
            }
            s
        });
        for (o, r) in out.iter_mut().zip(rows) {
            *o += r;
        }
        (out[0], out[1..].to_vec())
    }
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
        let prepared = Prepared::new(&used);
        let fit = maximize_positive_smooth(&|v| prepared.evaluate(v), &[1.0; 3]);
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
    purchases: &dyn Purchases,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grouped_likelihood_and_its_gradient_match_the_plain_sum() {
        let spends: Vec<Spend> = (0..200)
            .map(|i| Spend {
                orders: f64::from(1 + i % 5),
                mean_value: 20.0 + f64::from(i % 17) * 3.5,
            })
            .collect();
        let prepared = Prepared::new(&spends);
        let v = [5.0, 3.5, 14.0];
        let (ll, grad) = prepared.evaluate(&v);
        let plain = log_likelihood(v[0], v[1], v[2], &spends);
        assert!((ll - plain).abs() < 1e-9 * plain.abs(), "{ll} vs {plain}");
        for i in 0..3 {
            let h = 1e-6 * v[i];
            let mut up = v;
            up[i] += h;
            let mut down = v;
            down[i] -= h;
            let numeric = (log_likelihood(up[0], up[1], up[2], &spends)
                - log_likelihood(down[0], down[1], down[2], &spends))
                / (2.0 * h);
            assert!(
                (grad[i] - numeric).abs() < 1e-5 * (1.0 + numeric.abs()),
                "∂{i}: {} vs {numeric}",
                grad[i]
            );
        }
    }
}
