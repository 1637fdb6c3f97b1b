//! The promotion report of a shop over a period: the tools' totals, each plan (or
//! creative, product, plan-day) with its metrics and its standing against break-even, the
//! budget moves worth making and the split across tools by goal.
//!
//! The margin behind break-even is, in order: the one the request gives, the shop's
//! setting `promotion.margin`, or the shop's CM1 margin over the period from the profit
//! model (per product for the product view, where the product's own margin is known).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::{Currency, Shop};
use zhanggui_storage::{AdBy, AdStore, CostStore, DayRange, ProfitBy, Store, StoreError};

use super::budget::{budget_moves, tool_split, BudgetMove, Goal, MoveRules, ToolShare};
use super::plans::{judge, metrics, PlanJudgement, PlanMetrics};
use super::pull::{pull_range, pulls, Pull};
use crate::profit::profit;

/// The setting keys the report reads.
pub const MARGIN_SETTING: &str = "promotion.margin";
pub const GOAL_PREFIX: &str = "promotion.goal.";
pub const SHARE_PREFIX: &str = "promotion.share.";

/// What to report.
#[derive(Debug, Clone)]
pub struct AdsRequest {
    pub range: DayRange,
    pub by: AdBy,
    /// A margin that overrides the setting and the profit model.
    pub margin: Option<f64>,
    pub rules: MoveRules,
    /// Tools' goals and target shares for this report, over the shop's settings.
    pub goals: BTreeMap<String, Goal>,
    pub targets: BTreeMap<String, f64>,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct AdsReport {
    pub shop: String,
    pub currency: Currency,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: &'static str,
    pub tools: Vec<PlanMetrics>,
    pub rows: Vec<PlanJudgement>,
    pub moves: Vec<BudgetMove>,
    pub move_rules: MoveRules,
    pub split: Vec<ToolShare>,
    pub margin: Option<f64>,
    pub margin_source: &'static str,
    /// Paid traffic's pull on free traffic over the 52 weeks up to `to`: the shop's, then
    /// each advertised product's.
    pub pull: Vec<Pull>,
    pub pull_from: NaiveDate,
    pub notes: Vec<String>,
}

/// Names a grouping.
pub fn by_name(by: AdBy) -> &'static str {
    match by {
        AdBy::Tool => "tool",
        AdBy::Campaign => "campaign",
        AdBy::Creative => "creative",
        AdBy::CreativeDay => "creative_day",
        AdBy::CampaignDay => "day",
        AdBy::Product => "product",
    }
}

/// Parses a grouping's name.
pub fn parse_by(s: &str) -> Option<AdBy> {
    Some(match s {
        "tool" => AdBy::Tool,
        "campaign" | "plan" => AdBy::Campaign,
        "creative" => AdBy::Creative,
        "day" => AdBy::CampaignDay,
        "product" => AdBy::Product,
        _ => return None,
    })
}

/// Builds the report.
pub fn ads_report<S: Store + CostStore + AdStore>(
    store: &S,
    shop: &Shop,
    req: AdsRequest,
) -> Result<AdsReport, StoreError> {
    let currency = shop.currency;
    let settings = store.settings(shop)?;
    let set_margin = settings
        .get(MARGIN_SETTING)
        .and_then(|v| v.trim().parse::<f64>().ok());
    let tools_totals = store.ad_totals(shop, req.range, AdBy::Tool)?;
    let mut notes = Vec::new();
    let has_rows = !tools_totals.is_empty();
    let (margin, margin_source, product_margins) = match (req.margin, set_margin) {
        (Some(m), _) => (Some(m), "given with the request", BTreeMap::new()),
        (None, Some(m)) => (
            Some(m),
            "the shop's setting promotion.margin",
            BTreeMap::new(),
        ),
        (None, None) if has_rows => {
            let by = if req.by == AdBy::Product {
                ProfitBy::Product
            } else {
                ProfitBy::Month
            };
            let p = profit(store, shop, req.range, by)?;
            let shop_margin = (p.net_sales_known.minor > 0)
                .then(|| p.cm1.minor as f64 / p.net_sales_known.minor as f64);
            let per_product: BTreeMap<String, f64> = if by == ProfitBy::Product {
                p.rows
                    .iter()
                    .filter_map(|r| r.break_even_roi.map(|be| (r.key.clone(), 1.0 / be)))
                    .collect()
            } else {
                BTreeMap::new()
            };
            if shop_margin.is_none() {
                notes.push(
                    "no margin is known (no product with every cost known sold in the period): \
                     set one with --margin or the setting promotion.margin to judge plans \
                     against break-even"
                        .to_owned(),
                );
            }
            (
                shop_margin,
                "the shop's CM1 margin over the period (profit model)",
                per_product,
            )
        }
        (None, None) => (None, "none", BTreeMap::new()),
    };
    let tools: Vec<PlanMetrics> = tools_totals.iter().map(|t| metrics(t, currency)).collect();
    let tool_order_value: BTreeMap<(String, String), f64> = tools
        .iter()
        .filter_map(|t| {
            t.order_value
                .map(|v| ((t.tool.clone(), t.attribution.clone()), v.minor as f64))
        })
        .collect();
    let rows: Vec<PlanJudgement> = store
        .ad_totals(shop, req.range, req.by)?
        .iter()
        .map(|t| {
            let m = metrics(t, currency);
            let fallback = tool_order_value
                .get(&(m.tool.clone(), m.attribution.clone()))
                .copied();
            match product_margins.get(&m.product_code) {
                Some(pm) => judge(m, Some(*pm), "the product's CM1 margin", fallback),
                None => judge(m, margin, margin_source, fallback),
            }
        })
        .collect();
    let moves = if matches!(req.by, AdBy::Campaign) {
        budget_moves(&rows, req.rules, currency)
    } else {
        Vec::new()
    };
    let mut spend_by_tool: BTreeMap<String, i64> = BTreeMap::new();
    for t in &tools_totals {
        // Windows share the spend: take the largest, never the sum.
        let s = spend_by_tool.entry(t.tool.clone()).or_default();
        *s = (*s).max(t.spend);
    }
    let spend_by_tool: Vec<(String, i64)> = spend_by_tool.into_iter().collect();
    let goal = |tool: &str| {
        req.goals.get(tool).copied().or_else(|| {
            settings
                .get(&format!("{GOAL_PREFIX}{tool}"))
                .and_then(|g| Goal::parse(g))
        })
    };
    let target = |tool: &str| {
        req.targets.get(tool).copied().or_else(|| {
            settings
                .get(&format!("{SHARE_PREFIX}{tool}"))
                .and_then(|s| s.trim().parse::<f64>().ok())
        })
    };
    let split = tool_split(&spend_by_tool, &goal, &target, currency);
    let mut windows: Vec<(&str, &str)> = tools
        .iter()
        .map(|t| (t.tool.as_str(), t.attribution.as_str()))
        .collect();
    windows.dedup();
    for (tool, window) in windows {
        if !window.is_empty() {
            notes.push(format!(
                "{tool}: orders and sales as attributed within {window}"
            ));
        }
    }
    notes.push(
        "ROI is the platforms' 投入产出比, attributed sales ÷ spend (what Google and Meta call \
         ROAS); break-even ROI is 1 ÷ margin"
            .to_owned(),
    );
    if !moves.is_empty() {
        notes.push(format!(
            "moves assume each plan's next yuan earns its average ROI; each moves {:.0}% of a \
             below-break-even plan's spend and at most {:.0}% of a receiving plan's",
            req.rules.share * 100.0,
            req.rules.cap * 100.0
        ));
    }
    let pull = pulls(store, shop, req.range.to)?;
    if pull.iter().any(|p| p.pull.is_some()) {
        notes.push(
            "pull on free traffic: the free visitors a day this week per paid visitor a day more \
             last week, from whole weeks' changes over the last 52; an observational estimate, \
             cleanest when budgets changed and demand did not"
                .to_owned(),
        );
    }
    Ok(AdsReport {
        shop: shop.name.to_string(),
        currency,
        from: req.range.from,
        to: req.range.to,
        by: by_name(req.by),
        tools,
        rows,
        moves,
        move_rules: req.rules,
        split,
        margin,
        margin_source,
        pull,
        pull_from: pull_range(req.range.to).from,
        notes,
    })
}
