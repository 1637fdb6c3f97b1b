//! Printing results: aligned tables for people, JSON for scripts.

use serde::Serialize;

/// Prints a value as pretty JSON on standard output.
pub fn json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

pub use zhanggui_tables::text::table;
