//! `zhanggui members segment ...`: saved segments (人群). A filter is checked when it is
//! typed, saved as JSON under a name, sized against the members as they are now, and
//! exported with the columns a re-marketing tool needs.

use std::process::ExitCode;

use serde::Serialize;
use zhanggui_analytics::members::filter::Filter;
use zhanggui_analytics::members::profile::{field_help, members, Members};
use zhanggui_domain::{Money, Shop};
use zhanggui_storage::{DuckStore, Store};
use zhanggui_tables::members::segment_sheet;
use zhanggui_tables::sheet::NumberFormat;

use super::members::{day, emit};
use crate::cli::{Cli, SegmentAction};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, action: &SegmentAction) -> anyhow::Result<ExitCode> {
    match action {
        SegmentAction::Fields => fields(cli),
        SegmentAction::Preview {
            shop,
            filter,
            until,
            top,
        } => {
            let filter = parse(filter)?;
            let store = db::open(cli)?;
            let shop = selection::one_shop(&store, shop.as_deref())?;
            let base = members(&store, &shop, day(until.as_deref())?)?;
            let chosen = base
                .select(&filter)
                .map_err(|e| UsageError(e.to_string()))?;
            if cli.json {
                output::json_in(
                    shop.currency,
                    &Preview {
                        shop: &base.shop,
                        until: base.until,
                        filter: filter.to_string(),
                        size: chosen.len(),
                        of: base.members.len(),
                        members: chosen.iter().take(*top).map(|m| (*m).clone()).collect(),
                    },
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            println!(
                "{}  {} of {} members on {} match: {filter}",
                base.shop,
                chosen.len(),
                base.members.len(),
                base.until
            );
            let sheet = segment_sheet(
                "preview",
                &base.shop,
                &chosen[..chosen.len().min(*top)],
                shop.currency,
                true,
            );
            println!("{}", sheet.render());
            Ok(ExitCode::SUCCESS)
        }
        SegmentAction::Save { shop, name, filter } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 60 {
                return Err(UsageError("a segment name has 1 to 60 characters".into()).into());
            }
            let filter = parse(filter)?;
            let store = db::open(cli)?;
            let shop = selection::one_shop(&store, shop.as_deref())?;
            let json = serde_json::to_string(&filter)?;
            let by = std::env::var("USER").ok();
            store.save_segment(&shop, name, &json, by.as_deref())?;
            let size = members(&store, &shop, None)
                .ok()
                .and_then(|base| base.select(&filter).ok().map(|c| c.len()));
            if cli.json {
                output::json(&serde_json::json!({
                    "shop": shop.name.to_string(), "name": name, "filter": filter.to_string(), "size": size
                }))?;
            } else {
                let size = size.map_or("-".to_owned(), |s| s.to_string());
                println!(
                    "saved segment {name} of {} ({size} members now): {filter}",
                    shop.name
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        SegmentAction::List { shop } => list(cli, shop.as_deref()),
        SegmentAction::Export {
            shop,
            name,
            filter,
            until,
            no_personal,
            export,
        } => {
            let store = db::open(cli)?;
            let shop = selection::one_shop(&store, shop.as_deref())?;
            let (title, filter) = match (name, filter) {
                (_, Some(text)) => ("segment".to_owned(), parse(text)?),
                (Some(name), None) => (name.clone(), saved(&store, &shop, name)?),
                (None, None) => unreachable!("clap requires a name or --filter"),
            };
            let base = members(&store, &shop, day(until.as_deref())?)?;
            let chosen = base
                .select(&filter)
                .map_err(|e| UsageError(e.to_string()))?;
            let sheet = segment_sheet(&title, &base.shop, &chosen, shop.currency, !no_personal);
            if cli.json {
                output::json(&sheet_rows(&sheet))?;
                return Ok(ExitCode::SUCCESS);
            }
            let head = format!(
                "{}  {title}: {} members on {}",
                base.shop,
                chosen.len(),
                base.until
            );
            emit(&[sheet], export, &[head])?;
            Ok(ExitCode::SUCCESS)
        }
        SegmentAction::Delete { shop, name } => {
            let store = db::open(cli)?;
            let shop = selection::one_shop(&store, shop.as_deref())?;
            if !store.delete_segment(&shop, name)? {
                return Err(
                    UsageError(format!("{} has no segment named {name}", shop.name)).into(),
                );
            }
            println!("deleted segment {name} of {}", shop.name);
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[derive(Serialize)]
struct Preview<'a> {
    shop: &'a str,
    until: chrono::NaiveDate,
    filter: String,
    size: usize,
    of: usize,
    members: Vec<zhanggui_analytics::members::profile::Member>,
}

fn parse(text: &str) -> anyhow::Result<Filter> {
    Ok(Filter::parse(text).map_err(|e| UsageError(format!("the filter {e}")))?)
}

fn saved(store: &DuckStore, shop: &Shop, name: &str) -> anyhow::Result<Filter> {
    let found = store
        .segments(shop)?
        .into_iter()
        .find(|s| s.name == name)
        .ok_or_else(|| UsageError(format!("{} has no segment named {name}", shop.name)))?;
    Ok(serde_json::from_str(&found.filter)?)
}

fn list(cli: &Cli, shop: Option<&str>) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, shop)?;
    let saved = store.segments(&shop)?;
    let base: Option<Members> = members(&store, &shop, None).ok();
    let rows: Vec<serde_json::Value> = saved
        .iter()
        .map(|s| {
            let filter: Option<Filter> = serde_json::from_str(&s.filter).ok();
            let size = match (&filter, &base) {
                (Some(f), Some(b)) => b.select(f).ok().map(|c| c.len()),
                _ => None,
            };
            serde_json::json!({
                "name": s.name,
                "filter": filter.map_or_else(|| "(unreadable)".to_owned(), |f| f.to_string()),
                "size": size,
                "saved_by": s.saved_by,
                "saved_at": s.saved_at,
            })
        })
        .collect();
    if cli.json {
        output::json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            ["name", "size", "filter", "saved_by", "saved_at"]
                .iter()
                .map(|k| match &r[*k] {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => "-".into(),
                    v => v.to_string(),
                })
                .collect()
        })
        .collect();
    println!("{}  saved segments", shop.name);
    println!(
        "{}",
        output::table(&["name", "size", "filter", "saved by", "saved at"], &table)
    );
    Ok(ExitCode::SUCCESS)
}

fn fields(cli: &Cli) -> anyhow::Result<ExitCode> {
    let help = field_help();
    if cli.json {
        let rows: Vec<_> = help
            .iter()
            .map(|(n, m)| serde_json::json!({"field": n, "meaning": m}))
            .collect();
        output::json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = help
        .iter()
        .map(|(n, m)| vec![(*n).to_owned(), (*m).to_owned()])
        .collect();
    println!("{}", output::table(&["field", "meaning"], &rows));
    println!(
        "Combine comparisons with and, or, not and parentheses: \
         r >= 4 and (p_alive < 0.5 or category has 女装)"
    );
    Ok(ExitCode::SUCCESS)
}

/// A sheet as JSON objects keyed by its header.
fn sheet_rows(sheet: &zhanggui_tables::Sheet) -> Vec<serde_json::Map<String, serde_json::Value>> {
    sheet
        .rows
        .iter()
        .map(|row| {
            sheet
                .header
                .iter()
                .zip(row)
                .map(|(h, c)| {
                    let v = match c {
                        zhanggui_tables::Cell::Text(t) => serde_json::Value::from(t.clone()),
                        zhanggui_tables::Cell::Number(n, NumberFormat::Money(c)) => {
                            serde_json::to_value(Money::new(n.round() as i64, *c))
                                .unwrap_or(serde_json::Value::Null)
                        }
                        zhanggui_tables::Cell::Number(n, _) => serde_json::Value::from(*n),
                        zhanggui_tables::Cell::Empty => serde_json::Value::Null,
                    };
                    (h.clone(), v)
                })
                .collect()
        })
        .collect()
}
