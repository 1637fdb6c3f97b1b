-- Shipping priced by weight (首重 + 续重): for an expense rule whose basis is per_weight,
-- `amount` is the price of the first kilogram and `extra_amount` that of each further
-- kilogram or part of one.
ALTER TABLE expense_rules ADD COLUMN extra_amount BIGINT;
-- A shipping rule for the parcels of one courier company ('' for every company): matched
-- to the order's 物流公司 by containment (圆通 matches 圆通速递), and preferred to the rule of
-- the same name without a company. Part of the rule's key.
ALTER TABLE expense_rules ADD COLUMN carrier VARCHAR NOT NULL DEFAULT '';
ALTER TABLE expense_rules DROP CONSTRAINT expense_rules_pkey;
ALTER TABLE expense_rules ADD PRIMARY KEY (shop_id, name, product_code, region, carrier, valid_from);

-- What one unit of a product or SKU weighs, from the cost sheet's 重量 column; an order's
-- weight is the sum over its lines, which a per-weight shipping rule prices.
-- key (shop_id, product_code)
CREATE TABLE product_weights (
    shop_id       INTEGER NOT NULL,
    product_code  VARCHAR NOT NULL,
    weight_grams  BIGINT NOT NULL,
    PRIMARY KEY (shop_id, product_code)
);

-- Rules by weight and by company change how a line's shipping is worked out: every month
-- of the profit lines is worked out again by the next report.
DELETE FROM profit_months;
