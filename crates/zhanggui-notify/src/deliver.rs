//! One message through one rule: attempts with a growing pause between them (the pause
//! doubles each time), each written as a delivery-log entry. A rule that cannot work (a bad
//! address, email without a server) fails at once, without retrying.

use std::time::Duration;

use chrono::{NaiveDateTime, Utc};
use zhanggui_storage::{Delivery, NotifyRule};

use crate::smtp::{self, Server};
use crate::webhook;
use crate::{Channel, Message, SendError};

/// How hard to try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub attempts: u32,
    /// The pause after the first failure; doubled after each next one.
    pub backoff: Duration,
    /// How long one attempt may take.
    pub timeout: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            attempts: 3,
            backoff: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
        }
    }
}

/// Sends `message` by `rule`; returns every attempt, the last one telling how it ended.
pub fn deliver(rule: &NotifyRule, message: &Message, policy: &Policy) -> Vec<Delivery> {
    let mut log = Vec::new();
    let mut pause = policy.backoff;
    for attempt in 1..=policy.attempts.max(1) {
        let outcome = attempt_once(rule, message, policy.timeout);
        let at = now();
        let (ok, detail, final_failure) = match outcome {
            Ok(detail) => (true, detail, false),
            Err(e @ SendError::Rule(_)) => (false, e.to_string(), true),
            Err(e) => (false, e.to_string(), false),
        };
        log.push(Delivery {
            rule: rule.name.clone(),
            alert_key: message.key.clone(),
            attempt: attempt as i32,
            at,
            ok,
            detail,
        });
        if ok || final_failure || attempt == policy.attempts {
            break;
        }
        std::thread::sleep(pause);
        pause *= 2;
    }
    log
}

fn now() -> NaiveDateTime {
    Utc::now().naive_utc()
}

fn attempt_once(
    rule: &NotifyRule,
    message: &Message,
    timeout: Duration,
) -> Result<String, SendError> {
    let channel = Channel::parse(&rule.channel)
        .ok_or_else(|| SendError::Rule(format!("unknown channel {}", rule.channel)))?;
    match channel {
        Channel::Email => {
            let server = Server::parse(rule.secret.as_deref().ok_or_else(|| {
                SendError::Rule("email needs the SMTP server (--secret smtp://...)".into())
            })?)?;
            let from = rule
                .sender
                .as_deref()
                .ok_or_else(|| SendError::Rule("email needs a sender (--from)".into()))?;
            let to: Vec<String> = rule
                .target
                .split([',', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            if to.is_empty() || to.iter().any(|t| !t.contains('@')) {
                return Err(SendError::Rule(format!(
                    "`{}` is not a list of mail addresses",
                    rule.target
                )));
            }
            let date = Utc::now().format("%a, %d %b %Y %H:%M:%S +0000").to_string();
            smtp::send(&server, from, &to, message, &date, timeout)
                .map(|answer| format!("accepted: {}", answer.trim()))
        }
        robot => {
            let request = webhook::request(
                robot,
                &rule.target,
                rule.secret.as_deref(),
                message,
                Utc::now().timestamp_millis(),
            )?;
            let (status, body) = webhook::post(&request, timeout)?;
            webhook::accepted(robot, status, &body)
        }
    }
}
