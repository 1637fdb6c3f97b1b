//! `zhanggui task ...`: order follow-ups (跟单) derived from the shop's orders, each with the
//! message to send filled for its order, and who follows it up and whether it is done.

use std::collections::BTreeMap;
use std::process::ExitCode;

use chrono::{Duration, NaiveDateTime, TimeZone};
use zhanggui_desk::tasks::{tasks, Kind, Limits, OrderState};
use zhanggui_desk::variables::values_for;
use zhanggui_desk::Template;
use zhanggui_domain::Shop;
use zhanggui_storage::{AccountStore, DuckStore, ScriptStore, Store};

use crate::cli::{Cli, TaskArgs, TaskCommand};
use crate::{db, output, selection, UsageError};

/// Orders older than this are not looked at.
const LOOK_BACK_DAYS: i64 = 7;

pub fn run(cli: &Cli, args: &TaskArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let mut shops = selection::shops(&store, args.shop.as_deref())?;
    if shops.len() > 1 {
        return Err(UsageError("several shops: name one with --shop".into()).into());
    }
    let shop = shops.remove(0);
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
            "`{s}` is not a task kind: unshipped, unshipped_late, unpaid or request"
        ))
    })?)
}

/// The moment to look from, in UTC: `--at` (shop-local) or the shop's last order.
fn now_utc(store: &DuckStore, shop: &Shop, at: Option<&str>) -> anyhow::Result<NaiveDateTime> {
    let local = match at {
        Some(text) => {
            NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M").map_err(|_| {
                UsageError(format!(
                    "--at: `{text}` is not a time like 2025-11-30 12:00"
                ))
            })?
        }
        None => store
            .data_span(shop)?
            .last_order
            .ok_or_else(|| UsageError(format!("{} has no orders yet", shop.name)))?,
    };
    Ok(shop
        .timezone
        .from_local_datetime(&local)
        .earliest()
        .map_or(local, |t| t.naive_utc()))
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
    let orders: Vec<OrderState> = store
        .follow_up_orders(shop, now - Duration::days(LOOK_BACK_DAYS))?
        .into_iter()
        // Orders after the moment looked from are not known yet.
        .filter(|o| o.created_at.or(o.paid_at).is_none_or(|t| t <= now))
        .map(|o| OrderState {
            order_no: o.order_no,
            created_at: o.created_at,
            paid_at: o.paid_at.filter(|t| *t <= now),
            shipped: o.shipped_at.is_some_and(|t| t <= now)
                || (o.shipped_at.is_none() && o.shipped_by_state),
            closed: o.closed,
            buyer_message: o.buyer_message,
        })
        .collect();
    let states: BTreeMap<(String, String), (Option<String>, bool)> = store
        .task_states(shop)?
        .into_iter()
        .map(|s| ((s.kind, s.order_no), (s.owner, s.done)))
        .collect();
    let library = store.scripts(shop, false)?;
    let local = |t: NaiveDateTime| {
        chrono::Utc
            .from_utc_datetime(&t)
            .with_timezone(&shop.timezone)
            .naive_local()
    };
    let mut rows = Vec::new();
    for t in tasks(&orders, now, limits) {
        let (owner, done) = states
            .get(&(t.kind.as_str().to_owned(), t.order_no.clone()))
            .cloned()
            .unwrap_or((None, false));
        if done && !all {
            continue;
        }
        let message = t.kind.script_shortcut().map(|shortcut| {
            let Some(script) = library
                .iter()
                .find(|s| s.shortcut.as_deref() == Some(shortcut) && s.scope == "public")
            else {
                return format!("(no public script with the shortcut {shortcut})");
            };
            match fill(store, shop, &script.body, &t.order_no) {
                Ok(text) => text,
                Err(e) => format!("({}: {e})", script.title),
            }
        });
        rows.push(serde_json::json!({
            "kind": t.kind,
            "order_no": t.order_no,
            "due": local(t.due),
            "request": t.request,
            "detail": t.detail,
            "owner": owner,
            "done": done,
            "message": message,
        }));
    }
    if cli.json {
        output::json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}  follow-ups at {} ({} open)",
        shop.name,
        local(now).format("%Y-%m-%d %H:%M"),
        rows.len()
    );
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let s = |k: &str| match &r[k] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                v => v.to_string(),
            };
            vec![
                s("kind"),
                s("order_no"),
                s("due").replace('T', " "),
                s("request"),
                s("detail"),
                s("owner"),
                s("message"),
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

/// A script's text filled for an order; a variable without a value is an error.
fn fill(store: &DuckStore, shop: &Shop, body: &str, order_no: &str) -> anyhow::Result<String> {
    let template = Template::parse(body)?;
    let values = values_for(shop.name.as_str(), store.order_for_script(shop, order_no)?);
    Ok(template.fill(&values)?)
}
