//! What the desk has to tell someone now, as alerts for the notification rules: bad and
//! medium reviews still open (of the last week), and the follow-up tasks (late shipments,
//! stalled tracking, unshipped, unpaid, buyer requests). Each has a key the delivery log
//! remembers it by, so an alert goes out once per rule.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{ReviewStore, ScriptStore, StoreError};

use crate::followups::{open_tasks, shop_local};
use crate::monitor::review_all;
use crate::reviews::{Dimension, Polarity};
use crate::tasks::Limits;

/// Alert kinds, with what they mean.
pub const KINDS: &[(&str, &str)] = &[
    ("bad_review", "差评 (bad review) not dealt with"),
    ("medium_review", "中评 (medium review) not dealt with"),
    ("unshipped_late", "paid and not shipped after 48 hours"),
    ("tracking_stalled", "tracking not updated for 48 hours"),
    ("unshipped", "paid and not shipped after 24 hours"),
    ("unpaid", "created and not paid (催付)"),
    ("request", "a buyer message asks for something"),
];

/// The kinds a rule sends when it names none.
pub const DEFAULT_KINDS: &[&str] = &[
    "bad_review",
    "medium_review",
    "unshipped_late",
    "tracking_stalled",
];

/// Reviews older than this (before now) raise no alert any more.
pub const REVIEW_ALERT_DAYS: i64 = 7;

/// An alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    pub kind: String,
    /// `kind:subject`, e.g. `bad_review:R12` or `unshipped_late:2139...`.
    pub key: String,
    pub title: String,
    pub text: String,
}

/// The shop's alerts at `now` (UTC).
pub fn alerts<S: ScriptStore + ReviewStore>(
    store: &S,
    shop: &Shop,
    now: NaiveDateTime,
) -> Result<Vec<Alert>, StoreError> {
    let mut out = Vec::new();
    let since = now - Duration::days(REVIEW_ALERT_DAYS);
    let reviews = store
        .reviews(shop)?
        .into_iter()
        .filter(|r| r.reviewed_at > since && r.reviewed_at <= now)
        .collect();
    for r in review_all(reviews, &store.review_actions(shop)?, None, 0) {
        if !r.alert {
            continue;
        }
        let kind = format!("{}_review", r.review.rating);
        let word = if r.review.rating == "bad" {
            "差评"
        } else {
            "中评"
        };
        let blamed: Vec<&str> = [
            (Dimension::Goods, "商品"),
            (Dimension::Service, "服务"),
            (Dimension::Logistics, "物流"),
        ]
        .iter()
        .filter(|(d, _)| r.reading.of(*d) == Some(Polarity::Negative))
        .map(|(_, w)| *w)
        .collect();
        out.push(Alert {
            key: format!("{kind}:{}", r.review.review_id),
            kind,
            title: format!("【掌柜】{word}提醒 · {}", shop.name),
            text: format!(
                "{} {word} 订单 {}\n宝贝：{}\n买家：{}\n“{}”\n不满意：{}\n请在24小时内联系买家：zhanggui review show {}",
                shop_local(shop, r.review.reviewed_at).format("%Y-%m-%d %H:%M"),
                r.review.order_no.as_deref().unwrap_or("-"),
                r.review.product.as_deref().unwrap_or("-"),
                r.review.buyer.as_deref().unwrap_or("-"),
                r.review.body,
                if blamed.is_empty() { "未说明".to_owned() } else { blamed.join("、") },
                r.review.review_id
            ),
        });
    }
    for t in open_tasks(store, shop, now, &Limits::default(), false)? {
        let kind = t.kind.as_str();
        let what = match kind {
            "unshipped_late" => "超时未发货",
            "tracking_stalled" => "物流停滞",
            "unshipped" => "未发货",
            "unpaid" => "催付",
            _ => "买家留言",
        };
        out.push(Alert {
            kind: kind.to_owned(),
            key: format!("{kind}:{}", t.order_no),
            title: format!("【掌柜】{what} · {}", shop.name),
            text: format!(
                "订单 {}：{}\n截止 {}{}{}",
                t.order_no,
                t.detail_zh,
                t.due.format("%Y-%m-%d %H:%M"),
                t.owner
                    .map(|o| format!("\n负责人：{o}"))
                    .unwrap_or_default(),
                t.message
                    .map(|m| format!("\n建议话术：{m}"))
                    .unwrap_or_default()
            ),
        });
    }
    Ok(out)
}
