//! Reviews, their follow-up records and logistics events in DuckDB.

use duckdb::params;
use zhanggui_domain::Shop;

use super::scripts::in_transaction;
use super::DuckStore;
use crate::reviews::{
    LastTracking, LogisticsEvent, ReviewAction, ReviewRecord, ReviewStore, ReviewsSaved,
};
use crate::StoreError;

impl ReviewStore for DuckStore {
    fn save_reviews(
        &self,
        shop: &Shop,
        reviews: &[ReviewRecord],
    ) -> Result<ReviewsSaved, StoreError> {
        let known: std::collections::HashMap<String, ReviewRecord> = self
            .reviews(shop)?
            .into_iter()
            .map(|r| (r.review_id.clone(), r))
            .collect();
        let mut saved = ReviewsSaved::default();
        in_transaction(&self.conn, || {
            let mut insert = self.conn.prepare(
                "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(now() AS TIMESTAMP))",
            )?;
            let mut update = self.conn.prepare(
                "UPDATE reviews SET order_no = ?, product = ?, buyer = ?, rating = ?, stars = ?,
                     body = ?, reviewed_at = ?, shop_reply = ?
                 WHERE shop_id = ? AND review_id = ?",
            )?;
            let mut seen = std::collections::HashSet::new();
            for r in reviews {
                if !seen.insert(r.review_id.as_str()) {
                    continue;
                }
                match known.get(&r.review_id) {
                    None => {
                        insert.execute(params![
                            shop.id.0,
                            r.review_id,
                            r.order_no,
                            r.product,
                            r.buyer,
                            r.rating,
                            r.first_rating,
                            r.stars,
                            r.body,
                            r.reviewed_at,
                            r.shop_reply
                        ])?;
                        saved.new += 1;
                    }
                    Some(old) => {
                        let same = ReviewRecord {
                            first_rating: old.first_rating.clone(),
                            ..r.clone()
                        } == *old;
                        if same {
                            saved.unchanged += 1;
                        } else {
                            update.execute(params![
                                r.order_no,
                                r.product,
                                r.buyer,
                                r.rating,
                                r.stars,
                                r.body,
                                r.reviewed_at,
                                r.shop_reply,
                                shop.id.0,
                                r.review_id
                            ])?;
                            saved.updated += 1;
                        }
                    }
                }
            }
            Ok(())
        })?;
        Ok(saved)
    }

    fn reviews(&self, shop: &Shop) -> Result<Vec<ReviewRecord>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT review_id, order_no, product, buyer, rating, first_rating, stars, body,
                    reviewed_at, shop_reply
             FROM reviews WHERE shop_id = ? ORDER BY reviewed_at DESC, review_id",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(ReviewRecord {
                review_id: r.get(0)?,
                order_no: r.get(1)?,
                product: r.get(2)?,
                buyer: r.get(3)?,
                rating: r.get(4)?,
                first_rating: r.get(5)?,
                stars: r.get(6)?,
                body: r.get(7)?,
                reviewed_at: r.get(8)?,
                shop_reply: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn add_review_action(&self, shop: &Shop, a: &ReviewAction) -> Result<(), StoreError> {
        let known: i64 = self.conn.query_row(
            "SELECT count(*) FROM reviews WHERE shop_id = ? AND review_id = ?",
            params![shop.id.0, a.review_id],
            |r| r.get(0),
        )?;
        if known == 0 {
            return Err(StoreError::NotFound(format!(
                "review {} in shop {}",
                a.review_id, shop.name
            )));
        }
        self.conn.execute(
            "INSERT INTO review_actions
             SELECT ?, ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?
             FROM review_actions WHERE shop_id = ? AND review_id = ?",
            params![
                shop.id.0,
                a.review_id,
                a.kind,
                a.at,
                a.by,
                a.amount_minor,
                a.note,
                shop.id.0,
                a.review_id
            ],
        )?;
        Ok(())
    }

    fn review_actions(&self, shop: &Shop) -> Result<Vec<ReviewAction>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT review_id, kind, happened_at, by_login, amount_minor, note FROM review_actions
             WHERE shop_id = ? ORDER BY happened_at, review_id, seq",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(ReviewAction {
                review_id: r.get(0)?,
                kind: r.get(1)?,
                at: r.get(2)?,
                by: r.get(3)?,
                amount_minor: r.get(4)?,
                note: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn save_logistics_events(
        &self,
        shop: &Shop,
        events: &[LogisticsEvent],
    ) -> Result<usize, StoreError> {
        in_transaction(&self.conn, || {
            let mut stmt = self.conn.prepare(
                "INSERT INTO logistics_events VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            )?;
            let mut new = 0;
            for e in events {
                new += stmt.execute(params![
                    shop.id.0,
                    e.order_no,
                    e.tracking_no,
                    e.carrier,
                    e.at,
                    e.status,
                    e.delivered
                ])?;
            }
            Ok(new)
        })
    }

    fn last_tracking(&self, shop: &Shop) -> Result<Vec<LastTracking>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT order_no, max(event_at), arg_max(status, event_at), bool_or(delivered)
             FROM logistics_events WHERE shop_id = ? GROUP BY order_no ORDER BY order_no",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(LastTracking {
                order_no: r.get(0)?,
                at: r.get(1)?,
                status: r.get(2)?,
                delivered: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}
