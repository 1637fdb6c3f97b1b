//! Numbered schema migrations, embedded in the binary, each written for both backends under
//! the same number: `migrations/duckdb/` for the embedded database, `migrations/postgres/`
//! for the team server (the same tables and columns, keys declared as primary keys). An
//! applied migration is never edited; a change of schema is a new pair of files with the
//! next number.

use crate::StoreError;

/// The table both backends record applied migrations in.
pub(crate) const SCHEMA_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (
    version BIGINT PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)";

/// The migrations a database at schema version `current` still needs, or `TooNew` when a
/// newer zhanggui wrote it.
pub(crate) fn pending(
    migrations: &[Migration],
    current: i64,
) -> Result<impl Iterator<Item = &Migration>, StoreError> {
    let known = migrations.last().map_or(0, |m| m.version);
    if current > known {
        return Err(StoreError::TooNew {
            found: current,
            known,
        });
    }
    Ok(migrations.iter().filter(move |m| m.version > current))
}

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub duckdb: &'static str,
    pub postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal, $file:literal) => {
        Migration {
            version: $version,
            name: $name,
            duckdb: include_str!(concat!("../migrations/duckdb/", $file)),
            postgres: include_str!(concat!("../migrations/postgres/", $file)),
        }
    };
}

/// The schema, in order.
pub(crate) const MIGRATIONS: &[Migration] = &[
    migration!(1, "init", "0001_init.sql"),
    migration!(2, "shop_settings", "0002_shop_settings.sql"),
    migration!(3, "facts", "0003_facts.sql"),
    migration!(4, "accounts", "0004_accounts.sql"),
    migration!(5, "segments", "0005_segments.sql"),
    migration!(6, "scripts", "0006_scripts.sql"),
    migration!(7, "reviews", "0007_reviews.sql"),
    migration!(8, "notifications", "0008_notifications.sql"),
    migration!(9, "facts_pending", "0009_facts_pending.sql"),
    migration!(10, "refunds", "0010_refunds.sql"),
    migration!(11, "profit_inputs", "0011_profit_inputs.sql"),
    migration!(12, "courier_charges", "0012_courier_charges.sql"),
    migration!(13, "profit_lines", "0013_profit_lines.sql"),
    migration!(14, "weight_shipping", "0014_weight_shipping.sql"),
    migration!(15, "promotion", "0015_promotion.sql"),
];
