//! Budget moves: from the plans that earn below break-even to the ones that earn above it,
//! within one tool and attribution window (ROIs of two windows, or two tools' ways of
//! counting, are not set against each other), and the split of the budget across tools by
//! goal (seed 001: search tools for sales, display and feed tools for exposure).
//!
//! A move assumes a plan's next yuan earns its average ROI over the period: constant
//! returns at the margin. Real plans saturate, so a move is capped at `cap` × what the
//! receiving plan spent, and the change it would make is given with the range its counts
//! allow (the donor's ROI at its interval's top against the receiver's at its bottom, and
//! the other way round).

use serde::Serialize;
use zhanggui_domain::{Currency, Money};

use super::plans::{PlanJudgement, Standing};

/// How much to move, and how far a receiving plan may grow.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct MoveRules {
    /// The share of a below-break-even plan's spend to move (0.5: half).
    pub share: f64,
    /// The most a receiving plan may gain, as a multiple of its spend (1.0: double it).
    pub cap: f64,
}

impl Default for MoveRules {
    fn default() -> Self {
        MoveRules {
            share: 0.5,
            cap: 1.0,
        }
    }
}

/// One suggested move.
#[derive(Debug, Clone, Serialize)]
pub struct BudgetMove {
    pub tool: String,
    pub attribution: String,
    pub from_campaign: String,
    pub to_campaign: String,
    pub amount: Money,
    pub from_roi: f64,
    pub to_roi: f64,
    /// Attributed sales the move would add at the two plans' ROIs, and its range.
    pub sales_change: Money,
    pub sales_change_low: Money,
    pub sales_change_high: Money,
    /// The contribution it would add (sales change × margin), when the margin is known.
    pub profit_change: Option<Money>,
}

/// The moves worth making among judged plans.
pub fn budget_moves(
    plans: &[PlanJudgement],
    rules: MoveRules,
    currency: Currency,
) -> Vec<BudgetMove> {
    let mut groups: Vec<(&str, &str)> = plans
        .iter()
        .map(|p| (p.metrics.tool.as_str(), p.metrics.attribution.as_str()))
        .collect();
    groups.sort();
    groups.dedup();
    let mut moves = Vec::new();
    for (tool, window) in groups {
        let of_group = |s: Standing| {
            let mut v: Vec<&PlanJudgement> = plans
                .iter()
                .filter(|p| {
                    p.metrics.tool == tool && p.metrics.attribution == window && p.standing == s
                })
                .collect();
            v.sort_by(|a, b| {
                a.metrics
                    .roi
                    .unwrap_or(0.0)
                    .total_cmp(&b.metrics.roi.unwrap_or(0.0))
            });
            v
        };
        let donors = of_group(Standing::Below);
        let mut receivers = of_group(Standing::Above);
        receivers.reverse();
        let mut room: Vec<f64> = receivers
            .iter()
            .map(|r| r.metrics.spend.minor as f64 * rules.cap)
            .collect();
        for donor in donors {
            let mut left = donor.metrics.spend.minor as f64 * rules.share;
            for (receiver, room) in receivers.iter().zip(room.iter_mut()) {
                let amount = left.min(*room).floor();
                if amount < 1.0 {
                    continue;
                }
                *room -= amount;
                left -= amount;
                moves.push(one_move(donor, receiver, amount, currency));
                if left < 1.0 {
                    break;
                }
            }
        }
    }
    moves.sort_by_key(|m| std::cmp::Reverse(m.sales_change.minor));
    moves
}

fn one_move(
    from: &PlanJudgement,
    to: &PlanJudgement,
    amount: f64,
    currency: Currency,
) -> BudgetMove {
    let roi = |p: &PlanJudgement| p.metrics.roi.unwrap_or(0.0);
    let (from_roi, to_roi) = (roi(from), roi(to));
    let money = |v: f64| Money::new(v.round() as i64, currency);
    let change = amount * (to_roi - from_roi);
    let low = amount * (to.roi_low.unwrap_or(to_roi) - from.roi_high.unwrap_or(from_roi));
    let high = amount * (to.roi_high.unwrap_or(to_roi) - from.roi_low.unwrap_or(from_roi));
    BudgetMove {
        tool: from.metrics.tool.clone(),
        attribution: from.metrics.attribution.clone(),
        from_campaign: from.metrics.campaign.clone(),
        to_campaign: to.metrics.campaign.clone(),
        amount: money(amount),
        from_roi,
        to_roi,
        sales_change: money(change),
        sales_change_low: money(low),
        sales_change_high: money(high),
        profit_change: to.margin.map(|m| money(change * m)),
    }
}

/// A tool's goal in the budget split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Goal {
    Sales,
    Exposure,
}

impl Goal {
    pub fn parse(s: &str) -> Option<Goal> {
        match s {
            "sales" | "成交" => Some(Goal::Sales),
            "exposure" | "曝光" => Some(Goal::Exposure),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Goal::Sales => "sales",
            Goal::Exposure => "exposure",
        }
    }

    /// A tool's goal when the user has set none: display and feed tools buy exposure,
    /// search tools sales.
    pub fn default_for(tool: &str) -> Goal {
        const EXPOSURE: &[&str] = &["引力魔方", "万相台", "多多场景", "Meta Ads"];
        if EXPOSURE.contains(&tool) {
            Goal::Exposure
        } else {
            Goal::Sales
        }
    }
}

/// One tool's line in the budget split.
#[derive(Debug, Clone, Serialize)]
pub struct ToolShare {
    pub tool: String,
    pub goal: Goal,
    pub spend: Money,
    pub share: f64,
    /// The share the user set, and the spend it asks for over the same total.
    pub target_share: Option<f64>,
    pub target_spend: Option<Money>,
}

/// The split of spend across tools now, beside the split the user set.
pub fn tool_split(
    spend_by_tool: &[(String, i64)],
    goals: &dyn Fn(&str) -> Option<Goal>,
    targets: &dyn Fn(&str) -> Option<f64>,
    currency: Currency,
) -> Vec<ToolShare> {
    let total: i64 = spend_by_tool.iter().map(|(_, s)| *s).sum();
    spend_by_tool
        .iter()
        .map(|(tool, spend)| {
            let target_share = targets(tool);
            ToolShare {
                tool: tool.clone(),
                goal: goals(tool).unwrap_or_else(|| Goal::default_for(tool)),
                spend: Money::new(*spend, currency),
                share: if total > 0 {
                    *spend as f64 / total as f64
                } else {
                    0.0
                },
                target_share,
                target_spend: target_share
                    .map(|s| Money::new((s * total as f64).round() as i64, currency)),
            }
        })
        .collect()
}
