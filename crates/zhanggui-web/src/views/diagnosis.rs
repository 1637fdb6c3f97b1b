//! The diagnosis page: every finding, ranked, with what opens beneath it: the split of the
//! sales change (drawn as a waterfall), the product or source it is about, and the
//! definitions of the metrics the rule reads.

use std::sync::Arc;

use serde::Serialize;
use zhanggui_analytics::diagnosis::Finding;
use zhanggui_analytics::report::Why;
use zhanggui_domain::metrics::{metric, MetricDef};
use zhanggui_storage::DayRange;

use super::compute::{diagnosis_of, report_of};
use super::scope::Scope;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Serialize)]
pub struct DiagnosisView {
    pub shop: String,
    pub period: DayRange,
    pub compared_with: DayRange,
    /// How many tests the run made (the false-discovery control counts them all).
    pub tests: usize,
    pub findings: Vec<FindingView>,
    /// The split of the shop's sales change and the splits per source and product.
    pub why: Why,
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    #[serde(flatten)]
    pub finding: Finding,
    /// product, source or shop: what the finding is about, for the drill-down.
    pub about: &'static str,
    pub metrics: Vec<&'static MetricDef>,
}

/// What a rule is about.
pub fn about(rule: &str) -> &'static str {
    if rule.starts_with("product_")
        || matches!(
            rule,
            "no_sales" | "presale_zero_conversion" | "order_value_lever" | "refunds_eat_margin"
        )
    {
        "product"
    } else if rule.starts_with("source_") {
        "source"
    } else {
        "shop"
    }
}

/// The dictionary metrics each rule reads.
pub fn metrics_of(rule: &str) -> Vec<&'static MetricDef> {
    let ids: &[&str] = match rule {
        "conversion_below_peer" => &["pay_conversion"],
        "uv_value_below_peer" => &["uv_value", "paid_amount", "visitors"],
        "shop_conversion_change" => &["pay_conversion", "visitors", "paid_buyers"],
        "refund_spike" => &["refund_rate", "refund_amount"],
        "refunds_eat_margin" => &["refund_amount", "paid_amount"],
        "slow_shipping" => &["ship_hours"],
        "product_conversion_change" | "product_conversion_break" | "presale_zero_conversion" => {
            &["pay_conversion", "visitors", "paid_buyers"]
        }
        "product_traffic_break" => &["visitors"],
        "no_sales" => &["visitors", "paid_units"],
        "order_value_lever" => &["avg_order_value", "units_per_order"],
        "source_traffic_change" => &["visitors", "uv_value"],
        "source_conversion_change" | "source_high_conversion_low_share" => {
            &["pay_conversion", "visitors"]
        }
        _ => &["paid_amount"],
    };
    ids.iter().filter_map(|id| metric(id)).collect()
}

pub async fn diagnosis(state: &AppState, scope: &Scope) -> Result<DiagnosisView, AppError> {
    let d = diagnosis_of(state, scope).await?;
    let r = report_of(state, scope).await?;
    Ok(view(&d, &r))
}

fn view(d: &zhanggui_analytics::Diagnosis, r: &Arc<zhanggui_analytics::Report>) -> DiagnosisView {
    DiagnosisView {
        shop: d.shop.clone(),
        period: d.period,
        compared_with: d.compared_with,
        tests: d.tests,
        findings: d
            .findings
            .iter()
            .map(|f| FindingView {
                about: about(f.rule),
                metrics: metrics_of(f.rule),
                finding: f.clone(),
            })
            .collect(),
        why: r.why.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_reads_metrics_of_the_dictionary() {
        for rule in [
            "conversion_below_peer",
            "uv_value_below_peer",
            "shop_conversion_change",
            "refund_spike",
            "slow_shipping",
            "product_conversion_change",
            "product_conversion_break",
            "product_traffic_break",
            "no_sales",
            "presale_zero_conversion",
            "order_value_lever",
            "source_traffic_change",
            "source_conversion_change",
            "source_high_conversion_low_share",
            "product_loses_money",
            "ads_above_break_even",
            "refunds_eat_margin",
            "unsettled_orders",
        ] {
            assert!(!metrics_of(rule).is_empty(), "{rule}");
        }
        assert_eq!(about("no_sales"), "product");
        assert_eq!(about("source_traffic_change"), "source");
        assert_eq!(about("refund_spike"), "shop");
        assert_eq!(about("product_loses_money"), "product");
        assert_eq!(about("refunds_eat_margin"), "product");
        assert_eq!(about("unsettled_orders"), "shop");
    }
}
