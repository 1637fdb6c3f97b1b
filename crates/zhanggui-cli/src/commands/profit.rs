//! `zhanggui profit`: the profit model per order, SKU, product, category, day, month or
//! channel for a period (net sales down to CM1, CM2 and net profit), with the products whose
//! costs are missing listed rather than counted at zero; by product, each product's role
//! (引流款, 利润款, 形象款, 滞销, 常规款) with the thresholds used.

use std::process::ExitCode;

use zhanggui_analytics::period::PeriodSpec;
use zhanggui_analytics::profit::profit;
use zhanggui_analytics::profit_shops::{pnl_across_shops, ShopsPnlError};
use zhanggui_analytics::report::anchor_or_last;
use zhanggui_analytics::roles::{assign_roles, RoleThresholds, SETTING_PREFIX};
use zhanggui_domain::Currency;
use zhanggui_storage::{DuckStore, ProfitBy, Store};
use zhanggui_tables::profit::{sheets, shops_sheets};
use zhanggui_tables::sheet::{to_csv, write_xlsx};

use crate::cli::{Cli, ProfitArgs};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &ProfitArgs) -> anyhow::Result<ExitCode> {
    let by = ProfitBy::parse(&args.by).ok_or_else(|| {
        UsageError(format!(
            "--by {}: order, sku, product, category, day, month or channel",
            args.by
        ))
    })?;
    let store = db::open(cli)?;
    if args.all_shops {
        return all_shops(cli, args, &store);
    }
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    let spec = PeriodSpec::parse(&args.period).map_err(|e| UsageError(e.to_string()))?;
    let anchor = anchor_or_last(&store, &shop, selection::until(args.until.as_deref())?)?;
    let mut thresholds = RoleThresholds::from_settings(&store.settings(&shop)?)?;
    for pair in &args.set {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| UsageError(format!("--set {pair}: write KEY=VALUE")))?;
        thresholds
            .set(key.trim(), value)
            .map_err(|e| UsageError(e.to_string()))?;
        if args.save {
            store.set_setting(
                &shop,
                &format!("{SETTING_PREFIX}{}", key.trim()),
                Some(value.trim()),
            )?;
        }
    }
    let mut report = profit(&store, &shop, spec.resolve(anchor), by)?;
    if by == ProfitBy::Product {
        assign_roles(&store, &shop, &mut report, thresholds)?;
    }
    if cli.json {
        output::json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let all = sheets(&report, shop.currency);
    if args.export.csv {
        print!("{}", to_csv(&all)?);
    } else if let Some(path) = &args.export.xlsx {
        write_xlsx(&all, path)?;
        println!("wrote {} ({} sheets)", path.display(), all.len());
    } else {
        for sheet in &all {
            println!("{}\n{}\n", sheet.name, sheet.render());
        }
        if !report.missing_cost.is_empty() {
            println!(
                "{} products sold without a cost price for every unit: their gross profit is \
                 unknown, not counted. Add them with: zhanggui costs import --shop {} FILE",
                report.missing_cost.len(),
                shop.name
            );
        }
        if !report.missing_fees.is_empty() {
            println!(
                "{} products with orders that no bill covers and no fee rate estimates: their \
                 CM1 and net profit are unknown, not counted.",
                report.missing_fees.len()
            );
        }
        if let Some(used) = &report.roles {
            let t = used.thresholds;
            println!(
                "roles: 形象款 price ≥ {}× the median and < {:.1}% of units; 滞销 < {:.1}% of \
                 sales; 引流款 ≥ {}× the average product's share of {} and CM1 margin < {:.0}%; \
                 利润款 CM1 margin ≥ {:.0}% (change with --set KEY=VALUE)",
                t.image_price,
                t.image_units_share * 100.0,
                t.slow_share * 100.0,
                t.traffic_factor,
                used.traffic_from,
                t.traffic_margin * 100.0,
                t.profit_margin * 100.0
            );
        }
        for note in &report.notes {
            println!("note: {note}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--all-shops`: every shop's P&L by month in one currency.
fn all_shops(cli: &Cli, args: &ProfitArgs, store: &DuckStore) -> anyhow::Result<ExitCode> {
    let shops = selection::shops(store, None)?;
    let view = match &args.currency {
        Some(code) => {
            Currency::parse(code).map_err(|e| UsageError(format!("--currency {code}: {e}")))?
        }
        None => shops[0].currency,
    };
    let mut rates = std::collections::BTreeMap::new();
    for pair in &args.rates {
        let bad = || UsageError(format!("--rate {pair}: write CODE=RATE, e.g. USD=7.10"));
        let (code, rate) = pair.split_once('=').ok_or_else(bad)?;
        let rate: f64 = rate
            .trim()
            .parse()
            .ok()
            .filter(|r: &f64| *r > 0.0 && r.is_finite())
            .ok_or_else(bad)?;
        let code = Currency::parse(code.trim()).map_err(|_| bad())?;
        rates.insert(code.code().to_owned(), rate);
    }
    let spec = PeriodSpec::parse(&args.period).map_err(|e| UsageError(e.to_string()))?;
    // "The last N days" end on the latest day any shop has data.
    let mut anchor = None;
    for shop in &shops {
        if let Ok(day) = anchor_or_last(store, shop, selection::until(args.until.as_deref())?) {
            anchor = anchor.max(Some(day));
        }
    }
    let anchor = anchor.ok_or_else(|| UsageError("no shop has data yet".into()))?;
    let pnl = match pnl_across_shops(store, &shops, spec.resolve(anchor), view, &rates) {
        Err(e @ ShopsPnlError::NoRate { .. }) => return Err(UsageError(e.to_string()).into()),
        other => other?,
    };
    if cli.json {
        output::json(&pnl)?;
        return Ok(ExitCode::SUCCESS);
    }
    let all = shops_sheets(&pnl);
    if args.export.csv {
        print!("{}", to_csv(&all)?);
    } else if let Some(path) = &args.export.xlsx {
        write_xlsx(&all, path)?;
        println!("wrote {} ({} sheets)", path.display(), all.len());
    } else {
        for sheet in &all {
            println!("{}\n{}\n", sheet.name, sheet.render());
        }
        println!(
            "Each shop counts the products whose every cost is known (net sales (every cost \
             known)); zhanggui profit --shop S lists the others."
        );
    }
    Ok(ExitCode::SUCCESS)
}
