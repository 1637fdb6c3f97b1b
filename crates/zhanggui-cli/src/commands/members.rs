//! `zhanggui members rfm|cohorts|clv|winback|memberday`: RFM scores and segments, cohorts
//! and repurchase rates, predicted value, the win-back list and the member-day effect
//! (saved segments are in `segments.rs`).

use std::process::ExitCode;

use chrono::NaiveDate;
use zhanggui_analytics::members::base::{moves, rfm, Moves, Rfm};
use zhanggui_analytics::members::cohorts::{cohorts, first_order_repeats};
use zhanggui_analytics::members::member_day::{member_day, MemberDay};
use zhanggui_analytics::members::value::{
    value_with, Fitted, Model, Options, PurchaseFit, Value, Verdict,
};
use zhanggui_analytics::members::winback::win_back;
use zhanggui_domain::{Currency, Shop};
use zhanggui_storage::{DuckStore, FirstOrderBy};
use zhanggui_tables::members::{cohort_sheet, first_order_sheet, segments, win_back_sheet};
use zhanggui_tables::{to_csv, write_xlsx, Cell, NumberFormat, Sheet};

use crate::cli::{Cli, ExportArgs, MembersArgs, MembersCommand};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &MembersArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        MembersCommand::Rfm {
            shop,
            until,
            bins,
            moves,
            export,
        } => run_rfm(
            cli,
            shop.as_deref(),
            day(until.as_deref())?,
            *bins,
            *moves,
            export,
        ),
        MembersCommand::Cohorts {
            shop,
            until,
            months,
            by,
            export,
        } => {
            let until = day(until.as_deref())?;
            match by.as_str() {
                "category" => {
                    run_first_order(cli, shop.as_deref(), until, FirstOrderBy::Category, export)
                }
                "product" => {
                    run_first_order(cli, shop.as_deref(), until, FirstOrderBy::Product, export)
                }
                _ => run_cohorts(cli, shop.as_deref(), until, *months, export),
            }
        }
        MembersCommand::Segment { action } => super::segments::run(cli, action),
        MembersCommand::Memberday {
            shop,
            weekday,
            since,
            until,
            weeks,
        } => {
            let weekday: chrono::Weekday = weekday.parse().map_err(|_| {
                UsageError(format!(
                    "--weekday: `{weekday}` is not a day: mon, tue, ... sun"
                ))
            })?;
            let since = day(Some(since))?.expect("given");
            run_member_day(
                cli,
                shop.as_deref(),
                weekday,
                since,
                day(until.as_deref())?,
                *weeks,
            )
        }
        MembersCommand::Winback {
            shop,
            until,
            months,
            top,
            export,
        } => run_winback(
            cli,
            shop.as_deref(),
            day(until.as_deref())?,
            *months,
            *top,
            export,
        ),
        MembersCommand::Clv {
            shop,
            until,
            months,
            discount,
            weeks,
            model,
            top,
            export,
        } => {
            if weeks.is_some_and(|w| !(w > 0.0 && w <= 520.0)) {
                return Err(UsageError("--weeks: from 0 to 520".into()).into());
            }
            let model = if model == "pareto" {
                Model::ParetoNbd
            } else {
                Model::BgNbd
            };
            if !(0.0..1.0).contains(discount) {
                return Err(UsageError("--discount: a rate per month from 0 to 1".into()).into());
            }
            let until = day(until.as_deref())?;
            let options = Options {
                horizon_months: *months,
                monthly_discount: *discount,
                model,
                horizon_weeks: *weeks,
            };
            run_clv(cli, shop.as_deref(), until, &options, *top, export)
        }
    }
}

pub(super) fn day(text: Option<&str>) -> anyhow::Result<Option<NaiveDate>> {
    Ok(text
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| UsageError(format!("--until: `{d}` is not a date like 2025-10-31")))
        })
        .transpose()?)
}

/// Prints sheets as the flags ask: CSV, a workbook, or tables on screen.
pub(super) fn emit(sheets: &[Sheet], export: &ExportArgs, heads: &[String]) -> anyhow::Result<()> {
    if export.csv {
        print!("{}", to_csv(sheets)?);
    } else if let Some(path) = &export.xlsx {
        write_xlsx(sheets, path)?;
        println!("wrote {}", path.display());
    } else {
        for (head, sheet) in heads.iter().zip(sheets) {
            println!("{head}\n{}\n", sheet.render());
        }
    }
    Ok(())
}

fn run_cohorts(
    cli: &Cli,
    shop: Option<&str>,
    until: Option<NaiveDate>,
    months: usize,
    export: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let Some(all) = per_shop(cli, shop, |store, s| Ok(cohorts(store, s, until)?))? else {
        return Ok(ExitCode::SUCCESS);
    };
    let sheets: Vec<Sheet> = all
        .iter()
        .map(|(cur, c)| cohort_sheet(c, *cur, months))
        .collect();
    let heads: Vec<String> = all
        .iter()
        .map(|(_, c)| {
            let pct = |v: Option<f64>| v.map_or("-".into(), |v| format!("{:.1}%", v * 100.0));
            format!(
                "{}  cohorts until {}; repurchase within 30 days {}, within 90 days {}",
                c.shop,
                c.until,
                pct(c.repeat_30),
                pct(c.repeat_90)
            )
        })
        .collect();
    emit(&sheets, export, &heads)?;
    Ok(ExitCode::SUCCESS)
}

fn run_first_order(
    cli: &Cli,
    shop: Option<&str>,
    until: Option<NaiveDate>,
    by: FirstOrderBy,
    export: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let Some(all) = per_shop(cli, shop, |store, s| {
        Ok(first_order_repeats(store, s, until, by)?)
    })?
    else {
        return Ok(ExitCode::SUCCESS);
    };
    let what = match by {
        FirstOrderBy::Category => "category",
        FirstOrderBy::Product => "product",
    };
    let heads: Vec<String> = all
        .iter()
        .map(|(_, r)| {
            format!(
                "{}  repurchase by the {what} of the first order, until {}",
                r.shop, r.until
            )
        })
        .collect();
    let sheets: Vec<Sheet> = all.iter().map(|(_, r)| first_order_sheet(r)).collect();
    emit(&sheets, export, &heads)?;
    Ok(ExitCode::SUCCESS)
}

fn run_rfm(
    cli: &Cli,
    shop: Option<&str>,
    until: Option<NaiveDate>,
    bins: u32,
    show_moves: bool,
    export: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    if !(2..=10).contains(&bins) {
        return Err(UsageError("--bins: from 2 to 10".into()).into());
    }
    let store = db::open(cli)?;
    let shops = selection::shops(&store, shop)?;
    if show_moves {
        let all: Vec<Moves> = selection::each_shop(&shops, |s| Ok(moves(&store, s, until, bins)?))?
            .into_iter()
            .map(|(_, m)| m)
            .collect();
        let sheets: Vec<Sheet> = all.iter().map(moves_sheet).collect();
        if cli.json {
            output::json(&all)?;
        } else if export.csv {
            print!("{}", to_csv(&sheets)?);
        } else if let Some(path) = &export.xlsx {
            write_xlsx(&sheets, path)?;
            println!("wrote {}", path.display());
        } else {
            for (m, sheet) in all.iter().zip(&sheets) {
                println!(
                    "{}  segments {} -> {} ({} new customers)\n{}\n",
                    m.shop,
                    m.from,
                    m.to,
                    m.new_customers,
                    sheet.render()
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let all: Vec<(Currency, Rfm)> =
        selection::each_shop(&shops, |s| Ok(rfm(&store, s, until, bins)?))?
            .into_iter()
            .map(|(s, r)| (s.currency, r))
            .collect();
    if cli.json {
        output::json_shops(&all)?;
        return Ok(ExitCode::SUCCESS);
    }
    if export.csv {
        let sheets: Vec<Sheet> = all.iter().map(|(c, r)| customers(r, *c)).collect();
        print!("{}", to_csv(&sheets)?);
    } else if let Some(path) = &export.xlsx {
        let sheets: Vec<Sheet> = all
            .iter()
            .flat_map(|(c, r)| [segments(r, *c), customers(r, *c)])
            .collect();
        write_xlsx(&sheets, path)?;
        println!("wrote {}", path.display());
    } else {
        for (c, r) in &all {
            println!(
                "{}  RFM until {} ({} customers, {} ranks)\n{}\n",
                r.shop,
                r.until,
                r.customers.len(),
                r.bins,
                segments(r, *c).render()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn customers(r: &Rfm, currency: Currency) -> Sheet {
    let mut sheet = Sheet::new(
        &format!("{} 会员 customers", r.shop),
        &[
            "buyer",
            "recency_days",
            "orders",
            "amount",
            "r",
            "f",
            "m",
            "segment",
        ],
    );
    for c in &r.customers {
        let h = &c.history;
        sheet.rows.push(vec![
            Cell::text(&h.buyer),
            Cell::Number(h.recency_days as f64, NumberFormat::Count),
            Cell::Number(h.orders as f64, NumberFormat::Count),
            Cell::Number(h.amount as f64, NumberFormat::Money(currency)),
            Cell::Number(f64::from(c.r), NumberFormat::Count),
            Cell::Number(f64::from(c.f), NumberFormat::Count),
            Cell::Number(f64::from(c.m), NumberFormat::Count),
            Cell::text(c.segment.zh()),
        ]);
    }
    sheet
}

fn moves_sheet(m: &Moves) -> Sheet {
    let mut sheet = Sheet::new(
        &format!("{} 分层迁移 moves", m.shop),
        &["from", "to", "customers"],
    );
    for mv in &m.moves {
        sheet.rows.push(vec![
            Cell::text(mv.from.zh()),
            Cell::text(mv.to.zh()),
            Cell::Number(mv.customers as f64, NumberFormat::Count),
        ]);
    }
    sheet
}

fn run_clv(
    cli: &Cli,
    shop: Option<&str>,
    until: Option<NaiveDate>,
    options: &Options,
    top: usize,
    export: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let Some(all) = per_shop(cli, shop, |store, s| {
        Ok(value_with(store, s, until, options)?)
    })?
    else {
        return Ok(ExitCode::SUCCESS);
    };
    let limit = row_limit(export, top);
    let mut sheets = Vec::new();
    let mut heads = Vec::new();
    for (currency, v) in &all {
        match &v.verdict {
            Verdict::TooLittleHistory(t) => {
                let days = |d: f64| format!("{d:.1}");
                eprintln!(
                    "{}  until {}: too little history for a fit ({}).\n  mean days between a buyer's purchases: {} (95% interval {})",
                    v.shop,
                    v.until,
                    t.reason,
                    t.mean_days_between.map_or("-".into(), days),
                    t.interval_95
                        .map_or("-".into(), |(a, b)| format!("{} .. {}", days(a), days(b)))
                );
            }
            Verdict::Fitted(f) => {
                heads.push(clv_head(v, f, *currency));
                sheets.push(clv_sheet(v, f, *currency, limit));
            }
        }
    }
    emit(&sheets, export, &heads)?;
    Ok(ExitCode::SUCCESS)
}

fn clv_head(v: &Value, f: &Fitted, currency: Currency) -> String {
    let (name, params, std_errors, ll) = match &f.purchases {
        PurchaseFit::BgNbd(b) => (
            "BG/NBD",
            [("r", b.r), ("alpha", b.alpha), ("a", b.a), ("b", b.b)],
            b.std_errors,
            b.log_likelihood,
        ),
        PurchaseFit::ParetoNbd(p) => (
            "Pareto/NBD",
            [("r", p.r), ("alpha", p.alpha), ("s", p.s), ("beta", p.beta)],
            p.std_errors,
            p.log_likelihood,
        ),
    };
    let mut head = format!(
        "{}  until {} ({} buyers): {name}",
        v.shop, v.until, v.buyers
    );
    for (i, (key, value)) in params.iter().enumerate() {
        head.push_str(&format!(" {key} {value:.3}"));
        if let Some(se) = std_errors {
            head.push_str(&format!(" ±{:.3}", se[i]));
        }
    }
    head.push_str(&format!(" LL {ll:.1}"));
    if std_errors.is_none() {
        head.push_str(
            " (no standard errors: the fit sits at the edge of the parameter space, \
             e.g. purchase rates that barely vary between customers)",
        );
    }
    if let Some(g) = &f.gamma_gamma {
        head.push_str(&format!(
            "; Gamma-Gamma p {:.3} q {:.3} gamma {:.3} {} LL {:.1}",
            g.p,
            g.q,
            zhanggui_domain::money_json::major_unrounded(g.gamma, currency),
            currency,
            g.log_likelihood
        ));
    }
    head.push_str(&format!(
        "\nlifetime value over {} months at {:.1}% a month",
        v.horizon_months,
        v.monthly_discount * 100.0
    ));
    head
}

fn clv_sheet(v: &Value, f: &Fitted, currency: Currency, limit: usize) -> Sheet {
    let money = NumberFormat::Money(currency);
    let mut sheet = Sheet::new(
        &format!("{} 客户价值 clv", v.shop),
        &[
            "buyer",
            "orders",
            "paid",
            "P(active)",
            "expected orders",
            "expected order value",
            "lifetime value",
        ],
    );
    for c in f.customers.iter().take(limit) {
        sheet.rows.push(vec![
            Cell::text(&c.buyer),
            Cell::Number(c.orders as f64, NumberFormat::Count),
            Cell::Number(c.amount as f64, money),
            Cell::Number(c.probability_alive, NumberFormat::Percent),
            Cell::Number(c.expected_orders, NumberFormat::Decimal),
            Cell::Number(c.expected_value, money),
            Cell::Number(c.lifetime_value, money),
        ]);
    }
    sheet
}

fn run_winback(
    cli: &Cli,
    shop: Option<&str>,
    until: Option<NaiveDate>,
    months: u32,
    top: usize,
    export: &ExportArgs,
) -> anyhow::Result<ExitCode> {
    let Some(all) = per_shop(cli, shop, |store, s| Ok(win_back(store, s, until, months)?))? else {
        return Ok(ExitCode::SUCCESS);
    };
    let limit = row_limit(export, top);
    let mut sheets = Vec::new();
    let mut heads = Vec::new();
    for (currency, w) in &all {
        if let Some(why) = &w.unavailable {
            eprintln!("{}  until {}: no win-back list: {why}", w.shop, w.until);
            continue;
        }
        heads.push(format!(
            "{}  win-back until {}: {} customers slipping away (value at risk over {} months)",
            w.shop,
            w.until,
            w.customers.len(),
            w.horizon_months
        ));
        let sheet = win_back_sheet(w, *currency, limit);
        sheets.push(sheet);
    }
    emit(&sheets, export, &heads)?;
    Ok(ExitCode::SUCCESS)
}

fn run_member_day(
    cli: &Cli,
    shop: Option<&str>,
    weekday: chrono::Weekday,
    since: NaiveDate,
    until: Option<NaiveDate>,
    weeks: i64,
) -> anyhow::Result<ExitCode> {
    if !(2..=104).contains(&weeks) {
        return Err(UsageError("--weeks: from 2 to 104".into()).into());
    }
    let store = db::open(cli)?;
    let shops = selection::shops(&store, shop)?;
    let all: Vec<MemberDay> = selection::each_shop(&shops, |s| {
        Ok(member_day(&store, s, weekday, since, until, weeks)?)
    })?
    .into_iter()
    .map(|(_, m)| m)
    .collect();
    if cli.json {
        output::json(&all)?;
        return Ok(ExitCode::SUCCESS);
    }
    for m in &all {
        println!(
            "{}  member day {} since {} (until {}): against the other days of its week",
            m.shop, m.weekday, m.since, m.until
        );
        let pct = |v: f64| format!("{:+.1}%", v * 100.0);
        let rows: Vec<Vec<String>> = m
            .lifts
            .iter()
            .map(|(id, l)| match l {
                Some(l) => vec![
                    (*id).to_owned(),
                    pct(l.lift),
                    format!("{} .. {}", pct(l.low), pct(l.high)),
                    format!("{} / {}", l.weeks_before, l.weeks_since),
                ],
                None => vec![
                    (*id).to_owned(),
                    "-".into(),
                    "too few whole weeks or no data".into(),
                    String::new(),
                ],
            })
            .collect();
        println!(
            "{}\n",
            output::table(
                &["metric", "lift", "95% interval", "weeks before / since"],
                &rows
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Computes `f` for each shop; with `--json` prints the results and returns `None`.
pub(super) fn per_shop<T: serde::Serialize>(
    cli: &Cli,
    shop: Option<&str>,
    f: impl Fn(&DuckStore, &Shop) -> anyhow::Result<T>,
) -> anyhow::Result<Option<Vec<(Currency, T)>>> {
    let store = db::open(cli)?;
    let shops = selection::shops(&store, shop)?;
    let all: Vec<(Currency, T)> = selection::each_shop(&shops, |s| f(&store, s))?
        .into_iter()
        .map(|(s, v)| (s.currency, v))
        .collect();
    if cli.json {
        output::json_shops(&all)?;
        return Ok(None);
    }
    Ok(Some(all))
}

/// Rows shown on screen; files get them all.
pub(super) fn row_limit(export: &ExportArgs, top: usize) -> usize {
    if export.csv || export.xlsx.is_some() {
        usize::MAX
    } else {
        top
    }
}
