-- 0015: the promotion module: ad report rows and creative tests.
--
-- One row per day, tool, plan and (where the report breaks it down) unit, keyword, creative
-- and product, under the attribution window the report states. Spend does not depend on
-- the window; attributed orders and sales do, so rows of two windows are kept side by
-- side and never added together.
-- key (shop_id, tool, day, campaign, unit, keyword, creative, product_code, attribution)
CREATE TABLE ad_rows (
    shop_id          INTEGER NOT NULL,
    tool             VARCHAR NOT NULL,   -- 直通车, 京东快车, 多多搜索, 巨量千川, Google Ads, ...
    day              DATE NOT NULL,
    campaign         VARCHAR NOT NULL,
    unit             VARCHAR NOT NULL,   -- '' when the report has no unit / ad group
    keyword          VARCHAR NOT NULL,   -- ''
    creative         VARCHAR NOT NULL,   -- ''
    product_code     VARCHAR NOT NULL,   -- ''
    attribution      VARCHAR NOT NULL,   -- the window as the report states it; '' unstated
    impressions      BIGINT,
    clicks           BIGINT,
    spend            BIGINT NOT NULL,    -- minor units
    orders           DOUBLE PRECISION,             -- attributed orders (direct + indirect); fractional
                                         -- where the platform shares conversions
    sales            BIGINT,             -- attributed sales, minor units
    direct_orders    DOUBLE PRECISION,
    direct_sales     BIGINT,
    add_to_cart      BIGINT,
    favourites       BIGINT,
    PRIMARY KEY (shop_id, tool, day, campaign, unit, keyword, creative, product_code, attribution)
);

-- key (shop_id, name): a creative or image test (横向测试).
CREATE TABLE ab_tests (
    shop_id        INTEGER NOT NULL,
    name           VARCHAR NOT NULL,
    metric         VARCHAR NOT NULL,     -- ctr, cvr, rpv, retention ...
    started_on     DATE NOT NULL,
    planned_units  BIGINT,               -- per arm: the fixed horizon, before which no verdict
    created_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (shop_id, name)
);

-- key (shop_id, test, arm): an arm's counts. `units` are the trials (impressions for CTR,
-- clicks or visitors for CVR and revenue per visitor, players for retention); `successes`
-- the clicks, orders or retained players; `value_sum` and `value_sq_sum` the revenue (or
-- any amount per unit) and its squares, for Welch's t; `source` says where they came from.
CREATE TABLE ab_arms (
    shop_id        INTEGER NOT NULL,
    test           VARCHAR NOT NULL,
    arm            VARCHAR NOT NULL,
    units          BIGINT NOT NULL,
    successes      BIGINT NOT NULL,
    value_sum      DOUBLE PRECISION,
    value_sq_sum   DOUBLE PRECISION,
    source         VARCHAR NOT NULL,   -- 'entered', 'file NAME', 'ads CAMPAIGN/CREATIVE'
    PRIMARY KEY (shop_id, test, arm)
);
