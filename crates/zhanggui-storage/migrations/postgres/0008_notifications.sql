-- 0008: notification rules (which alerts go to which robot webhook or mailbox) and the
-- delivery log of every attempt to send one.

-- key (shop_id, name); channel is dingtalk, wecom, feishu or email; target is the webhook
-- address or the mail recipients; secret is the robot's signing secret (加签) or, for
-- email, the SMTP server's address with its credentials; sender is the email From address;
-- events are the alert kinds the rule sends, joined by '|'.
CREATE TABLE notify_rules (
    shop_id     INTEGER NOT NULL,
    name        VARCHAR NOT NULL,
    channel     VARCHAR NOT NULL,
    target      VARCHAR NOT NULL,
    secret      VARCHAR,
    sender      VARCHAR,
    events      VARCHAR NOT NULL,
    enabled     BOOLEAN NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (shop_id, name)
);

-- key (shop_id, rule, alert_key, attempt): one attempt to deliver one alert by one rule;
-- ok tells whether the receiver accepted it, detail what it answered or why it failed.
CREATE TABLE notify_deliveries (
    shop_id     INTEGER NOT NULL,
    rule        VARCHAR NOT NULL,
    alert_key   VARCHAR NOT NULL,
    attempt     INTEGER NOT NULL,
    sent_at     TIMESTAMP NOT NULL,
    ok          BOOLEAN NOT NULL,
    detail      VARCHAR NOT NULL,
    PRIMARY KEY (shop_id, rule, alert_key, attempt)
);
