//! Today so far: the last day with orders up to a time of day, against the same day part
//! yesterday and a week ago (the view operators keep open during a promotion day).

use chrono::{Duration, NaiveDateTime, NaiveTime, Timelike};
use serde::Serialize;
use zhanggui_domain::metrics::{Formula, Measure, Unit, METRICS};
use zhanggui_domain::Shop;
use zhanggui_storage::Store;

use crate::engine::{evaluate_in, MetricValue};
use crate::report::ReportError;

/// One metric today so far and at the same time of day before.
#[derive(Debug, Clone, Serialize)]
pub struct TodayKpi {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub unit: Unit,
    pub today: MetricValue,
    pub yesterday: MetricValue,
    pub week_ago: MetricValue,
    /// today ÷ yesterday − 1, and today ÷ a week ago − 1.
    pub vs_yesterday: Option<f64>,
    pub vs_week_ago: Option<f64>,
}

/// The view.
#[derive(Debug, Clone, Serialize)]
pub struct Today {
    pub shop: String,
    /// Where the day is cut (shop-local, excluded): the same time of day is used yesterday
    /// and a week ago.
    pub cut: NaiveDateTime,
    pub kpis: Vec<TodayKpi>,
}

/// Metrics that orders alone give: the ones a part of a day can show.
fn from_orders_only(m: &Measure) -> bool {
    !matches!(
        m,
        Measure::Visitors
            | Measure::PageViews
            | Measure::ProductVisitors
            | Measure::Favourites
            | Measure::AddToCart
            | Measure::Repurchasers30
            | Measure::Repurchasers90
            | Measure::DsrDescriptionSum
            | Measure::DsrDescriptionCount
            | Measure::DsrServiceSum
            | Measure::DsrServiceCount
            | Measure::DsrLogisticsSum
            | Measure::DsrLogisticsCount
    )
}

/// The day of `at` up to `at` (shop-local, excluded), by default up to the end of the
/// minute of the shop's last order; `NaiveTime::MIN` as the time means the whole day.
pub fn today(
    store: &dyn Store,
    shop: &Shop,
    at: Option<NaiveDateTime>,
) -> Result<Today, ReportError> {
    // A moment given is the cut; by default the cut is the end of the last order's minute.
    let (day, until) = match at {
        Some(a) => (a.date(), a.time()),
        None => {
            let last = store
                .data_span(shop)?
                .last_order
                .ok_or_else(|| ReportError::NoData(shop.name.to_string()))?;
            let minute = last
                .time()
                .with_second(0)
                .and_then(|t| t.with_nanosecond(0));
            let next = minute.map(|t| t + Duration::minutes(1));
            match next {
                // The day's last minute: the whole day.
                Some(t) if t > NaiveTime::MIN => (last.date(), t),
                _ => (last.date(), NaiveTime::MIN),
            }
        }
    };
    let table = |d| -> Result<_, ReportError> {
        if until == NaiveTime::MIN {
            // The last minute of the day: the whole day.
            Ok(store.measures(
                shop,
                zhanggui_storage::DayRange::new(d, d),
                zhanggui_storage::GroupBy::Total,
            )?)
        } else {
            Ok(store.measures_until(shop, d, until)?)
        }
    };
    let now = table(day)?;
    let yesterday = table(day - Duration::days(1))?;
    let week_ago = table(day - Duration::days(7))?;
    let kpis = METRICS
        .iter()
        .filter(|m| match m.formula {
            Formula::Sum(a) => from_orders_only(&a),
            Formula::Ratio(a, b) => from_orders_only(&a) && from_orders_only(&b),
        })
        .map(|def| {
            let t = evaluate_in(def, &now, "total");
            let y = evaluate_in(def, &yesterday, "total");
            let w = evaluate_in(def, &week_ago, "total");
            let vs = |o: &MetricValue| {
                t.value
                    .zip(o.value)
                    .and_then(|(a, b)| (b != 0.0).then(|| a / b - 1.0))
            };
            TodayKpi {
                id: def.id,
                zh: def.zh,
                en: def.en,
                unit: def.unit,
                vs_yesterday: vs(&y),
                vs_week_ago: vs(&w),
                today: t,
                yesterday: y,
                week_ago: w,
            }
        })
        .collect();
    let cut = if until == NaiveTime::MIN {
        day.and_time(NaiveTime::MIN) + Duration::days(1)
    } else {
        day.and_time(until)
    };
    Ok(Today {
        shop: shop.name.to_string(),
        cut,
        kpis,
    })
}
