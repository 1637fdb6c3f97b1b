//! `zhanggui metric ID --by ...`: one metric over a period, grouped.

use std::process::ExitCode;

use zhanggui_analytics::{series, Series};
use zhanggui_domain::metrics::metric;
use zhanggui_domain::money_json::InCurrency;
use zhanggui_domain::Currency;
use zhanggui_storage::GroupBy;

use crate::cli::{Cli, MetricArgs};
use crate::{db, output, selection, UsageError};
use zhanggui_tables::sheet::{to_csv, write_xlsx, Cell, NumberFormat, Sheet};

pub fn run(cli: &Cli, args: &MetricArgs) -> anyhow::Result<ExitCode> {
    let def = metric(&args.id).ok_or_else(|| {
        UsageError(format!(
            "no metric `{}`; `zhanggui metrics` lists them",
            args.id
        ))
    })?;
    let by = GroupBy::parse(&args.by).ok_or_else(|| {
        UsageError(format!(
            "--by {}: group by one of {}",
            args.by,
            GroupBy::ALL.map(|g| g.as_str()).join(", ")
        ))
    })?;
    let store = db::open(cli)?;
    let shops = selection::shops(&store, args.period.shop.as_deref())?;
    let (period, compare, anchor) = selection::period(&args.period)?;
    let all: Vec<(String, Currency, Series)> = selection::each_shop(&shops, |shop| {
        Ok(series(&store, shop, def, period, compare, anchor, by)?)
    })?
    .into_iter()
    .map(|(shop, s)| (shop.name.to_string(), shop.currency, s))
    .collect();
    if cli.json {
        let plain: Vec<_> = all
            .iter()
            .map(|(shop, currency, s)| {
                serde_json::json!({ "shop": shop, "series": InCurrency(*currency, s) })
            })
            .collect();
        output::json(&plain)?;
        return Ok(ExitCode::SUCCESS);
    }
    let sheets: Vec<Sheet> = all
        .iter()
        .map(|(shop, currency, s)| sheet(shop, *currency, s))
        .collect();
    if args.export.csv {
        print!("{}", to_csv(&sheets)?);
    } else if let Some(path) = &args.export.xlsx {
        write_xlsx(&sheets, path)?;
        println!("wrote {}", path.display());
    } else {
        for ((shop, currency, s), sheet) in all.iter().zip(&sheets) {
            let f = NumberFormat::of_unit(s.unit, *currency);
            let total = match (&s.total.value, &s.total.unavailable) {
                (Some(v), _) => f.show(*v),
                (None, Some(why)) => format!("not available: {why}"),
                (None, None) => "-".into(),
            };
            println!(
                "{shop}  {} {}  {} .. {}  total {total}\n{}\n",
                s.zh,
                s.en,
                s.period.from,
                s.period.to,
                sheet.render()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn sheet(shop: &str, currency: Currency, s: &Series) -> Sheet {
    let f = NumberFormat::of_unit(s.unit, currency);
    let change = NumberFormat::of_change(s.unit, currency);
    let header: Vec<&str> = if s.compared_with.is_some() {
        vec![s.by.as_str(), "name", s.metric, "before", "change", "note"]
    } else {
        vec![s.by.as_str(), "name", s.metric, "note"]
    };
    let mut sheet = Sheet::new(&format!("{shop} {}", s.metric), &header);
    for r in &s.rows {
        let mut row = vec![
            Cell::text(&r.group),
            Cell::text(r.label.clone().unwrap_or_default()),
            Cell::number(r.current.value, f),
        ];
        if s.compared_with.is_some() {
            row.push(Cell::number(r.previous.as_ref().and_then(|p| p.value), f));
            row.push(Cell::number(r.change, change));
        }
        row.push(Cell::text(
            r.current.unavailable.clone().unwrap_or_default(),
        ));
        sheet.rows.push(row);
    }
    sheet
}
