//! `zhanggui today`: the day so far against the same time yesterday and a week ago.

use std::process::ExitCode;

use chrono::NaiveDateTime;
use zhanggui_analytics::{today, Today};
use zhanggui_domain::Currency;

use crate::cli::{Cli, TodayArgs};
use crate::{db, output, selection, UsageError};
use zhanggui_tables::sheet::{Cell, NumberFormat, Sheet};

pub fn run(cli: &Cli, args: &TodayArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shops = selection::shops(&store, args.shop.as_deref())?;
    let at = args
        .at
        .as_deref()
        .map(|t| {
            NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M")
                .map_err(|_| UsageError(format!("--at: `{t}` is not a time like 2025-11-11 14:00")))
        })
        .transpose()?;
    let all: Vec<(Currency, Today)> =
        selection::each_shop(&shops, |shop| Ok(today(&store, shop, at)?))?
            .into_iter()
            .map(|(shop, t)| (shop.currency, t))
            .collect();
    if cli.json {
        output::json_shops(&all)?;
    } else {
        for (currency, t) in &all {
            println!(
                "{}  {} up to {}\n{}\n",
                t.shop,
                t.cut.date(),
                t.cut.format("%H:%M"),
                sheet(t, *currency).render()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn sheet(t: &Today, currency: Currency) -> Sheet {
    let mut sheet = Sheet::new(
        "today",
        &[
            "指标",
            "metric",
            "today",
            "yesterday",
            "vs yesterday",
            "a week ago",
            "vs a week ago",
        ],
    );
    for k in t.kpis.iter().filter(|k| k.today.value.is_some()) {
        let f = NumberFormat::of_unit(k.unit, currency);
        sheet.rows.push(vec![
            Cell::text(k.zh),
            Cell::text(k.id),
            Cell::number(k.today.value, f),
            Cell::number(k.yesterday.value, f),
            Cell::number(k.vs_yesterday, NumberFormat::Percent),
            Cell::number(k.week_ago.value, f),
            Cell::number(k.vs_week_ago, NumberFormat::Percent),
        ]);
    }
    sheet
}
