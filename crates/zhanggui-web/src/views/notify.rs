//! Notification rules and sending from the cockpit: the same rules, alerts and delivery
//! log as `zhanggui notify`. Sending happens off the database: the alerts and what is
//! pending are read first, the robots and mail servers are called, then the attempts are
//! written to the log.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use zhanggui_desk::alerts::{alerts, DEFAULT_KINDS, KINDS};
use zhanggui_desk::followups::now_utc;
use zhanggui_domain::Shop;
use zhanggui_notify::dispatch::{outcome, pending, send_all, Alert};
use zhanggui_notify::{Channel, Message, Policy};
use zhanggui_storage::{Delivery, NotifyRule, NotifyStore, Store};

use crate::error::AppError;
use crate::state::AppState;

/// A rule as the API takes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct RuleInput {
    pub name: String,
    /// dingtalk, wecom, feishu or email
    pub channel: String,
    /// The webhook address, or the mail recipients separated by commas
    pub to: String,
    /// The robot's signing secret, or for email the SMTP server (smtp://user:password@host:port)
    pub secret: Option<String>,
    /// The From address of email
    pub from: Option<String>,
    /// Alert kinds [default: bad_review, medium_review, unshipped_late, tracking_stalled]
    #[serde(default)]
    pub events: Vec<String>,
}

/// Checks a rule as `zhanggui notify add` does.
pub fn rule_of(input: RuleInput) -> Result<NotifyRule, AppError> {
    let bad = |m: String| AppError::BadRequest(m);
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(bad("a rule's name has 1 to 60 characters".into()));
    }
    let ch = Channel::parse(&input.channel).ok_or_else(|| {
        bad(format!(
            "channel: `{}` is not dingtalk, wecom, feishu or email",
            input.channel
        ))
    })?;
    for e in &input.events {
        if !KINDS.iter().any(|(k, _)| k == e) {
            return Err(bad(format!("events: `{e}` is not an alert kind")));
        }
    }
    match ch {
        Channel::Email => {
            let server = input
                .secret
                .as_deref()
                .ok_or_else(|| bad("email needs the SMTP server as its secret".into()))?;
            zhanggui_notify::smtp::Server::parse(server).map_err(|e| bad(e.to_string()))?;
            if input.from.is_none() || !input.to.contains('@') {
                return Err(bad(
                    "email needs a sender (from) and mail addresses (to)".into()
                ));
            }
        }
        _ => {
            if !(input.to.starts_with("https://") || input.to.starts_with("http://")) {
                return Err(bad(format!("to: `{}` is not a webhook address", input.to)));
            }
        }
    }
    Ok(NotifyRule {
        name,
        channel: ch.as_str().to_owned(),
        target: input.to,
        secret: input.secret,
        sender: input.from,
        events: if input.events.is_empty() {
            DEFAULT_KINDS.iter().map(|k| (*k).to_owned()).collect()
        } else {
            input.events
        },
        enabled: true,
    })
}

pub async fn rules(state: &AppState, shop: &Shop) -> Result<Vec<NotifyRule>, AppError> {
    let s = shop.clone();
    state.db.read(move |store| Ok(store.rules(&s)?)).await
}

pub async fn save_rule(state: &AppState, shop: &Shop, rule: NotifyRule) -> Result<(), AppError> {
    let s = shop.clone();
    state
        .db
        .read(move |store| Ok(store.save_rule(&s, &rule)?))
        .await
}

pub async fn delete_rule(state: &AppState, shop: &Shop, name: &str) -> Result<(), AppError> {
    let (s, n) = (shop.clone(), name.to_owned());
    state
        .db
        .read(move |store| {
            if store.delete_rule(&s, &n)? {
                Ok(())
            } else {
                Err(AppError::NotFound(format!("no rule {n} in {}", s.name)))
            }
        })
        .await
}

pub async fn log(state: &AppState, shop: &Shop) -> Result<Vec<Delivery>, AppError> {
    let s = shop.clone();
    state.db.read(move |store| Ok(store.deliveries(&s)?)).await
}

/// How a run went.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RunOutcome {
    pub alerts: usize,
    pub sent: usize,
    pub failed: usize,
}

/// Sends every alert not yet delivered by each rule (at the shop's last order, or now).
pub async fn run(state: &AppState, shop: &Shop) -> Result<RunOutcome, AppError> {
    let s = shop.clone();
    let (todo, count) = state
        .db
        .read(move |store| {
            let now = now_utc(&s, None, store.data_span(&s)?.last_order)
                .unwrap_or_else(|| Utc::now().naive_utc());
            let current: Vec<Alert> = alerts(store, &s, now)?
                .into_iter()
                .map(|a| Alert {
                    kind: a.kind,
                    message: Message {
                        key: a.key,
                        title: a.title,
                        text: a.text,
                    },
                })
                .collect();
            let todo = pending(&store.rules(&s)?, &current, &store.deliveries(&s)?);
            Ok((todo, current.len()))
        })
        .await?;
    let attempts = tokio::task::spawn_blocking(move || send_all(&todo, &Policy::default())).await?;
    let (sent, failed) = outcome(&attempts);
    let s = shop.clone();
    state
        .db
        .read(move |store| {
            for d in &attempts {
                store.log_delivery(&s, d)?;
            }
            Ok(())
        })
        .await?;
    Ok(RunOutcome {
        alerts: count,
        sent,
        failed,
    })
}

/// Sends the shops' pending alerts every `period` while the server runs (the command line
/// cannot while the server owns the database), logging what went out.
pub async fn every(state: AppState, period: std::time::Duration) {
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let shops = match state.shops().await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!("notifications: cannot read the shops: {e}");
                continue;
            }
        };
        for shop in shops.iter() {
            match rules(&state, shop).await {
                Ok(r) if r.iter().any(|x| x.enabled) => {}
                Ok(_) => continue,
                Err(e) => {
                    tracing::warn!("notifications of {}: {e}", shop.name);
                    continue;
                }
            }
            match run(&state, shop).await {
                Ok(o) if o.sent + o.failed > 0 => tracing::info!(
                    "notifications of {}: {} sent, {} failed (see the delivery log)",
                    shop.name,
                    o.sent,
                    o.failed
                ),
                Ok(_) => {}
                Err(e) => tracing::warn!("notifications of {}: {e}", shop.name),
            }
        }
    }
}
