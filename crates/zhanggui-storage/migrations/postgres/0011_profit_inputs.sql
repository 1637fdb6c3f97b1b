-- What the profit model deducts beyond the cost of goods. Amounts in the shop currency's
-- minor unit.

-- Platform bills and fee statements (支付宝账务明细, 结算单, 货款明细, payouts), one row
-- per bill line. amount is signed as the bill books it: money in is positive, money out
-- (fees, refunds paid back) negative. kind is what the line is (sales, refund, commission,
-- affiliate, payment, shipping_insurance, deduction, transfer, other).
-- key (shop_id, line_key)
CREATE TABLE bill_lines (
    shop_id        INTEGER NOT NULL,
    line_key       VARCHAR NOT NULL,
    order_no       VARCHAR,
    kind           VARCHAR NOT NULL,
    amount         BIGINT NOT NULL,
    occurred_at    TIMESTAMP NOT NULL,
    business_type  VARCHAR,
    note           VARCHAR,
    PRIMARY KEY (shop_id, line_key)
);

-- Cost rules from an expense sheet (费用表): shipping per order (by region where given),
-- packaging and gifts per order or per unit (of one product where given), an estimated
-- platform fee rate for orders no bill covers, and fixed costs per month or as a share of
-- sales. Each holds from valid_from until the next rule of the same name and scope.
-- key (shop_id, name, product_code, region, valid_from)
CREATE TABLE expense_rules (
    shop_id       INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    category      VARCHAR NOT NULL,   -- shipping, packaging, platform_fees, fixed
    basis         VARCHAR NOT NULL,   -- per_order, per_unit, per_month, share_of_sales
    amount        BIGINT,             -- per order, unit or month
    rate          DOUBLE PRECISION,             -- share of net sales
    product_code  VARCHAR NOT NULL,   -- '' for every product
    region        VARCHAR NOT NULL,   -- '' for every region
    valid_from    DATE NOT NULL,
    PRIMARY KEY (shop_id, name, product_code, region, valid_from)
);

-- Ad spend per day and channel from a spend sheet, until the promotion module's ad
-- reports give it per campaign.
-- key (shop_id, day, channel)
CREATE TABLE ad_spend (
    shop_id  INTEGER NOT NULL,
    day      DATE NOT NULL,
    channel  VARCHAR NOT NULL,        -- '' when the sheet names none
    spend    BIGINT NOT NULL,
    PRIMARY KEY (shop_id, day, channel)
);
