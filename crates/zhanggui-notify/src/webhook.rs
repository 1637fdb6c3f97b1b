//! The group robots' webhooks: what is posted, to which address, and whether the answer
//! says it was taken.
//!
//! - DingTalk: `{"msgtype":"markdown","markdown":{"title","text"}}`; with a secret the
//!   address gets `&timestamp=..&sign=..`; the answer is `{"errcode":0,"errmsg":"ok"}`.
//! - WeCom: `{"msgtype":"markdown","markdown":{"content"}}`; the answer is
//!   `{"errcode":0,"errmsg":"ok"}`.
//! - Feishu: `{"msg_type":"text","content":{"text"}}`, with `timestamp` and `sign` when the
//!   robot has a secret; the answer is `{"code":0,...}` (older robots: `StatusCode`).

use std::time::Duration;

use serde_json::{json, Value};

use crate::{sign, Channel, Message, SendError};

/// A request to post.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub url: String,
    pub body: Value,
}

/// The request for a robot; `now_ms` is the current Unix time in milliseconds.
pub fn request(
    channel: Channel,
    target: &str,
    secret: Option<&str>,
    message: &Message,
    now_ms: i64,
) -> Result<Request, SendError> {
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return Err(SendError::Rule(format!(
            "`{target}` is not a webhook address (http:// or https://)"
        )));
    }
    let markdown = format!(
        "#### {}\n\n{}",
        message.title,
        message.text.replace('\n', "\n\n")
    );
    match channel {
        Channel::DingTalk => {
            let url = match secret {
                Some(s) => format!(
                    "{target}{}timestamp={now_ms}&sign={}",
                    if target.contains('?') { "&" } else { "?" },
                    sign::url_encode(&sign::dingtalk(s, now_ms))
                ),
                None => target.to_owned(),
            };
            Ok(Request {
                url,
                body: json!({
                    "msgtype": "markdown",
                    "markdown": {"title": message.title, "text": markdown},
                }),
            })
        }
        Channel::WeCom => Ok(Request {
            url: target.to_owned(),
            body: json!({"msgtype": "markdown", "markdown": {"content": markdown}}),
        }),
        Channel::Feishu => {
            let mut body = json!({
                "msg_type": "text",
                "content": {"text": format!("{}\n{}", message.title, message.text)},
            });
            if let Some(s) = secret {
                let ts = now_ms / 1000;
                body["timestamp"] = json!(ts.to_string());
                body["sign"] = json!(sign::feishu(s, ts));
            }
            Ok(Request {
                url: target.to_owned(),
                body,
            })
        }
        Channel::Email => Err(SendError::Rule("email is not a webhook".into())),
    }
}

/// Whether the robot's answer says the message was taken; the error carries its words.
pub fn accepted(channel: Channel, status: u16, body: &str) -> Result<String, SendError> {
    let shown: String = body.chars().take(300).collect();
    if !(200..300).contains(&status) {
        return Err(SendError::Http(format!("HTTP {status}: {shown}")));
    }
    let v: Value = serde_json::from_str(body)
        .map_err(|_| SendError::Refused(format!("not a robot's answer: {shown}")))?;
    let code = match channel {
        Channel::Feishu => v.get("code").or_else(|| v.get("StatusCode")),
        _ => v.get("errcode"),
    };
    match code.and_then(Value::as_i64) {
        Some(0) => Ok(format!("HTTP {status}: {shown}")),
        _ => Err(SendError::Refused(shown)),
    }
}

/// Posts a request and returns the status and body of the answer.
pub fn post(request: &Request, timeout: Duration) -> Result<(u16, String), SendError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .post(&request.url)
        .header("Content-Type", "application/json; charset=utf-8")
        .send(request.body.to_string())
        .map_err(|e| SendError::Http(e.to_string()))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| SendError::Http(e.to_string()))?;
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message() -> Message {
        Message {
            key: "bad_review:R1".into(),
            title: "【掌柜】差评提醒".into(),
            text: "质量太差了".into(),
        }
    }

    #[test]
    fn dingtalk_signs_the_address() {
        let r = request(
            Channel::DingTalk,
            "https://oapi.dingtalk.com/robot/send?access_token=T",
            Some("SEC1"),
            &message(),
            1_700_000_000_123,
        )
        .unwrap();
        let expected = sign::url_encode(&sign::dingtalk("SEC1", 1_700_000_000_123));
        assert_eq!(
            r.url,
            format!("https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000123&sign={expected}")
        );
        assert_eq!(r.body["msgtype"], "markdown");
    }

    #[test]
    fn answers_are_read_per_platform() {
        assert!(accepted(Channel::DingTalk, 200, r#"{"errcode":0,"errmsg":"ok"}"#).is_ok());
        assert!(accepted(
            Channel::DingTalk,
            200,
            r#"{"errcode":310000,"errmsg":"sign not match"}"#
        )
        .is_err());
        assert!(accepted(Channel::Feishu, 200, r#"{"code":0,"msg":"success"}"#).is_ok());
        assert!(accepted(
            Channel::Feishu,
            200,
            r#"{"code":19021,"msg":"sign match fail"}"#
        )
        .is_err());
        assert!(accepted(Channel::WeCom, 500, "").is_err());
        assert!(request(Channel::WeCom, "ftp://x", None, &message(), 0).is_err());
    }
}
