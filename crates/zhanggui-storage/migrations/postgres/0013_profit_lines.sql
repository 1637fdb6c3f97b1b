-- The profit model's costs per order line, derived like the facts and read by every profit
-- report: built a month at a time (every share the model divides by, per order, day,
-- channel and month, lies inside one month of payment days), and rebuilt for the months an
-- import touched or, when a cost price, bill, expense rule, ad spend or courier bill
-- changed, for the whole shop. A month is built when profit_months has its row. No key:
-- the rows are derived, deleted and rebuilt a month at a time.
CREATE TABLE profit_lines (
    shop_id         INTEGER NOT NULL,
    month           DATE NOT NULL,
    order_no        VARCHAR NOT NULL,
    -- hash(order_no): orders are counted by it, far faster than by the text.
    order_key       BIGINT NOT NULL,
    day             DATE NOT NULL,
    channel         VARCHAR NOT NULL,
    product_code    VARCHAR,
    sku_code        VARCHAR,
    units           BIGINT NOT NULL,
    paid            BIGINT NOT NULL,
    refund          BIGINT NOT NULL,
    net             BIGINT NOT NULL,
    cogs            BIGINT,
    fees_billed     DOUBLE PRECISION,
    fees_estimated  DOUBLE PRECISION,
    without_fees    BOOLEAN NOT NULL,
    shipping        DOUBLE PRECISION NOT NULL,
    packaging       DOUBLE PRECISION NOT NULL,
    ad_spend        DOUBLE PRECISION NOT NULL,
    fixed           DOUBLE PRECISION NOT NULL
);

-- key (shop_id, month): the months of profit_lines that are built, with the month's net
-- sales and its fixed costs per month (the fixed costs of a month without sales are shown
-- as not allocated).
CREATE TABLE profit_months (
    shop_id      INTEGER NOT NULL,
    month        DATE NOT NULL,
    net          BIGINT NOT NULL,
    fixed        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (shop_id, month)
);
