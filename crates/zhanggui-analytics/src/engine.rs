//! The metric engine: a dictionary formula evaluated over a store's measures, or the reason
//! it cannot be.

use std::collections::BTreeMap;

use serde::Serialize;
use zhanggui_domain::metrics::{measure_name, Formula, Measure, MetricDef, Unit};
use zhanggui_domain::money_json;
use zhanggui_storage::{MeasureRow, MeasureTable};

/// A metric's value for one group, or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricValue {
    /// In the metric's unit: minor units for money, a fraction for rates, seconds for
    /// durations.
    pub value: Option<f64>,
    /// Why there is no value.
    pub unavailable: Option<String>,
    /// The metric's unit: money is written in JSON as a decimal in the shop's currency.
    pub unit: Unit,
}

impl Serialize for MetricValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("MetricValue", 2)?;
        o.serialize_field("value", &money_json::InUnit(self.value, self.unit))?;
        if let Some(why) = &self.unavailable {
            o.serialize_field("unavailable", why)?;
        }
        o.end()
    }
}

impl MetricValue {
    fn known(v: f64, unit: Unit) -> Self {
        MetricValue {
            value: Some(v),
            unavailable: None,
            unit,
        }
    }

    fn unavailable(reason: String, unit: Unit) -> Self {
        MetricValue {
            value: None,
            unavailable: Some(reason),
            unit,
        }
    }
}

/// Evaluates a metric for one row of a table (`None`: the group had nothing, so its
/// counts are 0).
pub fn evaluate(
    def: &MetricDef,
    row: Option<&MeasureRow>,
    missing: &BTreeMap<Measure, String>,
) -> MetricValue {
    for m in def.formula.measures() {
        if let Some(reason) = missing.get(&m) {
            return MetricValue::unavailable(
                format!("needs {}: {reason}", measure_name(m)),
                def.unit,
            );
        }
    }
    let get = |m: Measure| row.and_then(|r| r.get(m)).unwrap_or(0) as f64;
    match def.formula {
        Formula::Sum(m) => MetricValue::known(get(m), def.unit),
        Formula::Ratio(a, b) => {
            let den = get(b);
            if den == 0.0 {
                MetricValue::unavailable(format!("no {} in the period", measure_name(b)), def.unit)
            } else {
                MetricValue::known(get(a) / den, def.unit)
            }
        }
    }
}

/// Evaluates a metric for the row of `group` in a table.
pub fn evaluate_in(def: &MetricDef, table: &MeasureTable, group: &str) -> MetricValue {
    evaluate(def, table.row(group), &table.missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhanggui_domain::metrics::metric;

    #[test]
    fn ratios_sums_and_reasons() {
        let row = MeasureRow {
            group: "total".into(),
            label: None,
            values: [
                (Measure::PaidBuyers, 30),
                (Measure::Visitors, 1_000),
                (Measure::PaidAmount, 600_000),
            ]
            .into_iter()
            .collect(),
        };
        let none = BTreeMap::new();
        let conv = metric("pay_conversion").unwrap();
        assert_eq!(evaluate(conv, Some(&row), &none).value, Some(0.03));
        let aov = metric("avg_order_value").unwrap();
        assert_eq!(evaluate(aov, Some(&row), &none).value, Some(20_000.0));
        let empty = evaluate(aov, None, &none);
        assert_eq!(empty.value, None);
        assert!(empty.unavailable.unwrap().contains("paying buyers"));
        let missing: BTreeMap<_, _> = [(Measure::Visitors, "no traffic report".to_owned())]
            .into_iter()
            .collect();
        let v = evaluate(conv, Some(&row), &missing);
        assert_eq!(v.value, None);
        assert!(v.unavailable.unwrap().contains("no traffic report"));
    }
}
