//! The overview: the main KPI cards against 环比/同比 and the peer tier, the sales trend
//! with the compared period overlaid, and the top findings.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use zhanggui_analytics::diagnosis::Finding;
use zhanggui_analytics::{series, Compare, PeriodSpec};
use zhanggui_domain::metrics::metric;
use zhanggui_storage::{DayRange, GroupBy};

use super::compute::{cached, diagnosis_of, report_of};
use super::format::KpiCard;
use super::scope::Scope;
use crate::error::AppError;
use crate::state::AppState;

/// The metrics shown as cards, in order.
pub const CARDS: [&str; 6] = [
    "paid_amount",
    "visitors",
    "pay_conversion",
    "avg_order_value",
    "paid_buyers",
    "refund_rate",
];

/// Findings shown on the overview.
pub const TOP_FINDINGS: usize = 5;

#[derive(Debug, Serialize)]
pub struct Overview {
    pub shop: String,
    pub currency: String,
    pub period: DayRange,
    pub compared_with: DayRange,
    pub compare: Compare,
    /// One sentence on why sales moved, in English and in Chinese.
    pub headline: Option<String>,
    pub headline_zh: Option<String>,
    pub cards: Vec<KpiCard>,
    /// Every metric of the dictionary.
    pub kpis: Vec<KpiCard>,
    pub trend: Trend,
    pub top_findings: Vec<Finding>,
    /// All findings of the period (the overview shows the first few).
    pub findings_total: usize,
}

/// 支付金额 day by day, this period and the compared one aligned by position.
#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub metric: &'static str,
    pub days: Vec<String>,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64_seq")]
    pub current: Vec<Option<f64>>,
    pub compared_days: Vec<String>,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64_seq")]
    pub compared: Vec<Option<f64>>,
}

pub async fn overview(state: &AppState, scope: &Scope) -> Result<Arc<Overview>, AppError> {
    // Its findings are the user's: with or without the profit ones.
    let key = scope.key(if scope.sees_profit {
        "overview+profit"
    } else {
        "overview"
    });
    if let Some(hit) = state.cache.get::<Overview>(&key) {
        return Ok(hit);
    }
    let report = report_of(state, scope).await?;
    let diagnosis = diagnosis_of(state, scope).await?;
    let trend = trend_of(state, scope, report.period, report.compared_with).await?;
    let by_id: HashMap<&str, KpiCard> = report
        .kpis
        .iter()
        .map(|k| (k.id, KpiCard::of(k, scope.shop.currency)))
        .collect();
    let generation = state.cache.generation();
    let value = Arc::new(Overview {
        shop: report.shop.clone(),
        currency: report.currency.clone(),
        period: report.period,
        compared_with: report.compared_with,
        compare: report.compare,
        headline: report.why.headline.clone(),
        headline_zh: report.why.headline_zh.clone(),
        cards: CARDS
            .iter()
            .filter_map(|id| by_id.get(id).cloned())
            .collect(),
        kpis: report
            .kpis
            .iter()
            .map(|k| KpiCard::of(k, scope.shop.currency))
            .collect(),
        trend: (*trend).clone(),
        top_findings: diagnosis
            .findings
            .iter()
            .take(TOP_FINDINGS)
            .cloned()
            .collect(),
        findings_total: diagnosis.findings.len(),
    });
    state.cache.put(key, generation, Arc::clone(&value));
    Ok(value)
}

async fn trend_of(
    state: &AppState,
    scope: &Scope,
    period: DayRange,
    compared: DayRange,
) -> Result<Arc<Trend>, AppError> {
    let shop = scope.shop.clone();
    cached(state, scope.key("trend"), move |store| {
        let def = metric("paid_amount")
            .ok_or_else(|| AppError::Internal("paid_amount is not in the dictionary".into()))?;
        let by_day = |range: DayRange| -> Result<(Vec<String>, Vec<Option<f64>>), AppError> {
            let s = series(
                store,
                &shop,
                def,
                PeriodSpec::Range(range.from, range.to),
                Compare::Previous,
                None,
                GroupBy::Day,
            )?;
            let values: HashMap<String, Option<f64>> = s
                .rows
                .iter()
                .map(|r| (r.group.clone(), r.current.value))
                .collect();
            let days = super::days_of(range);
            let vals = days
                .iter()
                .map(|d| values.get(d).copied().flatten().or(Some(0.0)))
                .collect();
            Ok((days, vals))
        };
        let (days, current) = by_day(period)?;
        let (compared_days, compared) = by_day(compared)?;
        Ok(Trend {
            metric: "paid_amount",
            days,
            current,
            compared_days,
            compared,
        })
    })
    .await
}
