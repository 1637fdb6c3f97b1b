//! `zhanggui profit`: gross profit per product, day or month for a period (net sales less the cost of
//! goods at the cost price in force on each payment day), with the products whose cost is
//! missing listed rather than counted at zero.

use std::process::ExitCode;

use zhanggui_analytics::period::PeriodSpec;
use zhanggui_analytics::profit::profit;
use zhanggui_analytics::report::anchor_or_last;
use zhanggui_storage::SalesBy;
use zhanggui_tables::profit::sheets;
use zhanggui_tables::sheet::{to_csv, write_xlsx};

use crate::cli::{Cli, ProfitArgs};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &ProfitArgs) -> anyhow::Result<ExitCode> {
    let by = match args.by.as_str() {
        "product" => SalesBy::Product,
        "day" => SalesBy::Day,
        "month" => SalesBy::Month,
        other => {
            return Err(UsageError(format!(
                "--by {other}: product, day or month (order, SKU, category and channel are not \
                 built yet)"
            ))
            .into())
        }
    };
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    let spec = PeriodSpec::parse(&args.period).map_err(|e| UsageError(e.to_string()))?;
    let anchor = anchor_or_last(&store, &shop, selection::until(args.until.as_deref())?)?;
    let report = profit(&store, &shop, spec.resolve(anchor), by)?;
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
    }
    Ok(ExitCode::SUCCESS)
}
