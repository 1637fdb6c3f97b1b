//! `zhanggui report`: every metric for a period against the period it is compared with
//! and the peer tier, and why sales moved.

use std::process::ExitCode;

use zhanggui_analytics::report::{GroupSplit, Report};
use zhanggui_analytics::why::{Factor, Split};
use zhanggui_analytics::{report, ReportRequest};
use zhanggui_domain::Currency;

use crate::cli::{Cli, ReportArgs};
use crate::sheet::{to_csv, write_xlsx, Cell, NumberFormat, Sheet};
use crate::{db, output, selection};

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
        let plain: Vec<&Report> = reports.iter().map(|(_, r)| r).collect();
        output::json(&plain)?;
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

/// The report's tables: metrics, the shop's split, and the splits per source and product
/// (at most `limit` groups each).
pub fn sheets(r: &Report, currency: Currency, limit: usize) -> Vec<Sheet> {
    let prefix = if limit == usize::MAX {
        format!("{} ", r.shop)
    } else {
        String::new()
    };
    let mut kpis = Sheet::new(
        &format!("{prefix}指标 metrics"),
        &[
            "指标",
            "metric",
            "current",
            r.compare.zh(),
            "change",
            "change %",
            "同行平均",
            "同行优秀",
        ],
    );
    for k in r.kpis.iter().filter(|k| k.current.value.is_some()) {
        let f = NumberFormat::of_unit(k.unit, currency);
        kpis.rows.push(vec![
            Cell::text(k.zh),
            Cell::text(k.id),
            Cell::number(k.current.value, f),
            Cell::number(k.previous.value, f),
            Cell::number(k.change, NumberFormat::of_change(k.unit, currency)),
            Cell::number(k.change_ratio, NumberFormat::Percent),
            Cell::number(k.peer_average, f),
            Cell::number(k.peer_excellent, f),
        ]);
    }
    let mut out = vec![kpis];
    if let Some(split) = &r.why.shop {
        out.push(shop_split(split, currency, &prefix));
    }
    out.push(group_sheet(
        &format!("{prefix}按来源 by source"),
        "source",
        &r.why.by_source,
        currency,
        limit,
    ));
    out.push(group_sheet(
        &format!("{prefix}按商品 by product"),
        "product",
        &r.why.by_product,
        currency,
        limit,
    ));
    out
}

fn factor_format(f: Factor, currency: Currency) -> NumberFormat {
    match f {
        Factor::Visitors => NumberFormat::Count,
        Factor::Conversion => NumberFormat::Percent,
        Factor::OrderValue => NumberFormat::Money(currency),
    }
}

fn shop_split(split: &Split, currency: Currency, prefix: &str) -> Sheet {
    let money = NumberFormat::Money(currency);
    let mut sheet = Sheet::new(
        &format!("{prefix}为什么变化 why"),
        &["因素", "factor", "before", "after", "sales part", "p-value"],
    );
    for p in &split.parts {
        let f = factor_format(p.factor, currency);
        sheet.rows.push(vec![
            Cell::text(p.factor.zh()),
            Cell::text(p.factor.en()),
            Cell::number(p.before, f),
            Cell::number(p.after, f),
            Cell::Number(p.amount as f64, money),
            Cell::number(p.significance.map(|s| s.p_value), NumberFormat::PValue),
        ]);
    }
    sheet.rows.push(vec![
        Cell::text("支付金额"),
        Cell::text("sales"),
        Cell::Number(split.before.amount as f64, money),
        Cell::Number(split.after.amount as f64, money),
        Cell::Number(split.change as f64, money),
        Cell::Empty,
    ]);
    sheet
}

fn group_sheet(
    name: &str,
    what: &str,
    groups: &[GroupSplit],
    currency: Currency,
    limit: usize,
) -> Sheet {
    let money = NumberFormat::Money(currency);
    let mut sheet = Sheet::new(
        name,
        &[
            what,
            "name",
            "sales change",
            "visitors part",
            "conversion part",
            "order value part",
            "conversion before",
            "conversion after",
            "p-value",
        ],
    );
    for g in groups.iter().take(limit) {
        let conv = g
            .split
            .parts
            .iter()
            .find(|p| p.factor == Factor::Conversion);
        sheet.rows.push(vec![
            Cell::text(&g.group),
            Cell::text(g.label.clone().unwrap_or_default()),
            Cell::Number(g.split.change as f64, money),
            Cell::Number(g.split.part(Factor::Visitors) as f64, money),
            Cell::Number(g.split.part(Factor::Conversion) as f64, money),
            Cell::Number(g.split.part(Factor::OrderValue) as f64, money),
            Cell::number(conv.and_then(|p| p.before), NumberFormat::Percent),
            Cell::number(conv.and_then(|p| p.after), NumberFormat::Percent),
            Cell::number(
                conv.and_then(|p| p.significance).map(|s| s.p_value),
                NumberFormat::PValue,
            ),
        ]);
    }
    sheet
}
