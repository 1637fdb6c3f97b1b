//! The review monitor (中差评提醒, seed 002 §六): which reviews need the shop's attention,
//! what each says (by DSR dimension), which reply script fits, where its follow-up stands,
//! and the figures a manager watches: the bad-review rate, the time to first contact and
//! the share of bad reviews changed.
//!
//! A bad or medium review raises an alert until its follow-up ends with an outcome
//! (changed, replied, closed) or the buyer changes it to a good one (seen on a later
//! import). The follow-up record is a list of actions: contact (联系买家), compensation
//! offered (补偿, with its amount), a note, and the outcome.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use serde::Serialize;
use zhanggui_storage::{ReviewAction, ReviewRecord, ScriptRecord};

use crate::reviews::{read, Dimension, Polarity, Reading};
use crate::search::{Doc, Index};

/// Kinds of follow-up action.
pub const ACTIONS: &[&str] = &["contact", "compensation", "note"];
/// Outcomes that end a follow-up.
pub const OUTCOMES: &[&str] = &["changed", "replied", "closed"];

/// Where a review's follow-up stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    pub first_contact: Option<NaiveDateTime>,
    pub contacts: usize,
    /// Compensation offered, in minor units (in JSON: `compensation`, a decimal in the
    /// shop's currency).
    #[serde(
        rename = "compensation",
        serialize_with = "zhanggui_domain::money_json::minor"
    )]
    pub compensation_minor: i64,
    /// changed, replied or closed; `changed` also when a later import shows a better rating.
    pub outcome: Option<String>,
    pub outcome_at: Option<NaiveDateTime>,
}

/// A review with what the monitor makes of it.
#[derive(Debug, Clone, Serialize)]
pub struct Reviewed {
    #[serde(flatten)]
    pub review: ReviewRecord,
    pub reading: Reading,
    /// Bad or medium and not yet dealt with.
    pub alert: bool,
    pub follow_up: FollowUp,
    /// Reply scripts that fit, best first: (script id, title).
    pub suggested: Vec<SuggestedScript>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestedScript {
    pub id: i64,
    pub title: String,
    pub category: String,
}

/// Whether a rating needs following up.
pub fn needs_follow_up(rating: &str) -> bool {
    matches!(rating, "bad" | "medium")
}

/// The follow-up state of each review, from its actions (oldest first) and its ratings.
pub fn follow_up_of(review: &ReviewRecord, actions: &[&ReviewAction]) -> FollowUp {
    let mut f = FollowUp::default();
    for a in actions {
        match a.kind.as_str() {
            "contact" => {
                f.contacts += 1;
                f.first_contact = Some(f.first_contact.map_or(a.at, |t| t.min(a.at)));
            }
            "compensation" => f.compensation_minor += a.amount_minor.unwrap_or(0),
            k if OUTCOMES.contains(&k) && f.outcome.is_none() => {
                f.outcome = Some(k.to_owned());
                f.outcome_at = Some(a.at);
            }
            _ => {}
        }
    }
    if f.outcome.is_none() && rating_rank(&review.rating) > rating_rank(&review.first_rating) {
        f.outcome = Some("changed".into());
    }
    f
}

fn rating_rank(r: &str) -> i32 {
    match r {
        "bad" => 0,
        "medium" => 1,
        _ => 2,
    }
}

/// Picks reply scripts for reviews: the library's review scripts (category 评价) when it
/// has them, else all the scripts given, searched with what the review complains about.
pub struct Suggester {
    index: Index,
    scripts: HashMap<i64, ScriptRecord>,
}

impl Suggester {
    /// Builds over the scripts an agent may read.
    pub fn new(scripts: &[ScriptRecord]) -> Suggester {
        let review_scripts: Vec<&ScriptRecord> =
            scripts.iter().filter(|s| s.category == "评价").collect();
        let chosen: Vec<&ScriptRecord> = if review_scripts.is_empty() {
            scripts.iter().collect()
        } else {
            review_scripts
        };
        let docs: Vec<Doc> = chosen.iter().map(|s| Doc::of(s)).collect();
        Suggester {
            index: Index::build(&docs),
            scripts: chosen
                .into_iter()
                .filter_map(|s| s.id.map(|id| (id, s.clone())))
                .collect(),
        }
    }

    /// Up to `k` scripts for a review read as `reading` with this rating.
    pub fn suggest(&self, rating: &str, reading: &Reading, k: usize) -> Vec<SuggestedScript> {
        let query = query_for(rating, reading);
        self.index
            .search(&query, k, &|_| 0)
            .into_iter()
            .filter_map(|h| self.scripts.get(&(h.id as i64)))
            .map(|s| SuggestedScript {
                id: s.id.unwrap_or_default(),
                title: s.title.clone(),
                category: s.category.clone(),
            })
            .collect()
    }
}

/// The search a review's reply starts from: its rating word, the dimensions it blames and
/// the topics it names.
pub fn query_for(rating: &str, reading: &Reading) -> String {
    let mut words: Vec<&str> = vec![match rating {
        "bad" | "medium" => "差评",
        _ => "好评",
    }];
    for (d, word) in [
        (Dimension::Goods, "质量"),
        (Dimension::Service, "服务"),
        (Dimension::Logistics, "物流"),
    ] {
        if reading.of(d) == Some(Polarity::Negative) {
            words.push(word);
        }
    }
    words.extend(reading.topics.iter().copied());
    words.dedup();
    words.join(" ")
}

/// Reads every review, attaches its follow-up and, for those that need one, the reply
/// scripts that fit (`k` of them).
pub fn review_all(
    reviews: Vec<ReviewRecord>,
    actions: &[ReviewAction],
    suggester: Option<&Suggester>,
    k: usize,
) -> Vec<Reviewed> {
    let read_ones = reviews.into_iter().map(|r| {
        let reading = read(&r.body);
        (r, reading)
    });
    assemble(read_ones, actions, suggester, k)
}

/// The same for reviews already read (a server keeps the readings between requests: they
/// depend on the text only).
pub fn assemble(
    reviews: impl IntoIterator<Item = (ReviewRecord, Reading)>,
    actions: &[ReviewAction],
    suggester: Option<&Suggester>,
    k: usize,
) -> Vec<Reviewed> {
    let mut by_review: HashMap<&str, Vec<&ReviewAction>> = HashMap::new();
    for a in actions {
        by_review.entry(a.review_id.as_str()).or_default().push(a);
    }
    reviews
        .into_iter()
        .map(|(review, reading)| {
            let follow_up = follow_up_of(
                &review,
                by_review
                    .get(review.review_id.as_str())
                    .map_or(&[][..], |v| v.as_slice()),
            );
            let alert = needs_follow_up(&review.rating) && follow_up.outcome.is_none();
            let suggested = match suggester {
                Some(s) if needs_follow_up(&review.first_rating) => {
                    s.suggest(&review.rating, &reading, k)
                }
                _ => Vec::new(),
            };
            Reviewed {
                review,
                reading,
                alert,
                follow_up,
                suggested,
            }
        })
        .collect()
}

/// The monitor's figures over the reviews given (usually those of a period).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    pub reviews: usize,
    /// Reviews first rated bad / medium.
    pub bad: usize,
    pub medium: usize,
    /// bad / reviews; `None` without reviews.
    pub bad_rate: Option<f64>,
    pub medium_rate: Option<f64>,
    /// Bad and medium reviews whose buyer was contacted, and the hours from the review to
    /// the first contact (median, and the share within 24 hours).
    pub contacted: usize,
    pub median_hours_to_contact: Option<f64>,
    pub contacted_within_24h: Option<f64>,
    /// Bad reviews changed (to medium or good, or recorded as changed) over bad reviews.
    pub bad_changed: usize,
    pub bad_changed_share: Option<f64>,
    /// Alerts still open.
    pub open_alerts: usize,
    /// Compensation offered, minor units (in JSON: `compensation`, a decimal in the shop's
    /// currency).
    #[serde(
        rename = "compensation",
        serialize_with = "zhanggui_domain::money_json::minor"
    )]
    pub compensation_minor: i64,
    /// Negative mentions per DSR dimension among bad and medium reviews.
    pub goods_complaints: usize,
    pub service_complaints: usize,
    pub logistics_complaints: usize,
}

/// The figures of a set of reviewed reviews.
pub fn metrics(reviewed: &[&Reviewed]) -> Metrics {
    let mut m = Metrics {
        reviews: reviewed.len(),
        ..Metrics::default()
    };
    let mut hours = Vec::new();
    for r in reviewed {
        let first = r.review.first_rating.as_str();
        if first == "bad" {
            m.bad += 1;
            if r.follow_up.outcome.as_deref() == Some("changed") {
                m.bad_changed += 1;
            }
        } else if first == "medium" {
            m.medium += 1;
        }
        if r.alert {
            m.open_alerts += 1;
        }
        m.compensation_minor += r.follow_up.compensation_minor;
        if needs_follow_up(first) {
            if let Some(t) = r.follow_up.first_contact {
                m.contacted += 1;
                hours.push(((t - r.review.reviewed_at).num_seconds() as f64 / 3600.0).max(0.0));
            }
            let neg = |d| r.reading.of(d) == Some(Polarity::Negative);
            m.goods_complaints += usize::from(neg(Dimension::Goods));
            m.service_complaints += usize::from(neg(Dimension::Service));
            m.logistics_complaints += usize::from(neg(Dimension::Logistics));
        }
    }
    let share = |n: usize, of: usize| (of > 0).then(|| n as f64 / of as f64);
    m.bad_rate = share(m.bad, m.reviews);
    m.medium_rate = share(m.medium, m.reviews);
    m.bad_changed_share = share(m.bad_changed, m.bad);
    hours.sort_by(f64::total_cmp);
    m.median_hours_to_contact = median(&hours);
    m.contacted_within_24h = share(hours.iter().filter(|h| **h <= 24.0).count(), hours.len());
    m
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn review(id: &str, rating: &str, first: &str, body: &str, when: &str) -> ReviewRecord {
        ReviewRecord {
            review_id: id.into(),
            order_no: None,
            product: None,
            buyer: None,
            rating: rating.into(),
            first_rating: first.into(),
            stars: None,
            body: body.into(),
            reviewed_at: at(when),
            shop_reply: None,
        }
    }

    fn action(id: &str, kind: &str, when: &str, amount: Option<i64>) -> ReviewAction {
        ReviewAction {
            review_id: id.into(),
            kind: kind.into(),
            at: at(when),
            by: Some("kefu".into()),
            amount_minor: amount,
            note: None,
        }
    }

    #[test]
    fn alerts_follow_ups_and_metrics() {
        let reviews = vec![
            review("a", "bad", "bad", "质量太差了", "2025-11-01 10:00"),
            review("b", "good", "bad", "快递太慢了", "2025-11-02 10:00"),
            review(
                "c",
                "medium",
                "medium",
                "衣服还行，客服态度一般",
                "2025-11-03 10:00",
            ),
            review("d", "good", "good", "很好", "2025-11-04 10:00"),
            review("e", "bad", "bad", "发错货了", "2025-11-05 10:00"),
        ];
        let actions = vec![
            action("a", "contact", "2025-11-01 16:00", None),
            action("a", "compensation", "2025-11-01 16:05", Some(2000)),
            action("c", "contact", "2025-11-05 10:00", None),
            action("c", "replied", "2025-11-05 11:00", None),
        ];
        let all = review_all(reviews, &actions, None, 3);
        let alerts: Vec<&str> = all
            .iter()
            .filter(|r| r.alert)
            .map(|r| r.review.review_id.as_str())
            .collect();
        // b was changed to good by the buyer, c ended with a public reply.
        assert_eq!(alerts, ["a", "e"]);
        let b = all.iter().find(|r| r.review.review_id == "b").unwrap();
        assert_eq!(b.follow_up.outcome.as_deref(), Some("changed"));
        let refs: Vec<&Reviewed> = all.iter().collect();
        let m = metrics(&refs);
        assert_eq!((m.reviews, m.bad, m.medium), (5, 3, 1));
        assert_eq!(m.bad_rate, Some(0.6));
        assert_eq!(m.bad_changed, 1);
        assert_eq!(m.contacted, 2);
        // 6 hours and 48 hours: the median is their mean; one of the two within 24 hours.
        assert_eq!(m.median_hours_to_contact, Some(27.0));
        assert_eq!(m.contacted_within_24h, Some(0.5));
        assert_eq!(m.compensation_minor, 2000);
        assert_eq!(m.open_alerts, 2);
        assert_eq!(m.logistics_complaints, 1);
    }
}
