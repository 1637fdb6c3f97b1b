//! Which alerts each rule still has to send, and sending them: an alert goes out once per
//! rule (the delivery log remembers what was accepted), failures are tried again on the
//! next run.

use std::collections::HashSet;

use zhanggui_storage::{Delivery, NotifyRule};

use crate::{deliver, Message, Policy};

/// An alert as the rules read it: its kind (`bad_review`, `unshipped_late`, ...) and what
/// to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub kind: String,
    pub message: Message,
}

/// One alert one rule has still to send.
#[derive(Debug, Clone)]
pub struct Pending {
    pub rule: NotifyRule,
    pub message: Message,
}

/// The alerts each enabled rule sends and has not had accepted yet.
pub fn pending(rules: &[NotifyRule], alerts: &[Alert], log: &[Delivery]) -> Vec<Pending> {
    let delivered: HashSet<(&str, &str)> = log
        .iter()
        .filter(|d| d.ok)
        .map(|d| (d.rule.as_str(), d.alert_key.as_str()))
        .collect();
    let mut out = Vec::new();
    for rule in rules.iter().filter(|r| r.enabled) {
        for a in alerts.iter().filter(|a| rule.events.contains(&a.kind)) {
            if !delivered.contains(&(rule.name.as_str(), a.message.key.as_str())) {
                out.push(Pending {
                    rule: rule.clone(),
                    message: a.message.clone(),
                });
            }
        }
    }
    out
}

/// Sends every pending alert; returns every attempt, in order.
pub fn send_all(pending: &[Pending], policy: &Policy) -> Vec<Delivery> {
    pending
        .iter()
        .flat_map(|p| deliver(&p.rule, &p.message, policy))
        .collect()
}

/// How a run went: alerts sent (accepted), and failed after every attempt.
pub fn outcome(log: &[Delivery]) -> (usize, usize) {
    let mut last: Vec<&Delivery> = Vec::new();
    for (i, d) in log.iter().enumerate() {
        let next_same = log
            .get(i + 1)
            .is_some_and(|n| n.rule == d.rule && n.alert_key == d.alert_key);
        if !next_same {
            last.push(d);
        }
    }
    let sent = last.iter().filter(|d| d.ok).count();
    (sent, last.len() - sent)
}
