-- 0007: buyers' reviews (评价) and what the shop did about them, and the logistics events
-- (物流跟踪) of shipped orders.

-- key (shop_id, review_id); rating is good, medium or bad (好评, 中评, 差评); first_rating
-- is the rating when the review was first imported (a bad review later changed keeps
-- first_rating bad); reviewed_at in UTC.
CREATE TABLE reviews (
    shop_id       INTEGER NOT NULL,
    review_id     VARCHAR NOT NULL,
    order_no      VARCHAR,
    product       VARCHAR,
    buyer         VARCHAR,
    rating        VARCHAR NOT NULL,
    first_rating  VARCHAR NOT NULL,
    stars         INTEGER,
    body          VARCHAR NOT NULL,
    reviewed_at   TIMESTAMP NOT NULL,
    shop_reply    VARCHAR,
    imported_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (shop_id, review_id)
);

-- key (shop_id, review_id, seq): the follow-up record of a review: contact, compensation
-- offered (amount in minor units), public reply, outcome (changed, replied, closed).
CREATE TABLE review_actions (
    shop_id       INTEGER NOT NULL,
    review_id     VARCHAR NOT NULL,
    seq           INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,
    happened_at   TIMESTAMP NOT NULL,
    by_login      VARCHAR,
    amount_minor  BIGINT,
    note          VARCHAR,
    PRIMARY KEY (shop_id, review_id, seq)
);

-- key (shop_id, order_no, event_at, status): one tracking event of a shipped order (UTC);
-- delivered marks a signed-for (签收) event.
CREATE TABLE logistics_events (
    shop_id      INTEGER NOT NULL,
    order_no     VARCHAR NOT NULL,
    tracking_no  VARCHAR,
    carrier      VARCHAR,
    event_at     TIMESTAMP NOT NULL,
    status       VARCHAR NOT NULL,
    delivered    BOOLEAN NOT NULL,
    PRIMARY KEY (shop_id, order_no, event_at, status)
);
