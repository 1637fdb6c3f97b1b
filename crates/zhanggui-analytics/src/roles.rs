//! Product roles from the numbers (seed 002's 引流款, 利润款, 形象款 and 滞销): each product
//! of a profit report by product is classed by its share of the shop's visitors, its
//! margin before ads and fixed costs (CM1 over net sales), its price against the shop's
//! median and its share of sales, with the thresholds stated and adjustable per shop
//! (settings `roles.KEY`). The first role that fits, in this order:
//!
//! 1. 形象款 (image item): average unit price at least `image_price` times the median
//!    product's, and fewer than `image_units_share` of the units sold.
//! 2. 滞销 (slow mover): less than `slow_share` of the net sales.
//! 3. 引流款 (traffic driver): at least `traffic_factor` times the average product's share of
//!    the visitors (of the units sold when the shop has no product traffic imported) and a
//!    CM1 margin under `traffic_margin`.
//! 4. 利润款 (profit item): a CM1 margin of `profit_margin` or more.
//! 5. 常规款 (regular) otherwise; a product whose CM1 is unknown (a cost or a fee missing)
//!    and that is neither an image item nor a slow mover has no role.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use zhanggui_domain::metrics::Measure;
use zhanggui_domain::Shop;
use zhanggui_storage::{DayRange, GroupBy, Store, StoreError};

use crate::diagnosis::thresholds::settings_under;
use crate::diagnosis::ThresholdError;
use crate::profit::ProfitReport;

/// What a product is for in the shop's range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProductRole {
    Image,
    Slow,
    Traffic,
    Profit,
    Regular,
}

impl ProductRole {
    pub fn zh(self) -> &'static str {
        match self {
            ProductRole::Image => "形象款",
            ProductRole::Slow => "滞销",
            ProductRole::Traffic => "引流款",
            ProductRole::Profit => "利润款",
            ProductRole::Regular => "常规款",
        }
    }
}

/// The thresholds of the classification.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RoleThresholds {
    pub traffic_factor: f64,
    pub traffic_margin: f64,
    pub profit_margin: f64,
    pub image_price: f64,
    pub image_units_share: f64,
    pub slow_share: f64,
}

impl Default for RoleThresholds {
    fn default() -> Self {
        RoleThresholds {
            traffic_factor: 1.5,
            traffic_margin: 0.15,
            profit_margin: 0.25,
            image_price: 2.0,
            image_units_share: 0.01,
            slow_share: 0.001,
        }
    }
}

/// The keys and what each means, for help and docs.
pub const KEYS: &[(&str, &str)] = &[
    (
        "traffic_factor",
        "times the average product's share of visitors from which a thin-margin product drives traffic (1.5)",
    ),
    (
        "traffic_margin",
        "CM1 margin under which a high-traffic product is a traffic driver (0.15)",
    ),
    (
        "profit_margin",
        "CM1 margin from which a product is a profit item (0.25)",
    ),
    (
        "image_price",
        "times the median unit price from which a product is an image item (2)",
    ),
    (
        "image_units_share",
        "share of units under which a dear product is an image item (0.01)",
    ),
    (
        "slow_share",
        "share of net sales under which a product is a slow mover (0.001)",
    ),
];

/// Shop settings that hold role thresholds start with this.
pub const SETTING_PREFIX: &str = "roles.";

impl RoleThresholds {
    /// Sets one threshold from its text: a fraction below 1, except `image_price` and
    /// `traffic_factor` (1 or more).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ThresholdError> {
        let v = value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v >= 0.0);
        let bad = |what| ThresholdError::Invalid(key.into(), value.into(), what);
        let fraction = || {
            v.filter(|v| *v < 1.0)
                .ok_or_else(|| bad("a number from 0 to below 1"))
        };
        match key {
            "traffic_factor" => {
                self.traffic_factor = v
                    .filter(|v| *v >= 1.0)
                    .ok_or_else(|| bad("a number, 1 or more"))?
            }
            "traffic_margin" => self.traffic_margin = fraction()?,
            "profit_margin" => self.profit_margin = fraction()?,
            "image_units_share" => self.image_units_share = fraction()?,
            "slow_share" => self.slow_share = fraction()?,
            "image_price" => {
                self.image_price = v
                    .filter(|v| *v >= 1.0)
                    .ok_or_else(|| bad("a number, 1 or more"))?
            }
            other => {
                return Err(ThresholdError::Unknown(
                    other.into(),
                    KEYS.iter().map(|k| k.0).collect::<Vec<_>>().join(", "),
                ))
            }
        }
        Ok(())
    }

    /// The defaults with a shop's settings (`roles.KEY`) applied.
    pub fn from_settings(settings: &BTreeMap<String, String>) -> Result<Self, ThresholdError> {
        let mut t = RoleThresholds::default();
        for (key, value) in settings_under(settings, SETTING_PREFIX) {
            t.set(key, value)?;
        }
        Ok(t)
    }
}

/// What a product's role was judged on.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RoleInputs {
    /// Share of visitors (of units when no traffic was imported) over the average
    /// product's.
    pub traffic_ratio: f64,
    pub units_share: f64,
    pub sales_share: f64,
    /// CM1 over net sales, when known.
    pub margin: Option<f64>,
    /// Average unit price over the median product's.
    pub price_ratio: f64,
}

/// The role of one product from its inputs.
pub fn role_of(i: &RoleInputs, t: &RoleThresholds) -> Option<ProductRole> {
    if i.price_ratio >= t.image_price && i.units_share < t.image_units_share {
        return Some(ProductRole::Image);
    }
    if i.sales_share < t.slow_share {
        return Some(ProductRole::Slow);
    }
    let margin = i.margin?;
    Some(
        if i.traffic_ratio >= t.traffic_factor && margin < t.traffic_margin {
            ProductRole::Traffic
        } else if margin >= t.profit_margin {
            ProductRole::Profit
        } else {
            ProductRole::Regular
        },
    )
}

/// Classes every row of a report by product, reading the products' visitors of the same
/// range from `store` (units stand in for traffic when none were imported).
pub fn assign_roles(
    store: &dyn Store,
    shop: &Shop,
    report: &mut ProfitReport,
    t: RoleThresholds,
) -> Result<(), StoreError> {
    let range = DayRange::new(report.from, report.to);
    let table = store.measures(shop, range, GroupBy::Product)?;
    let visitors: HashMap<&str, i64> = table
        .rows
        .iter()
        .filter_map(|r| Some((r.group.as_str(), r.get(Measure::Visitors)?)))
        .collect();
    let total_visitors: i64 = visitors.values().sum();
    let by_units = total_visitors == 0;
    let total_units: i64 = report.rows.iter().map(|r| r.units).sum();
    let total_sales: i64 = report.rows.iter().map(|r| r.net_sales.minor.max(0)).sum();
    let mut prices: Vec<f64> = report
        .rows
        .iter()
        .filter(|r| r.units > 0)
        .map(|r| r.net_sales.minor as f64 / r.units as f64)
        .collect();
    prices.sort_by(f64::total_cmp);
    let median = prices.get(prices.len() / 2).copied().unwrap_or(0.0);
    let share = |part: i64, whole: i64| {
        if whole > 0 {
            part as f64 / whole as f64
        } else {
            0.0
        }
    };
    let average = 1.0 / report.rows.len().max(1) as f64;
    for row in &mut report.rows {
        let units_share = share(row.units, total_units);
        let traffic_share = if by_units {
            units_share
        } else {
            share(
                visitors.get(row.key.as_str()).copied().unwrap_or(0),
                total_visitors,
            )
        };
        let inputs = RoleInputs {
            traffic_ratio: traffic_share / average,
            units_share,
            sales_share: share(row.net_sales.minor, total_sales),
            margin: row.cm1.and_then(|cm1| {
                (row.net_sales.minor > 0).then(|| cm1.minor as f64 / row.net_sales.minor as f64)
            }),
            price_ratio: if row.units > 0 && median > 0.0 {
                row.net_sales.minor as f64 / row.units as f64 / median
            } else {
                0.0
            },
        };
        row.role = role_of(&inputs, &t);
    }
    report.roles = Some(RolesUsed {
        thresholds: t,
        traffic_from: if by_units { "units" } else { "visitors" },
    });
    Ok(())
}

/// The thresholds the roles of a report were judged by, and what stood for traffic.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RolesUsed {
    pub thresholds: RoleThresholds,
    /// `visitors` (the product traffic imported) or `units` (none was).
    pub traffic_from: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(traffic: f64, units: f64, sales: f64, margin: Option<f64>, price: f64) -> RoleInputs {
        RoleInputs {
            traffic_ratio: traffic,
            units_share: units,
            sales_share: sales,
            margin,
            price_ratio: price,
        }
    }

    #[test]
    fn the_first_role_that_fits_in_the_stated_order() {
        let t = RoleThresholds::default();
        let role = |i| role_of(&i, &t);
        // Dear and rarely sold: an image item, whatever its margin.
        assert_eq!(
            role(inputs(0.5, 0.005, 0.02, Some(0.5), 3.0)),
            Some(ProductRole::Image)
        );
        // Dear but selling many units: judged on its margin.
        assert_eq!(
            role(inputs(0.5, 0.05, 0.2, Some(0.5), 3.0)),
            Some(ProductRole::Profit)
        );
        // Hardly any sales: slow, even without a cost price.
        assert_eq!(
            role(inputs(0.0, 0.0005, 0.0005, None, 1.0)),
            Some(ProductRole::Slow)
        );
        // Twice the average traffic and a thin margin: a traffic driver; a loss is thin.
        assert_eq!(
            role(inputs(2.0, 0.1, 0.05, Some(0.05), 0.5)),
            Some(ProductRole::Traffic)
        );
        assert_eq!(
            role(inputs(2.0, 0.1, 0.05, Some(-0.2), 0.5)),
            Some(ProductRole::Traffic)
        );
        // The same margin with an average product's traffic: a regular item.
        assert_eq!(
            role(inputs(1.0, 0.1, 0.05, Some(0.05), 0.5)),
            Some(ProductRole::Regular)
        );
        // Much traffic and a wide margin: a profit item.
        assert_eq!(
            role(inputs(2.0, 0.1, 0.05, Some(0.3), 1.0)),
            Some(ProductRole::Profit)
        );
        assert_eq!(
            role(inputs(0.5, 0.02, 0.02, Some(0.2), 1.0)),
            Some(ProductRole::Regular)
        );
        // Margin unknown and neither dear nor slow: no role.
        assert_eq!(role(inputs(2.0, 0.1, 0.05, None, 1.0)), None);
    }

    #[test]
    fn thresholds_are_set_from_settings_and_bad_values_refused() {
        let settings: BTreeMap<String, String> = [
            ("roles.profit_margin".to_owned(), "0.3".to_owned()),
            ("diagnosis.alpha".to_owned(), "0.01".to_owned()),
        ]
        .into_iter()
        .collect();
        let t = RoleThresholds::from_settings(&settings).unwrap();
        assert_eq!(t.profit_margin, 0.3);
        assert_eq!(t.traffic_margin, RoleThresholds::default().traffic_margin);
        let mut t = RoleThresholds::default();
        assert!(t.set("image_price", "0.5").is_err());
        assert!(t.set("traffic_factor", "0.5").is_err());
        assert!(t.set("slow_share", "2").is_err());
        assert!(matches!(
            t.set("colour", "1"),
            Err(ThresholdError::Unknown(..))
        ));
    }
}
