//! A notification rule as a person gives it, checked: a known channel, an address that
//! fits it (a webhook address, or mail recipients with a sender and an SMTP server), known
//! alert kinds (the default ones when none are named). The command line and the cockpit
//! check rules here.

use zhanggui_storage::NotifyRule;

use crate::smtp::Server;
use crate::Channel;

/// What a person gives for a rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleSpec<'a> {
    pub name: &'a str,
    pub channel: &'a str,
    /// The webhook address, or the mail recipients.
    pub to: &'a str,
    /// The signing secret, or for email the SMTP server.
    pub secret: Option<&'a str>,
    /// The From address of email.
    pub from: Option<&'a str>,
    pub events: &'a [String],
}

/// The rule, or what is wrong with it; `known` are the alert kinds there are, `defaults`
/// the ones sent when none are named.
pub fn rule_of(
    spec: RuleSpec<'_>,
    known: &[&str],
    defaults: &[&str],
) -> Result<NotifyRule, String> {
    let name = spec.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err("a rule's name has 1 to 60 characters".into());
    }
    let ch = Channel::parse(spec.channel).ok_or_else(|| {
        format!(
            "channel: `{}` is not dingtalk, wecom, feishu or email",
            spec.channel
        )
    })?;
    if let Some(e) = spec.events.iter().find(|e| !known.contains(&e.as_str())) {
        return Err(format!(
            "event: `{e}` is not an alert kind ({})",
            known.join(", ")
        ));
    }
    let to = spec.to;
    match ch {
        Channel::Email => {
            let server = spec.secret.ok_or(
                "email needs the SMTP server as its secret: smtp://user:password@host:port",
            )?;
            Server::parse(server).map_err(|e| e.to_string())?;
            if spec.from.is_none() {
                return Err("email needs a sender (from)".into());
            }
            if !to.contains('@') {
                return Err(format!("to: `{to}` is not a mail address"));
            }
        }
        _ => {
            if !(to.starts_with("https://") || to.starts_with("http://")) {
                return Err(format!(
                    "to: `{to}` is not the robot's webhook address (https://...)"
                ));
            }
            if ch == Channel::WeCom && spec.secret.is_some() {
                return Err(
                    "WeCom robots have no signing secret: the key is in the address".into(),
                );
            }
        }
    }
    Ok(NotifyRule {
        name: name.to_owned(),
        channel: ch.as_str().to_owned(),
        target: to.to_owned(),
        secret: spec.secret.map(str::to_owned),
        sender: spec.from.map(str::to_owned),
        events: if spec.events.is_empty() {
            defaults.iter().map(|k| (*k).to_owned()).collect()
        } else {
            spec.events.to_vec()
        },
        enabled: true,
    })
}
