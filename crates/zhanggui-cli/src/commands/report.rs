//! `zhanggui report`: every metric for a period against the period it is compared with
//! and the peer tier, and why sales moved.

use std::process::ExitCode;

use zhanggui_analytics::report::Report;
use zhanggui_analytics::{report, ReportRequest};
use zhanggui_domain::Currency;

use crate::cli::{Cli, ReportArgs};
use crate::{db, output, selection};
use zhanggui_tables::report::sheets;
use zhanggui_tables::sheet::{to_csv, write_xlsx, Sheet};

/// Groups shown per drill-down table on screen (files get all of them).
const SHOWN_GROUPS: usize = 10;

pub fn run(cli: &Cli, args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shops = selection::shops(&store, args.period.shop.as_deref())?;
    let (period, compare, anchor) = selection::period(&args.period)?;
    let request = ReportRequest {
        period,
        compare,
        anchor,
    };
    let reports: Vec<(Currency, Report)> =
        selection::each_shop(&shops, |shop| Ok(report(&store, shop, request)?))?
            .into_iter()
            .map(|(shop, r)| (shop.currency, r))
            .collect();
    if cli.json {
        output::json_shops(&reports)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sheets: Vec<Sheet> = reports
        .iter()
        .flat_map(|(c, r)| sheets(r, *c, usize::MAX))
        .collect();
    if args.export.csv {
        print!("{}", to_csv(&sheets)?);
    } else if let Some(path) = &args.export.xlsx {
        write_xlsx(&sheets, path)?;
        println!("wrote {} ({} sheets)", path.display(), sheets.len());
    } else {
        for (currency, r) in &reports {
            println!("{}", render(r, *currency));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The report as people read it.
pub fn render(r: &Report, currency: Currency) -> String {
    let mut out = format!(
        "{}  {} .. {}  ({} {} .. {})\n",
        r.shop,
        r.period.from,
        r.period.to,
        r.compare.zh(),
        r.compared_with.from,
        r.compared_with.to
    );
    if let Some(h) = &r.why.headline {
        out.push_str(&format!("{h}\n"));
    }
    let all = sheets(r, currency, SHOWN_GROUPS);
    for sheet in &all {
        if sheet.rows.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{}\n{}\n", sheet.name, sheet.render()));
    }
    let unavailable: Vec<String> = r
        .kpis
        .iter()
        .filter_map(|k| {
            k.current
                .unavailable
                .as_ref()
                .map(|why| format!("  {} ({}): {why}", k.zh, k.id))
        })
        .collect();
    if !unavailable.is_empty() {
        out.push_str("\nnot available:\n");
        out.push_str(&unavailable.join("\n"));
        out.push('\n');
    }
    if let Some(why) = &r.why.unavailable {
        out.push_str(&format!("\nwhy sales moved: {why}\n"));
    }
    out
}
