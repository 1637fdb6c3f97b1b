//! Why sales moved: the change of sales between two periods split exactly into visitors ×
//! conversion × order value, for the shop and for each traffic source and product.
//!
//! sales = visitors × (buyers ÷ visitors) × (sales ÷ buyers). Where the group's visitors
//! come from ads whose impressions are known (a paid source named like its ad tool),
//! visitors are split further into impressions × (visitors ÷ impressions), seed 003's
//! 展现量 × 点击率. Where there are no visitors at all (a shop with only orders), sales =
//! paying buyers × order value. The split is the additive
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
    /// Ad impressions, and visitors per impression: visitors split in two.
    Impressions,
    Ctr,
    Conversion,
    /// Paying buyers, where no visitors are known.
    Buyers,
    OrderValue,
}

impl Factor {
    pub fn zh(self) -> &'static str {
        match self {
            Factor::Visitors => "访客数",
            Factor::Impressions => "展现量",
            Factor::Ctr => "点击率",
            Factor::Conversion => "支付转化率",
            Factor::Buyers => "支付买家数",
            Factor::OrderValue => "客单价",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Factor::Visitors => "visitors",
            Factor::Impressions => "impressions",
            Factor::Ctr => "click-through",
            Factor::Conversion => "conversion",
            Factor::Buyers => "paying buyers",
            Factor::OrderValue => "order value",
        }
    }

    /// The unit the factor's values are in.
    pub fn unit(self) -> zhanggui_domain::metrics::Unit {
        use zhanggui_domain::metrics::Unit;
        match self {
            Factor::OrderValue => Unit::Money,
            Factor::Visitors | Factor::Impressions | Factor::Buyers => Unit::Count,
            Factor::Conversion | Factor::Ctr => Unit::Rate,
        }
    }
}

/// What a split multiplies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// visitors × conversion × order value.
    Visitors,
    /// impressions × visitors per impression × conversion × order value.
    Impressions,
    /// paying buyers × order value: no visitors are known.
    Buyers,
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

    fn factor(&self, f: Factor, impressions: Option<i64>) -> Option<f64> {
        match f {
            Factor::Visitors => Some(self.visitors as f64),
            Factor::Impressions => impressions.map(|i| i as f64),
            Factor::Ctr => impressions
                .filter(|i| *i > 0)
                .map(|i| self.visitors as f64 / i as f64),
            Factor::Conversion => self.conversion(),
            Factor::Buyers => Some(self.buyers as f64),
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
        let unit = self.factor.unit();
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
    pub basis: Basis,
    pub before: Sales,
    pub after: Sales,
    /// The ad impressions behind the visitors, when the basis is impressions.
    pub impressions: Option<(i64, i64)>,
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

    /// The part of visitors, whether or not it is split into impressions and CTR.
    pub fn visitors_part(&self) -> i64 {
        self.part(Factor::Visitors) + self.part(Factor::Impressions) + self.part(Factor::Ctr)
    }
}

const FACTORS: [Factor; 3] = [Factor::Visitors, Factor::Conversion, Factor::OrderValue];
const AD_FACTORS: [Factor; 4] = [
    Factor::Impressions,
    Factor::Ctr,
    Factor::Conversion,
    Factor::OrderValue,
];
const BUYER_FACTORS: [Factor; 2] = [Factor::Buyers, Factor::OrderValue];

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
    let raw: Vec<f64> = if before.visitors <= 0 || after.visitors <= 0 {
        // Traffic appeared or vanished: the whole change is visitors.
        vec![change as f64, 0.0, 0.0]
    } else {
        lmdi(before, after).to_vec()
    };
    assemble(
        Basis::Visitors,
        &FACTORS,
        raw,
        before,
        after,
        None,
        exposure,
    )
}

/// Splits the change with the visitors split into ad impressions (`impressions`: before,
/// after) × visitors per impression. Without impressions in both periods, as `split`.
pub fn split_with_impressions(
    before: Sales,
    after: Sales,
    impressions: (i64, i64),
    exposure: f64,
) -> Split {
    let (i0, i1) = impressions;
    if i0 <= 0 || i1 <= 0 || before.visitors <= 0 || after.visitors <= 0 {
        return split(before, after, exposure);
    }
    let [v, c, a] = lmdi(before, after);
    // The visitors part w·ln(v₁/v₀) is w·ln(i₁/i₀) + w·ln(ctr₁/ctr₀) exactly, with w the
    // log mean of sales as in `lmdi`.
    let w = log_mean(
        (after.amount as f64).max(1e-9),
        (before.amount as f64).max(1e-9),
    );
    let from_impressions = w * (i1 as f64 / i0 as f64).ln();
    let raw = vec![from_impressions, v - from_impressions, c, a];
    assemble(
        Basis::Impressions,
        &AD_FACTORS,
        raw,
        before,
        after,
        Some(impressions),
        exposure,
    )
}

/// Splits the change into paying buyers × order value, for a shop or product without
/// visitors.
pub fn split_by_buyers(before: Sales, after: Sales, exposure: f64) -> Split {
    let change = after.amount - before.amount;
    let raw = if before.buyers <= 0 || after.buyers <= 0 {
        vec![change as f64, 0.0]
    } else {
        const EPS: f64 = 1e-9;
        let (s0, s1) = (
            (before.amount as f64).max(EPS),
            (after.amount as f64).max(EPS),
        );
        let (b0, b1) = (before.buyers as f64, after.buyers as f64);
        let w = log_mean(s1, s0);
        vec![w * (b1 / b0).ln(), w * ((s1 / b1) / (s0 / b0)).ln()]
    };
    assemble(
        Basis::Buyers,
        &BUYER_FACTORS,
        raw,
        before,
        after,
        None,
        exposure,
    )
}

fn assemble(
    basis: Basis,
    factors: &[Factor],
    raw: Vec<f64>,
    before: Sales,
    after: Sales,
    impressions: Option<(i64, i64)>,
    exposure: f64,
) -> Split {
    let change = after.amount - before.amount;
    let amounts = round_exactly(&raw, change);
    let (i0, i1) = (impressions.map(|i| i.0), impressions.map(|i| i.1));
    let parts = factors
        .iter()
        .zip(amounts)
        .map(|(&factor, amount)| Part {
            factor,
            amount,
            before: before.factor(factor, i0),
            after: after.factor(factor, i1),
            significance: match factor {
                Factor::Visitors => two_counts(before.visitors, after.visitors, exposure),
                Factor::Impressions => impressions.and_then(|(a, b)| two_counts(a, b, exposure)),
                Factor::Ctr => impressions
                    .filter(|(a, b)| before.visitors <= *a && after.visitors <= *b)
                    .and_then(|(a, b)| two_proportions(before.visitors, a, after.visitors, b)),
                Factor::Conversion => {
                    two_proportions(before.buyers, before.visitors, after.buyers, after.visitors)
                }
                Factor::Buyers => two_counts(before.buyers, after.buyers, exposure),
                Factor::OrderValue => None,
            },
        })
        .collect();
    Split {
        basis,
        before,
        after,
        impressions,
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
fn round_exactly(raw: &[f64], total: i64) -> Vec<i64> {
    let mut out: Vec<i64> = raw
        .iter()
        .map(|x| if x.is_finite() { x.round() as i64 } else { 0 })
        .collect();
    let diff = total - out.iter().sum::<i64>();
    let largest = (0..raw.len())
        .max_by(|&i, &j| raw[i].abs().total_cmp(&raw[j].abs()))
        .unwrap_or(0);
    if let Some(x) = out.get_mut(largest) {
        *x += diff;
    }
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

    #[test]
    fn more_impressions_at_the_same_click_through_is_all_impressions() {
        // Impressions 100,000 → 120,000, visitors 2,000 → 2,400 (2% of them both times),
        // conversion 5%, order value 100.00: the +20,000.00 is all impressions.
        let before = Sales {
            visitors: 2_000,
            buyers: 100,
            amount: 1_000_000,
        };
        let after = Sales {
            visitors: 2_400,
            buyers: 120,
            amount: 1_200_000,
        };
        let s = split_with_impressions(before, after, (100_000, 120_000), 1.0);
        assert_eq!(s.basis, Basis::Impressions);
        assert_eq!(s.part(Factor::Impressions), 200_000);
        assert_eq!(s.part(Factor::Ctr), 0);
        assert_eq!(s.part(Factor::Conversion), 0);
        // The same visitors from fewer impressions: CTR up, impressions down, in equal
        // and opposite parts.
        let s = split_with_impressions(before, before, (100_000, 80_000), 1.0);
        assert_eq!(s.part(Factor::Impressions), -s.part(Factor::Ctr));
        assert!(s.part(Factor::Ctr) > 0);
        let ctr = s.parts.iter().find(|p| p.factor == Factor::Ctr).unwrap();
        assert_eq!(ctr.before, Some(0.02));
        assert_eq!(ctr.after, Some(0.025));
        assert!(ctr.significance.unwrap().significant(0.05));
    }

    #[test]
    fn without_visitors_the_split_is_buyers_and_order_value() {
        // Buyers 100 → 110, order value 100.00 → 120.00.
        let before = Sales {
            visitors: 0,
            buyers: 100,
            amount: 1_000_000,
        };
        let after = Sales {
            visitors: 0,
            buyers: 110,
            amount: 1_320_000,
        };
        let s = split_by_buyers(before, after, 1.0);
        assert_eq!(s.basis, Basis::Buyers);
        let w = (1_320_000f64 - 1_000_000.0) / (1_320_000f64.ln() - 1_000_000f64.ln());
        assert_eq!(s.part(Factor::Buyers), (w * 1.1f64.ln()).round() as i64);
        assert_eq!(s.part(Factor::Buyers) + s.part(Factor::OrderValue), 320_000);
        assert!(s.part(Factor::OrderValue) > s.part(Factor::Buyers));
    }

    proptest! {
        #[test]
        fn impressions_and_ctr_add_up_to_the_cent_and_to_the_visitors_part(
            v0 in 1_i64..100_000, b0 in 0_i64..5_000, s0 in 0_i64..100_000_000, i0 in 1_i64..10_000_000,
            v1 in 1_i64..100_000, b1 in 0_i64..5_000, s1 in 0_i64..100_000_000, i1 in 1_i64..10_000_000,
        ) {
            let before = Sales { visitors: v0, buyers: b0.min(v0), amount: if b0.min(v0) == 0 { 0 } else { s0 } };
            let after = Sales { visitors: v1, buyers: b1.min(v1), amount: if b1.min(v1) == 0 { 0 } else { s1 } };
            let s = split_with_impressions(before, after, (i0, i1), 1.0);
            let sum: i64 = s.parts.iter().map(|p| p.amount).sum();
            prop_assert_eq!(sum, after.amount - before.amount);
            let plain = split(before, after, 1.0);
            prop_assert!((s.visitors_part() - plain.visitors_part()).abs() <= 2);
        }

        #[test]
        fn buyers_and_order_value_add_up_to_the_cent(
            b0 in 0_i64..50_000, s0 in 0_i64..1_000_000_000,
            b1 in 0_i64..50_000, s1 in 0_i64..1_000_000_000,
        ) {
            let before = Sales { visitors: 0, buyers: b0, amount: if b0 == 0 { 0 } else { s0 } };
            let after = Sales { visitors: 0, buyers: b1, amount: if b1 == 0 { 0 } else { s1 } };
            let s = split_by_buyers(before, after, 1.0);
            let sum: i64 = s.parts.iter().map(|p| p.amount).sum();
            prop_assert_eq!(sum, after.amount - before.amount);
        }

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
