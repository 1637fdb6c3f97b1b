//! Periods as operators name them (`7d`, `30d`, `2025-10`, `2025-10-01..2025-10-31`,
//! `2025-10-08`) and the periods they are compared with: the previous period (环比) and
//! the same period a year earlier (同比).

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use zhanggui_storage::DayRange;

/// A period as written on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PeriodSpec {
    /// The last N days, ending on the anchor day (the last day with data).
    LastDays(u32),
    /// A calendar month.
    Month { year: i32, month: u32 },
    /// One day.
    Day(NaiveDate),
    /// From one day to another, both included.
    Range(NaiveDate, NaiveDate),
}

/// What a period is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Compare {
    /// The period just before, of the same length (a calendar month: the month before).
    Previous,
    /// The same days a year earlier.
    YearEarlier,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PeriodError {
    #[error(
        "`{0}` is not a period; write 7d, 30d, a month (2025-10), a day (2025-10-08) or a \
         range (2025-10-01..2025-10-31)"
    )]
    Unknown(String),
    #[error("the range `{0}` ends before it starts")]
    Backwards(String),
    #[error("`{0}` is not a comparison; write prev or yoy")]
    UnknownCompare(String),
}

impl PeriodSpec {
    pub fn parse(s: &str) -> Result<PeriodSpec, PeriodError> {
        let s = s.trim();
        let unknown = || PeriodError::Unknown(s.to_owned());
        if let Some(n) = s.strip_suffix(['d', 'D']) {
            let n: u32 = n.parse().map_err(|_| unknown())?;
            return if (1..=3660).contains(&n) {
                Ok(PeriodSpec::LastDays(n))
            } else {
                Err(unknown())
            };
        }
        if let Some((a, b)) = s.split_once("..") {
            let day = |t: &str| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d");
            let (from, to) = (
                day(a).map_err(|_| unknown())?,
                day(b).map_err(|_| unknown())?,
            );
            if to < from {
                return Err(PeriodError::Backwards(s.to_owned()));
            }
            return Ok(PeriodSpec::Range(from, to));
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(PeriodSpec::Day(d));
        }
        if let Some((y, m)) = s.split_once('-') {
            if let (Ok(year), Ok(month)) = (y.parse::<i32>(), m.parse::<u32>()) {
                if NaiveDate::from_ymd_opt(year, month, 1).is_some() && y.len() == 4 {
                    return Ok(PeriodSpec::Month { year, month });
                }
            }
        }
        Err(unknown())
    }

    /// The days of the period; `anchor` is the day "the last N days" end on.
    pub fn resolve(self, anchor: NaiveDate) -> DayRange {
        match self {
            PeriodSpec::LastDays(n) => {
                DayRange::new(anchor - Duration::days(i64::from(n) - 1), anchor)
            }
            PeriodSpec::Month { year, month } => month_range(year, month),
            PeriodSpec::Day(d) => DayRange::new(d, d),
            PeriodSpec::Range(a, b) => DayRange::new(a, b),
        }
    }

    /// The period this one is compared with.
    pub fn compared(self, range: DayRange, compare: Compare) -> DayRange {
        match (self, compare) {
            (PeriodSpec::Month { year, month }, Compare::Previous) => {
                let (y, m) = if month == 1 {
                    (year - 1, 12)
                } else {
                    (year, month - 1)
                };
                month_range(y, m)
            }
            (PeriodSpec::Month { year, month }, Compare::YearEarlier) => {
                month_range(year - 1, month)
            }
            (_, Compare::Previous) => {
                let len = Duration::days(range.days());
                DayRange::new(range.from - len, range.to - len)
            }
            (_, Compare::YearEarlier) => {
                DayRange::new(year_earlier(range.from), year_earlier(range.to))
            }
        }
    }
}

impl Compare {
    pub fn parse(s: &str) -> Result<Compare, PeriodError> {
        match s.trim() {
            "prev" | "previous" | "环比" => Ok(Compare::Previous),
            "yoy" | "year" | "同比" => Ok(Compare::YearEarlier),
            other => Err(PeriodError::UnknownCompare(other.to_owned())),
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Compare::Previous => "环比",
            Compare::YearEarlier => "同比",
        }
    }
}

fn month_range(year: i32, month: u32) -> DayRange {
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(NaiveDate::MIN);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or(NaiveDate::MAX);
    DayRange::new(first, next - Duration::days(1))
}

/// The same calendar day a year earlier; 29 February becomes the 28th.
fn year_earlier(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1)
        .or_else(|| NaiveDate::from_ymd_opt(d.year() - 1, d.month(), 28))
        .unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_parse_and_resolve() {
        let anchor = day("2025-10-31");
        let r = PeriodSpec::parse("7d").unwrap().resolve(anchor);
        assert_eq!((r.from, r.to), (day("2025-10-25"), day("2025-10-31")));
        let spec = PeriodSpec::parse("2025-03").unwrap();
        let r = spec.resolve(anchor);
        assert_eq!((r.from, r.to), (day("2025-03-01"), day("2025-03-31")));
        let prev = spec.compared(r, Compare::Previous);
        assert_eq!((prev.from, prev.to), (day("2025-02-01"), day("2025-02-28")));
        let spec = PeriodSpec::parse("2024-02-27..2024-03-01").unwrap();
        let r = spec.resolve(anchor);
        assert_eq!(r.days(), 4);
        let prev = spec.compared(r, Compare::Previous);
        assert_eq!((prev.from, prev.to), (day("2024-02-23"), day("2024-02-26")));
        let yoy = spec.compared(r, Compare::YearEarlier);
        assert_eq!((yoy.from, yoy.to), (day("2023-02-27"), day("2023-03-01")));
        let leap = PeriodSpec::Day(day("2024-02-29"));
        let yoy = leap.compared(leap.resolve(anchor), Compare::YearEarlier);
        assert_eq!(yoy.from, day("2023-02-28"));
    }

    #[test]
    fn bad_periods_say_what_is_expected() {
        for bad in [
            "",
            "7x",
            "0d",
            "2025-13",
            "2025-10-05..2025-10-01",
            "yesterday",
        ] {
            assert!(PeriodSpec::parse(bad).is_err(), "{bad}");
        }
        assert!(Compare::parse("mom").is_err());
    }
}
