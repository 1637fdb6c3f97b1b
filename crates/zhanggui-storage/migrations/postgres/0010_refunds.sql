-- Refunds and after-sale cases (退款 / 售后) as the platforms' refund exports list them, one
-- row per refund; an order may have several. Amounts in the shop currency's minor unit.
-- key (shop_id, refund_no)
CREATE TABLE refunds (
    shop_id         INTEGER NOT NULL,
    refund_no       VARCHAR NOT NULL,
    order_no        VARCHAR,
    product_code    VARCHAR,
    title           VARCHAR,
    amount          BIGINT,
    status          VARCHAR,
    reason          VARCHAR,
    requested_at    TIMESTAMP,
    completed_at    TIMESTAMP,
    -- whether the goods came back (a return), as the export says
    goods_returned  BOOLEAN,
    PRIMARY KEY (shop_id, refund_no)
);
