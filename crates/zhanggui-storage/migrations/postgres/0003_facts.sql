-- Facts derived from orders and order lines, rebuilt for a shop when a report needs them
-- and an import came after they were built, so that reports read one row per order (or
-- line) with its shop-local times instead of recomputing them. Never written to by
-- anything else.

-- One row per order. buyer_key is a 64-bit hash of the buyer id (two buyers of one shop
-- share a key with a probability of about n² / 2^65: 4e-7 for four million buyers).
CREATE TABLE order_facts (
    shop_id           INTEGER NOT NULL,
    order_no          VARCHAR NOT NULL,
    buyer_key         BIGINT,
    paid_local        TIMESTAMP,
    created_local     TIMESTAMP,
    is_paid           BOOLEAN NOT NULL,
    amount            BIGINT,
    refund            BIGINT,
    units             BIGINT,
    ship_seconds      BIGINT,
    region            VARCHAR,
    channel           VARCHAR,
    -- When the buyer's first paid order in the shop was paid, shop-local.
    first_paid_local  TIMESTAMP,
    -- When the buyer paid their next order after this one, shop-local (paid orders only).
    next_paid_local   TIMESTAMP,
    -- The buyer's previous paid order (paid orders only) and previous order placed, in the
    -- order of time then order number: an order whose previous one lies before a period
    -- is its buyer's first in the period, so buyers are counted without grouping.
    prev_paid_local     TIMESTAMP,
    prev_created_local  TIMESTAMP,
    PRIMARY KEY (shop_id, order_no)
);

-- One row per order line, with its order's buyer and times; order_key is a 64-bit hash of
-- the order number, as buyer_key is of the buyer id. No key: the rows are derived, only
-- ever deleted and rebuilt per shop or per order, never updated one by one.
CREATE TABLE line_facts (
    shop_id        INTEGER NOT NULL,
    order_key      BIGINT NOT NULL,
    product_code   VARCHAR,
    buyer_key      BIGINT,
    paid_local     TIMESTAMP,
    created_local  TIMESTAMP,
    is_paid        BOOLEAN NOT NULL,
    quantity       BIGINT,
    paid_amount    BIGINT,
    refund_amount  BIGINT,
    -- The first line of its product in its order, and whether any line of that product
    -- in that order was refunded: orders per product are counted without grouping.
    first_of_product  BOOLEAN NOT NULL,
    product_refunded  BOOLEAN NOT NULL,
    -- On the first line of its product in its order: the buyer's previous paid order and
    -- previous order placed with this product.
    prev_product_paid     TIMESTAMP,
    prev_product_created  TIMESTAMP
);

-- Which import of the shop the facts were built after.
CREATE TABLE facts_state (
    shop_id    INTEGER NOT NULL PRIMARY KEY,
    import_id  BIGINT NOT NULL
);
