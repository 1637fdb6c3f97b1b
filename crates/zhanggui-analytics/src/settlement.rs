//! Settlement: the paid orders a platform should have settled into its bill by now and
//! did not. An order is due once `days` have passed since payment, counted to the end of
//! the data's last day; and only up to what the bills cover, so that a bill downloaded a
//! month ago does not make the last month's orders look unsettled. And the orders whose
//! fees the bill booked at a rate other than the platform's stated one.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{BillKind, CostStore, DayRange, StoreError, Unsettled};

/// Orders paid before this are due in the bills: `days` before the end of `anchor`, and
/// no later than `days` before the latest bill line.
pub fn due_before(
    anchor: NaiveDate,
    days: i64,
    last_bill_at: Option<NaiveDateTime>,
) -> NaiveDateTime {
    let by_data = anchor.and_hms_opt(0, 0, 0).expect("midnight exists") - Duration::days(days - 1);
    match last_bill_at {
        Some(last) => by_data.min(last - Duration::days(days)),
        None => by_data,
    }
}

/// The paid orders of `range` (not refunded in full) that no bill names though they are
/// due by `anchor`; none when the shop has no bill at all.
pub fn unsettled(
    store: &dyn CostStore,
    shop: &Shop,
    range: DayRange,
    anchor: NaiveDate,
    days: i64,
) -> Result<Vec<Unsettled>, StoreError> {
    let inputs = store.profit_inputs(shop)?;
    if inputs.bill_lines == 0 {
        return Ok(Vec::new());
    }
    store.unsettled_orders(shop, range, due_before(anchor, days, inputs.last_bill_at))
}

/// An order whose fee of one kind is not at the stated rate of its settled amount.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateDeviation {
    pub order_no: String,
    pub kind: BillKind,
    pub settled: i64,
    pub fee: i64,
    /// The fee over the settled amount, and the rate stated for its kind.
    pub rate: f64,
    pub stated: f64,
}

/// Orders whose commission, affiliate or payment fee of the bills booked in `range` lies
/// more than `tolerance` (0.005: half a percentage point) from the rate stated for its
/// kind; kinds without a stated rate are not checked.
pub fn rate_deviations(
    store: &dyn CostStore,
    shop: &Shop,
    range: DayRange,
    stated: &[(BillKind, f64)],
    tolerance: f64,
) -> Result<Vec<RateDeviation>, StoreError> {
    if stated.is_empty() {
        return Ok(Vec::new());
    }
    Ok(store
        .order_fees(shop, range)?
        .into_iter()
        .filter_map(|f| {
            let (_, stated) = stated.iter().find(|(k, _)| *k == f.kind)?;
            let rate = f.fee as f64 / f.settled as f64;
            ((rate - stated).abs() > tolerance).then_some(RateDeviation {
                order_no: f.order_no,
                kind: f.kind,
                settled: f.settled,
                fee: f.fee,
                rate,
                stated: *stated,
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_due_after_the_delay_and_within_what_the_bills_cover() {
        let day = |d| NaiveDate::from_ymd_opt(2025, 11, d).unwrap();
        let at = |d, h| day(d).and_hms_opt(h, 0, 0).unwrap();
        // Data to the 30th, 15 days: paid before the 16th began is due.
        assert_eq!(due_before(day(30), 15, None), at(16, 0));
        // A bill that ends on the 20th at noon covers orders paid 15 days before it.
        assert_eq!(due_before(day(30), 15, Some(at(20, 12))), at(5, 12));
        // A bill newer than the data changes nothing.
        let december = NaiveDate::from_ymd_opt(2025, 12, 2).unwrap();
        assert_eq!(
            due_before(day(30), 15, Some(december.and_hms_opt(0, 0, 0).unwrap())),
            at(16, 0)
        );
    }
}
