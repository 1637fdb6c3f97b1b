//! Did the weekly member day (会员日) change visits and sales, and by how much?
//!
//! Each week's member day is compared with the other days of the same week (its ratio to
//! their mean), so a busy season lifts both sides and cancels out. The ratios of the weeks
//! since the member day started are compared with those of the weeks before it (the
//! baseline): the lift is the relative change of the mean ratio, with a 95 % interval from
//! Welch's t on the two groups of ratios (normal approximation, delta method for the
//! quotient).

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// The lift of one measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Lift {
    /// Weeks compared before and since.
    pub weeks_before: usize,
    pub weeks_since: usize,
    /// Mean ratio of member day to the other days of its week, before and since.
    pub ratio_before: f64,
    pub ratio_since: f64,
    /// ratio_since / ratio_before − 1.
    pub lift: f64,
    /// 95 % interval of the lift.
    pub low: f64,
    pub high: f64,
}

fn mean_var(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (m, var)
}

/// The ratio of the member day to the mean of the other days of each whole week (Monday to
/// Sunday) in `from..=to`; weeks missing a day are skipped.
fn weekly_ratios(
    value: &dyn Fn(NaiveDate) -> Option<f64>,
    weekday: Weekday,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<f64> {
    let mut out = Vec::new();
    let mut monday =
        from + Duration::days((7 - i64::from(from.weekday().num_days_from_monday())) % 7);
    while monday + Duration::days(6) <= to {
        let days: Vec<(NaiveDate, Option<f64>)> = (0..7)
            .map(|k| {
                let d = monday + Duration::days(k);
                (d, value(d))
            })
            .collect();
        if days.iter().all(|(_, v)| v.is_some()) {
            let member = days
                .iter()
                .find(|(d, _)| d.weekday() == weekday)
                .and_then(|(_, v)| *v)
                .unwrap_or(0.0);
            let others: f64 = days
                .iter()
                .filter(|(d, _)| d.weekday() != weekday)
                .filter_map(|(_, v)| *v)
                .sum::<f64>()
                / 6.0;
            if others > 0.0 {
                out.push(member / others);
            }
        }
        monday += Duration::days(7);
    }
    out
}

/// The lift of the member day on `weekday` started `since`, over up to `weeks` whole weeks
/// on each side, ending `until`; `None` with fewer than two weeks on either side.
pub fn lift(
    value: &dyn Fn(NaiveDate) -> Option<f64>,
    weekday: Weekday,
    since: NaiveDate,
    until: NaiveDate,
    weeks: i64,
) -> Option<Lift> {
    let before = weekly_ratios(
        value,
        weekday,
        since - Duration::weeks(weeks),
        since - Duration::days(1),
    );
    let after_end = until.min(since + Duration::weeks(weeks) - Duration::days(1));
    let after = weekly_ratios(value, weekday, since, after_end);
    if before.len() < 2 || after.len() < 2 {
        return None;
    }
    let (mb, vb) = mean_var(&before);
    let (ma, va) = mean_var(&after);
    if mb <= 0.0 {
        return None;
    }
    let lift = ma / mb - 1.0;
    // Var(a/b) ≈ (a/b)² (Var a / a² + Var b / b²), with the variances of the means.
    let se_a = va / after.len() as f64;
    let se_b = vb / before.len() as f64;
    let ratio = ma / mb;
    let se = ratio * (se_a / (ma * ma).max(f64::MIN_POSITIVE) + se_b / (mb * mb)).sqrt();
    Some(Lift {
        weeks_before: before.len(),
        weeks_since: after.len(),
        ratio_before: mb,
        ratio_since: ma,
        lift,
        low: lift - 1.96 * se,
        high: lift + 1.96 * se,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Daily values with a weekly pattern, a rising trend and noise; Wednesdays lifted by
    /// `effect` from `since`.
    fn series(effect: f64, since: NaiveDate) -> impl Fn(NaiveDate) -> Option<f64> {
        move |d: NaiveDate| {
            let t = (d - NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()).num_days() as f64;
            let weekly =
                [1.0, 0.9, 1.0, 1.1, 1.3, 1.5, 1.2][d.weekday().num_days_from_monday() as usize];
            let noise = 1.0 + 0.05 * ((t * 12.9898).sin() * 43758.5453).fract();
            let lifted = if d.weekday() == Weekday::Wed && d >= since {
                1.0 + effect
            } else {
                1.0
            };
            Some((100.0 + t) * weekly * noise * lifted)
        }
    }

    #[test]
    fn a_planted_lift_is_found_and_none_is_not_invented() {
        let since = NaiveDate::from_ymd_opt(2025, 6, 4).unwrap();
        let until = NaiveDate::from_ymd_opt(2025, 9, 30).unwrap();
        let l = lift(&series(0.3, since), Weekday::Wed, since, until, 12).unwrap();
        assert!((l.lift - 0.3).abs() < 0.05, "{l:?}");
        assert!(l.low < 0.3 && 0.3 < l.high && l.low > 0.0, "{l:?}");
        let flat = lift(&series(0.0, since), Weekday::Wed, since, until, 12).unwrap();
        assert!(flat.low < 0.0 && 0.0 < flat.high, "{flat:?}");
        // Whole Monday-to-Sunday weeks only: the weeks cut by the start are left out.
        assert_eq!((l.weeks_before, l.weeks_since), (11, 11));
        assert!(lift(
            &series(0.3, since),
            Weekday::Wed,
            since,
            since + Duration::days(8),
            12
        )
        .is_none());
    }
}

/// The member day's lift on visitors, paying buyers and sales of one shop.
#[derive(Debug, Clone, Serialize)]
pub struct MemberDay {
    pub shop: String,
    pub weekday: String,
    pub since: NaiveDate,
    pub until: NaiveDate,
    /// By metric id (visitors, paid_buyers, paid_amount); `None` where the data is too short
    /// or the metric is missing.
    pub lifts: Vec<(&'static str, Option<Lift>)>,
}

/// Measures the member day on `weekday`, started `since`, over up to `weeks` weeks each
/// side, up to `until` (default: the last day with data).
pub fn member_day(
    store: &dyn zhanggui_storage::Store,
    shop: &zhanggui_domain::Shop,
    weekday: Weekday,
    since: NaiveDate,
    until: Option<NaiveDate>,
    weeks: i64,
) -> Result<MemberDay, crate::report::ReportError> {
    let until = crate::report::anchor_or_last(store, shop, until)?;
    let range = zhanggui_storage::DayRange::new(since - Duration::weeks(weeks), until);
    let table = store.measures(shop, range, zhanggui_storage::GroupBy::Day)?;
    let lifts = ["visitors", "paid_buyers", "paid_amount"]
        .into_iter()
        .map(|id| {
            let Some(def) = zhanggui_domain::metrics::metric(id) else {
                return (id, None);
            };
            let value = |d: NaiveDate| {
                let key = d.format("%Y-%m-%d").to_string();
                // A day with no row had none of it; a missing measure is unknown.
                match table.row(&key) {
                    Some(row) => crate::engine::evaluate(def, Some(row), &table.missing).value,
                    None if def
                        .formula
                        .measures()
                        .iter()
                        .any(|m| table.missing.contains_key(m)) =>
                    {
                        None
                    }
                    None => Some(0.0),
                }
            };
            (id, lift(&value, weekday, since, until, weeks))
        })
        .collect();
    Ok(MemberDay {
        shop: shop.name.to_string(),
        weekday: format!("{weekday:?}"),
        since,
        until,
        lifts,
    })
}
