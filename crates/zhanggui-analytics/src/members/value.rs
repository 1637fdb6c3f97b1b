//! Who will buy again and for how much, fitted on a shop's own buyers: BG/NBD for repeat
//! purchases and probability active, Gamma-Gamma for order value, lifetime value over a
//! horizon. A shop with too little history for a reliable fit (fewer than
//! `MIN_REPEAT_BUYERS` repeat buyers, or under `MIN_DAYS` days of orders) gets the average
//! time between purchases with its 95 % interval instead of a confident-looking number.

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{CustomerHistory, Store};

use super::bgnbd::{BgNbd, Customer, Purchases};
use super::pareto::ParetoNbd;
use super::spend::{lifetime_value, GammaGamma, Spend};
use crate::report::{anchor_or_last, ReportError};

/// Repeat buyers a fit needs.
pub const MIN_REPEAT_BUYERS: usize = 200;
/// Days of orders a fit needs.
pub const MIN_DAYS: i64 = 90;
/// Weeks in a month, for monthly periods of lifetime value.
pub const WEEKS_PER_MONTH: f64 = 365.25 / 12.0 / 7.0;

/// One buyer's outlook.
#[derive(Debug, Clone, Serialize)]
pub struct Outlook {
    pub buyer: String,
    pub orders: i64,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub amount: i64,
    pub probability_alive: f64,
    /// Expected paid orders over the horizon.
    pub expected_orders: f64,
    /// Expected order value, minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64")]
    pub expected_value: f64,
    /// Discounted lifetime value over the horizon, minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64")]
    pub lifetime_value: f64,
}

/// Which model of repeat buying to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// BG/NBD: drop-out only right after a purchase (fast; the default).
    BgNbd,
    /// Pareto/NBD: drop-out at any time.
    ParetoNbd,
}

/// A fitted model of repeat buying.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseFit {
    BgNbd(BgNbd),
    ParetoNbd(ParetoNbd),
}

impl PurchaseFit {
    fn model(&self) -> &dyn Purchases {
        match self {
            PurchaseFit::BgNbd(m) => m,
            PurchaseFit::ParetoNbd(m) => m,
        }
    }
}

/// The models fitted on the shop.
#[derive(Debug, Clone, Serialize)]
pub struct Fitted {
    /// Serialised as `bg_nbd` or `pareto_nbd`.
    #[serde(flatten)]
    pub purchases: PurchaseFit,
    pub gamma_gamma: Option<GammaGamma>,
    /// Buyers ranked by lifetime value.
    pub customers: Vec<Outlook>,
}

/// Too little history: the mean days between a buyer's purchases, with a 95 % interval.
#[derive(Debug, Clone, Serialize)]
pub struct TooLittle {
    pub reason: String,
    pub repeat_buyers: usize,
    pub mean_days_between: Option<f64>,
    pub interval_95: Option<(f64, f64)>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Fitted(Box<Fitted>),
    TooLittleHistory(TooLittle),
}

#[derive(Debug, Clone, Serialize)]
pub struct Value {
    pub shop: String,
    /// The calibration period ends with this day.
    pub until: NaiveDate,
    pub horizon_months: u32,
    /// Expected orders count over this many weeks (the months' weeks unless asked).
    pub horizon_weeks: f64,
    pub monthly_discount: f64,
    pub buyers: usize,
    pub verdict: Verdict,
}

fn weeks(days: i64) -> f64 {
    days as f64 / 7.0
}

/// A buyer's (x, t_x, T) in weeks, as Fader, Hardie & Lee count them: repeat purchase days,
/// and times from the first purchase day.
pub fn customer_of(h: &CustomerHistory, until: NaiveDate) -> Customer {
    let first = h.first_paid.date();
    Customer {
        frequency: (h.paid_days - 1).max(0) as f64,
        recency: weeks((h.last_paid.date() - first).num_days()),
        age: weeks((until - first).num_days()),
    }
}

/// Repeat orders and their mean value (the first order left out).
pub fn spend_of(h: &CustomerHistory) -> Spend {
    let repeat = (h.orders - 1).max(0);
    Spend {
        orders: repeat as f64,
        mean_value: if repeat > 0 {
            (h.amount - h.first_amount) as f64 / repeat as f64
        } else {
            0.0
        },
    }
}

fn too_little(histories: &[CustomerHistory], reason: String) -> TooLittle {
    let gaps: Vec<f64> = histories
        .iter()
        .filter(|h| h.paid_days > 1)
        .map(|h| {
            (h.last_paid.date() - h.first_paid.date()).num_days() as f64 / (h.paid_days - 1) as f64
        })
        .collect();
    let n = gaps.len() as f64;
    let mean = (n > 0.0).then(|| gaps.iter().sum::<f64>() / n);
    let interval = mean.filter(|_| n > 1.0).map(|m| {
        let var = gaps.iter().map(|g| (g - m).powi(2)).sum::<f64>() / (n - 1.0);
        let half = 1.96 * (var / n).sqrt();
        (m - half, m + half)
    });
    TooLittle {
        reason,
        repeat_buyers: gaps.len(),
        mean_days_between: mean,
        interval_95: interval,
    }
}

/// Fits the models on the shop's buyers up to `until` and values every buyer over
/// `horizon_months` months discounted by `monthly_discount` a month.
pub fn value(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
    horizon_months: u32,
    monthly_discount: f64,
) -> Result<Value, ReportError> {
    let options = Options {
        horizon_months,
        monthly_discount,
        model: Model::BgNbd,
        horizon_weeks: None,
    };
    value_with(store, shop, until, &options)
}

/// What to fit and over which horizon.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub horizon_months: u32,
    pub monthly_discount: f64,
    pub model: Model,
    /// Expected orders over this many weeks instead of the months'.
    pub horizon_weeks: Option<f64>,
}

/// As [`value`], with the model of repeat buying chosen.
pub fn value_with(
    store: &dyn Store,
    shop: &Shop,
    until: Option<NaiveDate>,
    options: &Options,
) -> Result<Value, ReportError> {
    let until = anchor_or_last(store, shop, until)?;
    let histories = store.customer_histories(shop, until)?;
    Ok(value_of(shop, until, &histories, options))
}

/// As [`value_with`], on the shop's buyer histories up to `until`, already read.
pub fn value_of(
    shop: &Shop,
    until: NaiveDate,
    histories: &[CustomerHistory],
    options: &Options,
) -> Value {
    let Options {
        horizon_months,
        monthly_discount,
        model,
        horizon_weeks,
    } = *options;
    let horizon = horizon_weeks.unwrap_or(f64::from(horizon_months) * WEEKS_PER_MONTH);
    let repeaters = histories.iter().filter(|h| h.paid_days > 1).count();
    let span = histories
        .iter()
        .map(|h| h.first_paid.date())
        .min()
        .map_or(0, |first| (until - first).num_days());
    let verdict = if repeaters < MIN_REPEAT_BUYERS || span < MIN_DAYS {
        Verdict::TooLittleHistory(too_little(
            histories,
            format!(
                "{repeaters} repeat buyers over {span} days; a reliable fit needs at least \
                 {MIN_REPEAT_BUYERS} repeat buyers and {MIN_DAYS} days"
            ),
        ))
    } else {
        let customers: Vec<Customer> = histories.iter().map(|h| customer_of(h, until)).collect();
        let spends: Vec<Spend> = histories.iter().map(spend_of).collect();
        let fit = match model {
            Model::BgNbd => PurchaseFit::BgNbd(BgNbd::fit(&customers)),
            Model::ParetoNbd => PurchaseFit::ParetoNbd(ParetoNbd::fit(&customers)),
        };
        let bg = fit.model();
        let gg = GammaGamma::fit(&spends);
        // Gamma-Gamma has no finite mean when q <= 1: value orders at their own history then.
        let gg = (gg.q > 1.0 && gg.std_errors.is_some()).then_some(gg);
        let mut outlooks: Vec<Outlook> = histories
            .iter()
            .zip(customers.iter().zip(&spends))
            .map(|(h, (c, s))| {
                let own = h.amount as f64 / h.orders.max(1) as f64;
                let expected_value = gg.as_ref().map_or(own, |g| g.expected_value(s));
                let lifetime = match &gg {
                    Some(g) => lifetime_value(
                        bg,
                        g,
                        c,
                        s,
                        horizon_months,
                        WEEKS_PER_MONTH,
                        monthly_discount,
                    ),
                    None => bg.expected_purchases(c, horizon) * own,
                };
                Outlook {
                    buyer: h.buyer.clone(),
                    orders: h.orders,
                    amount: h.amount,
                    probability_alive: bg.probability_alive(c),
                    expected_orders: bg.expected_purchases(c, horizon),
                    expected_value,
                    lifetime_value: lifetime,
                }
            })
            .collect();
        outlooks.sort_by(|a, b| {
            b.lifetime_value
                .total_cmp(&a.lifetime_value)
                .then_with(|| a.buyer.cmp(&b.buyer))
        });
        Verdict::Fitted(Box::new(Fitted {
            purchases: fit,
            gamma_gamma: gg,
            customers: outlooks,
        }))
    };
    Value {
        shop: shop.name.to_string(),
        until,
        horizon_months,
        horizon_weeks: horizon,
        monthly_discount,
        buyers: histories.len(),
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histories_become_weeks_as_the_published_cdnow_summary_counts_them() {
        let at = |d: &str| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap()
        };
        // CDNOW customer 1: first purchase 1997-01-01, three purchase days, the last on
        // 1997-08-02 (x = 2, t_x = 30.43, T = 38.86 with the period ending 1997-09-30).
        let h = CustomerHistory {
            buyer: "00001".into(),
            first_paid: at("1997-01-01"),
            last_paid: at("1997-08-02"),
            orders: 4,
            paid_days: 3,
            amount: 10_000,
            first_amount: 2_500,
        };
        let until = NaiveDate::from_ymd_opt(1997, 9, 30).unwrap();
        let c = customer_of(&h, until);
        assert_eq!(c.frequency, 2.0);
        assert!((c.recency - 30.43).abs() < 0.005, "{}", c.recency);
        assert!((c.age - 38.86).abs() < 0.005, "{}", c.age);
        let s = spend_of(&h);
        assert_eq!((s.orders, s.mean_value), (3.0, 2_500.0));
    }
}
