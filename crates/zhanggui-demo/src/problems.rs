//! The problems the demo plants in its Taobao shop in the last month, so that the
//! diagnosis has real things to find and the tests can check that it finds them:
//!
//! - the most visited product, whose conversion collapses in the last week (its visitors
//!   stay, nine in ten of its sales go);
//! - a presale item launched in the last twelve days, whose orders wait for the balance, so
//!   its payment conversion reads 0;
//! - a traffic source (手淘推荐) whose visitors halve over the last 30 days;
//! - a spike of refunds in the last two weeks.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::catalog::{Product, Role};

/// The traffic source whose visitors halve.
pub const HALVED_SOURCE: &str = "手淘推荐";

/// Where and when the problems are planted (days are indexes from the first day).
#[derive(Debug, Clone)]
pub struct Planted {
    pub collapse: usize,
    pub collapse_from: u32,
    pub presale: usize,
    pub presale_from: u32,
    pub halved_from: u32,
    /// The share of the shop's buyers the halved source brings.
    pub halved_buyer_share: f64,
    pub refunds_from: u32,
}

impl Planted {
    /// The most visited product collapses; the best-selling profit item is the presale
    /// item.
    pub fn choose(products: &[Product], days: u32, halved_buyer_share: f64) -> Planted {
        let by_weight = |role: Role| {
            let mut picks: Vec<usize> = (0..products.len())
                .filter(|&i| products[i].role == role)
                .collect();
            picks.sort_by(|&a, &b| products[b].weight.total_cmp(&products[a].weight));
            picks
        };
        let profit = by_weight(Role::Profit);
        let presale = profit.first().copied().unwrap_or(1);
        // The most visited product: a collapse there is visible within a week.
        let collapse = (0..products.len())
            .filter(|&i| i != presale)
            .max_by(|&a, &b| products[a].weight.total_cmp(&products[b].weight))
            .unwrap_or(0);
        let last = days.saturating_sub(1);
        Planted {
            collapse,
            collapse_from: last.saturating_sub(6),
            presale,
            presale_from: last.saturating_sub(11),
            halved_from: last.saturating_sub(29),
            halved_buyer_share,
            refunds_from: last.saturating_sub(13),
        }
    }

    /// Whether a line of `product` drawn on day `i` stands: the collapsing product loses
    /// most of its sales in its last week; the presale item sells only from its launch.
    pub fn keeps(&self, rng: &mut ChaCha8Rng, product: usize, i: u32) -> bool {
        if product == self.collapse && i >= self.collapse_from {
            return rng.random::<f64>() < 0.1;
        }
        !(product == self.presale && i < self.presale_from)
    }

    /// Whether the product has a page (and so visitors) on day `i`.
    pub fn listed(&self, product: usize, i: u32) -> bool {
        product != self.presale || i >= self.presale_from
    }

    /// The share of paid orders fully refunded on day `i`.
    pub fn refund_rate(&self, i: u32) -> f64 {
        if i >= self.refunds_from {
            0.15
        } else {
            0.03
        }
    }

    /// What the shop's orders are multiplied by on day `i`: the halved source's buyers
    /// are missing from them too.
    pub fn order_factor(&self, i: u32) -> f64 {
        if i >= self.halved_from {
            1.0 - 0.5 * self.halved_buyer_share
        } else {
            1.0
        }
    }

    /// What a source's visitors, buyers and sales are multiplied by on day `i`.
    pub fn source_factor(&self, source: &str, i: u32) -> f64 {
        if source == HALVED_SOURCE && i >= self.halved_from {
            0.5
        } else {
            1.0
        }
    }
}

impl Planted {
    /// The problems as the demo reports them.
    pub fn describe(
        &self,
        shop: &'static str,
        products: &[Product],
        day: impl Fn(u32) -> chrono::NaiveDate,
    ) -> Vec<crate::PlantedProblem> {
        let code = |i: usize| products.get(i).map(|p| p.code.clone());
        vec![
            crate::PlantedProblem {
                shop,
                kind: "conversion_collapse",
                subject: code(self.collapse),
                from: day(self.collapse_from),
            },
            crate::PlantedProblem {
                shop,
                kind: "presale",
                subject: code(self.presale),
                from: day(self.presale_from),
            },
            crate::PlantedProblem {
                shop,
                kind: "source_traffic_halved",
                subject: Some(HALVED_SOURCE.to_owned()),
                from: day(self.halved_from),
            },
            crate::PlantedProblem {
                shop,
                kind: "refund_spike",
                subject: None,
                from: day(self.refunds_from),
            },
        ]
    }
}
