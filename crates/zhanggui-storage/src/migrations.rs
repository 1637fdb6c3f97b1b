//! Numbered schema migrations, embedded in the binary. An applied migration is never edited;
//! a change of schema is a new file with the next number.

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// The DuckDB schema, in order.
pub(crate) const DUCKDB: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/duckdb/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "shop_settings",
        sql: include_str!("../migrations/duckdb/0002_shop_settings.sql"),
    },
    Migration {
        version: 3,
        name: "facts",
        sql: include_str!("../migrations/duckdb/0003_facts.sql"),
    },
    Migration {
        version: 4,
        name: "accounts",
        sql: include_str!("../migrations/duckdb/0004_accounts.sql"),
    },
    Migration {
        version: 5,
        name: "segments",
        sql: include_str!("../migrations/duckdb/0005_segments.sql"),
    },
    Migration {
        version: 6,
        name: "scripts",
        sql: include_str!("../migrations/duckdb/0006_scripts.sql"),
    },
    Migration {
        version: 7,
        name: "reviews",
        sql: include_str!("../migrations/duckdb/0007_reviews.sql"),
    },
    Migration {
        version: 8,
        name: "notifications",
        sql: include_str!("../migrations/duckdb/0008_notifications.sql"),
    },
    Migration {
        version: 9,
        name: "facts_pending",
        sql: include_str!("../migrations/duckdb/0009_facts_pending.sql"),
    },
    Migration {
        version: 10,
        name: "refunds",
        sql: include_str!("../migrations/duckdb/0010_refunds.sql"),
    },
    Migration {
        version: 11,
        name: "profit_inputs",
        sql: include_str!("../migrations/duckdb/0011_profit_inputs.sql"),
    },
    Migration {
        version: 12,
        name: "courier_charges",
        sql: include_str!("../migrations/duckdb/0012_courier_charges.sql"),
    },
    Migration {
        version: 13,
        name: "profit_lines",
        sql: include_str!("../migrations/duckdb/0013_profit_lines.sql"),
    },
    Migration {
        version: 14,
        name: "weight_shipping",
        sql: include_str!("../migrations/duckdb/0014_weight_shipping.sql"),
    },
    Migration {
        version: 15,
        name: "promotion",
        sql: include_str!("../migrations/duckdb/0015_promotion.sql"),
    },
];
