//! Accounts of the web cockpit as stored: users, their roles per shop, sessions, API tokens
//! and the audit log. Which rights a role carries is the web crate's business; the store
//! keeps names and hashes, never a password or a token.

use chrono::NaiveDateTime;
use serde::Serialize;
use zhanggui_domain::ShopId;

use crate::StoreError;

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRecord {
    pub id: i32,
    pub login: String,
    pub display_name: String,
    #[serde(skip)]
    pub password_hash: String,
    pub is_owner: bool,
    pub language: String,
    pub disabled: bool,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub login: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub is_owner: bool,
    pub language: &'a str,
}

/// A role of one user in one shop, by the role's stored name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub shop_id: ShopId,
    pub user_id: i32,
    pub role: String,
}

/// A signed-in session, found by the SHA-256 of its cookie.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub user_id: i32,
    pub csrf_token: String,
    pub expires_at: NaiveDateTime,
}

/// An API token as listed (its secret is shown once, at creation, and never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRecord {
    pub id: i32,
    pub user_id: i32,
    pub name: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: NaiveDateTime,
    pub user_id: Option<i32>,
    pub login: String,
    pub action: String,
    pub shop_id: Option<ShopId>,
    pub detail: String,
    pub remote: Option<String>,
}

/// Users, grants, sessions, tokens and the audit log. Times are UTC.
pub trait AccountStore {
    /// Creates a user; the login must be new.
    fn add_user(&self, user: &NewUser<'_>) -> Result<UserRecord, StoreError>;
    fn users(&self) -> Result<Vec<UserRecord>, StoreError>;
    fn user(&self, id: i32) -> Result<Option<UserRecord>, StoreError>;
    fn user_by_login(&self, login: &str) -> Result<Option<UserRecord>, StoreError>;
    fn set_password(&self, user_id: i32, password_hash: &str) -> Result<(), StoreError>;
    fn set_language(&self, user_id: i32, language: &str) -> Result<(), StoreError>;
    fn set_disabled(&self, user_id: i32, disabled: bool) -> Result<(), StoreError>;
    /// Every grant of every user.
    fn grants(&self) -> Result<Vec<Grant>, StoreError>;
    fn grants_of(&self, user_id: i32) -> Result<Vec<Grant>, StoreError>;
    /// Gives a user a role in a shop (replacing the one they had there), or with `None`
    /// takes it away.
    fn set_grant(&self, shop: ShopId, user_id: i32, role: Option<&str>) -> Result<(), StoreError>;
    fn add_session(
        &self,
        token_sha256: &str,
        user_id: i32,
        csrf_token: &str,
        expires_at: NaiveDateTime,
    ) -> Result<(), StoreError>;
    /// The session of this cookie if it has not expired at `now`.
    fn session(
        &self,
        token_sha256: &str,
        now: NaiveDateTime,
    ) -> Result<Option<SessionRecord>, StoreError>;
    fn end_session(&self, token_sha256: &str) -> Result<(), StoreError>;
    /// Ends every session of a user (after a password change).
    fn end_sessions_of(&self, user_id: i32) -> Result<(), StoreError>;
    fn add_token(
        &self,
        token_sha256: &str,
        user_id: i32,
        name: &str,
    ) -> Result<TokenRecord, StoreError>;
    /// The user a token belongs to; marks it used at `now`.
    fn use_token(&self, token_sha256: &str, now: NaiveDateTime) -> Result<Option<i32>, StoreError>;
    fn tokens_of(&self, user_id: i32) -> Result<Vec<TokenRecord>, StoreError>;
    fn revoke_token(&self, user_id: i32, token_id: i32) -> Result<bool, StoreError>;
    fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;
    /// The newest entries first; with `shops`, only installation-wide entries and those of
    /// these shops.
    fn audit_log(
        &self,
        shops: Option<&[ShopId]>,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError>;
}
