//! `zhanggui notify ...`: notification rules (which alerts go to which robot or mailbox),
//! sending the alerts not delivered yet, and the delivery log.

use std::process::ExitCode;
use std::time::Duration;

use zhanggui_desk::alerts::{alerts, DEFAULT_KINDS, KINDS};
use zhanggui_desk::followups::{now_utc, shop_local};
use zhanggui_notify::dispatch::{outcome, pending, send_all, Alert};
use zhanggui_notify::rules::{rule_of, RuleSpec};
use zhanggui_notify::{deliver, Message, Policy};
use zhanggui_storage::{NotifyRule, NotifyStore, Store};

use crate::cli::{Cli, NotifyArgs, NotifyCommand};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &NotifyArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    match &args.command {
        NotifyCommand::Add {
            name,
            channel,
            to,
            secret,
            from,
            events,
        } => {
            let known: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
            let rule = rule_of(
                RuleSpec {
                    name,
                    channel,
                    to,
                    secret: secret.as_deref(),
                    from: from.as_deref(),
                    events,
                },
                &known,
                DEFAULT_KINDS,
            )
            .map_err(|e| UsageError(format!("--{e}")))?;
            store.save_rule(&shop, &rule)?;
            println!(
                "rule {name}: {} → {} ({})",
                rule.channel,
                rule.target,
                rule.events.join(", ")
            );
            Ok(ExitCode::SUCCESS)
        }
        NotifyCommand::List => {
            let rules = store.rules(&shop)?;
            if cli.json {
                output::json(&rules)?;
                return Ok(ExitCode::SUCCESS);
            }
            let rows: Vec<Vec<String>> = rules
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone(),
                        r.channel.clone(),
                        zhanggui_notify::shown_target(&r.channel, &r.target),
                        if r.secret.is_some() { "yes" } else { "" }.to_owned(),
                        r.events.join(", "),
                    ]
                })
                .collect();
            println!(
                "{}",
                output::table(&["rule", "channel", "to", "secret", "alerts"], &rows)
            );
            Ok(ExitCode::SUCCESS)
        }
        NotifyCommand::Remove { name } => {
            if !store.delete_rule(&shop, name)? {
                return Err(UsageError(format!("no rule {name} in {}", shop.name)).into());
            }
            println!("rule {name} removed");
            Ok(ExitCode::SUCCESS)
        }
        NotifyCommand::Test { name } => {
            let rule = find_rule(&store, &shop, name)?;
            let message = Message {
                key: format!("test:{}", chrono::Utc::now().format("%Y%m%d%H%M%S")),
                title: format!("【掌柜】测试消息 · {}", shop.name),
                text: format!("规则 {name} 可以送达。"),
            };
            let log = deliver(&rule, &message, &Policy::default());
            for d in &log {
                store.log_delivery(&shop, d)?;
            }
            print_attempts(&log);
            Ok(if log.last().is_some_and(|d| d.ok) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        NotifyCommand::Run {
            at,
            dry_run,
            attempts,
            backoff,
        } => {
            if !(1..=10).contains(attempts) || !(0.0..=600.0).contains(backoff) {
                return Err(UsageError(
                    "--attempts from 1 to 10, --backoff from 0 to 600 seconds".into(),
                )
                .into());
            }
            let at = selection::at_time(at.as_deref())?;
            // A shop without orders yet (reviews only) looks from the present moment.
            let now = now_utc(&shop, at, store.data_span(&shop)?.last_order)
                .unwrap_or_else(|| chrono::Utc::now().naive_utc());
            let current: Vec<Alert> = alerts(&store, &shop, now)?
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
            let policy = Policy {
                attempts: *attempts,
                backoff: Duration::from_secs_f64(*backoff),
                ..Policy::default()
            };
            let todo = pending(&store.rules(&shop)?, &current, &store.deliveries(&shop)?);
            let planned: Vec<serde_json::Value> = todo
                .iter()
                .map(|p| serde_json::json!({"rule": p.rule.name, "key": p.message.key, "title": p.message.title, "text": p.message.text}))
                .collect();
            let (sent, failed) = if *dry_run {
                (0, 0)
            } else {
                let log = send_all(&todo, &policy);
                for d in &log {
                    store.log_delivery(&shop, d)?;
                    if !d.ok {
                        eprintln!(
                            "{} {} (attempt {}): {}",
                            d.rule, d.alert_key, d.attempt, d.detail
                        );
                    }
                }
                outcome(&log)
            };
            if *dry_run {
                if cli.json {
                    output::json(&planned)?;
                } else {
                    for p in &planned {
                        println!(
                            "{} {}\n  {}",
                            p["rule"].as_str().unwrap_or(""),
                            p["key"].as_str().unwrap_or(""),
                            p["text"].as_str().unwrap_or("").replace('\n', "\n  ")
                        );
                    }
                    println!("{} to send (dry run: nothing sent)", planned.len());
                }
                return Ok(ExitCode::SUCCESS);
            }
            if cli.json {
                output::json(
                    &serde_json::json!({"alerts": current.len(), "sent": sent, "failed": failed}),
                )?;
            } else {
                println!(
                    "{} alerts at {}: {sent} sent, {failed} failed (retried on the next run)",
                    current.len(),
                    shop_local(&shop, now).format("%Y-%m-%d %H:%M")
                );
            }
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        NotifyCommand::Log { limit } => {
            let log = store.deliveries(&shop)?;
            let skip = log.len().saturating_sub(*limit);
            let shown = &log[skip..];
            if cli.json {
                output::json(&shown)?;
                return Ok(ExitCode::SUCCESS);
            }
            print_attempts(shown);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn find_rule(
    store: &zhanggui_storage::DuckStore,
    shop: &zhanggui_domain::Shop,
    name: &str,
) -> anyhow::Result<NotifyRule> {
    Ok(store
        .rules(shop)?
        .into_iter()
        .find(|r| r.name == name)
        .ok_or_else(|| UsageError(format!("no rule {name} in {}", shop.name)))?)
}

fn print_attempts(log: &[zhanggui_storage::Delivery]) {
    let rows: Vec<Vec<String>> = log
        .iter()
        .map(|d| {
            vec![
                d.at.format("%Y-%m-%d %H:%M:%S").to_string(),
                d.rule.clone(),
                d.alert_key.clone(),
                d.attempt.to_string(),
                if d.ok { "ok" } else { "failed" }.to_owned(),
                d.detail.clone(),
            ]
        })
        .collect();
    println!(
        "{}",
        output::table(
            &["at (UTC)", "rule", "alert", "attempt", "", "detail"],
            &rows
        )
    );
}
