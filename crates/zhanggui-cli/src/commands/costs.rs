//! `zhanggui costs ...`: what selling costs. `import` takes any of the profit model's sheets
//! (cost prices, bills, expense rules, ad spend, courier bills), telling which from the header; `list` and
//! `rules` show what is stored; `reconcile` sets the bills against the orders.

use std::process::ExitCode;

use zhanggui_domain::Money;
use zhanggui_import::side::cost_import::{import_cost_sheet, CostImport, CostImportError};
use zhanggui_import::side::CostSheet;
use zhanggui_storage::CostStore;

use crate::cli::{Cli, CostsArgs, CostsCommand};
use crate::{db, output, selection, UsageError};

pub fn run(cli: &Cli, args: &CostsArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    match &args.command {
        CostsCommand::Import { file, kind, map } => {
            let overrides = zhanggui_import::side::parse_overrides(map).map_err(UsageError)?;
            let kind = match kind {
                Some(k) => Some(CostSheet::parse(k).ok_or_else(|| {
                    UsageError(format!(
                        "--kind {k}: prices, bill, expenses, ad-spend or courier"
                    ))
                })?),
                None => None,
            };
            let done = match import_cost_sheet(&store, &shop, kind, file, &overrides) {
                Err(CostImportError::Unrecognised(_)) => {
                    return Err(UsageError(format!(
                        "{}: not a cost sheet, bill, expense sheet, ad spend sheet or courier \
                         bill by its header; name the kind with --kind and the columns with \
                         --map",
                        file.display()
                    ))
                    .into())
                }
                other => other?,
            };
            let CostImport {
                kind,
                read,
                saved,
                rejected,
            } = done;
            for r in &rejected {
                eprintln!("row {}: {}", r.row, r.reason);
            }
            if cli.json {
                output::json(&serde_json::json!({
                    "kind": kind.as_str(),
                    "read": read,
                    "inserted": saved.inserted,
                    "updated": saved.updated,
                    "unchanged": saved.unchanged,
                    "rejected": rejected,
                }))?;
            } else {
                let what = match kind {
                    CostSheet::CostPrices => "cost prices",
                    CostSheet::Bill => "bill lines",
                    CostSheet::Expenses => "expense rules",
                    CostSheet::AdSpend => "days of ad spend",
                    CostSheet::CourierBill => "parcels",
                };
                println!(
                    "{read} {what} read: {} new, {} changed, {} unchanged; {} rows rejected",
                    saved.inserted,
                    saved.updated,
                    saved.unchanged,
                    rejected.len()
                );
            }
            Ok(if rejected.is_empty() {
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
        CostsCommand::Rules => {
            let rules = store.expense_rules(&shop)?;
            let c = shop.currency;
            let rows: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "name": r.name,
                        "category": r.category,
                        "basis": r.basis,
                        "amount": r.amount.map(|a| Money::new(a, c)),
                        "rate": r.rate,
                        "product_code": r.product_code.as_ref().map(|p| p.as_str()),
                        "region": r.region,
                        "valid_from": r.valid_from,
                    })
                })
                .collect();
            if cli.json {
                output::json(&rows)?;
            } else {
                let table: Vec<Vec<String>> = rules
                    .iter()
                    .map(|r| {
                        vec![
                            r.name.clone(),
                            r.category.as_str().to_owned(),
                            r.basis.as_str().to_owned(),
                            match (r.amount, r.rate) {
                                (Some(a), _) => Money::new(a, c).to_string(),
                                (None, Some(rate)) => format!("{:.2}%", rate * 100.0),
                                _ => String::new(),
                            },
                            r.product_code
                                .as_ref()
                                .map(|p| p.to_string())
                                .or_else(|| r.region.clone())
                                .unwrap_or_default(),
                            r.valid_from.to_string(),
                        ]
                    })
                    .collect();
                println!(
                    "{}",
                    output::table(
                        &["name", "category", "basis", "amount", "only for", "from"],
                        &table
                    )
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        CostsCommand::Reconcile {
            period,
            until,
            settlement_days,
            rates,
            tolerance,
        } => super::reconcile::run(
            cli,
            &store,
            &shop,
            super::reconcile::Request {
                period,
                until: until.as_deref(),
                settlement_days: *settlement_days,
                rates,
                tolerance: *tolerance,
            },
        ),
    }
}
