//! The reply-script library in DuckDB: each save writes the script's current row and a
//! version row in one transaction.

use duckdb::{params, Connection, Row};
use zhanggui_domain::Shop;

use super::DuckStore;
use crate::scripts::{
    FollowUpOrder, KnowledgeRecord, OrderForScript, ScriptRecord, ScriptStore, ScriptUse, TaskState,
};
use crate::StoreError;

const COLUMNS: &str = "script_id, scope, department, owner, category, subcategory, title, body, \
                       shortcut, tags, images, version, deleted, updated_at, updated_by";

fn split(s: String) -> Vec<String> {
    s.split('|')
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn script_row(r: &Row<'_>) -> duckdb::Result<ScriptRecord> {
    Ok(ScriptRecord {
        id: r.get(0)?,
        scope: r.get(1)?,
        department: r.get(2)?,
        owner: r.get(3)?,
        category: r.get(4)?,
        subcategory: r.get(5)?,
        title: r.get(6)?,
        body: r.get(7)?,
        shortcut: r.get(8)?,
        tags: split(r.get(9)?),
        images: split(r.get(10)?),
        version: r.get(11)?,
        deleted: r.get(12)?,
        updated_at: r.get(13)?,
        updated_by: r.get(14)?,
    })
}

pub(crate) fn in_transaction<T>(
    conn: &Connection,
    f: impl FnOnce() -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    conn.execute_batch("BEGIN")?;
    match f() {
        Ok(v) => {
            conn.execute_batch("COMMIT")?;
            Ok(v)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

impl ScriptStore for DuckStore {
    fn departments(&self, shop: &Shop) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT name FROM departments WHERE shop_id = ? ORDER BY name")?;
        let rows = stmt.query_map([shop.id.0], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn add_department(&self, shop: &Shop, name: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO departments VALUES (?, ?) ON CONFLICT DO NOTHING",
            params![shop.id.0, name],
        )?;
        Ok(())
    }

    fn set_department_member(
        &self,
        shop: &Shop,
        department: &str,
        login: &str,
        member: bool,
    ) -> Result<(), StoreError> {
        if member {
            self.conn.execute(
                "INSERT INTO department_members VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                params![shop.id.0, department, login],
            )?;
        } else {
            self.conn.execute(
                "DELETE FROM department_members WHERE shop_id = ? AND department = ? AND login = ?",
                params![shop.id.0, department, login],
            )?;
        }
        Ok(())
    }

    fn departments_of(&self, shop: &Shop, login: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT department FROM department_members WHERE shop_id = ? AND login = ?
             ORDER BY department",
        )?;
        let rows = stmt.query_map(params![shop.id.0, login], |r| r.get(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn save_script(
        &self,
        shop: &Shop,
        s: &ScriptRecord,
        by: Option<&str>,
    ) -> Result<(i64, i32), StoreError> {
        let conn = &self.conn;
        in_transaction(conn, || {
            // The script's current version in this shop, if it is one of its scripts.
            let current: Option<(i64, i32)> = match s.id {
                Some(id) => conn
                    .query_row(
                        "SELECT shop_id, version FROM scripts WHERE script_id = ?",
                        [id],
                        |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)),
                    )
                    .map(Some)
                    .or_else(|e| match e {
                        duckdb::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?,
                None => None,
            };
            let (id, version) = match (s.id, current) {
                (Some(id), Some((owner_shop, v))) if owner_shop == i64::from(shop.id.0) => {
                    (id, v + 1)
                }
                (Some(id), None) => (id, 1),
                _ => {
                    let next: i64 = conn.query_row(
                        "SELECT coalesce(max(script_id), 0) + 1 FROM scripts",
                        [],
                        |r| r.get(0),
                    )?;
                    (next, 1)
                }
            };
            let values = params![
                shop.id.0,
                id,
                s.scope,
                s.department,
                s.owner,
                s.category,
                s.subcategory,
                s.title,
                s.body,
                s.shortcut,
                s.tags.join("|"),
                s.images.join("|"),
                version,
                s.deleted,
                by
            ];
            conn.execute(
                "DELETE FROM scripts WHERE shop_id = ? AND script_id = ?",
                params![shop.id.0, id],
            )?;
            let now = "CAST(now() AS TIMESTAMP)";
            conn.execute(
                &format!(
                    "INSERT INTO scripts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {now}, ?)"
                ),
                values,
            )?;
            conn.execute(
                "INSERT INTO script_versions SELECT * FROM scripts
                 WHERE shop_id = ? AND script_id = ?",
                params![shop.id.0, id],
            )?;
            Ok((id, version))
        })
    }

    fn scripts(&self, shop: &Shop, with_deleted: bool) -> Result<Vec<ScriptRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM scripts WHERE shop_id = ? AND (? OR NOT deleted)
             ORDER BY category, subcategory NULLS FIRST, title, script_id"
        ))?;
        let rows = stmt.query_map(params![shop.id.0, with_deleted], script_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn script_versions(&self, shop: &Shop, id: i64) -> Result<Vec<ScriptRecord>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM script_versions WHERE shop_id = ? AND script_id = ?
             ORDER BY version"
        ))?;
        let rows = stmt.query_map(params![shop.id.0, id], script_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn record_script_use(&self, shop: &Shop, id: i64, login: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO script_uses VALUES (?, ?, ?, 1, CAST(now() AS TIMESTAMP))
             ON CONFLICT DO UPDATE SET uses = uses + 1, last_used = excluded.last_used",
            params![shop.id.0, id, login],
        )?;
        Ok(())
    }

    fn script_uses(&self, shop: &Shop) -> Result<Vec<ScriptUse>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT script_id, login, uses, last_used FROM script_uses WHERE shop_id = ?
             ORDER BY script_id, login",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(ScriptUse {
                script_id: r.get(0)?,
                login: r.get(1)?,
                uses: r.get(2)?,
                last_used: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn knowledge(&self, shop: &Shop) -> Result<Vec<KnowledgeRecord>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT entry_id, topic, question, answer, keywords FROM knowledge
             WHERE shop_id = ? ORDER BY entry_id",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(KnowledgeRecord {
                id: r.get(0)?,
                topic: r.get(1)?,
                question: r.get(2)?,
                answer: r.get(3)?,
                keywords: split(r.get(4)?),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn save_knowledge(&self, shop: &Shop, e: &KnowledgeRecord) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO knowledge VALUES (?, ?, ?, ?, ?, ?, CAST(now() AS TIMESTAMP))
             ON CONFLICT DO UPDATE SET topic = excluded.topic, question = excluded.question,
                 answer = excluded.answer, keywords = excluded.keywords,
                 updated_at = excluded.updated_at",
            params![
                shop.id.0,
                e.id,
                e.topic,
                e.question,
                e.answer,
                e.keywords.join("|")
            ],
        )?;
        Ok(())
    }

    fn follow_up_orders(
        &self,
        shop: &Shop,
        since: chrono::NaiveDateTime,
    ) -> Result<Vec<FollowUpOrder>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT order_no, created_at, paid_at, shipped_at,
                    coalesce(state IN ('shipped', 'completed'), false),
                    coalesce(state = 'closed' OR closed_at IS NOT NULL, false),
                    buyer_message
             FROM orders
             WHERE shop_id = ? AND (created_at >= ? OR paid_at >= ?)
             ORDER BY order_no",
        )?;
        let rows = stmt.query_map(params![shop.id.0, since, since], |r| {
            Ok(FollowUpOrder {
                order_no: r.get(0)?,
                created_at: r.get(1)?,
                paid_at: r.get(2)?,
                shipped_at: r.get(3)?,
                shipped_by_state: r.get(4)?,
                closed: r.get(5)?,
                buyer_message: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn task_states(&self, shop: &Shop) -> Result<Vec<TaskState>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT kind, order_no, owner, done, updated_at, updated_by FROM task_states
             WHERE shop_id = ? ORDER BY kind, order_no",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(TaskState {
                kind: r.get(0)?,
                order_no: r.get(1)?,
                owner: r.get(2)?,
                done: r.get(3)?,
                updated_at: r.get(4)?,
                updated_by: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn set_task_state(
        &self,
        shop: &Shop,
        kind: &str,
        order_no: &str,
        owner: Option<&str>,
        done: bool,
        by: Option<&str>,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO task_states VALUES (?, ?, ?, ?, ?, CAST(now() AS TIMESTAMP), ?)
             ON CONFLICT DO UPDATE SET owner = coalesce(excluded.owner, task_states.owner),
                 done = excluded.done, updated_at = excluded.updated_at,
                 updated_by = excluded.updated_by",
            params![shop.id.0, kind, order_no, owner, done, by],
        )?;
        Ok(())
    }

    fn orders_for_script(
        &self,
        shop: &Shop,
        order_nos: &[String],
    ) -> Result<Vec<OrderForScript>, StoreError> {
        if order_nos.is_empty() {
            return Ok(Vec::new());
        }
        // The wanted numbers travel as one string split in SQL (a unit separator, which no
        // order number holds).
        let wanted = order_nos.join("\u{1f}");
        let mut stmt = self.conn.prepare(
            "WITH wanted AS (SELECT unnest(string_split(?, chr(31))) AS order_no),
                  first_line AS (
                      SELECT l.order_no, arg_min(l.title, l.line_key) AS title
                      FROM order_lines l JOIN wanted w USING (order_no)
                      WHERE l.shop_id = ? GROUP BY l.order_no)
             SELECT o.order_no, o.buyer_id, f.title, o.carrier, o.tracking_no, o.region
             FROM orders o JOIN wanted w USING (order_no)
             LEFT JOIN first_line f USING (order_no)
             WHERE o.shop_id = ?
             ORDER BY o.order_no",
        )?;
        let rows = stmt.query_map(params![wanted, shop.id.0, shop.id.0], |r| {
            Ok(OrderForScript {
                order_no: r.get(0)?,
                buyer: r.get(1)?,
                title: r.get(2)?,
                carrier: r.get(3)?,
                tracking_no: r.get(4)?,
                region: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
