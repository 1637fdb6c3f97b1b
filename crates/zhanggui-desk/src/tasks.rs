//! Order follow-ups (跟单) as tasks: orders paid but not shipped after N hours (24 and 48 by
//! default), shipped orders whose tracking has not moved for N hours (48 by default; only
//! for orders with imported logistics events), orders created but not paid inside the
//! reminder window (催付), and buyer messages with special requests (urgent, gift, invoice,
//! courier, delivery), each with what the agent should send. Tasks are derived from the
//! orders each time; only who owns a task and whether it is done are stored.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

/// An order as the rules read it (times in UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderState {
    pub order_no: String,
    pub created_at: Option<NaiveDateTime>,
    pub paid_at: Option<NaiveDateTime>,
    /// Shipped by the moment looked from.
    pub shipped: bool,
    /// Closed or fully refunded: nothing to follow up.
    pub closed: bool,
    pub buyer_message: Option<String>,
    /// The latest logistics event and whether the parcel was signed for, when events are
    /// imported for the order.
    pub tracking: Option<(NaiveDateTime, bool)>,
}

/// What kind of follow-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Paid and not shipped after the first limit (24 h by default).
    Unshipped,
    /// Paid and not shipped after the second limit (48 h): the promise is at risk.
    UnshippedLate,
    /// Shipped, not delivered, and the tracking has not moved for the limit.
    TrackingStalled,
    /// Created and not paid, inside the reminder window.
    Unpaid,
    /// The buyer asked for something in the order's message.
    Request,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unshipped => "unshipped",
            Kind::UnshippedLate => "unshipped_late",
            Kind::TrackingStalled => "tracking_stalled",
            Kind::Unpaid => "unpaid",
            Kind::Request => "request",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Unshipped,
            Kind::UnshippedLate,
            Kind::TrackingStalled,
            Kind::Unpaid,
            Kind::Request,
        ]
        .into_iter()
        .find(|k| k.as_str() == s)
    }

    /// The shortcut of the starter library's script to send (催发货回复, 大促发货延迟, 催付提醒;
    /// requests are answered case by case).
    pub fn script_shortcut(self) -> Option<&'static str> {
        match self {
            Kind::Unshipped => Some("cfh"),
            Kind::UnshippedLate => Some("dcyc"),
            Kind::TrackingStalled => Some("wltz"),
            Kind::Unpaid => Some("cf"),
            Kind::Request => None,
        }
    }
}

/// The limits the rules use.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub unshipped_hours: i64,
    pub unshipped_late_hours: i64,
    /// Tracking not updated for this many hours.
    pub tracking_stalled_hours: i64,
    /// A reminder goes out after this many minutes unpaid ...
    pub unpaid_after_minutes: i64,
    /// ... and not after this many hours (the platform closes the order).
    pub unpaid_window_hours: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            unshipped_hours: 24,
            unshipped_late_hours: 48,
            tracking_stalled_hours: 48,
            unpaid_after_minutes: 30,
            unpaid_window_hours: 24,
        }
    }
}

/// A follow-up task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub kind: Kind,
    pub order_no: String,
    /// When it should be done by.
    pub due: NaiveDateTime,
    /// What the buyer asked, for requests: urgent, gift, invoice, courier, delivery, other.
    pub request: Option<&'static str>,
    /// What is late, in English (the buyer's message for requests).
    pub detail: String,
    /// How long it has waited, in minutes (since payment, the last tracking event or the
    /// order; 0 for requests).
    pub waited_minutes: i64,
}

impl Task {
    /// What is late, in Chinese (the buyer's message for requests).
    pub fn detail_zh(&self) -> String {
        detail_zh(self.kind, self.waited_minutes, &self.detail)
    }
}

/// What a task is about in Chinese, from its kind and how long it waited.
pub fn detail_zh(kind: Kind, waited_minutes: i64, detail: &str) -> String {
    let hours = waited_minutes / 60;
    match kind {
        Kind::Unshipped | Kind::UnshippedLate => format!("已付款{hours}小时未发货"),
        Kind::TrackingStalled => format!("物流{hours}小时没有更新"),
        Kind::Unpaid => format!("下单{waited_minutes}分钟未付款"),
        Kind::Request => detail.to_owned(),
    }
}

/// Special requests recognised in buyer messages: (words, request).
const REQUESTS: &[(&[&str], &str)] = &[
    (&["尽快", "加急", "急用", "急", "快点"], "urgent"),
    (&["送人", "礼物", "包装", "贺卡", "生日"], "gift"),
    (&["发票", "开票", "抬头"], "invoice"),
    (
        &["顺丰", "中通", "圆通", "韵达", "申通", "邮政", "京东快递"],
        "courier",
    ),
    (
        &["快递柜", "驿站", "放门口", "不在家", "送货上门", "周末"],
        "delivery",
    ),
];

/// The request a buyer message makes.
pub fn request_of(message: &str) -> &'static str {
    REQUESTS
        .iter()
        .find(|(words, _)| words.iter().any(|w| message.contains(w)))
        .map_or("other", |(_, r)| r)
}

/// The tasks open at `now`.
pub fn tasks(orders: &[OrderState], now: NaiveDateTime, limits: &Limits) -> Vec<Task> {
    let mut out = Vec::new();
    for o in orders.iter().filter(|o| !o.closed) {
        match (o.paid_at, o.shipped) {
            (Some(paid), false) => {
                let waited = now - paid;
                if waited >= Duration::hours(limits.unshipped_late_hours) {
                    out.push(Task {
                        kind: Kind::UnshippedLate,
                        order_no: o.order_no.clone(),
                        due: paid + Duration::hours(limits.unshipped_late_hours),
                        request: None,
                        detail: format!("paid {} hours ago, not shipped", waited.num_hours()),
                        waited_minutes: waited.num_minutes(),
                    });
                } else if waited >= Duration::hours(limits.unshipped_hours) {
                    out.push(Task {
                        kind: Kind::Unshipped,
                        order_no: o.order_no.clone(),
                        due: paid + Duration::hours(limits.unshipped_late_hours),
                        request: None,
                        detail: format!("paid {} hours ago, not shipped", waited.num_hours()),
                        waited_minutes: waited.num_minutes(),
                    });
                }
            }
            (Some(_), true) => {
                if let Some((last, false)) = o.tracking {
                    let waited = now - last;
                    if waited >= Duration::hours(limits.tracking_stalled_hours) {
                        out.push(Task {
                            kind: Kind::TrackingStalled,
                            order_no: o.order_no.clone(),
                            due: last + Duration::hours(limits.tracking_stalled_hours),
                            request: None,
                            detail: format!(
                                "tracking not updated for {} hours",
                                waited.num_hours()
                            ),
                            waited_minutes: waited.num_minutes(),
                        });
                    }
                }
            }
            (None, _) => {
                if let Some(created) = o.created_at {
                    let waited = now - created;
                    if waited >= Duration::minutes(limits.unpaid_after_minutes)
                        && waited < Duration::hours(limits.unpaid_window_hours)
                    {
                        out.push(Task {
                            kind: Kind::Unpaid,
                            order_no: o.order_no.clone(),
                            due: created + Duration::hours(limits.unpaid_window_hours),
                            request: None,
                            detail: format!(
                                "created {} minutes ago, not paid",
                                waited.num_minutes()
                            ),
                            waited_minutes: waited.num_minutes(),
                        });
                    }
                }
            }
        }
        // A message on an order not yet shipped asks for something before it goes out.
        if let Some(m) = o
            .buyer_message
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
        {
            if !o.shipped {
                out.push(Task {
                    kind: Kind::Request,
                    order_no: o.order_no.clone(),
                    due: o.paid_at.or(o.created_at).unwrap_or(now)
                        + Duration::hours(limits.unshipped_hours),
                    request: Some(request_of(m)),
                    detail: m.to_owned(),
                    waited_minutes: 0,
                });
            }
        }
    }
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.order_no.cmp(&b.order_no)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_rules_find_what_needs_following_up() {
        let now = at("2025-11-30 12:00");
        let order =
            |no: &str, created: &str, paid: Option<&str>, shipped: Option<&str>| OrderState {
                order_no: no.into(),
                created_at: Some(at(created)),
                paid_at: paid.map(at),
                shipped: shipped.is_some(),
                closed: false,
                buyer_message: None,
                tracking: None,
            };
        let orders = vec![
            order("late", "2025-11-27 09:00", Some("2025-11-27 09:05"), None),
            order("day", "2025-11-29 08:00", Some("2025-11-29 08:01"), None),
            order("fresh", "2025-11-30 09:00", Some("2025-11-30 09:01"), None),
            order(
                "shipped",
                "2025-11-27 09:00",
                Some("2025-11-27 09:05"),
                Some("2025-11-27 18:00"),
            ),
            order("unpaid", "2025-11-30 10:00", None, None),
            order("just-now", "2025-11-30 11:50", None, None),
            order("stale", "2025-11-28 10:00", None, None),
            OrderState {
                buyer_message: Some("送人的，请包装好".into()),
                ..order("gift", "2025-11-30 11:00", Some("2025-11-30 11:01"), None)
            },
            OrderState {
                closed: true,
                ..order("closed", "2025-11-27 09:00", Some("2025-11-27 09:05"), None)
            },
            OrderState {
                tracking: Some((at("2025-11-27 20:00"), false)),
                ..order(
                    "stalled",
                    "2025-11-26 09:00",
                    Some("2025-11-26 09:05"),
                    Some("2025-11-26 18:00"),
                )
            },
            OrderState {
                tracking: Some((at("2025-11-27 20:00"), true)),
                ..order(
                    "delivered",
                    "2025-11-26 09:00",
                    Some("2025-11-26 09:05"),
                    Some("2025-11-26 18:00"),
                )
            },
            OrderState {
                tracking: Some((at("2025-11-29 20:00"), false)),
                ..order(
                    "moving",
                    "2025-11-26 09:00",
                    Some("2025-11-26 09:05"),
                    Some("2025-11-26 18:00"),
                )
            },
        ];
        let t = tasks(&orders, now, &Limits::default());
        let kinds: Vec<(&str, Kind)> = t.iter().map(|t| (t.order_no.as_str(), t.kind)).collect();
        assert!(kinds.contains(&("late", Kind::UnshippedLate)));
        assert!(kinds.contains(&("day", Kind::Unshipped)));
        assert!(kinds.contains(&("unpaid", Kind::Unpaid)));
        assert!(kinds.contains(&("gift", Kind::Request)));
        assert!(kinds.contains(&("stalled", Kind::TrackingStalled)));
        for quiet in [
            "fresh",
            "shipped",
            "just-now",
            "stale",
            "closed",
            "delivered",
            "moving",
        ] {
            assert!(
                !kinds.iter().any(|(o, _)| *o == quiet),
                "{quiet}: {kinds:?}"
            );
        }
        let gift = t.iter().find(|t| t.order_no == "gift").unwrap();
        assert_eq!(gift.request, Some("gift"));
        let late = t.iter().find(|t| t.order_no == "late").unwrap();
        assert_eq!(late.detail_zh(), "已付款74小时未发货");
        assert_eq!(gift.detail_zh(), "送人的，请包装好");
        assert_eq!(request_of("请尽快发货"), "urgent");
        assert_eq!(request_of("不要放发票"), "invoice");
        assert_eq!(request_of("周末不在家，请放快递柜"), "delivery");
        assert_eq!(request_of("谢谢"), "other");
    }
}
