//! Notification rules and the delivery log in DuckDB.

use duckdb::params;
use zhanggui_domain::Shop;

use super::DuckStore;
use crate::notify::{Delivery, NotifyRule, NotifyStore};
use crate::StoreError;

impl NotifyStore for DuckStore {
    fn save_rule(&self, shop: &Shop, rule: &NotifyRule) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO notify_rules VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(now() AS TIMESTAMP))
             ON CONFLICT DO UPDATE SET channel = excluded.channel, target = excluded.target,
                 secret = excluded.secret, sender = excluded.sender, events = excluded.events, enabled = excluded.enabled",
            params![
                shop.id.0,
                rule.name,
                rule.channel,
                rule.target,
                rule.secret,
                rule.sender,
                rule.events.join("|"),
                rule.enabled
            ],
        )?;
        Ok(())
    }

    fn delete_rule(&self, shop: &Shop, name: &str) -> Result<bool, StoreError> {
        let n = self.conn.execute(
            "DELETE FROM notify_rules WHERE shop_id = ? AND name = ?",
            params![shop.id.0, name],
        )?;
        Ok(n > 0)
    }

    fn rules(&self, shop: &Shop) -> Result<Vec<NotifyRule>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT name, channel, target, secret, sender, events, enabled FROM notify_rules
             WHERE shop_id = ? ORDER BY name",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            let events: String = r.get(5)?;
            Ok(NotifyRule {
                name: r.get(0)?,
                channel: r.get(1)?,
                target: r.get(2)?,
                secret: r.get(3)?,
                sender: r.get(4)?,
                events: events
                    .split('|')
                    .filter(|e| !e.is_empty())
                    .map(str::to_owned)
                    .collect(),
                enabled: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn log_delivery(&self, shop: &Shop, d: &Delivery) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO notify_deliveries VALUES (?, ?, ?, ?, ?, ?, ?)",
            params![
                shop.id.0,
                d.rule,
                d.alert_key,
                d.attempt,
                d.at,
                d.ok,
                d.detail
            ],
        )?;
        Ok(())
    }

    fn deliveries(&self, shop: &Shop) -> Result<Vec<Delivery>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT rule, alert_key, attempt, sent_at, ok, detail FROM notify_deliveries
             WHERE shop_id = ? ORDER BY sent_at, rule, alert_key, attempt",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(Delivery {
                rule: r.get(0)?,
                alert_key: r.get(1)?,
                attempt: r.get(2)?,
                at: r.get(3)?,
                ok: r.get(4)?,
                detail: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
