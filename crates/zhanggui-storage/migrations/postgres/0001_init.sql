-- 0001: shops, products, orders, order lines, day reports and peer benchmarks.
--
-- The PostgreSQL schema: the DuckDB schema's tables and columns under the same migration
-- numbers, with each table's key (written beside it in the DuckDB files) declared as its
-- primary key, shop_id first, so that on Citus every shop table is distributed and
-- co-located by shop_id (docs/scaling.md). DuckDB's DOUBLE is DOUBLE PRECISION here, and
-- its UBIGINT hashes are BIGINT (the same 64 bits, read as signed).
-- Money columns are BIGINT minor units of the shop's currency; times are UTC.

CREATE TABLE shops (
    shop_id     INTEGER PRIMARY KEY,
    platform    VARCHAR NOT NULL,
    name        VARCHAR NOT NULL UNIQUE,
    currency    VARCHAR NOT NULL,
    timezone    VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

-- key (shop_id, product_code)
CREATE TABLE products (
    shop_id       INTEGER NOT NULL,
    product_code  VARCHAR NOT NULL,
    title         VARCHAR,
    category      VARCHAR,
    list_price    BIGINT,
    first_seen    TIMESTAMP,
    last_seen     TIMESTAMP,
    PRIMARY KEY (shop_id, product_code)
);

-- key (shop_id, sku_code)
CREATE TABLE skus (
    shop_id       INTEGER NOT NULL,
    sku_code      VARCHAR NOT NULL,
    product_code  VARCHAR NOT NULL,
    properties    VARCHAR,
    list_price    BIGINT,
    PRIMARY KEY (shop_id, sku_code)
);

-- key (shop_id, product_code, valid_from): the cost of one unit from that day on.
CREATE TABLE cost_prices (
    shop_id       INTEGER NOT NULL,
    product_code  VARCHAR NOT NULL,
    valid_from    DATE NOT NULL,
    unit_cost     BIGINT NOT NULL,
    PRIMARY KEY (shop_id, product_code, valid_from)
);

-- key (shop_id, order_no)
CREATE TABLE orders (
    shop_id          INTEGER NOT NULL,
    order_no         VARCHAR NOT NULL,
    state            VARCHAR,
    created_at       TIMESTAMP,
    paid_at          TIMESTAMP,
    shipped_at       TIMESTAMP,
    completed_at     TIMESTAMP,
    closed_at        TIMESTAMP,
    buyer_id         VARCHAR,
    region           VARCHAR,
    channel          VARCHAR,
    buyer_message    VARCHAR,
    seller_note      VARCHAR,
    tracking_no      VARCHAR,
    carrier          VARCHAR,
    close_reason     VARCHAR,
    goods_amount     BIGINT,
    discount_amount  BIGINT,
    paid_amount      BIGINT,
    shipping_fee     BIGINT,
    refund_amount    BIGINT,
    item_count       BIGINT,
    PRIMARY KEY (shop_id, order_no)
);

-- key (shop_id, order_no, line_key)
CREATE TABLE order_lines (
    shop_id          INTEGER NOT NULL,
    order_no         VARCHAR NOT NULL,
    line_key         VARCHAR NOT NULL,
    product_code     VARCHAR,
    sku_code         VARCHAR,
    title            VARCHAR,
    sku_properties   VARCHAR,
    quantity         BIGINT NOT NULL,
    unit_price       BIGINT,
    discount_amount  BIGINT,
    paid_amount      BIGINT,
    refund_amount    BIGINT,
    refund_status    VARCHAR,
    state            VARCHAR,
    PRIMARY KEY (shop_id, order_no, line_key)
);

-- key (shop_id, product_code, day)
CREATE TABLE product_days (
    shop_id       INTEGER NOT NULL,
    product_code  VARCHAR NOT NULL,
    day           DATE NOT NULL,
    title         VARCHAR,
    visitors      BIGINT,
    page_views    BIGINT,
    favourites    BIGINT,
    add_to_cart   BIGINT,
    order_buyers  BIGINT,
    buyers        BIGINT,
    paid_units    BIGINT,
    paid_amount   BIGINT,
    paid_orders   BIGINT,
    PRIMARY KEY (shop_id, product_code, day)
);

-- key (shop_id, source, day)
CREATE TABLE source_days (
    shop_id       INTEGER NOT NULL,
    source        VARCHAR NOT NULL,
    day           DATE NOT NULL,
    visitors      BIGINT,
    page_views    BIGINT,
    order_buyers  BIGINT,
    buyers        BIGINT,
    paid_amount   BIGINT,
    paid_orders   BIGINT,
    PRIMARY KEY (shop_id, source, day)
);

-- key (shop_id, metric, day). Values in the metric's unit: a rate as a fraction, money in
-- major units of the shop's currency (the platform reports them so), counts as counts.
CREATE TABLE peer_benchmarks (
    shop_id         INTEGER NOT NULL,
    metric          VARCHAR NOT NULL,
    day             DATE NOT NULL,
    peer_average    DECIMAL(20, 6),
    peer_excellent  DECIMAL(20, 6),
    PRIMARY KEY (shop_id, metric, day)
);

-- key (shop_id, import_id): one row per imported file.
CREATE TABLE imports (
    shop_id      INTEGER NOT NULL,
    import_id    BIGINT NOT NULL,
    file_name    VARCHAR NOT NULL,
    format       VARCHAR NOT NULL,
    imported_at  TIMESTAMP NOT NULL,
    rows_read    BIGINT NOT NULL,
    inserted     BIGINT NOT NULL,
    updated      BIGINT NOT NULL,
    unchanged    BIGINT NOT NULL,
    rejected     BIGINT NOT NULL,
    PRIMARY KEY (shop_id, import_id)
);
