//! Cost prices in DuckDB: saved by key in one transaction; sales set against the cost in
//! force on each line's payment day with an `ASOF` join.

use duckdb::params;
use zhanggui_domain::{ProductCode, Shop};

use super::scripts::in_transaction;
use super::DuckStore;
use crate::costs::{CostPrice, CostStore, CostsSaved, ProductSales, SalesBy};
use crate::{DayRange, Store, StoreError};

impl CostStore for DuckStore {
    fn save_cost_prices(
        &self,
        shop: &Shop,
        prices: &[CostPrice],
    ) -> Result<CostsSaved, StoreError> {
        let conn = &self.conn;
        in_transaction(conn, || {
            let mut saved = CostsSaved::default();
            for p in prices {
                let known: Option<i64> = conn
                    .query_row(
                        "SELECT unit_cost FROM cost_prices
                         WHERE shop_id = ? AND product_code = ? AND valid_from = ?",
                        params![shop.id.0, p.product_code.as_str(), p.valid_from],
                        |r| r.get(0),
                    )
                    .map(Some)
                    .or_else(|e| match e {
                        duckdb::Error::QueryReturnedNoRows => Ok(None),
                        e => Err(e),
                    })?;
                match known {
                    Some(cost) if cost == p.unit_cost => saved.unchanged += 1,
                    Some(_) => {
                        conn.execute(
                            "UPDATE cost_prices SET unit_cost = ?
                             WHERE shop_id = ? AND product_code = ? AND valid_from = ?",
                            params![
                                p.unit_cost,
                                shop.id.0,
                                p.product_code.as_str(),
                                p.valid_from
                            ],
                        )?;
                        saved.updated += 1;
                    }
                    None => {
                        conn.execute(
                            "INSERT INTO cost_prices VALUES (?, ?, ?, ?)",
                            params![
                                shop.id.0,
                                p.product_code.as_str(),
                                p.valid_from,
                                p.unit_cost
                            ],
                        )?;
                        saved.inserted += 1;
                    }
                }
            }
            Ok(saved)
        })
    }

    fn cost_prices(&self, shop: &Shop) -> Result<Vec<CostPrice>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT product_code, valid_from, unit_cost FROM cost_prices
             WHERE shop_id = ? ORDER BY product_code, valid_from",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.map(|row| {
            let (code, valid_from, unit_cost) = row?;
            let product_code = ProductCode::from_string(code)
                .map_err(|e| StoreError::Corrupt(format!("a stored product code {e}")))?;
            Ok(CostPrice {
                product_code,
                valid_from,
                unit_cost,
            })
        })
        .collect()
    }

    fn product_sales(
        &self,
        shop: &Shop,
        range: DayRange,
        by: SalesBy,
    ) -> Result<Vec<ProductSales>, StoreError> {
        self.refresh(shop)?;
        let (key, title, order) = match by {
            SalesBy::Product => ("l.product_code", "any_value(p.title)", "4 DESC, 1"),
            SalesBy::Day => ("strftime(l.day, '%Y-%m-%d')", "CAST(NULL AS VARCHAR)", "1"),
            SalesBy::Month => ("strftime(l.day, '%Y-%m')", "CAST(NULL AS VARCHAR)", "1"),
        };
        let mut stmt = self.conn.prepare(&format!(
            "WITH lines AS (
                 SELECT product_code, quantity, coalesce(paid_amount, 0) AS paid,
                        coalesce(refund_amount, 0) AS refund, CAST(paid_local AS DATE) AS day
                 FROM line_facts
                 WHERE shop_id = ? AND is_paid AND product_code IS NOT NULL
                   AND CAST(paid_local AS DATE) BETWEEN ? AND ?),
             costs AS (SELECT product_code, valid_from, unit_cost FROM cost_prices WHERE shop_id = ?)
             SELECT {key}, {title},
                    CAST(sum(l.quantity) AS BIGINT), CAST(sum(l.paid) AS BIGINT),
                    CAST(sum(l.refund) AS BIGINT),
                    CAST(coalesce(sum(l.quantity * c.unit_cost), 0) AS BIGINT),
                    CAST(coalesce(sum(l.quantity) FILTER (WHERE c.unit_cost IS NULL), 0) AS BIGINT)
             FROM lines l
             ASOF LEFT JOIN costs c ON c.product_code = l.product_code AND l.day >= c.valid_from
             LEFT JOIN (SELECT product_code, title FROM products WHERE shop_id = ?) p
                    ON p.product_code = l.product_code
             GROUP BY 1
             ORDER BY {order}"
        ))?;
        let id = shop.id.0;
        let rows = stmt.query_map(params![id, range.from, range.to, id, id], |r| {
            Ok(ProductSales {
                key: r.get(0)?,
                title: r.get(1)?,
                units: r.get(2)?,
                paid: r.get(3)?,
                refunds: r.get(4)?,
                cogs: r.get(5)?,
                units_without_cost: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
