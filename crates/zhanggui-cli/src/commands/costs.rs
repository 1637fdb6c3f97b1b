//! `zhanggui costs ...`: cost prices per product code, each holding from a day on (a price
//! change adds a row and never rewrites what earlier sales cost).

use std::process::ExitCode;

use zhanggui_domain::Money;
use zhanggui_import::side::costs::read_costs;
use zhanggui_storage::CostStore;

use crate::cli::{Cli, CostsArgs, CostsCommand};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &CostsArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    match &args.command {
        CostsCommand::Import { file, map } => {
            let overrides = zhanggui_import::side::parse_overrides(map).map_err(UsageError)?;
            let read = read_costs(file, shop.currency.exponent(), &overrides)?;
            let saved = store.save_cost_prices(&shop, &read.prices)?;
            for r in &read.rejected {
                eprintln!("row {}: {}", r.row, r.reason);
            }
            if cli.json {
                output::json(&serde_json::json!({
                    "read": read.prices.len(),
                    "inserted": saved.inserted,
                    "updated": saved.updated,
                    "unchanged": saved.unchanged,
                    "rejected": read.rejected,
                }))?;
            } else {
                println!(
                    "{} cost prices read: {} new, {} changed, {} unchanged; {} rows rejected",
                    read.prices.len(),
                    saved.inserted,
                    saved.updated,
                    saved.unchanged,
                    read.rejected.len()
                );
            }
            Ok(if read.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        CostsCommand::List => {
            let prices = store.cost_prices(&shop)?;
            if cli.json {
                let rows: Vec<serde_json::Value> = prices
                    .iter()
                    .map(|p| {
                        serde_json::json!({
                            "product_code": p.product_code.as_str(),
                            "valid_from": p.valid_from,
                            "unit_cost": Money::new(p.unit_cost, shop.currency),
                        })
                    })
                    .collect();
                output::json(&rows)?;
            } else {
                let rows: Vec<Vec<String>> = prices
                    .iter()
                    .map(|p| {
                        vec![
                            p.product_code.to_string(),
                            p.valid_from.to_string(),
                            Money::new(p.unit_cost, shop.currency).to_string(),
                        ]
                    })
                    .collect();
                println!(
                    "{}",
                    output::table(&["product", "from", "unit cost"], &rows)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
