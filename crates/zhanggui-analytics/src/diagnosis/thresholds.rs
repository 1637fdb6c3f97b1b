//! The diagnosis thresholds, with defaults, overridable per shop (stored as shop settings
//! under `diagnosis.KEY`).

use std::collections::BTreeMap;

use serde::Serialize;

/// Every threshold the rules use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Thresholds {
    /// A change is reported when its test's p-value, adjusted for the number of tests
    /// (Benjamini-Hochberg), is below this.
    pub alpha: f64,
    /// Fewest visitors a product or source needs in each period to be judged, per 30 days
    /// (prorated for shorter or longer windows).
    pub min_visitors: i64,
    /// The share of the peer average that UV value must reach (seed 002: 80%).
    pub uv_value_peer_share: f64,
    /// Average hours from payment to shipping above which shipping is slow.
    pub ship_hours: f64,
    /// The growth of traffic that opportunity findings price ("if it had 20% more").
    pub growth_step: f64,
    /// The smallest relative fall of traffic or conversion worth a finding.
    pub min_drop: f64,
    /// Days at the end of the period that the trend check looks at, against the four
    /// times as many days before them.
    pub trend_days: i64,
    /// Days a platform takes to settle a paid order into its bill (Taobao settles on
    /// receipt, at the latest ten days after shipping): a paid order older than this that
    /// no bill names is reported, once the shop has imported a bill.
    pub settlement_days: i64,
    /// Fewest orders a product needs in the period for a profit finding about it.
    pub min_profit_orders: i64,
    /// A profit finding about a product or the ads needs at least this share of the
    /// period's net sales at stake (unsettled orders are always reported: that money is
    /// the shop's, however little).
    pub min_profit_stake: f64,
    /// A product's refund rate (refunds over paid) at least this many times the shop's
    /// is one whose refunds may eat its margin.
    pub refund_rate_factor: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            alpha: 0.05,
            min_visitors: 200,
            uv_value_peer_share: 0.8,
            ship_hours: 48.0,
            growth_step: 0.2,
            min_drop: 0.3,
            trend_days: 7,
            settlement_days: 15,
            min_profit_orders: 10,
            min_profit_stake: 0.001,
            refund_rate_factor: 2.0,
        }
    }
}

/// The keys, what each means, for `zhanggui diagnose --help-thresholds` and the docs.
pub const KEYS: &[(&str, &str)] = &[
    (
        "alpha",
        "significance level after adjusting for the number of tests (0.05)",
    ),
    (
        "min_visitors",
        "fewest visitors a product or source needs in each period (200)",
    ),
    (
        "uv_value_peer_share",
        "share of the peer UV value the shop must reach (0.8)",
    ),
    (
        "ship_hours",
        "average hours to ship above which shipping is slow (48)",
    ),
    (
        "growth_step",
        "traffic growth that opportunities are priced at (0.2)",
    ),
    ("min_drop", "smallest relative fall worth a finding (0.3)"),
    (
        "trend_days",
        "days at the end of the period the trend check looks at (7)",
    ),
    (
        "settlement_days",
        "days after payment by which a bill should name an order (15)",
    ),
    (
        "min_profit_orders",
        "fewest orders a product needs for a profit finding (10)",
    ),
    (
        "min_profit_stake",
        "share of net sales a product's or the ads' profit finding needs at stake (0.001)",
    ),
    (
        "refund_rate_factor",
        "a product's refund rate this many times the shop's is checked against its margin (2)",
    ),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ThresholdError {
    #[error("no threshold `{0}`; the thresholds are: {1}")]
    Unknown(String, String),
    #[error("threshold {0}: `{1}` is not a valid value ({2})")]
    Invalid(String, String, &'static str),
}

impl Thresholds {
    /// The fewest visitors for a window of `days`.
    pub fn min_visitors_for(&self, days: i64) -> i64 {
        (self.min_visitors * days + 29) / 30
    }

    /// Sets one threshold from its text.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ThresholdError> {
        let number = || -> Result<f64, ThresholdError> {
            value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| {
                    ThresholdError::Invalid(key.into(), value.into(), "a number, 0 or more")
                })
        };
        let fraction = || -> Result<f64, ThresholdError> {
            number().and_then(|v| {
                if v > 0.0 && v < 1.0 {
                    Ok(v)
                } else {
                    Err(ThresholdError::Invalid(
                        key.into(),
                        value.into(),
                        "a number between 0 and 1",
                    ))
                }
            })
        };
        match key {
            "alpha" => self.alpha = fraction()?,
            "min_visitors" => self.min_visitors = number()? as i64,
            "uv_value_peer_share" => self.uv_value_peer_share = fraction()?,
            "ship_hours" => self.ship_hours = number()?,
            "growth_step" => self.growth_step = fraction()?,
            "min_drop" => self.min_drop = fraction()?,
            "trend_days" => self.trend_days = (number()? as i64).max(1),
            "settlement_days" => self.settlement_days = number()? as i64,
            "min_profit_orders" => self.min_profit_orders = (number()? as i64).max(1),
            "refund_rate_factor" => self.refund_rate_factor = number()?.max(1.0),
            "min_profit_stake" => self.min_profit_stake = number()?,
            other => {
                return Err(ThresholdError::Unknown(
                    other.into(),
                    KEYS.iter().map(|k| k.0).collect::<Vec<_>>().join(", "),
                ))
            }
        }
        Ok(())
    }

    /// The defaults with a shop's settings (keys `diagnosis.KEY`) applied.
    pub fn from_settings(settings: &BTreeMap<String, String>) -> Result<Self, ThresholdError> {
        let mut t = Thresholds::default();
        for (key, value) in settings_under(settings, SETTING_PREFIX) {
            t.set(key, value)?;
        }
        Ok(t)
    }
}

/// The shop settings whose keys start with `prefix`, the prefix taken off.
pub fn settings_under<'a>(
    settings: &'a BTreeMap<String, String>,
    prefix: &'a str,
) -> impl Iterator<Item = (&'a str, &'a str)> {
    settings
        .iter()
        .filter_map(move |(k, v)| Some((k.strip_prefix(prefix)?, v.as_str())))
}

/// Shop settings that hold thresholds start with this.
pub const SETTING_PREFIX: &str = "diagnosis.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_override_defaults_and_bad_values_are_refused() {
        let settings: BTreeMap<String, String> = [
            ("diagnosis.alpha".to_owned(), "0.01".to_owned()),
            ("diagnosis.ship_hours".to_owned(), "24".to_owned()),
            ("other.key".to_owned(), "x".to_owned()),
        ]
        .into_iter()
        .collect();
        let t = Thresholds::from_settings(&settings).unwrap();
        assert_eq!((t.alpha, t.ship_hours), (0.01, 24.0));
        assert_eq!(t.min_visitors, 200);
        let mut t = Thresholds::default();
        assert!(t.set("alpha", "1.5").is_err());
        assert!(t.set("alpha", "abc").is_err());
        assert!(matches!(
            t.set("colour", "1"),
            Err(ThresholdError::Unknown(..))
        ));
    }
}
