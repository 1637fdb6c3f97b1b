-- 0004: accounts of the web cockpit: users, their roles per shop, sessions, API tokens and
-- the audit log.
--
-- Users, sessions and tokens belong to the installation, not to one shop: a user works in
-- several shops. They are small reference tables (copied to every node when PostgreSQL is
-- distributed); what a user may do in a shop is the grant keyed by (shop_id, user_id).
-- Secrets are never stored: sessions and tokens by their SHA-256, passwords as Argon2id
-- PHC strings.

CREATE TABLE users (
    user_id        INTEGER PRIMARY KEY,
    login          VARCHAR NOT NULL UNIQUE,
    display_name   VARCHAR NOT NULL,
    password_hash  VARCHAR NOT NULL,
    -- An owner has every right in every shop, now and later, and manages users.
    is_owner       BOOLEAN NOT NULL,
    -- zh or en: the language the pages speak to this user.
    language       VARCHAR NOT NULL,
    disabled       BOOLEAN NOT NULL,
    created_at     TIMESTAMP NOT NULL
);

-- key (shop_id, user_id): the role a user has in one shop.
CREATE TABLE shop_roles (
    shop_id  INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    role     VARCHAR NOT NULL,
    PRIMARY KEY (shop_id, user_id)
);

CREATE TABLE sessions (
    token_sha256  VARCHAR PRIMARY KEY,
    user_id       INTEGER NOT NULL,
    -- The token every state-changing form of this session must carry.
    csrf_token    VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    token_sha256  VARCHAR PRIMARY KEY,
    token_id      INTEGER NOT NULL UNIQUE,
    user_id       INTEGER NOT NULL,
    name          VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_used_at  TIMESTAMP
);

-- Logins (and failed ones), imports, setting and account changes; shop_id when the action
-- was in one shop. No key: an append-only log, read by time.
CREATE TABLE audit_log (
    happened_at  TIMESTAMP NOT NULL,
    user_id  INTEGER,
    login    VARCHAR NOT NULL,
    action   VARCHAR NOT NULL,
    shop_id  INTEGER,
    detail   VARCHAR NOT NULL,
    remote   VARCHAR
);
