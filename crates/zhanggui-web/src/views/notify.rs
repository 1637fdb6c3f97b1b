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
use zhanggui_notify::rules::RuleSpec;
use zhanggui_notify::{Message, Policy};
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
    let known: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
    zhanggui_notify::rules::rule_of(
        RuleSpec {
            name: &input.name,
            channel: &input.channel,
            to: &input.to,
            secret: input.secret.as_deref(),
            from: input.from.as_deref(),
            events: &input.events,
        },
        &known,
        DEFAULT_KINDS,
    )
    .map_err(AppError::BadRequest)
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
