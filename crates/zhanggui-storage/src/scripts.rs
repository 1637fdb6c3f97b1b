//! The reply-script library as stored: departments and their members, scripts with every
//! version kept, and their use per user. Who may read or change which script is the desk
//! crate's business; the store keeps what it is given.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::StoreError;
use zhanggui_domain::Shop;

/// A script as stored. `id` is `None` for a script not saved yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScriptRecord {
    pub id: Option<i64>,
    /// public, department or personal.
    pub scope: String,
    pub department: Option<String>,
    pub owner: Option<String>,
    pub category: String,
    pub subcategory: Option<String>,
    pub title: String,
    pub body: String,
    pub shortcut: Option<String>,
    pub tags: Vec<String>,
    pub images: Vec<String>,
    pub version: i32,
    pub deleted: bool,
    pub updated_at: Option<NaiveDateTime>,
    pub updated_by: Option<String>,
}

/// How often one user used one script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScriptUse {
    pub script_id: i64,
    pub login: String,
    pub uses: i64,
    pub last_used: NaiveDateTime,
}

/// What a script's variables read from an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderForScript {
    pub order_no: String,
    pub buyer: Option<String>,
    /// The title of the order's first line.
    pub title: Option<String>,
    pub carrier: Option<String>,
    pub tracking_no: Option<String>,
    pub region: Option<String>,
}

/// A knowledge-base entry: a buyer's question and the shop's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KnowledgeRecord {
    pub id: i64,
    pub topic: Option<String>,
    pub question: String,
    pub answer: String,
    pub keywords: Vec<String>,
}

/// An order as the follow-up rules read it (times in UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpOrder {
    pub order_no: String,
    pub created_at: Option<NaiveDateTime>,
    pub paid_at: Option<NaiveDateTime>,
    pub shipped_at: Option<NaiveDateTime>,
    /// Shipped by its state, when the export gives no shipping time (淘宝's 订单报表).
    pub shipped_by_state: bool,
    pub closed: bool,
    pub buyer_message: Option<String>,
}

/// Who follows up a task and whether it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskState {
    pub kind: String,
    pub order_no: String,
    pub owner: Option<String>,
    pub done: bool,
    pub updated_at: NaiveDateTime,
    pub updated_by: Option<String>,
}

/// The library's storage.
pub trait ScriptStore {
    fn departments(&self, shop: &Shop) -> Result<Vec<String>, StoreError>;
    fn add_department(&self, shop: &Shop, name: &str) -> Result<(), StoreError>;
    /// Adds (or with `member` false removes) a user to a department.
    fn set_department_member(
        &self,
        shop: &Shop,
        department: &str,
        login: &str,
        member: bool,
    ) -> Result<(), StoreError>;
    /// The departments a user belongs to in a shop.
    fn departments_of(&self, shop: &Shop, login: &str) -> Result<Vec<String>, StoreError>;
    /// Saves a script as its next version (a new script when its id is `None` or unknown;
    /// an unknown id is kept when no other script has it); returns its id and version.
    fn save_script(
        &self,
        shop: &Shop,
        script: &ScriptRecord,
        by: Option<&str>,
    ) -> Result<(i64, i32), StoreError>;
    /// The shop's scripts (current versions), deleted ones only when asked.
    fn scripts(&self, shop: &Shop, with_deleted: bool) -> Result<Vec<ScriptRecord>, StoreError>;
    /// Every version of one script of the shop, oldest first.
    fn script_versions(&self, shop: &Shop, id: i64) -> Result<Vec<ScriptRecord>, StoreError>;
    /// Counts one use of a script of the shop by a user.
    fn record_script_use(&self, shop: &Shop, id: i64, login: &str) -> Result<(), StoreError>;
    /// Uses of the shop's scripts, per script and user.
    fn script_uses(&self, shop: &Shop) -> Result<Vec<ScriptUse>, StoreError>;
    /// The shop's knowledge base, by entry id.
    fn knowledge(&self, shop: &Shop) -> Result<Vec<KnowledgeRecord>, StoreError>;
    /// Saves (or replaces) a knowledge-base entry.
    fn save_knowledge(&self, shop: &Shop, entry: &KnowledgeRecord) -> Result<(), StoreError>;
    /// Orders created or paid since `since` (UTC), for the follow-up rules.
    fn follow_up_orders(
        &self,
        shop: &Shop,
        since: NaiveDateTime,
    ) -> Result<Vec<FollowUpOrder>, StoreError>;
    /// The stored states of the shop's follow-up tasks.
    fn task_states(&self, shop: &Shop) -> Result<Vec<TaskState>, StoreError>;
    /// Sets a task's owner (kept when `None`) and whether it is done.
    fn set_task_state(
        &self,
        shop: &Shop,
        kind: &str,
        order_no: &str,
        owner: Option<&str>,
        done: bool,
        by: Option<&str>,
    ) -> Result<(), StoreError>;
    /// An order of the shop as a script's variables read it.
    fn order_for_script(
        &self,
        shop: &Shop,
        order_no: &str,
    ) -> Result<Option<OrderForScript>, StoreError> {
        Ok(self
            .orders_for_script(shop, &[order_no.to_owned()])?
            .into_iter()
            .next())
    }
    /// Several orders of the shop as scripts' variables read them, in one read (orders not
    /// found are left out).
    fn orders_for_script(
        &self,
        shop: &Shop,
        order_nos: &[String],
    ) -> Result<Vec<OrderForScript>, StoreError>;
}
