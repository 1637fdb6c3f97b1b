//! Notifications: alerts sent to DingTalk (钉钉), WeCom (企业微信) and Feishu (飞书) group
//! robots through their webhooks, with the request signing each platform documents, and by
//! e-mail over SMTP; every attempt is retried with a growing pause and written to the
//! delivery log.
//!
//! - `sign`: the signatures (DingTalk and Feishu 加签).
//! - `webhook`: the robots' payloads, addresses and answers.
//! - `smtp`: a small SMTP client (STARTTLS or TLS, AUTH PLAIN) and the mail it sends.
//! - `deliver`: one message through one rule, with retries, as delivery-log entries.
//! - `dispatch`: which alerts each rule has still to send, and sending them.
//! - `rules`: a rule as given, checked.

pub mod deliver;
pub mod dispatch;
pub mod rules;
pub mod sign;
pub mod smtp;
pub mod webhook;

pub use deliver::{deliver, Policy};

use serde::Serialize;

/// Something to tell: its key (what the delivery log remembers it by, `bad_review:R12`),
/// a title and a plain-text body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub key: String,
    pub title: String,
    pub text: String,
}

/// Where a rule sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    DingTalk,
    WeCom,
    Feishu,
    Email,
}

impl Channel {
    pub const ALL: [Channel; 4] = [
        Channel::DingTalk,
        Channel::WeCom,
        Channel::Feishu,
        Channel::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::DingTalk => "dingtalk",
            Channel::WeCom => "wecom",
            Channel::Feishu => "feishu",
            Channel::Email => "email",
        }
    }

    pub fn parse(s: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Why one attempt failed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("{0}")]
    Http(String),
    #[error("the robot refused it: {0}")]
    Refused(String),
    #[error("smtp: {0}")]
    Smtp(String),
    #[error("the rule is not usable: {0}")]
    Rule(String),
}

/// A rule's target as shown to people: a webhook address without its token
/// (`access_token=...`, `key=...`); mail recipients as they are.
pub fn shown_target(channel: &str, target: &str) -> String {
    match target.split_once('?') {
        Some((base, _)) if channel != "email" => format!("{base}?…"),
        _ => target.to_owned(),
    }
}
