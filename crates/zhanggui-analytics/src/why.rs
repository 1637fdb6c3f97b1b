//! Why sales moved: the change of sales between two periods split exactly into visitors ×
//! conversion × order value, for the shop and for each traffic source and product.
//!
//! sales = visitors × (buyers ÷ visitors) × (sales ÷ buyers). The split is the additive
//! log-mean Divisia index (LMDI-I, Ang 2005): with L(a, b) = (a − b) ÷ (ln a − ln b), the
//! part of a factor f is L(S₁, S₀) × ln(f₁ ÷ f₀), and the parts add up to S₁ − S₀ with no
//! residual. Parts are rounded to the cent so that they still add up exactly (the rounding
//! difference, at most a few cents, goes to the largest part).
//!
//! Zeros: a period without buyers has no order value; it takes the other period's, and the
//! whole change is conversion. A group (source, product) present in one period only is a
//! change of visitors alone.

use serde::Serialize;
use zhanggui_domain::money_json;

use crate::stats::{two_counts, two_proportions, Significance};

/// A factor of sales.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    Visitors,
    Conversion,
    OrderValue,
}

impl Factor {
    pub fn zh(self) -> &'static str {
        match self {
            Factor::Visitors => "访客数",
            Factor::Conversion => "支付转化率",
            Factor::OrderValue => "客单价",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Factor::Visitors => "visitors",
            Factor::Conversion => "conversion",
            Factor::OrderValue => "order value",
        }
    }
}

/// One period's sales and its factors' inputs: visitors, paying buyers, paid amount
/// (minor units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Sales {
    pub visitors: i64,
    pub buyers: i64,
    #[serde(serialize_with = "money_json::minor")]
    pub amount: i64,
}

impl Sales {
    pub fn conversion(&self) -> Option<f64> {
        (self.visitors > 0).then(|| self.buyers as f64 / self.visitors as f64)
    }

    pub fn order_value(&self) -> Option<f64> {
        (self.buyers > 0).then(|| self.amount as f64 / self.buyers as f64)
    }

    fn factor(&self, f: Factor) -> Option<f64> {
        match f {
            Factor::Visitors => Some(self.visitors as f64),
            Factor::Conversion => self.conversion(),
            Factor::OrderValue => self.order_value(),
        }
    }
}

/// The part of one factor in a change of sales.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub factor: Factor,
    /// Minor units of the shop's currency.
    pub amount: i64,
    /// The factor before and after (visitors, a fraction, minor units per buyer).
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// The test of the factor's change, where one applies: conversion (buyers out of
    /// visitors) and visitors (counts); order value has none.
    pub significance: Option<Significance>,
}

impl Serialize for Part {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        use zhanggui_domain::metrics::Unit;
        // Order value is money per buyer; visitors a count; conversion a fraction.
        let unit = match self.factor {
            Factor::OrderValue => Unit::Money,
            Factor::Visitors => Unit::Count,
            Factor::Conversion => Unit::Rate,
        };
        let mut o = s.serialize_struct("Part", 5)?;
        o.serialize_field("factor", &self.factor)?;
        o.serialize_field(
            "amount",
            &money_json::InUnit(Some(self.amount as f64), Unit::Money),
        )?;
        o.serialize_field("before", &money_json::InUnit(self.before, unit))?;
        o.serialize_field("after", &money_json::InUnit(self.after, unit))?;
        o.serialize_field("significance", &self.significance)?;
        o.end()
    }
}

/// A change of sales and its parts; the parts' amounts add up to `change` exactly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Split {
    pub before: Sales,
    pub after: Sales,
    /// after − before, minor units.
    #[serde(serialize_with = "money_json::minor")]
    pub change: i64,
    pub parts: Vec<Part>,
}

impl Split {
    pub fn part(&self, f: Factor) -> i64 {
        self.parts
            .iter()
            .find(|p| p.factor == f)
            .map_or(0, |p| p.amount)
    }
}

const FACTORS: [Factor; 3] = [Factor::Visitors, Factor::Conversion, Factor::OrderValue];

/// The logarithmic mean.
fn log_mean(a: f64, b: f64) -> f64 {
    if (a - b).abs() < 1e-12 * a.abs().max(b.abs()).max(1.0) {
        a
    } else {
        (a - b) / (a.ln() - b.ln())
    }
}

/// Splits the change from `before` to `after`. `exposure` is the length of the later
/// period over the earlier one, for the test on visitors.
pub fn split(before: Sales, after: Sales, exposure: f64) -> Split {
    let change = after.amount - before.amount;
    let raw: [f64; 3] = if before.visitors <= 0 || after.visitors <= 0 {
        // Traffic appeared or vanished: the whole change is visitors.
        [change as f64, 0.0, 0.0]
    } else {
        lmdi(before, after)
    };
    let amounts = round_exactly(raw, change);
    let parts = FACTORS
        .iter()
        .zip(amounts)
        .map(|(&factor, amount)| Part {
            factor,
            amount,
            before: before.factor(factor),
            after: after.factor(factor),
            significance: match factor {
                Factor::Visitors => two_counts(before.visitors, after.visitors, exposure),
                Factor::Conversion => {
                    two_proportions(before.buyers, before.visitors, after.buyers, after.visitors)
                }
                Factor::OrderValue => None,
            },
        })
        .collect();
    Split {
        before,
        after,
        change,
        parts,
    }
}

/// LMDI-I parts for two periods that both have visitors.
fn lmdi(before: Sales, after: Sales) -> [f64; 3] {
    const EPS: f64 = 1e-9;
    let positive = |x: i64| (x as f64).max(EPS);
    let (v0, v1) = (before.visitors as f64, after.visitors as f64);
    let (s0, s1) = (positive(before.amount), positive(after.amount));
    // Order value; a period without buyers takes the other period's.
    let a = |s: &Sales| (s.buyers > 0).then(|| positive(s.amount) / s.buyers as f64);
    let (a0, a1) = match (a(&before), a(&after)) {
        (Some(a0), Some(a1)) => (a0, a1),
        (Some(a0), None) => (a0, a0),
        (None, Some(a1)) => (a1, a1),
        (None, None) => (1.0, 1.0),
    };
    // Conversion as what makes the identity hold: s = v × c × a.
    let (c0, c1) = (s0 / (v0 * a0), s1 / (v1 * a1));
    let w = log_mean(s1, s0);
    [w * (v1 / v0).ln(), w * (c1 / c0).ln(), w * (a1 / a0).ln()]
}

/// Rounds parts to whole minor units so that they add up to `total` exactly; the
/// difference goes to the largest part.
fn round_exactly(raw: [f64; 3], total: i64) -> [i64; 3] {
    let mut out = raw.map(|x| if x.is_finite() { x.round() as i64 } else { 0 });
    let diff = total - out.iter().sum::<i64>();
    let largest = (0..3)
        .max_by(|&i, &j| raw[i].abs().total_cmp(&raw[j].abs()))
        .unwrap_or(0);
    out[largest] += diff;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_split_by_hand() {
        // Visitors 10,000 → 11,000; conversion 2% → 2%; order value 100.00 → 100.00:
        // all of the +20,000.00 is visitors.
        let before = Sales {
            visitors: 10_000,
            buyers: 200,
            amount: 2_000_000,
        };
        let after = Sales {
            visitors: 11_000,
            buyers: 220,
            amount: 2_200_000,
        };
        let s = split(before, after, 1.0);
        assert_eq!(s.change, 200_000);
        assert_eq!(s.part(Factor::Visitors), 200_000);
        assert_eq!(s.part(Factor::Conversion), 0);
        assert_eq!(s.part(Factor::OrderValue), 0);
    }

    #[test]
    fn conversion_alone() {
        // Same visitors and order value; buyers 200 → 150: everything is conversion, and
        // the drop is significant.
        let before = Sales {
            visitors: 10_000,
            buyers: 200,
            amount: 2_000_000,
        };
        let after = Sales {
            visitors: 10_000,
            buyers: 150,
            amount: 1_500_000,
        };
        let s = split(before, after, 1.0);
        assert_eq!(s.part(Factor::Conversion), -500_000);
        let conv = &s.parts[1];
        assert!(conv.significance.unwrap().significant(0.05));
    }

    proptest! {
        #[test]
        fn parts_add_up_to_the_cent(
            v0 in 0_i64..1_000_000, b0 in 0_i64..50_000, s0 in 0_i64..1_000_000_000,
            v1 in 0_i64..1_000_000, b1 in 0_i64..50_000, s1 in 0_i64..1_000_000_000,
        ) {
            let before = Sales { visitors: v0, buyers: b0.min(v0), amount: if b0.min(v0) == 0 { 0 } else { s0 } };
            let after = Sales { visitors: v1, buyers: b1.min(v1), amount: if b1.min(v1) == 0 { 0 } else { s1 } };
            let s = split(before, after, 1.0);
            let sum: i64 = s.parts.iter().map(|p| p.amount).sum();
            prop_assert_eq!(sum, after.amount - before.amount);
        }
    }
}
