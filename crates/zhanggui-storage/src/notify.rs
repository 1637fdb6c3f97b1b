//! Notification rules and the delivery log, as stored.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::StoreError;
use zhanggui_domain::Shop;

/// A rule: which alerts go where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotifyRule {
    pub name: String,
    /// dingtalk, wecom, feishu or email.
    pub channel: String,
    /// The webhook address, or the mail recipients separated by commas.
    pub target: String,
    /// The robot's signing secret (加签), when it has one, or for email the SMTP server
    /// (`smtp://user:password@host:port`); never shown back.
    #[serde(skip_serializing)]
    pub secret: Option<String>,
    /// The From address of email.
    pub sender: Option<String>,
    /// Alert kinds the rule sends (bad_review, medium_review, unshipped_late, ...).
    pub events: Vec<String>,
    pub enabled: bool,
}

/// One attempt to deliver one alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Delivery {
    pub rule: String,
    /// What was sent: the alert's kind and subject (`bad_review:R123`).
    pub alert_key: String,
    pub attempt: i32,
    pub at: NaiveDateTime,
    pub ok: bool,
    pub detail: String,
}

/// Rules and the delivery log.
pub trait NotifyStore {
    /// Adds or replaces a rule.
    fn save_rule(&self, shop: &Shop, rule: &NotifyRule) -> Result<(), StoreError>;
    /// Removes a rule; false when there was none of that name.
    fn delete_rule(&self, shop: &Shop, name: &str) -> Result<bool, StoreError>;
    fn rules(&self, shop: &Shop) -> Result<Vec<NotifyRule>, StoreError>;
    fn log_delivery(&self, shop: &Shop, delivery: &Delivery) -> Result<(), StoreError>;
    /// The shop's delivery log, oldest first.
    fn deliveries(&self, shop: &Shop) -> Result<Vec<Delivery>, StoreError>;
}
