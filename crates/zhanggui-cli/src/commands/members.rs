//! `zhanggui members rfm`: recency, frequency and monetary scores, and how many customers
//! and how much revenue each of the eight segments holds.

use std::process::ExitCode;

use chrono::NaiveDate;
use zhanggui_analytics::members::base::{moves, rfm, Moves, Rfm};
use zhanggui_domain::Currency;
use zhanggui_tables::{to_csv, write_xlsx, Cell, NumberFormat, Sheet};

use crate::cli::{Cli, MembersArgs, MembersCommand};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &MembersArgs) -> anyhow::Result<ExitCode> {
    let MembersCommand::Rfm {
        shop,
        until,
        bins,
        moves: show_moves,
        export,
    } = &args.command;
    if !(2..=10).contains(bins) {
        return Err(UsageError("--bins: from 2 to 10".into()).into());
    }
    let until = until
        .as_deref()
        .map(|d| {
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| UsageError(format!("--until: `{d}` is not a date like 2025-10-31")))
        })
        .transpose()?;
    let store = db::open(cli)?;
    let shops = selection::shops(&store, shop.as_deref())?;
    if *show_moves {
        let all: Vec<Moves> =
            selection::each_shop(&shops, |s| Ok(moves(&store, s, until, *bins)?))?
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
        selection::each_shop(&shops, |s| Ok(rfm(&store, s, until, *bins)?))?
            .into_iter()
            .map(|(s, r)| (s.currency, r))
            .collect();
    if cli.json {
        let plain: Vec<&Rfm> = all.iter().map(|(_, r)| r).collect();
        output::json(&plain)?;
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

fn segments(r: &Rfm, currency: Currency) -> Sheet {
    let mut sheet = Sheet::new(
        &format!("{} 会员分层 segments", r.shop),
        &[
            "分层",
            "segment",
            "customers",
            "share",
            "revenue",
            "revenue share",
        ],
    );
    for s in &r.segments {
        sheet.rows.push(vec![
            Cell::text(s.zh),
            Cell::text(s.segment.as_str()),
            Cell::Number(s.customers as f64, NumberFormat::Count),
            Cell::Number(s.share, NumberFormat::Percent),
            Cell::Number(s.amount as f64, NumberFormat::Money(currency)),
            Cell::Number(s.amount_share, NumberFormat::Percent),
        ]);
    }
    sheet
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
