//! Shop-local times in SQL. Times are stored in UTC; which day and hour an order belongs to
//! is decided by the shop's time zone. The zone's offsets over the span of the data are
//! worked out here (with its daylight-saving changes) and written into the query as a
//! `CASE`, so the database needs no time-zone tables of its own.

use chrono::{Duration, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

/// A SQL expression for the shop-local time of the UTC timestamp expression `utc`, exact
/// for instants between `from` and `to` (UTC); outside them the nearest offset applies.
pub(super) fn local_time_sql(utc: &str, tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> String {
    let changes = offset_changes(tz, from, to);
    let first = offset_seconds(tz, from);
    if changes.is_empty() {
        return format!("({utc} + INTERVAL '1 second' * {first})");
    }
    let mut case = String::from("CASE");
    let mut current = first;
    for (at, next) in &changes {
        case.push_str(&format!(
            " WHEN {utc} < TIMESTAMP '{}' THEN {current}",
            at.format("%Y-%m-%d %H:%M:%S")
        ));
        current = *next;
    }
    case.push_str(&format!(" ELSE {current} END"));
    format!("({utc} + INTERVAL '1 second' * ({case}))")
}

/// The zone's offset from UTC at a UTC instant, in seconds.
fn offset_seconds(tz: Tz, utc: NaiveDateTime) -> i64 {
    i64::from(tz.offset_from_utc_datetime(&utc).fix().local_minus_utc())
}

/// The UTC instants where the offset changes between `from` and `to`, with the new offset.
fn offset_changes(tz: Tz, from: NaiveDateTime, to: NaiveDateTime) -> Vec<(NaiveDateTime, i64)> {
    let mut changes = Vec::new();
    let mut day = from;
    while day < to {
        let next = day + Duration::days(1);
        let (before, after) = (offset_seconds(tz, day), offset_seconds(tz, next));
        if before != after {
            // The change lies in (day, next]: find the first whole second with the new
            // offset.
            let (mut lo, mut hi) = (0_i64, 86_400_i64);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                if offset_seconds(tz, day + Duration::seconds(mid)) == before {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            changes.push((day + Duration::seconds(hi), after));
        }
        day = next;
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .unwrap()
    }

    #[test]
    fn london_changes_twice_a_year_shanghai_never() {
        let london: Tz = "Europe/London".parse().unwrap();
        let changes = offset_changes(london, at(2025, 1, 1, 0), at(2025, 12, 31, 0));
        assert_eq!(
            changes,
            vec![(at(2025, 3, 30, 1), 3600), (at(2025, 10, 26, 1), 0)]
        );
        let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
        assert!(offset_changes(shanghai, at(2025, 1, 1, 0), at(2025, 12, 31, 0)).is_empty());
        assert_eq!(
            local_time_sql("t", shanghai, at(2025, 1, 1, 0), at(2025, 2, 1, 0)),
            "(t + INTERVAL '1 second' * 28800)"
        );
    }
}
