//! One metric over a period, grouped by day, week, month, product, category, traffic
//! source, region, hour or device; per group, compared with the same group in the period
//! it is compared with (not for days, weeks and months, which do not line up).

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::metrics::{MetricDef, Unit};
use zhanggui_domain::money_json::InUnit;
use zhanggui_domain::Shop;
use zhanggui_storage::{DayRange, GroupBy, Store};

use crate::engine::{evaluate, evaluate_in, MetricValue};
use crate::period::{Compare, PeriodSpec};
use crate::report::{anchor_or_last, ReportError};

/// One group's value.
#[derive(Debug, Clone)]
pub struct SeriesRow {
    pub group: String,
    /// A product's title, when groups are products.
    pub label: Option<String>,
    pub current: MetricValue,
    pub previous: Option<MetricValue>,
    /// current − previous, in the metric's unit.
    pub change: Option<f64>,
}

impl Serialize for SeriesRow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut o = s.serialize_struct("SeriesRow", 5)?;
        o.serialize_field("group", &self.group)?;
        o.serialize_field("label", &self.label)?;
        o.serialize_field("current", &self.current)?;
        o.serialize_field("previous", &self.previous)?;
        o.serialize_field("change", &InUnit(self.change, self.current.unit))?;
        o.end()
    }
}

/// A metric by group.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    pub metric: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub unit: Unit,
    pub by: GroupBy,
    pub period: DayRange,
    pub compared_with: Option<DayRange>,
    /// The whole period, for reference.
    pub total: MetricValue,
    pub rows: Vec<SeriesRow>,
}

/// Computes a metric by group.
pub fn series(
    store: &dyn Store,
    shop: &Shop,
    def: &'static MetricDef,
    period: PeriodSpec,
    compare: Compare,
    anchor: Option<NaiveDate>,
    by: GroupBy,
) -> Result<Series, ReportError> {
    let anchor = anchor_or_last(store, shop, anchor)?;
    let range = period.resolve(anchor);
    let aligned = !matches!(by, GroupBy::Day | GroupBy::Week | GroupBy::Month);
    let compared_with = aligned.then(|| period.compared(range, compare));
    let now = store.measures(shop, range, by)?;
    let before = compared_with
        .map(|r| store.measures(shop, r, by))
        .transpose()?;
    let total = evaluate_in(def, &store.measures(shop, range, GroupBy::Total)?, "total");
    let rows = now
        .rows
        .iter()
        .map(|row| {
            let current = evaluate(def, Some(row), &now.missing);
            let previous = before
                .as_ref()
                .map(|b| evaluate(def, b.row(&row.group), &b.missing));
            let change = previous
                .as_ref()
                .and_then(|p| current.value.zip(p.value))
                .map(|(c, p)| c - p);
            SeriesRow {
                group: row.group.clone(),
                label: row.label.clone(),
                current,
                previous,
                change,
            }
        })
        .collect();
    Ok(Series {
        metric: def.id,
        zh: def.zh,
        en: def.en,
        unit: def.unit,
        by,
        period: range,
        compared_with,
        total,
        rows,
    })
}
