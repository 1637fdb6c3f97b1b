//! `zhanggui notify ...`: alerts delivered to robot webhooks and a mailbox, all running on
//! this machine: a small HTTP receiver that answers like the robots (and fails once, to be
//! retried) and an SMTP sink. Signatures are checked on the receiving side.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine;
use serde_json::Value;

use crate::support::Env;

/// A request the receiver got: the path with its query, and the JSON body.
#[derive(Debug, Clone)]
struct Received {
    target: String,
    body: Value,
}

/// An HTTP receiver on a free port; the first `fail_first` requests get HTTP 500.
fn receiver(fail_first: usize) -> (u16, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        let mut served = 0;
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let target = request_line.split(' ').nth(1).unwrap_or("").to_owned();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some((k, v)) = line.split_once(':') {
                    if k.eq_ignore_ascii_case("content-length") {
                        length = v.trim().parse().unwrap();
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            served += 1;
            let (status, answer) = if served <= fail_first {
                ("500 Internal Server Error", "busy".to_owned())
            } else {
                seen.lock().unwrap().push(Received {
                    target,
                    body: serde_json::from_slice(&body).unwrap(),
                });
                (
                    "200 OK",
                    r#"{"errcode":0,"errmsg":"ok","code":0,"msg":"success"}"#.to_owned(),
                )
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (port, got)
}

/// An SMTP sink on a free port; keeps every command and message it was given.
fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let seen = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            write!(stream, "220 sink ready\r\n").unwrap();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                let command = line.trim_end().to_owned();
                seen.lock().unwrap().push(command.clone());
                let upper = command.to_ascii_uppercase();
                if upper.starts_with("EHLO") {
                    write!(stream, "250-sink\r\n250 8BITMIME\r\n").unwrap();
                } else if upper == "DATA" {
                    write!(stream, "354 go on\r\n").unwrap();
                    let mut data = String::new();
                    loop {
                        let mut l = String::new();
                        reader.read_line(&mut l).unwrap();
                        if l == ".\r\n" {
                            break;
                        }
                        data.push_str(&l);
                    }
                    seen.lock().unwrap().push(data);
                    write!(stream, "250 queued as 1\r\n").unwrap();
                } else if upper == "QUIT" {
                    write!(stream, "221 bye\r\n").unwrap();
                    break;
                } else {
                    write!(stream, "250 ok\r\n").unwrap();
                }
            }
        }
    });
    (port, got)
}

fn query_value<'a>(target: &'a str, key: &str) -> Option<&'a str> {
    target
        .split_once('?')?
        .1
        .split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
}

#[test]
fn alerts_reach_robots_and_mailboxes_once() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &["--timezone", "Asia/Shanghai"]);
    let reviews = env.path("评价.csv");
    std::fs::write(
        &reviews,
        "评价时间,订单编号,宝贝名称,买家昵称,评价结果,评价内容\n\
         2025-11-01 10:00:00,1001,棉麻衬衫,小王,差评,质量太差了，洗一次就起球\n\
         2025-10-01 10:00:00,1000,棉麻衬衫,小周,差评,太旧了，不再提醒\n\
         2025-11-01 11:00:00,1002,棉麻衬衫,小李,好评,很好\n",
    )
    .unwrap();
    env.ok(&["review", "import", reviews.to_str().unwrap()]);

    let (http, received) = receiver(1);
    let (smtp, mails) = smtp_sink();
    let base = format!("http://127.0.0.1:{http}");
    env.ok(&[
        "notify",
        "add",
        "a-dingtalk",
        "--channel",
        "dingtalk",
        "--to",
        &format!("{base}/robot/send?access_token=T1"),
        "--secret",
        "SEC123",
    ]);
    env.ok(&[
        "notify",
        "add",
        "b-feishu",
        "--channel",
        "feishu",
        "--to",
        &format!("{base}/open-apis/bot/v2/hook/H1"),
        "--secret",
        "fs-secret",
    ]);
    env.ok(&[
        "notify",
        "add",
        "c-wecom",
        "--channel",
        "wecom",
        "--to",
        &format!("{base}/cgi-bin/webhook/send?key=K1"),
    ]);
    env.ok(&[
        "notify",
        "add",
        "d-mail",
        "--channel",
        "email",
        "--to",
        "boss@shop.cn",
        "--from",
        "掌柜 <alerts@shop.cn>",
        "--secret",
        &format!("smtp://127.0.0.1:{smtp}"),
    ]);
    // A WeCom robot has no secret; a webhook must be an address.
    let refused = env.run(&["notify", "add", "x", "--channel", "wecom", "--to", "K1"]);
    assert_eq!(refused.status.code(), Some(2));

    let preview = env.json(&["notify", "run", "--at", "2025-11-02 12:00", "--dry-run"]);
    assert_eq!(
        preview.as_array().unwrap().len(),
        4,
        "one alert, four rules: {preview:#}"
    );
    assert!(
        received.lock().unwrap().is_empty(),
        "a dry run sends nothing"
    );

    let sent = env.json(&[
        "notify",
        "run",
        "--at",
        "2025-11-02 12:00",
        "--backoff",
        "0",
    ]);
    assert_eq!(
        (sent["sent"].as_u64(), sent["failed"].as_u64()),
        (Some(4), Some(0)),
        "{sent}"
    );

    let got = received.lock().unwrap().clone();
    assert_eq!(got.len(), 3);
    let ding = got
        .iter()
        .find(|r| r.target.starts_with("/robot/send"))
        .unwrap();
    let ts: i64 = query_value(&ding.target, "timestamp")
        .unwrap()
        .parse()
        .unwrap();
    let sign = query_value(&ding.target, "sign").unwrap();
    assert_eq!(
        sign,
        zhanggui_notify::sign::url_encode(&zhanggui_notify::sign::dingtalk("SEC123", ts))
    );
    assert_eq!(ding.body["msgtype"], "markdown");
    assert!(ding.body["markdown"]["text"]
        .as_str()
        .unwrap()
        .contains("质量太差了"));
    let feishu = got
        .iter()
        .find(|r| r.target.starts_with("/open-apis"))
        .unwrap();
    let fts: i64 = feishu.body["timestamp"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        feishu.body["sign"].as_str().unwrap(),
        zhanggui_notify::sign::feishu("fs-secret", fts)
    );
    assert!(feishu.body["content"]["text"]
        .as_str()
        .unwrap()
        .contains("差评提醒"));
    let wecom = got
        .iter()
        .find(|r| r.target.starts_with("/cgi-bin"))
        .unwrap();
    assert!(wecom.body["markdown"]["content"]
        .as_str()
        .unwrap()
        .contains("1001"));

    let mail = mails.lock().unwrap().clone();
    assert!(
        mail.contains(&"MAIL FROM:<alerts@shop.cn>".to_owned()),
        "{mail:?}"
    );
    assert!(mail.contains(&"RCPT TO:<boss@shop.cn>".to_owned()));
    let data = mail.iter().find(|m| m.contains("Subject:")).unwrap();
    let subject = data
        .lines()
        .find_map(|l| l.strip_prefix("Subject: =?UTF-8?B?"))
        .and_then(|s| s.strip_suffix("?="))
        .unwrap();
    let b64 = base64::engine::general_purpose::STANDARD;
    let subject = String::from_utf8(b64.decode(subject).unwrap()).unwrap();
    assert!(subject.contains("差评提醒"), "{subject}");
    let body: String = data
        .split("\r\n\r\n")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .collect();
    let body = String::from_utf8(b64.decode(body).unwrap()).unwrap();
    assert!(body.contains("质量太差了，洗一次就起球"), "{body}");

    // The log: the first attempt got HTTP 500 and was retried.
    let log = env.json(&["notify", "log"]);
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 5, "{log:#?}");
    let failed: Vec<&Value> = log.iter().filter(|d| d["ok"] == false).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(
        (failed[0]["rule"].as_str(), failed[0]["attempt"].as_i64()),
        (Some("a-dingtalk"), Some(1))
    );
    assert!(failed[0]["detail"].as_str().unwrap().contains("500"));

    // Delivered alerts are not sent again.
    let again = env.json(&[
        "notify",
        "run",
        "--at",
        "2025-11-02 12:00",
        "--backoff",
        "0",
    ]);
    assert_eq!(again["sent"], 0);

    // A robot nobody answers for: every attempt fails, the run says so, the next run retries.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);
    env.ok(&[
        "notify",
        "add",
        "e-dead",
        "--channel",
        "dingtalk",
        "--to",
        &format!("http://127.0.0.1:{dead_port}/robot/send?access_token=T2"),
    ]);
    let out = env.run(&[
        "--json",
        "notify",
        "run",
        "--at",
        "2025-11-02 12:00",
        "--backoff",
        "0",
        "--attempts",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (report["sent"].as_u64(), report["failed"].as_u64()),
        (Some(0), Some(1))
    );
    let log = env.json(&["notify", "log"]);
    let dead_attempts = log
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "e-dead")
        .count();
    assert_eq!(dead_attempts, 2);
    let out = env.run(&[
        "notify",
        "run",
        "--at",
        "2025-11-02 12:00",
        "--backoff",
        "0",
        "--attempts",
        "1",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "failed deliveries are tried again"
    );
    // Secrets are never shown back.
    let rules = env.ok(&["--json", "notify", "list"]);
    assert!(!rules.contains("SEC123") && !rules.contains("fs-secret"));
}

#[test]
fn the_server_sends_new_alerts_by_itself() {
    let env = Env::new();
    env.add_shop("taobao", "tb", &["--timezone", "UTC"]);
    // A shop without orders looks from the present: a bad review of yesterday is news.
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).format("%Y-%m-%d %H:%M:%S");
    let reviews = env.path("评价.csv");
    std::fs::write(
        &reviews,
        format!("评价时间,订单编号,评价结果,评价内容\n{yesterday},77,差评,客服态度很差\n"),
    )
    .unwrap();
    env.ok(&["review", "import", reviews.to_str().unwrap()]);
    let (http, received) = receiver(0);
    env.ok(&[
        "notify",
        "add",
        "群",
        "--channel",
        "wecom",
        "--to",
        &format!("http://127.0.0.1:{http}/cgi-bin/webhook/send?key=K"),
    ]);
    let added = env.run_with(
        &["user", "add", "--owner", "boss"],
        &[("ZHANGGUI_PASSWORD", "a good password")],
    );
    assert!(added.status.success());

    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_zhanggui"))
        .args([
            "--db",
            env.db().to_str().unwrap(),
            "serve",
            "--notify-every",
            "1",
            "--addr",
        ])
        .arg(format!("127.0.0.1:{port}"))
        .env("HOME", env.dir.path())
        .env("ZHANGGUI_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut got = Vec::new();
    for _ in 0..300 {
        got = received.lock().unwrap().clone();
        if !got.is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    // Two more ticks: the alert is not sent again.
    std::thread::sleep(std::time::Duration::from_millis(2500));
    let after = received.lock().unwrap().len();
    let _ = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let _ = server.wait();
    assert_eq!(got.len(), 1, "the server sent the alert within 30 seconds");
    assert!(got[0].body["markdown"]["content"]
        .as_str()
        .unwrap()
        .contains("客服态度很差"));
    assert_eq!(after, 1, "sent once");
    let log = env.json(&["notify", "log"]);
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["ok"], true);
}
