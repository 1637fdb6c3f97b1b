//! The tests that say whether a change is more than noise: a two-proportion z-test for
//! rates (conversion: buyers out of visitors) and a test on two Poisson counts (visitors,
//! orders). Both give a two-sided p-value.

use serde::Serialize;

/// The outcome of a test on a change.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Significance {
    /// The test statistic (standard normal under "no change").
    pub z: f64,
    /// Two-sided p-value: the chance of a change at least this large if nothing changed.
    pub p_value: f64,
}

impl Significance {
    /// True when the change is unlikely to be noise at the level `alpha` (e.g. 0.05).
    pub fn significant(&self, alpha: f64) -> bool {
        self.p_value < alpha
    }
}

/// Two-proportion z-test: did the rate `x1/n1` differ from `x0/n0`? `None` when a count
/// is too small for the normal approximation (fewer than 5 successes or failures on
/// either side) or a base is 0.
pub fn two_proportions(x0: i64, n0: i64, x1: i64, n1: i64) -> Option<Significance> {
    if n0 <= 0 || n1 <= 0 || x0 < 0 || x1 < 0 || x0 > n0 || x1 > n1 {
        return None;
    }
    if [x0, n0 - x0, x1, n1 - x1].iter().any(|&c| c < 5) {
        return None;
    }
    let (x0, n0, x1, n1) = (x0 as f64, n0 as f64, x1 as f64, n1 as f64);
    let pooled = (x0 + x1) / (n0 + n1);
    let se = (pooled * (1.0 - pooled) * (1.0 / n0 + 1.0 / n1)).sqrt();
    if se == 0.0 {
        return None;
    }
    let z = (x1 / n1 - x0 / n0) / se;
    Some(Significance {
        z,
        p_value: two_sided_p(z),
    })
}

/// Did a rate change? The two-proportion z-test where every count is large enough;
/// otherwise an exact binomial test of the period with the fewer successes against the
/// other period's rate (so that 0 buyers out of 700 visitors, against 2% before, is
/// recognised as a collapse and not skipped for being a small count).
pub fn rate_change(x0: i64, n0: i64, x1: i64, n1: i64) -> Option<Significance> {
    if let Some(s) = two_proportions(x0, n0, x1, n1) {
        return Some(s);
    }
    if n0 <= 0 || n1 <= 0 || x0 < 0 || x1 < 0 || x0 > n0 || x1 > n1 {
        return None;
    }
    // Test the side with fewer successes against the other side's rate.
    let (xs, ns, xr, nr, sign) = if x1 <= x0 {
        (x1, n1, x0, n0, 1.0)
    } else {
        (x0, n0, x1, n1, -1.0)
    };
    let p = xr as f64 / nr as f64;
    if p <= 0.0 || p >= 1.0 {
        return None;
    }
    let expected = ns as f64 * p;
    let tail = if (xs as f64) < expected {
        binomial_cdf(xs, ns, p)
    } else {
        1.0 - binomial_cdf(xs - 1, ns, p)
    };
    let z = sign * (xs as f64 - expected) / (expected * (1.0 - p)).sqrt();
    Some(Significance {
        z,
        p_value: (2.0 * tail).min(1.0),
    })
}

/// P(X <= k) for X ~ Binomial(n, p), summed term by term (k is small where it is used).
fn binomial_cdf(k: i64, n: i64, p: f64) -> f64 {
    if k < 0 {
        return 0.0;
    }
    if k >= n {
        return 1.0;
    }
    let q = 1.0 - p;
    let mut term = (n as f64 * q.ln()).exp();
    let mut sum = term;
    for j in 0..k {
        term *= (n - j) as f64 / (j + 1) as f64 * p / q;
        sum += term;
    }
    sum.min(1.0)
}

/// Did a count change between two periods of equal exposure? The conditional test of two
/// Poisson counts, normal approximation: z = (c1 - c0) / sqrt(c0 + c1). `exposure` is the
/// ratio of the second period's length to the first's.
pub fn two_counts(c0: i64, c1: i64, exposure: f64) -> Option<Significance> {
    if c0 < 0 || c1 < 0 || c0 + c1 < 10 || exposure <= 0.0 {
        return None;
    }
    // Under "no change", c1 out of c0 + c1 follows a binomial with p = e / (1 + e).
    let n = (c0 + c1) as f64;
    let p = exposure / (1.0 + exposure);
    let z = (c1 as f64 - n * p) / (n * p * (1.0 - p)).sqrt();
    Some(Significance {
        z,
        p_value: two_sided_p(z),
    })
}

/// P(|Z| >= |z|) for a standard normal Z.
pub fn two_sided_p(z: f64) -> f64 {
    erfc(z.abs() / std::f64::consts::SQRT_2).clamp(0.0, 1.0)
}

/// The complementary error function, with a relative error under 1.2e-7 everywhere
/// (the Chebyshev fit of Numerical Recipes, §6.2).
pub fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_normal_tail_values() {
        // Two-sided p for z = 1.959964 is 0.05; for z = 2.575829 it is 0.01.
        assert!((two_sided_p(1.959_964) - 0.05).abs() < 1e-6);
        assert!((two_sided_p(2.575_829) - 0.01).abs() < 1e-6);
        assert!((two_sided_p(0.0) - 1.0).abs() < 1e-7);
    }

    #[test]
    fn a_two_proportion_test_by_hand() {
        // 200 of 10,000 against 260 of 10,000: pooled 0.023,
        // se = sqrt(0.023 * 0.977 * 2 / 10,000) = 0.0021199, z = 0.006 / 0.0021199 = 2.8303.
        let s = two_proportions(200, 10_000, 260, 10_000).unwrap();
        assert!((s.z - 2.8303).abs() < 1e-3, "{}", s.z);
        assert!(s.significant(0.05));
        // The same rates on a hundredth of the traffic are noise.
        let s = two_proportions(2, 100, 3, 100);
        assert!(s.is_none(), "too few buyers for the approximation");
        let s = two_proportions(20, 1_000, 26, 1_000).unwrap();
        assert!(!s.significant(0.05));
    }

    #[test]
    fn small_counts_get_an_exact_test() {
        // 0 buyers of 700 visitors against 20 of 1,000 (2%): P(X = 0) = 0.98^700 = 7.2e-7.
        let s = rate_change(20, 1_000, 0, 700).unwrap();
        assert!((s.p_value - 2.0 * 0.98_f64.powi(700)).abs() < 1e-9);
        assert!(s.z < 0.0);
        // 2 of 100 against 3 of 100 is noise.
        assert!(!rate_change(2, 100, 3, 100).unwrap().significant(0.05));
        // Large counts take the z-test.
        assert_eq!(
            rate_change(200, 10_000, 260, 10_000),
            two_proportions(200, 10_000, 260, 10_000)
        );
        // Binomial(10, 0.5): P(X <= 2) = 56 / 1024.
        assert!((binomial_cdf(2, 10, 0.5) - 56.0 / 1024.0).abs() < 1e-12);
    }

    #[test]
    fn counts_of_equal_periods() {
        // 100 against 140: z = (140 - 120) / sqrt(240 * 0.25) = 2.582.
        let s = two_counts(100, 140, 1.0).unwrap();
        assert!((s.z - 2.582).abs() < 1e-3);
        assert!(two_counts(100, 105, 1.0).is_some_and(|s| !s.significant(0.05)));
    }
}
