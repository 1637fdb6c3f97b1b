//! `zhanggui task ...`: order follow-ups (跟单) derived from the shop's orders, each with the
//! message to send filled for its order, and who follows it up and whether it is done.

use std::process::ExitCode;

use chrono::NaiveDateTime;
use zhanggui_desk::followups;
use zhanggui_desk::tasks::{Kind, Limits};
use zhanggui_domain::Shop;
use zhanggui_storage::{AccountStore, DuckStore, ReviewStore, ScriptStore, Store};

use crate::cli::{Cli, TaskArgs, TaskCommand};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &TaskArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    let by = args.actor.clone().unwrap_or_else(|| "admin".to_owned());
    if let Some(login) = &args.actor {
        if store.user_by_login(login)?.is_none() {
            return Err(UsageError(format!("--as: no user {login}")).into());
        }
    }
    match &args.command {
        TaskCommand::List {
            at,
            unshipped_hours,
            late_hours,
            unpaid_hours,
            stalled_hours,
            all,
        } => {
            if !(1..=720).contains(unshipped_hours) || late_hours <= unshipped_hours {
                return Err(UsageError(
                    "--unshipped-hours from 1 to 720, and --late-hours above it".into(),
                )
                .into());
            }
            let limits = Limits {
                unshipped_hours: *unshipped_hours,
                unshipped_late_hours: *late_hours,
                unpaid_window_hours: (*unpaid_hours).clamp(1, 720),
                tracking_stalled_hours: (*stalled_hours).clamp(1, 720),
                ..Limits::default()
            };
            list(cli, &store, &shop, at.as_deref(), &limits, *all)
        }
        TaskCommand::Assign { kind, order, login } => {
            let kind = parse_kind(kind)?;
            if store.user_by_login(login)?.is_none() {
                return Err(UsageError(format!("no user {login}")).into());
            }
            store.set_task_state(&shop, kind.as_str(), order, Some(login), false, Some(&by))?;
            println!("{} {order}: {login}", kind.as_str());
            Ok(ExitCode::SUCCESS)
        }
        TaskCommand::Tracking { file, map } => {
            let overrides = zhanggui_import::side::parse_overrides(map).map_err(UsageError)?;
            let read =
                zhanggui_import::side::logistics::read_events(file, shop.timezone, &overrides)?;
            let new = store.save_logistics_events(&shop, &read.events)?;
            for r in &read.rejected {
                eprintln!("row {}: {}", r.row, r.reason);
            }
            if cli.json {
                output::json(&serde_json::json!({
                    "events": read.events.len(),
                    "new": new,
                    "rejected": read.rejected,
                }))?;
            } else {
                println!(
                    "{} events read, {new} new, {} rows rejected",
                    read.events.len(),
                    read.rejected.len()
                );
            }
            Ok(if read.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        TaskCommand::Done { kind, order } => {
            let kind = parse_kind(kind)?;
            store.set_task_state(&shop, kind.as_str(), order, None, true, Some(&by))?;
            println!("{} {order}: done", kind.as_str());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_kind(s: &str) -> anyhow::Result<Kind> {
    Ok(Kind::parse(s).ok_or_else(|| {
        UsageError(format!(
            "`{s}` is not a task kind: unshipped, unshipped_late, tracking_stalled, unpaid or request"
        ))
    })?)
}

/// The moment to look from, in UTC: `--at` (shop-local) or the shop's last order.
fn now_utc(store: &DuckStore, shop: &Shop, at: Option<&str>) -> anyhow::Result<NaiveDateTime> {
    let at = selection::at_time(at)?;
    Ok(
        followups::now_utc(shop, at, store.data_span(shop)?.last_order)
            .ok_or_else(|| UsageError(format!("{} has no orders yet", shop.name)))?,
    )
}

fn list(
    cli: &Cli,
    store: &DuckStore,
    shop: &Shop,
    at: Option<&str>,
    limits: &Limits,
    all: bool,
) -> anyhow::Result<ExitCode> {
    let now = now_utc(store, shop, at)?;
    let open = followups::open_tasks(store, shop, now, limits, all)?;
    if cli.json {
        output::json(&open)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}  follow-ups at {} ({} open)",
        shop.name,
        followups::shop_local(shop, now).format("%Y-%m-%d %H:%M"),
        open.len()
    );
    let table: Vec<Vec<String>> = open
        .iter()
        .map(|t| {
            vec![
                t.kind.as_str().to_owned(),
                t.order_no.clone(),
                t.due.format("%Y-%m-%d %H:%M:%S").to_string(),
                t.request.unwrap_or("").to_owned(),
                t.detail.clone(),
                t.owner.clone().unwrap_or_default(),
                t.message.clone().unwrap_or_default(),
            ]
        })
        .collect();
    println!(
        "{}",
        output::table(
            &["kind", "order", "due", "request", "detail", "owner", "message"],
            &table
        )
    );
    Ok(ExitCode::SUCCESS)
}
