//! How busy each day is: weekday, season, the promotion calendar (618, 双11, 双12, 年货节)
//! and a gentle growth trend.

use chrono::{Datelike, NaiveDate, Weekday};

/// The relative demand of a day (1.0 is an ordinary day).
pub fn demand(day: NaiveDate, index: u32, days: u32) -> f64 {
    let weekday = match day.weekday() {
        Weekday::Mon => 0.95,
        Weekday::Tue => 0.94,
        Weekday::Wed => 0.97,
        Weekday::Thu => 1.0,
        Weekday::Fri => 1.04,
        Weekday::Sat => 1.12,
        Weekday::Sun => 1.1,
    };
    let doy = f64::from(day.ordinal());
    let season = 1.0 + 0.12 * (2.0 * std::f64::consts::PI * (doy - 20.0) / 365.0).cos();
    let trend = 1.0 + 0.25 * f64::from(index) / f64::from(days.max(1));
    weekday * season * trend * promotion(day)
}

/// The promotion calendar's lift on a day.
pub fn promotion(day: NaiveDate) -> f64 {
    match (day.month(), day.day()) {
        (6, 18) => 4.0,
        (6, 1..=17) => 1.35,
        (6, 19..=20) => 1.2,
        (11, 11) => 7.5,
        (11, 1..=10) => 1.45,
        (11, 12..=13) => 1.3,
        (12, 12) => 2.2,
        (1, 10..=20) => 1.25,
        _ => 1.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_eleven_is_the_busiest_day() {
        let d = |m, day| NaiveDate::from_ymd_opt(2025, m, day).unwrap();
        assert!(demand(d(11, 11), 375, 395) > 3.0 * demand(d(11, 20), 384, 395));
        assert!(demand(d(6, 18), 229, 395) > 2.0 * demand(d(7, 18), 259, 395));
    }
}
