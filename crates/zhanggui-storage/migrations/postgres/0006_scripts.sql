-- 0006: the customer-service desk: the reply-script library (departments (售前, 售后, ...)
-- and their members per shop, scripts (public, department or personal), every version of
-- every script, and how often each user used each script), the knowledge base of
-- question/answer pairs, and the state of order follow-up tasks.

-- key (shop_id, name)
CREATE TABLE departments (
    shop_id  INTEGER NOT NULL,
    name     VARCHAR NOT NULL,
    PRIMARY KEY (shop_id, name)
);

-- key (shop_id, department, login)
CREATE TABLE department_members (
    shop_id     INTEGER NOT NULL,
    department  VARCHAR NOT NULL,
    login       VARCHAR NOT NULL,
    PRIMARY KEY (shop_id, department, login)
);

-- key (shop_id, script_id): the current version; script ids are unique across shops too;
-- tags and images are lists joined by '|'.
CREATE TABLE scripts (
    shop_id      INTEGER NOT NULL,
    script_id    BIGINT NOT NULL,
    scope        VARCHAR NOT NULL,
    department   VARCHAR,
    owner        VARCHAR,
    category     VARCHAR NOT NULL,
    subcategory  VARCHAR,
    title        VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,
    shortcut     VARCHAR,
    tags         VARCHAR NOT NULL,
    images       VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    deleted      BOOLEAN NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   VARCHAR,
    PRIMARY KEY (shop_id, script_id)
);

-- key (shop_id, script_id, version): every version ever saved, deletions included.
CREATE TABLE script_versions (
    shop_id      INTEGER NOT NULL,
    script_id    BIGINT NOT NULL,
    scope        VARCHAR NOT NULL,
    department   VARCHAR,
    owner        VARCHAR,
    category     VARCHAR NOT NULL,
    subcategory  VARCHAR,
    title        VARCHAR NOT NULL,
    body         VARCHAR NOT NULL,
    shortcut     VARCHAR,
    tags         VARCHAR NOT NULL,
    images       VARCHAR NOT NULL,
    version      INTEGER NOT NULL,
    deleted      BOOLEAN NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    updated_by   VARCHAR,
    PRIMARY KEY (shop_id, script_id, version)
);

-- key (shop_id, script_id, login)
CREATE TABLE script_uses (
    shop_id    INTEGER NOT NULL,
    script_id  BIGINT NOT NULL,
    login      VARCHAR NOT NULL,
    uses       BIGINT NOT NULL,
    last_used  TIMESTAMP NOT NULL,
    PRIMARY KEY (shop_id, script_id, login)
);

-- key (shop_id, entry_id): the knowledge base answer suggestions read (question, answer,
-- keywords joined by '|').
CREATE TABLE knowledge (
    shop_id     INTEGER NOT NULL,
    entry_id    BIGINT NOT NULL,
    topic       VARCHAR,
    question    VARCHAR NOT NULL,
    answer      VARCHAR NOT NULL,
    keywords    VARCHAR NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (shop_id, entry_id)
);

-- key (shop_id, kind, order_no): who follows up an order-derived task and whether it is done
-- (the tasks themselves are derived from the orders each time).
CREATE TABLE task_states (
    shop_id     INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,
    order_no    VARCHAR NOT NULL,
    owner       VARCHAR,
    done        BOOLEAN NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    updated_by  VARCHAR,
    PRIMARY KEY (shop_id, kind, order_no)
);
