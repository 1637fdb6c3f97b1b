-- Orders whose facts an import made stale: the orders it inserted or changed, and the
-- orders whose lines it inserted or changed. The next refresh recomputes these orders and
-- every order of the buyers they belong to (before and after the import), then empties
-- the list; a shop's first import into an empty table asks for a full rebuild instead.
CREATE TABLE facts_pending (
    shop_id   INTEGER NOT NULL,
    order_no  VARCHAR NOT NULL,
    PRIMARY KEY (shop_id, order_no)
);
