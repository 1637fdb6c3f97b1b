//! `zhanggui shop add|list`.

use std::process::ExitCode;

use zhanggui_domain::{Currency, NewShop, Platform, ShopName};
use zhanggui_storage::{Store, StoreError};

use crate::cli::{Cli, ShopArgs, ShopCommand};
use crate::{db, output, UsageError};

pub fn run(cli: &Cli, args: &ShopArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        ShopCommand::Add {
            platform,
            name,
            currency,
            timezone,
        } => {
            let shop = parse_new_shop(platform, name, currency.as_deref(), timezone.as_deref())?;
            let store = db::open(cli)?;
            let shop = match store.add_shop(&shop) {
                Err(StoreError::ShopExists(name)) => {
                    return Err(UsageError(format!("a shop named `{name}` already exists")).into())
                }
                other => other?,
            };
            if cli.json {
                output::json(&shop)?;
            } else {
                println!(
                    "added shop {} ({}, {}, {})",
                    shop.name,
                    shop.platform,
                    shop.currency,
                    shop.timezone.name()
                );
            }
        }
        ShopCommand::List => {
            let store = db::open(cli)?;
            let shops = store.shops()?;
            if cli.json {
                output::json(&shops)?;
            } else if shops.is_empty() {
                println!("no shops yet: zhanggui shop add --platform taobao --name NAME");
            } else {
                let rows: Vec<Vec<String>> = shops
                    .iter()
                    .map(|s| {
                        vec![
                            s.name.to_string(),
                            s.platform.to_string(),
                            s.currency.to_string(),
                            s.timezone.name().to_owned(),
                        ]
                    })
                    .collect();
                println!(
                    "{}",
                    output::table(&["shop", "platform", "currency", "time zone"], &rows)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks a new shop's fields, with the platform's defaults for what is not given.
pub fn parse_new_shop(
    platform: &str,
    name: &str,
    currency: Option<&str>,
    timezone: Option<&str>,
) -> Result<NewShop, UsageError> {
    let platform: Platform = platform.parse().map_err(|e| UsageError(format!("{e}")))?;
    let name = ShopName::parse(name).map_err(|e| UsageError(format!("the shop name {e}")))?;
    let mut shop = NewShop::with_defaults(platform, name);
    if let Some(code) = currency {
        shop.currency = Currency::parse(code).map_err(|e| UsageError(e.to_string()))?;
    }
    if let Some(tz) = timezone {
        shop.timezone = tz.parse().map_err(|_| {
            UsageError(format!(
                "`{tz}` is not an IANA time zone such as Asia/Shanghai or Europe/London"
            ))
        })?;
    }
    Ok(shop)
}
