//! Planted in the Taobao shop's traffic-source report: the shop tripled its 直通车 budget
//! for two weeks in every eight (within the last year, never in the last 90 days, so the
//! recent reports are untouched), and each extra 直通车 visitor a day brought half a 手淘搜索
//! visitor a day in the calendar week after (付费带动免费).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};

/// The paid source whose budget bursts.
pub const BURST_SOURCE: &str = "直通车";
/// The free source it lifts.
pub const PULLED_SOURCE: &str = "手淘搜索";
/// Free visitors a day per extra paid visitor a day in the calendar week before.
pub const PLANTED_PULL: f64 = 0.5;

/// The bursts of a demo of `days` days and the extra paid visitors they brought.
pub struct Bursts {
    days: u32,
    extra_by_week: BTreeMap<NaiveDate, f64>,
}

fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

impl Bursts {
    pub fn new(days: u32) -> Self {
        Bursts {
            days,
            extra_by_week: BTreeMap::new(),
        }
    }

    /// Whether day `i` (from the first) has the doubled budget.
    pub fn in_burst(&self, i: u32) -> bool {
        i + 90 < self.days && i + 364 >= self.days && (i / 14) % 4 == 1
    }

    /// Notes the extra paid visitors of a day.
    pub fn record(&mut self, day: NaiveDate, extra: f64) {
        *self.extra_by_week.entry(monday(day)).or_default() += extra;
    }

    /// The free visitors the day gains from the week before's extra paid visitors.
    pub fn lift(&self, day: NaiveDate) -> f64 {
        let before = monday(day) - Duration::days(7);
        PLANTED_PULL * self.extra_by_week.get(&before).copied().unwrap_or(0.0) / 7.0
    }
}
