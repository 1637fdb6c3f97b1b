//! Intervals on counts: Wilson's score interval for a rate out of trials, the exact
//! (Garwood) interval for a Poisson count, and the normal quantiles both use.
//!
//! Wilson, E. B. (1927), "Probable inference, the law of succession, and statistical
//! inference", JASA 22(158); Garwood, F. (1936), "Fiducial limits for the Poisson
//! distribution", Biometrika 28(3/4).

use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// The two-sided confidence level every interval of the promotion module uses.
pub const CONFIDENCE: f64 = 0.95;

/// The standard normal quantile at `p`.
pub fn normal_quantile(p: f64) -> f64 {
    Normal::standard().inverse_cdf(p)
}

/// The standard normal distribution function at `z`.
pub fn normal_cdf(z: f64) -> f64 {
    Normal::standard().cdf(z)
}

/// Wilson's score interval for `successes` out of `trials` at [`CONFIDENCE`].
pub fn wilson(successes: f64, trials: f64) -> Option<(f64, f64)> {
    if trials <= 0.0 || successes < 0.0 || successes > trials {
        return None;
    }
    let z = normal_quantile(1.0 - (1.0 - CONFIDENCE) / 2.0);
    let p = successes / trials;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * trials)) / (1.0 + z2 / trials);
    let half =
        z / (1.0 + z2 / trials) * (p * (1.0 - p) / trials + z2 / (4.0 * trials * trials)).sqrt();
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The exact interval for the mean of a Poisson count `k` at [`CONFIDENCE`].
pub fn poisson(k: f64) -> (f64, f64) {
    let alpha = 1.0 - CONFIDENCE;
    let k = k.max(0.0).round();
    let low = if k == 0.0 {
        0.0
    } else {
        ChiSquared::new(2.0 * k)
            .map(|d| d.inverse_cdf(alpha / 2.0) / 2.0)
            .unwrap_or(0.0)
    };
    let high = ChiSquared::new(2.0 * k + 2.0)
        .map(|d| d.inverse_cdf(1.0 - alpha / 2.0) / 2.0)
        .unwrap_or(f64::INFINITY);
    (low, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_its_closed_form_on_a_textbook_case() {
        // Newcombe (1998), Statistics in Medicine 17, table I: 81 of 263 → 0.2553 .. 0.3662.
        let (lo, hi) = wilson(81.0, 263.0).unwrap();
        assert!((lo - 0.2553).abs() < 5e-4, "{lo}");
        assert!((hi - 0.3662).abs() < 5e-4, "{hi}");
    }

    #[test]
    fn poisson_interval_of_ten_events() {
        // Garwood's exact limits for 10 events at 95 %: 4.795 .. 18.390.
        let (lo, hi) = poisson(10.0);
        assert!((lo - 4.795).abs() < 1e-3, "{lo}");
        assert!((hi - 18.390).abs() < 1e-3, "{hi}");
    }
}
