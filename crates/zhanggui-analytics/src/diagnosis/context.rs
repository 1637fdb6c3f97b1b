//! What the rules look at: the period and the one it is compared with, the shop's totals,
//! its sources and products in both, the end of the period against the weeks before it,
//! the peer benchmarks, the profit model per product (when the shop has cost prices), the
//! paid orders no bill settled (when it has bills), the ad plans judged against
//! break-even and the creative tests read out (when it has ad reports or tests), and the
//! thresholds.

use chrono::Duration;
use zhanggui_domain::metrics::Measure;
use zhanggui_domain::{Money, Shop};
use zhanggui_storage::{
    CostStore, DayRange, GroupBy, MeasureTable, PeerFigure, ProfitBy, Store, StoreError, Unsettled,
};

use super::thresholds::Thresholds;
use crate::profit::{profit, ProfitReport};
use crate::promotion::{AdsReport, TestReadout};
use crate::settlement::unsettled;

pub struct Context<'a> {
    pub shop: &'a Shop,
    pub t: Thresholds,
    pub range: DayRange,
    pub compared: DayRange,
    pub now: MeasureTable,
    pub before: MeasureTable,
    pub sources_now: MeasureTable,
    pub sources_before: MeasureTable,
    pub products_now: MeasureTable,
    pub products_before: MeasureTable,
    /// The last `trend_days` of the period, and the four times as many days before them.
    pub recent: DayRange,
    pub baseline: DayRange,
    pub products_recent: MeasureTable,
    pub products_baseline: MeasureTable,
    pub peers: Vec<PeerFigure>,
    /// The period's profit per product, when the shop has cost prices.
    pub profit: Option<ProfitReport>,
    /// Paid orders of the period that no bill names `settlement_days` after payment, when
    /// the shop has bills.
    pub unsettled: Vec<Unsettled>,
    /// The period's ad plans judged against break-even, when the shop has ad reports.
    pub ads: Option<AdsReport>,
    /// The shop's creative tests, read out.
    pub tests: Vec<TestReadout>,
}

impl<'a> Context<'a> {
    pub fn gather(
        store: &dyn Store,
        costs: &dyn CostStore,
        shop: &'a Shop,
        t: Thresholds,
        range: DayRange,
        compared: DayRange,
    ) -> Result<Self, StoreError> {
        let m = |r: DayRange, by: GroupBy| store.measures(shop, r, by);
        let recent = DayRange::new(range.to - Duration::days(t.trend_days - 1), range.to);
        let baseline = DayRange::new(
            recent.from - Duration::days(4 * t.trend_days),
            recent.from - Duration::days(1),
        );
        let inputs = costs.profit_inputs(shop)?;
        let profit = (inputs.cost_prices > 0)
            .then(|| profit(costs, shop, range, ProfitBy::Product))
            .transpose()?;
        let unsettled = unsettled(costs, shop, range, range.to, t.settlement_days)?;
        Ok(Context {
            shop,
            t,
            range,
            compared,
            now: m(range, GroupBy::Total)?,
            before: m(compared, GroupBy::Total)?,
            sources_now: m(range, GroupBy::Source)?,
            sources_before: m(compared, GroupBy::Source)?,
            products_now: m(range, GroupBy::Product)?,
            products_before: m(compared, GroupBy::Product)?,
            recent,
            baseline,
            products_recent: m(recent, GroupBy::Product)?,
            products_baseline: m(baseline, GroupBy::Product)?,
            peers: store.peer_figures(shop, range)?,
            profit,
            unsettled,
            ads: None,
            tests: Vec::new(),
        })
    }

    /// The shop's sales in the period.
    pub fn sales(&self) -> i64 {
        get(&self.now, "total", Measure::PaidAmount)
    }

    pub fn money(&self, minor: f64) -> String {
        Money::new(minor.round() as i64, self.shop.currency).to_string()
    }

    pub fn peer_average(&self, metric: &str) -> Option<f64> {
        self.peers
            .iter()
            .find(|p| p.metric == metric)
            .and_then(|p| p.average)
    }

    pub fn period_text(&self) -> String {
        format!("{} .. {}", self.range.from, self.range.to)
    }

    pub fn compared_text(&self) -> String {
        format!("{} .. {}", self.compared.from, self.compared.to)
    }
}

/// A measure of a group, 0 when the group has none.
pub fn get(table: &MeasureTable, group: &str, m: Measure) -> i64 {
    table.row(group).and_then(|r| r.get(m)).unwrap_or(0)
}

/// True when the table can give the measure.
pub fn has(table: &MeasureTable, m: Measure) -> bool {
    !table.missing.contains_key(&m)
}

/// `part / whole`, or 0.
pub fn ratio(part: i64, whole: i64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

/// A fraction as a percentage with two decimals.
pub fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}
