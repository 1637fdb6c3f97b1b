//! The open follow-up tasks of a shop as agents see them: the rules of `tasks` applied to
//! the shop's recent orders and their tracking, with each task's owner and done state, and
//! the message to send (the library's public script for the task's kind, filled for the
//! order). The command line and the cockpit both list tasks through here.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime, TimeZone};
use serde::Serialize;
use zhanggui_domain::Shop;
use zhanggui_storage::{ReviewStore, ScriptStore, StoreError};

use crate::tasks::{tasks, Kind, Limits, OrderState};
use crate::variables::values_for;
use crate::Template;

/// Orders older than this are not looked at.
pub const LOOK_BACK_DAYS: i64 = 15;

/// A task with who follows it up and what to send.
#[derive(Debug, Clone, Serialize)]
pub struct OpenTask {
    pub kind: Kind,
    pub order_no: String,
    /// Due, shop-local.
    pub due: NaiveDateTime,
    pub request: Option<&'static str>,
    /// What is late, in English (the buyer's message for requests).
    pub detail: String,
    /// The same in Chinese.
    pub detail_zh: String,
    pub owner: Option<String>,
    pub done: bool,
    /// The message to send, filled for the order; a note in parentheses when the library
    /// has no script for the kind or a variable has no value.
    pub message: Option<String>,
}

/// The moment "now" for the rules: `at` (shop-local) or the shop's last order, as UTC.
pub fn now_utc(
    shop: &Shop,
    at: Option<NaiveDateTime>,
    last_order: Option<NaiveDateTime>,
) -> Option<NaiveDateTime> {
    let local = at.or(last_order)?;
    Some(
        shop.timezone
            .from_local_datetime(&local)
            .earliest()
            .map_or(local, |t| t.naive_utc()),
    )
}

/// A UTC time in the shop's time zone.
pub fn shop_local(shop: &Shop, t: NaiveDateTime) -> NaiveDateTime {
    chrono::Utc
        .from_utc_datetime(&t)
        .with_timezone(&shop.timezone)
        .naive_local()
}

/// The shop's tasks at `now` (UTC); done ones only with `all`.
pub fn open_tasks<S: ScriptStore + ReviewStore>(
    store: &S,
    shop: &Shop,
    now: NaiveDateTime,
    limits: &Limits,
    all: bool,
) -> Result<Vec<OpenTask>, StoreError> {
    let tracking: BTreeMap<String, (NaiveDateTime, bool)> = store
        .last_tracking(shop)?
        .into_iter()
        .filter(|t| t.at <= now)
        .map(|t| (t.order_no, (t.at, t.delivered)))
        .collect();
    let orders: Vec<OrderState> = store
        .follow_up_orders(shop, now - Duration::days(LOOK_BACK_DAYS))?
        .into_iter()
        // Orders after the moment looked from are not known yet.
        .filter(|o| o.created_at.or(o.paid_at).is_none_or(|t| t <= now))
        .map(|o| OrderState {
            tracking: tracking.get(&o.order_no).copied(),
            order_no: o.order_no,
            created_at: o.created_at,
            paid_at: o.paid_at.filter(|t| *t <= now),
            shipped: o.shipped_at.is_some_and(|t| t <= now)
                || (o.shipped_at.is_none() && o.shipped_by_state),
            closed: o.closed,
            buyer_message: o.buyer_message,
        })
        .collect();
    let states: BTreeMap<(String, String), (Option<String>, bool)> = store
        .task_states(shop)?
        .into_iter()
        .map(|s| ((s.kind, s.order_no), (s.owner, s.done)))
        .collect();
    let library = store.scripts(shop, false)?;
    let found = tasks(&orders, now, limits);
    // The orders the messages are filled for, read at once.
    let wanted: Vec<String> = found
        .iter()
        .filter(|t| t.kind.script_shortcut().is_some())
        .map(|t| t.order_no.clone())
        .collect();
    let for_script: BTreeMap<String, zhanggui_storage::OrderForScript> = store
        .orders_for_script(shop, &wanted)?
        .into_iter()
        .map(|o| (o.order_no.clone(), o))
        .collect();
    let mut out = Vec::new();
    for t in found {
        let (owner, done) = states
            .get(&(t.kind.as_str().to_owned(), t.order_no.clone()))
            .cloned()
            .unwrap_or((None, false));
        if done && !all {
            continue;
        }
        let message = match t.kind.script_shortcut() {
            None => None,
            Some(shortcut) => Some(
                match library
                    .iter()
                    .find(|s| s.shortcut.as_deref() == Some(shortcut) && s.scope == "public")
                {
                    None => format!("(no public script with the shortcut {shortcut})"),
                    Some(script) => {
                        let order = for_script.get(&t.order_no).cloned();
                        match fill(&script.body, shop, order) {
                            Ok(text) => text,
                            Err(e) => format!("({}: {e})", script.title),
                        }
                    }
                },
            ),
        };
        out.push(OpenTask {
            detail_zh: t.detail_zh(),
            kind: t.kind,
            due: shop_local(shop, t.due),
            order_no: t.order_no,
            request: t.request,
            detail: t.detail,
            owner,
            done,
            message,
        });
    }
    Ok(out)
}

/// A script's text filled for a shop and order; the error names what is missing.
pub fn fill(
    body: &str,
    shop: &Shop,
    order: Option<zhanggui_storage::OrderForScript>,
) -> Result<String, String> {
    let template = Template::parse(body).map_err(|e| e.to_string())?;
    template
        .fill(&values_for(shop.name.as_str(), order))
        .map_err(|e| e.to_string())
}
