//! Users, grants, sessions, API tokens and the audit log in DuckDB.

use chrono::NaiveDateTime;
use duckdb::{params, Connection, OptionalExt, Row};
use zhanggui_domain::ShopId;

use crate::accounts::{
    AccountStore, AuditEntry, Grant, NewUser, SessionRecord, TokenRecord, UserRecord,
};
use crate::{DuckStore, StoreError};

const USER_COLUMNS: &str =
    "user_id, login, display_name, password_hash, is_owner, language, disabled";

fn user_row(r: &Row<'_>) -> duckdb::Result<UserRecord> {
    Ok(UserRecord {
        id: r.get(0)?,
        login: r.get(1)?,
        display_name: r.get(2)?,
        password_hash: r.get(3)?,
        is_owner: r.get(4)?,
        language: r.get(5)?,
        disabled: r.get(6)?,
    })
}

fn token_row(r: &Row<'_>) -> duckdb::Result<TokenRecord> {
    Ok(TokenRecord {
        id: r.get(0)?,
        user_id: r.get(1)?,
        name: r.get(2)?,
        created_at: r.get(3)?,
        last_used_at: r.get(4)?,
    })
}

fn one_user(
    conn: &Connection,
    filter: &str,
    value: &dyn duckdb::ToSql,
) -> Result<Option<UserRecord>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {USER_COLUMNS} FROM users WHERE {filter} = ?"),
            [value],
            user_row,
        )
        .optional()?)
}

fn grants_where(
    conn: &Connection,
    filter: &str,
    value: Option<i32>,
) -> Result<Vec<Grant>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT shop_id, user_id, role FROM shop_roles {filter} ORDER BY user_id, shop_id"
    ))?;
    let map = |r: &Row<'_>| {
        Ok(Grant {
            shop_id: ShopId(r.get(0)?),
            user_id: r.get(1)?,
            role: r.get(2)?,
        })
    };
    let rows = match value {
        Some(v) => stmt.query_map([v], map)?.collect::<Result<Vec<_>, _>>()?,
        None => stmt.query_map([], map)?.collect::<Result<Vec<_>, _>>()?,
    };
    Ok(rows)
}

impl AccountStore for DuckStore {
    fn add_user(&self, user: &NewUser<'_>) -> Result<UserRecord, StoreError> {
        if self.user_by_login(user.login)?.is_some() {
            return Err(StoreError::UserExists(user.login.to_owned()));
        }
        let id: i32 =
            self.conn
                .query_row("SELECT coalesce(max(user_id), 0) + 1 FROM users", [], |r| {
                    r.get(0)
                })?;
        self.conn.execute(
            "INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, false, now()::TIMESTAMP)",
            params![
                id,
                user.login,
                user.display_name,
                user.password_hash,
                user.is_owner,
                user.language
            ],
        )?;
        self.user(id)?
            .ok_or_else(|| StoreError::Corrupt(format!("user {id} vanished after insert")))
    }

    fn users(&self) -> Result<Vec<UserRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY user_id"
        ))?;
        let rows = stmt.query_map([], user_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn user(&self, id: i32) -> Result<Option<UserRecord>, StoreError> {
        one_user(&self.conn, "user_id", &id)
    }

    fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError> {
        one_user(&self.conn, "login", &login)
    }

    fn set_password(&self, user_id: i32, password_hash: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE users SET password_hash = ? WHERE user_id = ?",
            params![password_hash, user_id],
        )?;
        Ok(())
    }

    fn set_language(&self, user_id: i32, language: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE users SET language = ? WHERE user_id = ?",
            params![language, user_id],
        )?;
        Ok(())
    }

    fn set_disabled(&self, user_id: i32, disabled: bool) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE users SET disabled = ? WHERE user_id = ?",
            params![disabled, user_id],
        )?;
        Ok(())
    }

    fn grants(&self) -> Result<Vec<Grant>, StoreError> {
        grants_where(&self.conn, "", None)
    }

    fn grants_of(&self, user_id: i32) -> Result<Vec<Grant>, StoreError> {
        grants_where(&self.conn, "WHERE user_id = ?", Some(user_id))
    }

    fn set_grant(&self, shop: ShopId, user_id: i32, role: Option<&str>) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM shop_roles WHERE shop_id = ? AND user_id = ?",
            params![shop.0, user_id],
        )?;
        if let Some(role) = role {
            self.conn.execute(
                "INSERT INTO shop_roles VALUES (?, ?, ?)",
                params![shop.0, user_id, role],
            )?;
        }
        Ok(())
    }

    fn add_session(
        &self,
        token_sha256: &str,
        user_id: i32,
        csrf_token: &str,
        expires_at: NaiveDateTime,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO sessions VALUES (?, ?, ?, now()::TIMESTAMP, ?)",
            params![token_sha256, user_id, csrf_token, expires_at],
        )?;
        Ok(())
    }

    fn session(
        &self,
        token_sha256: &str,
        now: NaiveDateTime,
    ) -> Result<Option<SessionRecord>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT user_id, csrf_token, expires_at FROM sessions
                 WHERE token_sha256 = ? AND expires_at > ?",
                params![token_sha256, now],
                |r| {
                    Ok(SessionRecord {
                        user_id: r.get(0)?,
                        csrf_token: r.get(1)?,
                        expires_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    fn end_session(&self, token_sha256: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM sessions WHERE token_sha256 = ?",
            [token_sha256],
        )?;
        Ok(())
    }

    fn end_sessions_of(&self, user_id: i32) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM sessions WHERE user_id = ?", [user_id])?;
        Ok(())
    }

    fn add_token(
        &self,
        token_sha256: &str,
        user_id: i32,
        name: &str,
    ) -> Result<TokenRecord, StoreError> {
        let id: i32 = self.conn.query_row(
            "SELECT coalesce(max(token_id), 0) + 1 FROM api_tokens",
            [],
            |r| r.get(0),
        )?;
        self.conn.execute(
            "INSERT INTO api_tokens VALUES (?, ?, ?, ?, now()::TIMESTAMP, NULL)",
            params![token_sha256, id, user_id, name],
        )?;
        Ok(self.conn.query_row(
            "SELECT token_id, user_id, name, created_at, last_used_at FROM api_tokens
             WHERE token_id = ?",
            [id],
            token_row,
        )?)
    }

    fn use_token(&self, token_sha256: &str, now: NaiveDateTime) -> Result<Option<i32>, StoreError> {
        let user: Option<i32> = self
            .conn
            .query_row(
                "SELECT user_id FROM api_tokens WHERE token_sha256 = ?",
                [token_sha256],
                |r| r.get(0),
            )
            .optional()?;
        if user.is_some() {
            self.conn.execute(
                "UPDATE api_tokens SET last_used_at = ? WHERE token_sha256 = ?",
                params![now, token_sha256],
            )?;
        }
        Ok(user)
    }

    fn tokens_of(&self, user_id: i32) -> Result<Vec<TokenRecord>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT token_id, user_id, name, created_at, last_used_at FROM api_tokens
             WHERE user_id = ? ORDER BY token_id",
        )?;
        let rows = stmt.query_map([user_id], token_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn revoke_token(&self, user_id: i32, token_id: i32) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "DELETE FROM api_tokens WHERE user_id = ? AND token_id = ?",
            [user_id, token_id],
        )?;
        Ok(n > 0)
    }

    fn audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![
                e.at,
                e.user_id,
                e.login,
                e.action,
                e.shop_id.map(|s| s.0),
                e.detail,
                e.remote
            ],
        )?;
        Ok(())
    }

    fn audit_log(
        &self,
        shops: Option<&[ShopId]>,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let filter = match shops {
            None => String::new(),
            Some(ids) => {
                let list: Vec<String> = ids.iter().map(|s| s.0.to_string()).collect();
                if list.is_empty() {
                    "WHERE shop_id IS NULL".into()
                } else {
                    format!("WHERE shop_id IS NULL OR shop_id IN ({})", list.join(", "))
                }
            }
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT happened_at, user_id, login, action, shop_id, detail, remote FROM audit_log
             {filter} ORDER BY happened_at DESC LIMIT {limit}"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                user_id: r.get(1)?,
                login: r.get(2)?,
                action: r.get(3)?,
                shop_id: r.get::<_, Option<i32>>(4)?.map(ShopId),
                detail: r.get(5)?,
                remote: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
