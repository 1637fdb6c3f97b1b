//! `zhanggui review ...`: the review monitor (中差评提醒): import reviews, list them with
//! their alerts and DSR reading, show the reply scripts that fit, keep each bad or medium
//! review's follow-up record, and the monitor's metrics.

use std::process::ExitCode;

use chrono::Duration;
use zhanggui_desk::followups::{fill, now_utc, shop_local};
use zhanggui_desk::library::can_read;
use zhanggui_desk::monitor::{self, review_all, Reviewed, Suggester, ACTIONS, OUTCOMES};
use zhanggui_domain::money_json::InCurrency;
use zhanggui_domain::{Money, Shop};
use zhanggui_storage::{DuckStore, ReviewAction, ReviewStore, ScriptStore};

use crate::cli::{Cli, ReviewArgs, ReviewCommand};
use crate::commands::script::actor;
use crate::{db, output, selection, UsageError};

/// Reply scripts suggested per review.
const SUGGESTED: usize = 3;

pub fn run(cli: &Cli, args: &ReviewArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    let actor = actor(&store, &shop, args.actor.as_deref())?;
    match &args.command {
        ReviewCommand::Import { file, map } => import(cli, &store, &shop, file, map),
        ReviewCommand::List {
            alerts,
            rating,
            limit,
        } => {
            if let Some(r) = rating {
                if !["good", "medium", "bad"].contains(&r.as_str()) {
                    return Err(
                        UsageError(format!("--rating: `{r}` is not good, medium or bad")).into(),
                    );
                }
            }
            let all = reviewed(&store, &shop, None)?;
            let shown: Vec<&Reviewed> = all
                .iter()
                .filter(|r| !alerts || r.alert)
                .filter(|r| rating.as_ref().is_none_or(|x| &r.review.rating == x))
                .take(*limit)
                .collect();
            if cli.json {
                output::json_in(shop.currency, &shown)?;
                return Ok(ExitCode::SUCCESS);
            }
            let rows: Vec<Vec<String>> = shown
                .iter()
                .map(|r| {
                    vec![
                        r.review.review_id.clone(),
                        shop_local(&shop, r.review.reviewed_at)
                            .format("%Y-%m-%d %H:%M")
                            .to_string(),
                        rating_zh(&r.review.rating).to_owned(),
                        if r.alert { "!" } else { "" }.to_owned(),
                        dsr(&r.reading),
                        r.review.body.clone(),
                        r.follow_up.outcome.clone().unwrap_or_else(|| {
                            if r.follow_up.contacts > 0 {
                                "contacted".into()
                            } else {
                                String::new()
                            }
                        }),
                    ]
                })
                .collect();
            println!(
                "{}",
                output::table(
                    &[
                        "id",
                        "time",
                        "rating",
                        "alert",
                        "goods/service/logistics",
                        "text",
                        "follow-up"
                    ],
                    &rows
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Show { id } => {
            let scripts: Vec<_> = store
                .scripts(&shop, false)?
                .into_iter()
                .filter(|s| can_read(&actor, s))
                .collect();
            let suggester = Suggester::new(&scripts);
            let all = reviewed(&store, &shop, Some(&suggester))?;
            let r = all
                .into_iter()
                .find(|r| &r.review.review_id == id)
                .ok_or_else(|| UsageError(format!("no review {id} in {}", shop.name)))?;
            let order = match &r.review.order_no {
                Some(no) => store.order_for_script(&shop, no)?,
                None => None,
            };
            let filled: Vec<serde_json::Value> = r
                .suggested
                .iter()
                .map(|s| {
                    let body = scripts
                        .iter()
                        .find(|x| x.id == Some(s.id))
                        .map(|x| x.body.as_str())
                        .unwrap_or("");
                    serde_json::json!({
                        "id": s.id,
                        "title": s.title,
                        "text": fill(body, &shop, order.clone()).unwrap_or_else(|e| format!("({e})")),
                    })
                })
                .collect();
            let actions: Vec<ReviewAction> = store
                .review_actions(&shop)?
                .into_iter()
                .filter(|a| &a.review_id == id)
                .collect();
            if cli.json {
                output::json(&serde_json::json!({
                    "review": InCurrency(shop.currency, &r),
                    "replies": filled,
                    "actions": InCurrency(shop.currency, &actions),
                }))?;
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{}  {}  {}  {}",
                r.review.review_id,
                rating_zh(&r.review.rating),
                shop_local(&shop, r.review.reviewed_at).format("%Y-%m-%d %H:%M"),
                r.review.order_no.as_deref().unwrap_or("")
            );
            println!("{}", r.review.body);
            println!(
                "goods/service/logistics: {}  topics: {}",
                dsr(&r.reading),
                r.reading.topics.join(" ")
            );
            if r.alert {
                println!("ALERT: not dealt with yet");
            }
            for (i, s) in filled.iter().enumerate() {
                println!(
                    "reply {}: [{}] {}\n  {}",
                    i + 1,
                    s["id"],
                    s["title"].as_str().unwrap_or(""),
                    s["text"].as_str().unwrap_or("")
                );
            }
            for a in &actions {
                println!(
                    "{}  {}  {}{}{}",
                    shop_local(&shop, a.at).format("%Y-%m-%d %H:%M"),
                    a.by.as_deref().unwrap_or(""),
                    a.kind,
                    a.amount_minor
                        .map(|m| format!(" {}", Money::new(m, shop.currency)))
                        .unwrap_or_default(),
                    a.note
                        .as_deref()
                        .map(|n| format!(": {n}"))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Follow {
            id,
            action,
            amount,
            note,
            at,
        } => {
            if !ACTIONS.contains(&action.as_str()) && !OUTCOMES.contains(&action.as_str()) {
                return Err(UsageError(format!(
                    "`{action}` is not an action ({}) or an outcome ({})",
                    ACTIONS.join(", "),
                    OUTCOMES.join(", ")
                ))
                .into());
            }
            let amount_minor = match (action.as_str(), amount) {
                ("compensation", Some(a)) => Some(
                    zhanggui_import::values::parse_money(a, shop.currency.exponent())
                        .map_err(|e| UsageError(format!("--amount: {e}")))?
                        .ok_or_else(|| UsageError("--amount is empty".into()))?,
                ),
                ("compensation", None) => {
                    return Err(UsageError("compensation needs --amount".into()).into())
                }
                (_, Some(_)) => {
                    return Err(UsageError("--amount goes with compensation only".into()).into())
                }
                _ => None,
            };
            let at = match selection::at_time(at.as_deref())? {
                Some(local) => now_utc(&shop, Some(local), None).unwrap_or(local),
                None => chrono::Utc::now().naive_utc(),
            };
            let a = ReviewAction {
                review_id: id.clone(),
                kind: action.clone(),
                at,
                by: Some(actor.login.clone()),
                amount_minor,
                note: note.clone(),
            };
            store.add_review_action(&shop, &a).map_err(|e| match e {
                zhanggui_storage::StoreError::NotFound(what) => {
                    anyhow::Error::from(UsageError(format!("no {what}")))
                }
                e => e.into(),
            })?;
            println!("{id}: {action} recorded");
            Ok(ExitCode::SUCCESS)
        }
        ReviewCommand::Metrics { days } => {
            let all = reviewed(&store, &shop, None)?;
            let since = match days {
                Some(d) if *d < 1 => {
                    return Err(UsageError("--days: at least 1".into()).into());
                }
                Some(d) => all
                    .iter()
                    .map(|r| r.review.reviewed_at)
                    .max()
                    .map(|last| last - Duration::days(*d)),
                None => None,
            };
            let chosen: Vec<&Reviewed> = all
                .iter()
                .filter(|r| since.is_none_or(|s| r.review.reviewed_at > s))
                .collect();
            let m = monitor::metrics(&chosen);
            if cli.json {
                output::json_in(shop.currency, &m)?;
                return Ok(ExitCode::SUCCESS);
            }
            let pct = |x: Option<f64>| {
                x.map_or("unavailable: no reviews".to_owned(), |v| {
                    format!("{:.2}%", v * 100.0)
                })
            };
            println!("reviews                         {}", m.reviews);
            println!("bad (差评) / medium (中评)       {} / {}", m.bad, m.medium);
            println!("bad-review rate                 {}", pct(m.bad_rate));
            println!("medium-review rate              {}", pct(m.medium_rate));
            println!(
                "time to first contact (median)  {}",
                m.median_hours_to_contact
                    .map_or("unavailable: no contact recorded".to_owned(), |h| format!(
                        "{h:.1} h"
                    ))
            );
            println!(
                "contacted within 24 h           {}",
                m.contacted_within_24h.map_or(
                    "unavailable: no contact recorded".to_owned(),
                    |v| format!("{:.0}%", v * 100.0)
                )
            );
            println!(
                "bad reviews changed             {} of {} ({})",
                m.bad_changed,
                m.bad,
                m.bad_changed_share
                    .map_or("unavailable: no bad reviews".to_owned(), |v| format!(
                        "{:.0}%",
                        v * 100.0
                    ))
            );
            println!("open alerts                     {}", m.open_alerts);
            println!(
                "compensation offered            {}",
                Money::new(m.compensation_minor, shop.currency)
            );
            println!(
                "complaints (goods/service/logistics) {} / {} / {}",
                m.goods_complaints, m.service_complaints, m.logistics_complaints
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn reviewed(
    store: &DuckStore,
    shop: &Shop,
    suggester: Option<&Suggester>,
) -> anyhow::Result<Vec<Reviewed>> {
    Ok(review_all(
        store.reviews(shop)?,
        &store.review_actions(shop)?,
        suggester,
        SUGGESTED,
    ))
}

fn import(
    cli: &Cli,
    store: &DuckStore,
    shop: &Shop,
    file: &std::path::Path,
    map: &[String],
) -> anyhow::Result<ExitCode> {
    let overrides = zhanggui_import::side::parse_overrides(map).map_err(UsageError)?;
    let read = zhanggui_import::side::reviews::read_reviews(file, shop.timezone, &overrides)?;
    let saved = store.save_reviews(shop, &read.reviews)?;
    let alerts = review_all(store.reviews(shop)?, &store.review_actions(shop)?, None, 0)
        .iter()
        .filter(|r| r.alert)
        .count();
    for r in &read.rejected {
        eprintln!("row {}: {}", r.row, r.reason);
    }
    if cli.json {
        output::json(&serde_json::json!({
            "read": read.reviews.len(),
            "new": saved.new,
            "updated": saved.updated,
            "unchanged": saved.unchanged,
            "rejected": read.rejected,
            "open_alerts": alerts,
        }))?;
    } else {
        println!(
            "{} reviews read: {} new, {} updated, {} unchanged; {} rows rejected; {alerts} open alerts (zhanggui review list --alerts)",
            read.reviews.len(),
            saved.new,
            saved.updated,
            saved.unchanged,
            read.rejected.len()
        );
    }
    Ok(if read.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn rating_zh(r: &str) -> &'static str {
    match r {
        "bad" => "差评",
        "medium" => "中评",
        _ => "好评",
    }
}

/// `+ - ·`: praised, blamed, not mentioned, for goods, service and logistics.
fn dsr(r: &zhanggui_desk::reviews::Reading) -> String {
    use zhanggui_desk::reviews::Polarity;
    [r.goods, r.service, r.logistics]
        .iter()
        .map(|p| match p {
            Some(Polarity::Positive) => "+",
            Some(Polarity::Negative) => "-",
            None => "·",
        })
        .collect::<Vec<_>>()
        .join(" ")
}
