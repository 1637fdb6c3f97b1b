//! Asking a store for measures: the counts and sums that the metric dictionary's formulas
//! read, over a range of the shop's days, grouped one way.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::metrics::Measure;

/// Days of the shop's calendar (its time zone), both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl DayRange {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        DayRange { from, to }
    }

    /// How many days the range holds.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// How the rows of a measure table are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One row for the whole range, keyed `total`.
    Total,
    /// Per day (`2025-10-01`).
    Day,
    /// Per ISO week, keyed by its Monday.
    Week,
    /// Per month (`2025-10`).
    Month,
    /// Per product code.
    Product,
    /// Per product category.
    Category,
    /// Per traffic source (手淘搜索, 直通车, ...).
    Source,
    /// Per region (province) of the buyer's address.
    Region,
    /// Per hour of the day of payment (`00` .. `23`), in the shop's time zone.
    Hour,
    /// Per device or channel the order was placed from.
    Device,
}

impl GroupBy {
    pub const ALL: [GroupBy; 10] = [
        GroupBy::Total,
        GroupBy::Day,
        GroupBy::Week,
        GroupBy::Month,
        GroupBy::Product,
        GroupBy::Category,
        GroupBy::Source,
        GroupBy::Region,
        GroupBy::Hour,
        GroupBy::Device,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Total => "total",
            GroupBy::Day => "day",
            GroupBy::Week => "week",
            GroupBy::Month => "month",
            GroupBy::Product => "product",
            GroupBy::Category => "category",
            GroupBy::Source => "source",
            GroupBy::Region => "region",
            GroupBy::Hour => "hour",
            GroupBy::Device => "device",
        }
    }

    pub fn parse(s: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.as_str() == s)
    }
}

/// One group's measures; a measure absent from `values` is in the table's `missing`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureRow {
    pub group: String,
    /// A product's title, when rows are products.
    pub label: Option<String>,
    pub values: BTreeMap<Measure, i64>,
}

impl MeasureRow {
    pub fn get(&self, m: Measure) -> Option<i64> {
        self.values.get(&m).copied()
    }
}

/// Measures per group, and the measures the data cannot give, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureTable {
    pub by: GroupBy,
    pub range: DayRange,
    pub rows: Vec<MeasureRow>,
    pub missing: BTreeMap<Measure, String>,
}

impl MeasureTable {
    /// The row of a group.
    pub fn row(&self, group: &str) -> Option<&MeasureRow> {
        self.rows.iter().find(|r| r.group == group)
    }
}

/// A peer benchmark over a range: 同行同层平均 and 优秀 for one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeerFigure {
    /// The dictionary id of the metric.
    pub metric: String,
    /// Counts and money summed over the days, rates averaged over them; money in minor
    /// units.
    pub average: Option<f64>,
    pub excellent: Option<f64>,
}

/// The days a shop has data for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DataSpan {
    /// First and last day an order was placed, in the shop's time zone.
    pub orders: Option<DayRange>,
    /// When the last order was placed, shop-local.
    pub last_order: Option<chrono::NaiveDateTime>,
    /// First and last day of the traffic-source report.
    pub sources: Option<DayRange>,
    /// First and last day of the product report.
    pub products: Option<DayRange>,
}

impl DataSpan {
    /// The day "the last N days" end on by default: the last day orders were placed, or
    /// without orders the last day of a report.
    pub fn anchor_day(&self) -> Option<NaiveDate> {
        self.orders.map(|o| o.to).or_else(|| {
            [self.sources, self.products]
                .into_iter()
                .flatten()
                .map(|r| r.to)
                .max()
        })
    }
}
