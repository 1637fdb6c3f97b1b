-- 0005: saved member segments (人群): a named filter per shop, stored as the JSON of the
-- typed filter (the analytics crate owns its shape), with who saved it and when.
-- key (shop_id, name)
CREATE TABLE segments (
    shop_id     INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    filter      VARCHAR NOT NULL,
    saved_by    VARCHAR,
    saved_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (shop_id, name)
);
