//! The owner's P&L across shops: each month of a period, every shop's profit model (the
//! totals over its products whose every cost is known) converted into one currency at
//! rates the owner states, and added up; with each shop's own total beside it. A shop in
//! another currency without a rate is an error, never counted at 1:1.
//!
//! A rate is "units of the view's currency per unit of the shop's" (CNY per USD: 7.10);
//! amounts are converted from their minor units through the major unit and rounded to the
//! view's minor unit once per shop and month, so that the lines of a month add up.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use zhanggui_domain::{Currency, Money, Shop};
use zhanggui_storage::{CostStore, DayRange, ProfitBy, StoreError};

use crate::profit::{profit, ProfitReport};

/// One line of the P&L (a month, a shop or the total), in the view's currency.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PnlLine {
    /// The month (`2025-03`), the shop's name, or `total`.
    pub key: String,
    /// Net sales of every product, and of those whose every cost is known (what the
    /// lines from `cogs` to `net_profit` cover).
    pub net_sales: Money,
    pub net_sales_known: Money,
    pub cogs: Money,
    pub platform_fees: Money,
    pub shipping: Money,
    pub packaging: Money,
    pub cm1: Money,
    pub ad_spend: Money,
    pub cm2: Money,
    pub other_costs: Money,
    pub net_profit: Money,
    /// Net profit over `net_sales_known`.
    pub margin: Option<f64>,
}

/// The P&L of several shops by month in one currency.
#[derive(Debug, Clone, Serialize)]
pub struct ShopsPnl {
    pub currency: Currency,
    /// The rate used for each shop currency other than the view's.
    pub rates: BTreeMap<String, f64>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub shops: Vec<String>,
    pub months: Vec<PnlLine>,
    /// Each shop's total over the period.
    pub by_shop: Vec<PnlLine>,
    pub total: PnlLine,
}

#[derive(Debug, thiserror::Error)]
pub enum ShopsPnlError {
    #[error("{shop} is in {currency}: give its rate to {view} (--rate {currency}=…)")]
    NoRate {
        shop: String,
        currency: String,
        view: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The months a range touches, each cut to the range.
pub fn months_of(range: DayRange) -> Vec<DayRange> {
    let mut out = Vec::new();
    let mut first = range.from;
    while first <= range.to {
        let next = if first.month() == 12 {
            NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
        }
        .expect("the first of a month exists");
        let last = next.pred_opt().expect("a day before").min(range.to);
        out.push(DayRange::new(first, last));
        first = next;
    }
    out
}

/// Converts minor units of `from` into minor units of `to` at `rate`.
fn convert(minor: i64, from: Currency, to: Currency, rate: f64) -> i64 {
    let major = minor as f64 / 10f64.powi(from.exponent() as i32);
    (major * rate * 10f64.powi(to.exponent() as i32)).round() as i64
}

/// The amounts of a P&L line in minor units of the view's currency.
#[derive(Debug, Clone, Copy, Default)]
struct Amounts([i64; 11]);

impl Amounts {
    fn of(r: &ProfitReport, view: Currency, rate: f64) -> Amounts {
        let c = |m: Money| convert(m.minor, r.currency, view, rate);
        let (known, cogs, fees, ship, pack, ad, other) = (
            c(r.net_sales_known),
            c(r.cogs),
            c(r.platform_fees),
            c(r.shipping),
            c(r.packaging),
            c(r.ad_spend),
            c(r.other_costs),
        );
        // CM1, CM2 and net profit from the converted lines, so that each line adds up.
        let cm1 = known - cogs - fees - ship - pack;
        Amounts([
            c(r.net_sales),
            known,
            cogs,
            fees,
            ship,
            pack,
            cm1,
            ad,
            cm1 - ad,
            other,
            cm1 - ad - other,
        ])
    }

    fn add(&mut self, other: &Amounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }

    fn line(&self, key: String, view: Currency) -> PnlLine {
        let m = |i: usize| Money::new(self.0[i], view);
        PnlLine {
            key,
            net_sales: m(0),
            net_sales_known: m(1),
            cogs: m(2),
            platform_fees: m(3),
            shipping: m(4),
            packaging: m(5),
            cm1: m(6),
            ad_spend: m(7),
            cm2: m(8),
            other_costs: m(9),
            net_profit: m(10),
            margin: (self.0[1] > 0).then(|| self.0[10] as f64 / self.0[1] as f64),
        }
    }
}

/// The P&L of `shops` by month over `range`, in `view`, with `rates` per shop currency.
pub fn pnl_across_shops(
    store: &dyn CostStore,
    shops: &[Shop],
    range: DayRange,
    view: Currency,
    rates: &BTreeMap<String, f64>,
) -> Result<ShopsPnl, ShopsPnlError> {
    let mut used = BTreeMap::new();
    let rate_of = |shop: &Shop| -> Result<f64, ShopsPnlError> {
        if shop.currency == view {
            return Ok(1.0);
        }
        rates
            .get(shop.currency.code())
            .copied()
            .ok_or_else(|| ShopsPnlError::NoRate {
                shop: shop.name.to_string(),
                currency: shop.currency.code().to_owned(),
                view: view.code().to_owned(),
            })
    };
    let months = months_of(range);
    let mut by_month = vec![Amounts::default(); months.len()];
    let mut by_shop = Vec::new();
    let mut total = Amounts::default();
    for shop in shops {
        let rate = rate_of(shop)?;
        if shop.currency != view {
            used.insert(shop.currency.code().to_owned(), rate);
        }
        let mut shop_total = Amounts::default();
        for (i, month) in months.iter().enumerate() {
            let r = profit(store, shop, *month, ProfitBy::Product)?;
            let a = Amounts::of(&r, view, rate);
            by_month[i].add(&a);
            shop_total.add(&a);
        }
        total.add(&shop_total);
        by_shop.push(shop_total.line(shop.name.to_string(), view));
    }
    Ok(ShopsPnl {
        currency: view,
        rates: used,
        from: range.from,
        to: range.to,
        shops: shops.iter().map(|s| s.name.to_string()).collect(),
        months: months
            .iter()
            .zip(&by_month)
            .map(|(m, a)| a.line(m.from.format("%Y-%m").to_string(), view))
            .collect(),
        by_shop,
        total: total.line("total".into(), view),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_cut_into_its_months() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let months = months_of(DayRange::new(d(2024, 11, 15), d(2025, 1, 10)));
        assert_eq!(
            months,
            vec![
                DayRange::new(d(2024, 11, 15), d(2024, 11, 30)),
                DayRange::new(d(2024, 12, 1), d(2024, 12, 31)),
                DayRange::new(d(2025, 1, 1), d(2025, 1, 10)),
            ]
        );
    }

    #[test]
    fn amounts_convert_through_the_major_unit() {
        let (cny, usd, jpy) = (
            Currency::parse("CNY").unwrap(),
            Currency::parse("USD").unwrap(),
            Currency::parse("JPY").unwrap(),
        );
        // $12.34 at 7.1 CNY per USD is ¥87.61 (87.614 rounded).
        assert_eq!(convert(1234, usd, cny, 7.1), 8761);
        // ¥1,000 (no minor unit) at 0.048 CNY per JPY is ¥48.00.
        assert_eq!(convert(1000, jpy, cny, 0.048), 4800);
    }
}
