//! Printing results: aligned tables for people, JSON for scripts. Money in JSON is a
//! decimal in the shop's currency with the currency named (`money_json`): a shop's results
//! are printed with [`json_in`] or [`json_shops`], which give their money its currency.

use serde::Serialize;
use zhanggui_domain::money_json::InCurrency;
use zhanggui_domain::Currency;

/// Prints a value as pretty JSON on standard output.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints one shop's result, its money in the shop's currency.
pub fn json_in<T: Serialize + ?Sized>(currency: Currency, value: &T) -> anyhow::Result<()> {
    json(&InCurrency(currency, value))
}

/// Prints the results of several shops as one list, each one's money in its currency.
pub fn json_shops<T: Serialize>(all: &[(Currency, T)]) -> anyhow::Result<()> {
    let each: Vec<InCurrency<'_, T>> = all.iter().map(|(c, v)| InCurrency(*c, v)).collect();
    json(&each)
}

pub use zhanggui_tables::text::table;
