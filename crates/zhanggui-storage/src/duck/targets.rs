//! The tables an import writes: each one's staging table, natural key and value columns,
//! as in the schema.

use super::columns::Kind;
use crate::Entity;

/// One table the loader merges into: its key and value columns, as in the schema.
pub(super) struct Target {
    pub(super) entity: Entity,
    pub(super) table: &'static str,
    pub(super) stage: &'static str,
    pub(super) keys: &'static [&'static str],
    pub(super) values: &'static [&'static str],
    /// Column types of keys then values, for the staging table.
    pub(super) types: &'static [&'static str],
}

pub(super) const ORDERS: Target = Target {
    entity: Entity::Orders,
    table: "orders",
    stage: "_stage_orders",
    keys: &["order_no"],
    values: &[
        "state",
        "created_at",
        "paid_at",
        "shipped_at",
        "completed_at",
        "closed_at",
        "buyer_id",
        "region",
        "channel",
        "buyer_message",
        "seller_note",
        "tracking_no",
        "carrier",
        "close_reason",
        "goods_amount",
        "discount_amount",
        "paid_amount",
        "shipping_fee",
        "refund_amount",
        "item_count",
    ],
    types: &[
        "VARCHAR",
        "VARCHAR",
        "TIMESTAMP",
        "TIMESTAMP",
        "TIMESTAMP",
        "TIMESTAMP",
        "TIMESTAMP",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "BIGINT",
        "BIGINT",
        "BIGINT",
        "BIGINT",
        "BIGINT",
        "BIGINT",
    ],
};

pub(super) const LINES: Target = Target {
    entity: Entity::OrderLines,
    table: "order_lines",
    stage: "_stage_lines",
    keys: &["order_no", "line_key"],
    values: &[
        "product_code",
        "sku_code",
        "title",
        "sku_properties",
        "quantity",
        "unit_price",
        "discount_amount",
        "paid_amount",
        "refund_amount",
        "refund_status",
        "state",
    ],
    types: &[
        "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "BIGINT", "BIGINT",
        "BIGINT", "BIGINT", "BIGINT", "VARCHAR", "VARCHAR",
    ],
};

pub(super) const PRODUCTS: Target = Target {
    entity: Entity::Products,
    table: "products",
    stage: "_stage_products",
    keys: &["product_code"],
    values: &["title", "list_price", "category"],
    types: &["VARCHAR", "VARCHAR", "BIGINT", "VARCHAR"],
};

pub(super) const PRODUCT_DAYS: Target = Target {
    entity: Entity::ProductDays,
    table: "product_days",
    stage: "_stage_product_days",
    keys: &["product_code", "day"],
    values: &[
        "title",
        "visitors",
        "page_views",
        "favourites",
        "add_to_cart",
        "order_buyers",
        "buyers",
        "paid_units",
        "paid_amount",
        "paid_orders",
    ],
    types: &[
        "VARCHAR", "DATE", "VARCHAR", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
        "BIGINT", "BIGINT", "BIGINT",
    ],
};

pub(super) const SOURCE_DAYS: Target = Target {
    entity: Entity::SourceDays,
    table: "source_days",
    stage: "_stage_source_days",
    keys: &["source", "day"],
    values: &[
        "visitors",
        "page_views",
        "order_buyers",
        "buyers",
        "paid_amount",
        "paid_orders",
    ],
    types: &[
        "VARCHAR", "DATE", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
    ],
};

pub(super) const BENCHMARKS: Target = Target {
    entity: Entity::Benchmarks,
    table: "peer_benchmarks",
    stage: "_stage_benchmarks",
    keys: &["metric", "day"],
    values: &["peer_average", "peer_excellent"],
    types: &["VARCHAR", "DATE", "DECIMAL(20, 6)", "DECIMAL(20, 6)"],
};

pub(super) const REFUNDS: Target = Target {
    entity: Entity::Refunds,
    table: "refunds",
    stage: "_stage_refunds",
    keys: &["refund_no"],
    values: &[
        "order_no",
        "product_code",
        "title",
        "amount",
        "status",
        "reason",
        "requested_at",
        "completed_at",
        "goods_returned",
    ],
    types: &[
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
        "BIGINT",
        "VARCHAR",
        "VARCHAR",
        "TIMESTAMP",
        "TIMESTAMP",
        "BOOLEAN",
    ],
};

pub(super) const TARGETS: [&Target; 7] = [
    &ORDERS,
    &LINES,
    &PRODUCTS,
    &PRODUCT_DAYS,
    &SOURCE_DAYS,
    &BENCHMARKS,
    &REFUNDS,
];

/// The columns of a staging table: its file row, then its keys and values.
pub(super) fn staging_columns(t: &Target) -> Vec<(&'static str, Kind)> {
    std::iter::once(("file_row", Kind::Int))
        .chain(
            t.keys
                .iter()
                .chain(t.values)
                .zip(t.types)
                .map(|(c, ty)| (*c, Kind::of_sql(ty))),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_staging_column_has_a_type() {
        for t in TARGETS {
            if t.entity != Entity::Products {
                assert_eq!(t.keys.len() + t.values.len(), t.types.len(), "{}", t.table);
            }
        }
    }
}
