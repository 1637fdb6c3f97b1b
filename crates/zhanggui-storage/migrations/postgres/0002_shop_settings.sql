-- Per-shop settings (diagnosis thresholds and the like), as text keyed by name.
-- key (shop_id, key)
CREATE TABLE shop_settings (
    shop_id  INTEGER NOT NULL,
    key      VARCHAR NOT NULL,
    value    VARCHAR NOT NULL,
    PRIMARY KEY (shop_id, key)
);
