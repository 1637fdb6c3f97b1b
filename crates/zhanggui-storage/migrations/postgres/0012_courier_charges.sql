-- Courier bills (快递账单 / 快递对账单): what each parcel cost, by its tracking number. The
-- profit model takes an order's shipping from here when the order's tracking number is
-- billed, and from the per-order shipping rules otherwise. Lines of one tracking number
-- in one file add up (a surcharge, a rebate); a later bill replaces the stored amount.
-- key (shop_id, tracking_no)
CREATE TABLE courier_charges (
    shop_id       INTEGER NOT NULL,
    tracking_no   VARCHAR NOT NULL,
    carrier       VARCHAR,
    day           DATE,
    weight_grams  BIGINT,
    amount        BIGINT NOT NULL,
    PRIMARY KEY (shop_id, tracking_no)
);
