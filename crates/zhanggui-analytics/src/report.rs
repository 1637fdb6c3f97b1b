//! The report an operator opens every morning: every metric of the dictionary for a
//! period, against the period it is compared with and the peer tier, and why sales moved.

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_domain::metrics::{Measure, Unit, METRICS};
use zhanggui_domain::money::group_digits;
use zhanggui_domain::money_json::InUnit;
use zhanggui_domain::{Money, Shop};
use zhanggui_storage::{DayRange, GroupBy, MeasureTable, Store, StoreError};

use crate::engine::{evaluate_in, MetricValue};
use crate::period::{Compare, PeriodSpec};
use crate::why::{split, split_by_buyers, split_with_impressions, Factor, Sales, Split};

/// What to report on.
#[derive(Debug, Clone, Copy)]
pub struct ReportRequest {
    pub period: PeriodSpec,
    pub compare: Compare,
    /// The day "the last N days" end on; by default the last day with data.
    pub anchor: Option<NaiveDate>,
}

/// One metric in the report.
#[derive(Debug, Clone)]
pub struct Kpi {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub unit: Unit,
    pub higher_is_better: bool,
    pub current: MetricValue,
    pub previous: MetricValue,
    /// current − previous, in the metric's unit.
    pub change: Option<f64>,
    /// change ÷ previous.
    pub change_ratio: Option<f64>,
    /// 同行同层平均 and 优秀 over the period, where the reports carry them.
    pub peer_average: Option<f64>,
    pub peer_excellent: Option<f64>,
}

impl Serialize for Kpi {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let in_unit = |v: Option<f64>| InUnit(v, self.unit);
        let mut o = s.serialize_struct("Kpi", 11)?;
        o.serialize_field("id", self.id)?;
        o.serialize_field("zh", self.zh)?;
        o.serialize_field("en", self.en)?;
        o.serialize_field("unit", &self.unit)?;
        o.serialize_field("higher_is_better", &self.higher_is_better)?;
        o.serialize_field("current", &self.current)?;
        o.serialize_field("previous", &self.previous)?;
        o.serialize_field("change", &in_unit(self.change))?;
        o.serialize_field("change_ratio", &self.change_ratio)?;
        o.serialize_field("peer_average", &in_unit(self.peer_average))?;
        o.serialize_field("peer_excellent", &in_unit(self.peer_excellent))?;
        o.end()
    }
}

/// A change of sales split for one group (a traffic source, a product).
#[derive(Debug, Clone, Serialize)]
pub struct GroupSplit {
    pub group: String,
    pub label: Option<String>,
    pub split: Split,
}

/// Why sales moved.
#[derive(Debug, Clone, Serialize)]
pub struct Why {
    /// The shop's split, from its orders and its traffic-source report.
    pub shop: Option<Split>,
    /// Why there is no split, when there is none.
    pub unavailable: Option<String>,
    /// Per traffic source, from the traffic-source report (its own totals), largest change
    /// first.
    pub by_source: Vec<GroupSplit>,
    /// Per product, from the orders and the product report, largest change first.
    pub by_product: Vec<GroupSplit>,
    /// The change in one sentence.
    pub headline: Option<String>,
    /// The same sentence in Chinese.
    pub headline_zh: Option<String>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub shop: String,
    pub currency: String,
    pub period: DayRange,
    pub compare: Compare,
    pub compared_with: DayRange,
    pub kpis: Vec<Kpi>,
    pub why: Why,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("shop {0} has no data yet: import its exports first")]
    NoData(String),
}

/// The day periods end on: the one given, else the shop's last day with orders.
pub fn anchor_or_last(
    store: &dyn Store,
    shop: &Shop,
    anchor: Option<NaiveDate>,
) -> Result<NaiveDate, ReportError> {
    match anchor {
        Some(a) => Ok(a),
        None => store
            .data_span(shop)?
            .anchor_day()
            .ok_or_else(|| ReportError::NoData(shop.name.to_string())),
    }
}

/// Builds the report of one shop.
pub fn report(store: &dyn Store, shop: &Shop, req: ReportRequest) -> Result<Report, ReportError> {
    let anchor = anchor_or_last(store, shop, req.anchor)?;
    let range = req.period.resolve(anchor);
    let compared_with = req.period.compared(range, req.compare);
    let now = store.measures(shop, range, GroupBy::Total)?;
    let before = store.measures(shop, compared_with, GroupBy::Total)?;
    let peers = store.peer_figures(shop, range)?;
    let kpis = METRICS
        .iter()
        .map(|def| {
            let current = evaluate_in(def, &now, "total");
            let previous = evaluate_in(def, &before, "total");
            let change = current.value.zip(previous.value).map(|(c, p)| c - p);
            let change_ratio = change
                .zip(previous.value)
                .and_then(|(d, p)| (p != 0.0).then(|| d / p));
            let peer = peers.iter().find(|p| p.metric == def.id);
            Kpi {
                id: def.id,
                zh: def.zh,
                en: def.en,
                unit: def.unit,
                higher_is_better: def.higher_is_better,
                current,
                previous,
                change,
                change_ratio,
                peer_average: peer.and_then(|p| p.average),
                peer_excellent: peer.and_then(|p| p.excellent),
            }
        })
        .collect();
    let exposure = range.days() as f64 / compared_with.days() as f64;
    let why = why(store, shop, range, compared_with, &now, &before, exposure)?;
    Ok(Report {
        shop: shop.name.to_string(),
        currency: shop.currency.to_string(),
        period: range,
        compare: req.compare,
        compared_with,
        kpis,
        why,
    })
}

/// The split of one group between two tables grouped alike: visitors × conversion ×
/// order value where both have visitors (with visitors as ad impressions × visitors per
/// impression when `impressions` and both periods have them), paying buyers × order value
/// where neither has visitors but both have buyers, else none.
fn split_of(
    before: &MeasureTable,
    now: &MeasureTable,
    group: &str,
    impressions: bool,
    exposure: f64,
) -> Option<Split> {
    let has = |m: Measure| !before.missing.contains_key(&m) && !now.missing.contains_key(&m);
    let get = |t: &MeasureTable, m: Measure| t.row(group).and_then(|r| r.get(m));
    let sales = |t: &MeasureTable| Sales {
        visitors: get(t, Measure::Visitors).unwrap_or(0),
        buyers: get(t, Measure::PaidBuyers).unwrap_or(0),
        amount: get(t, Measure::PaidAmount).unwrap_or(0),
    };
    let (b, a) = (sales(before), sales(now));
    if has(Measure::Visitors) {
        let ads = (
            get(before, Measure::AdImpressions),
            get(now, Measure::AdImpressions),
        );
        Some(match ads {
            (Some(i0), Some(i1)) if impressions => split_with_impressions(b, a, (i0, i1), exposure),
            _ => split(b, a, exposure),
        })
    } else if has(Measure::PaidBuyers) && has(Measure::PaidAmount) {
        Some(split_by_buyers(b, a, exposure))
    } else {
        None
    }
}

/// Splits per group of two tables grouped alike, largest change first.
fn group_splits(
    now: &MeasureTable,
    before: &MeasureTable,
    impressions: bool,
    exposure: f64,
) -> Vec<GroupSplit> {
    let mut groups: Vec<&str> = now
        .rows
        .iter()
        .chain(&before.rows)
        .map(|r| r.group.as_str())
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let mut out: Vec<GroupSplit> = groups
        .into_iter()
        .filter_map(|g| {
            let split = split_of(before, now, g, impressions, exposure)?;
            let label = now
                .row(g)
                .or_else(|| before.row(g))
                .and_then(|r| r.label.clone());
            Some(GroupSplit {
                group: g.to_owned(),
                label,
                split,
            })
        })
        .filter(|s| s.split.change != 0 || s.split.parts.iter().any(|p| p.amount != 0))
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.split.change.abs()));
    out
}

fn why(
    store: &dyn Store,
    shop: &Shop,
    range: DayRange,
    compared_with: DayRange,
    now: &MeasureTable,
    before: &MeasureTable,
    exposure: f64,
) -> Result<Why, StoreError> {
    // The shop's visitors are not all ad visitors: its split never uses impressions.
    let shop_split = split_of(before, now, "total", false, exposure);
    let unavailable = shop_split.is_none().then(|| {
        let reason = now
            .missing
            .get(&Measure::Visitors)
            .or_else(|| before.missing.get(&Measure::Visitors))
            .cloned()
            .unwrap_or_default();
        format!("splitting sales needs visitors: {reason}")
    });
    // A paid source named like its ad tool: its visitors are the tool's clicks.
    let by_source = group_splits(
        &store.measures(shop, range, GroupBy::Source)?,
        &store.measures(shop, compared_with, GroupBy::Source)?,
        true,
        exposure,
    );
    let by_product = group_splits(
        &store.measures(shop, range, GroupBy::Product)?,
        &store.measures(shop, compared_with, GroupBy::Product)?,
        false,
        exposure,
    );
    let sentence = |lang: Lang| {
        shop_split
            .as_ref()
            .map(|s| headline(s, &by_source, &by_product, shop, lang))
    };
    let (headline, headline_zh) = (sentence(Lang::En), sentence(Lang::Zh));
    Ok(Why {
        shop: shop_split,
        unavailable,
        by_source,
        by_product,
        headline,
        headline_zh,
    })
}

/// The language of a sentence.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Zh,
}

/// "sales −¥12,340.00 (−8.1%): conversion of 手淘搜索 −0.6 pt cost ¥9,100.00, mostly from
/// product X", or in Chinese "销售额 −¥12,340.00 (−8.1%)：手淘搜索的支付转化率 −0.6 pt 减少了
/// ¥9,100.00，主要来自商品 X".
fn headline(
    shop: &Split,
    sources: &[GroupSplit],
    products: &[GroupSplit],
    s: &Shop,
    lang: Lang,
) -> String {
    let zh = lang == Lang::Zh;
    let money = |minor: i64| Money::new(minor, s.currency).to_string();
    let signed = |minor: i64| {
        if minor >= 0 {
            format!("+{}", money(minor))
        } else {
            money(minor)
        }
    };
    let mut out = format!(
        "{} {}",
        if zh { "销售额" } else { "sales" },
        signed(shop.change)
    );
    if shop.before.amount != 0 {
        out.push_str(&format!(
            " ({:+.1}%)",
            shop.change as f64 / shop.before.amount as f64 * 100.0
        ));
    }
    // The largest single part among the sources, or else the shop's largest part.
    let biggest = sources
        .iter()
        .flat_map(|g| g.split.parts.iter().map(move |p| (Some(g), p)))
        .max_by_key(|(_, p)| p.amount.abs())
        .or_else(|| {
            shop.parts
                .iter()
                .map(|p| (None, p))
                .max_by_key(|(_, p)| p.amount.abs())
        });
    let Some((group, part)) = biggest else {
        return out;
    };
    if part.amount == 0 {
        return out;
    }
    let what = match (group, zh) {
        (Some(g), false) => format!("{} of {}", part.factor.en(), g.group),
        (Some(g), true) => format!("{}的{}", g.group, part.factor.zh()),
        (None, false) => part.factor.en().to_owned(),
        (None, true) => part.factor.zh().to_owned(),
    };
    let moved = match (part.factor, part.before, part.after) {
        (Factor::Conversion | Factor::Ctr, Some(b), Some(a)) => {
            format!(" {:+.2} pt", (a - b) * 100.0)
        }
        (Factor::Visitors | Factor::Impressions | Factor::Buyers, Some(b), Some(a)) => {
            let d = (a - b).round() as i64;
            format!(
                " {}{}",
                if d >= 0 { "+" } else { "-" },
                group_digits(&d.unsigned_abs().to_string())
            )
        }
        (Factor::OrderValue, Some(b), Some(a)) => format!(" {}", signed((a - b).round() as i64)),
        _ => String::new(),
    };
    let verb = match (part.amount < 0, zh) {
        (true, false) => "cost",
        (false, false) => "added",
        (true, true) => "减少了",
        (false, true) => "带来",
    };
    let colon = if zh { "：" } else { ": " };
    out.push_str(&format!(
        "{colon}{what}{moved} {verb} {}",
        money(part.amount.abs())
    ));
    // The product whose same factor moved the same way the most.
    let product = products
        .iter()
        .map(|g| (g, g.split.part(part.factor)))
        .filter(|(_, a)| a.signum() == part.amount.signum() && *a != 0)
        .max_by_key(|(_, a)| a.abs());
    if let Some((g, _)) = product {
        let name = g.label.as_deref().unwrap_or(&g.group);
        out.push_str(&if zh {
            format!("，主要来自商品 {name}")
        } else {
            format!(", mostly from product {name}")
        });
    }
    out
}
