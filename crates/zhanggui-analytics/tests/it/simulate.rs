//! Customers drawn from the models themselves, for tests and the benchmark: gamma and beta
//! draws, and a base of BG/NBD buyers observed in whole days.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zhanggui_analytics::members::bgnbd::Customer;
use zhanggui_analytics::members::spend::Spend;

/// A standard normal draw (Box-Muller).
pub fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.random::<f64>().max(f64::MIN_POSITIVE), rng.random());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// A gamma(shape, 1) draw (Marsaglia & Tsang 2000).
pub fn gamma(rng: &mut ChaCha8Rng, shape: f64) -> f64 {
    if shape < 1.0 {
        let u: f64 = rng.random();
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x = normal(rng);
        let v = (1.0 + c * x).powi(3);
        if v <= 0.0 {
            continue;
        }
        let u: f64 = rng.random();
        if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
            return d * v;
        }
    }
}

/// The parameters a base is drawn with: BG/NBD (r, α, a, b; time in weeks) and
/// Gamma-Gamma (p, q, γ).
#[derive(Debug, Clone, Copy)]
pub struct Truth {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

/// `n` customers who first bought on a day of the first 12 weeks and are observed until the
/// end of week 52, in whole days as a shop records them: each buys as a Poisson process
/// with a gamma-distributed rate and drops out after each repeat purchase with a
/// beta-distributed probability; every purchase's value is gamma around the customer's own
/// mean. Purchases on one day are one purchase.
pub fn bgnbd_base(truth: &Truth, n: usize, seed: u64) -> Vec<(Customer, Spend)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let end_day = 52 * 7;
    (0..n)
        .map(|_| {
            let first_day = rng.random_range(0..84_u32);
            let rate = gamma(&mut rng, truth.r) / truth.alpha;
            let (g1, g2) = (gamma(&mut rng, truth.a), gamma(&mut rng, truth.b));
            let drop = g1 / (g1 + g2);
            let nu = gamma(&mut rng, truth.q) / truth.gamma;
            let mut days = vec![first_day];
            let mut at = f64::from(first_day) / 7.0;
            let mut total = 0.0;
            loop {
                let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
                at += -u.ln() / rate;
                let day = (at * 7.0).floor();
                if day >= f64::from(end_day) {
                    break;
                }
                let day = day as u32;
                if days.last() != Some(&day) {
                    days.push(day);
                    total += gamma(&mut rng, truth.p) / nu;
                }
                if rng.random::<f64>() < drop {
                    break;
                }
            }
            let x = days.len() - 1;
            let last = days[x];
            let customer = Customer {
                frequency: x as f64,
                recency: f64::from(last - first_day) / 7.0,
                age: f64::from(end_day - first_day) / 7.0,
            };
            let spend = Spend {
                orders: x as f64,
                mean_value: if x > 0 { total / x as f64 } else { 0.0 },
            };
            (customer, spend)
        })
        .collect()
}
