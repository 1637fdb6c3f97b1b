//! Numbers as the pages show them, in the units of the metric dictionary.

use serde::Serialize;
use zhanggui_analytics::report::Kpi;
use zhanggui_domain::metrics::Unit;
use zhanggui_domain::money_json::InUnit;
use zhanggui_domain::Currency;
use zhanggui_tables::NumberFormat;

use crate::i18n::Lang;

/// A metric's value now and before, raw and as shown, with whether the change is good.
/// The raw values are numbers in the metric's unit; money is a `Money` object (a decimal
/// in the shop's currency, the currency named).
#[derive(Debug, Clone, utoipa::ToSchema)]
pub struct KpiCard {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    #[schema(ignore)]
    pub unit: Unit,
    pub current: Option<f64>,
    pub previous: Option<f64>,
    pub change: Option<f64>,
    pub change_ratio: Option<f64>,
    pub peer_average: Option<f64>,
    pub peer_excellent: Option<f64>,
    pub shown: KpiShown,
    /// good, bad or flat: whether the change goes the metric's better way.
    pub tone: &'static str,
    /// Why the metric cannot be computed, when it cannot.
    pub unavailable: Option<String>,
}

impl Serialize for KpiCard {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let in_unit = |v: Option<f64>| InUnit(v, self.unit);
        let mut o = s.serialize_struct("KpiCard", 13)?;
        o.serialize_field("id", self.id)?;
        o.serialize_field("zh", self.zh)?;
        o.serialize_field("en", self.en)?;
        o.serialize_field("unit", &self.unit)?;
        o.serialize_field("current", &in_unit(self.current))?;
        o.serialize_field("previous", &in_unit(self.previous))?;
        o.serialize_field("change", &in_unit(self.change))?;
        o.serialize_field("change_ratio", &self.change_ratio)?;
        o.serialize_field("peer_average", &in_unit(self.peer_average))?;
        o.serialize_field("peer_excellent", &in_unit(self.peer_excellent))?;
        o.serialize_field("shown", &self.shown)?;
        o.serialize_field("tone", self.tone)?;
        o.serialize_field("unavailable", &self.unavailable)?;
        o.end()
    }
}

/// The same values as text.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct KpiShown {
    pub current: String,
    pub previous: String,
    pub change: String,
    pub change_ratio: String,
    pub peer_average: String,
    pub peer_excellent: String,
}

fn show(v: Option<f64>, f: NumberFormat) -> String {
    v.map_or_else(|| "-".to_owned(), |v| f.show(v))
}

impl KpiCard {
    pub fn of(k: &Kpi, currency: Currency) -> KpiCard {
        let f = NumberFormat::of_unit(k.unit, currency);
        let tone = match k.change {
            Some(c) if c.abs() > f64::EPSILON => {
                if (c > 0.0) == k.higher_is_better {
                    "good"
                } else {
                    "bad"
                }
            }
            _ => "flat",
        };
        KpiCard {
            id: k.id,
            zh: k.zh,
            en: k.en,
            unit: k.unit,
            current: k.current.value,
            previous: k.previous.value,
            change: k.change,
            change_ratio: k.change_ratio,
            peer_average: k.peer_average,
            peer_excellent: k.peer_excellent,
            shown: KpiShown {
                current: show(k.current.value, f),
                previous: show(k.previous.value, f),
                change: show(k.change, NumberFormat::of_change(k.unit, currency)),
                change_ratio: k
                    .change_ratio
                    .map_or_else(|| "-".to_owned(), |r| format!("{:+.1}%", r * 100.0)),
                peer_average: show(k.peer_average, f),
                peer_excellent: show(k.peer_excellent, f),
            },
            tone,
            unavailable: k.current.unavailable.clone(),
        }
    }
}

/// A metric's name in a language.
pub fn name<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A unit in words.
pub fn unit_name(unit: Unit, lang: Lang) -> &'static str {
    match (unit, lang) {
        (Unit::Count, Lang::Zh) => "个数",
        (Unit::Money, Lang::Zh) => "金额",
        (Unit::Rate, Lang::Zh) => "比率",
        (Unit::Ratio, Lang::Zh) => "比值",
        (Unit::Duration, Lang::Zh) => "时长",
        (Unit::Score, Lang::Zh) => "评分",
        (Unit::Count, Lang::En) => "count",
        (Unit::Money, Lang::En) => "money",
        (Unit::Rate, Lang::En) => "rate",
        (Unit::Ratio, Lang::En) => "ratio",
        (Unit::Duration, Lang::En) => "duration",
        (Unit::Score, Lang::En) => "score",
    }
}
