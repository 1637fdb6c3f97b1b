//! Traffic: each source's visitors, share, conversion and UV value against the compared
//! period, free and paid apart, and visitors day by day.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use zhanggui_analytics::engine::evaluate;
use zhanggui_analytics::{series, Compare, PeriodSpec};
use zhanggui_domain::metrics::metric;
use zhanggui_storage::{DayRange, GroupBy, Store};

use super::compute::{cached, report_of};
use super::scope::Scope;
use crate::error::AppError;
use crate::state::AppState;

/// Sources that are bought (ads), by the names the platforms' reports use; every other
/// source is free. From 生意参谋's 流量来源 groups: 付费流量 = 直通车, 引力魔方, 万相台,
/// 淘宝客, 钻展, 品销宝, 超级推荐 and the like.
const PAID_SOURCES: &[&str] = &[
    "直通车",
    "引力魔方",
    "万相台",
    "淘宝客",
    "钻石展位",
    "钻展",
    "品销宝",
    "超级推荐",
    "超级钻展",
    "付费",
    "广告",
    "京东快车",
    "京准通",
    "多多搜索",
    "多多场景",
    "巨量千川",
    "千川",
    "DOU+",
    "ads",
];

/// Whether a source is paid traffic.
pub fn is_paid(source: &str) -> bool {
    let lower = source.to_lowercase();
    PAID_SOURCES
        .iter()
        .any(|p| lower.contains(&p.to_lowercase()))
}

#[derive(Debug, Serialize)]
pub struct Traffic {
    pub period: DayRange,
    pub compared_with: DayRange,
    pub sources: Vec<SourceRow>,
    pub free_visitors: i64,
    pub paid_visitors: i64,
    /// 访客数 day by day.
    pub days: Vec<String>,
    pub visitors: Vec<Option<f64>>,
}

#[derive(Debug, Serialize)]
pub struct SourceRow {
    pub source: String,
    pub paid: bool,
    pub visitors: Option<f64>,
    pub visitors_before: Option<f64>,
    /// Share of all visitors of the period.
    pub share: Option<f64>,
    pub conversion: Option<f64>,
    pub conversion_before: Option<f64>,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64_opt")]
    pub uv_value: Option<f64>,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64_opt")]
    pub paid_amount: Option<f64>,
}

pub async fn traffic(state: &AppState, scope: &Scope) -> Result<Arc<Traffic>, AppError> {
    let report = report_of(state, scope).await?;
    let (period, compared) = (report.period, report.compared_with);
    let shop = scope.shop.clone();
    cached(state, scope.key("traffic"), move |store| {
        let m = |id: &str| {
            metric(id).ok_or_else(|| AppError::Internal(format!("{id} is not in the dictionary")))
        };
        let (visitors, conversion, uv, paid) = (
            m("visitors")?,
            m("pay_conversion")?,
            m("uv_value")?,
            m("paid_amount")?,
        );
        let now = store.measures(&shop, period, GroupBy::Source)?;
        let before = store.measures(&shop, compared, GroupBy::Source)?;
        let total: f64 = now
            .rows
            .iter()
            .filter_map(|r| evaluate(visitors, Some(r), &now.missing).value)
            .sum();
        let mut sources: Vec<SourceRow> = now
            .rows
            .iter()
            .map(|r| {
                let b = before.row(&r.group);
                let v = evaluate(visitors, Some(r), &now.missing).value;
                SourceRow {
                    source: r.group.clone(),
                    paid: is_paid(&r.group),
                    visitors: v,
                    visitors_before: evaluate(visitors, b, &before.missing).value,
                    share: v.filter(|_| total > 0.0).map(|v| v / total),
                    conversion: evaluate(conversion, Some(r), &now.missing).value,
                    conversion_before: evaluate(conversion, b, &before.missing).value,
                    uv_value: evaluate(uv, Some(r), &now.missing).value,
                    paid_amount: evaluate(paid, Some(r), &now.missing).value,
                }
            })
            .collect();
        sources.sort_by(|a, b| {
            b.visitors
                .unwrap_or(0.0)
                .total_cmp(&a.visitors.unwrap_or(0.0))
                .then_with(|| a.source.cmp(&b.source))
        });
        let sum = |paid: bool| -> i64 {
            sources
                .iter()
                .filter(|s| s.paid == paid)
                .filter_map(|s| s.visitors)
                .sum::<f64>() as i64
        };
        let s = series(
            store as &dyn Store,
            &shop,
            visitors,
            PeriodSpec::Range(period.from, period.to),
            Compare::Previous,
            None,
            GroupBy::Day,
        )?;
        let by_day: HashMap<&str, Option<f64>> = s
            .rows
            .iter()
            .map(|r| (r.group.as_str(), r.current.value))
            .collect();
        let days = super::days_of(period);
        let visitors_by_day = days
            .iter()
            .map(|d| by_day.get(d.as_str()).copied().flatten())
            .collect();
        Ok(Traffic {
            period,
            compared_with: compared,
            free_visitors: sum(false),
            paid_visitors: sum(true),
            sources,
            days,
            visitors: visitors_by_day,
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ads_are_paid_and_search_is_free() {
        assert!(is_paid("直通车"));
        assert!(is_paid("万相台无界"));
        assert!(!is_paid("手淘搜索"));
        assert!(!is_paid("手淘推荐"));
    }
}
