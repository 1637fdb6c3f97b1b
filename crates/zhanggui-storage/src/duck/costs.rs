//! The profit module's storage in DuckDB: cost prices saved by key in one transaction; the
//! other inputs and the model's query in their own modules. Every save forgets the shop's
//! derived profit lines, which the next report rebuilds.

use duckdb::params;
use zhanggui_domain::{ProductCode, Shop};

use super::courier;
use super::profit_inputs;
use super::scripts::in_transaction;
use super::DuckStore;
use crate::costs::{
    AdSpendDay, BillLine, CostPrice, CostStore, CostsSaved, CourierCharge, ExpenseRule, OrderFee,
    ProfitBy, ProfitInputs, ProfitParts, Unallocated, Unsettled,
};
use crate::{DayRange, Store, StoreError};

impl CostStore for DuckStore {
    fn save_cost_prices(
        &self,
        shop: &Shop,
        prices: &[CostPrice],
    ) -> Result<CostsSaved, StoreError> {
        let conn = &self.conn;
        let saved = in_transaction(conn, || {
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
                if let Some(grams) = p.weight_grams {
                    conn.execute(
                        "DELETE FROM product_weights WHERE shop_id = ? AND product_code = ?",
                        params![shop.id.0, p.product_code.as_str()],
                    )?;
                    conn.execute(
                        "INSERT INTO product_weights VALUES (?, ?, ?)",
                        params![shop.id.0, p.product_code.as_str(), grams],
                    )?;
                }
            }
            Ok(saved)
        })?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn cost_prices(&self, shop: &Shop) -> Result<Vec<CostPrice>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT c.product_code, c.valid_from, c.unit_cost, w.weight_grams
             FROM cost_prices c
             LEFT JOIN product_weights w
               ON w.shop_id = c.shop_id AND w.product_code = c.product_code
             WHERE c.shop_id = ? ORDER BY c.product_code, c.valid_from",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        rows.map(|row| {
            let (code, valid_from, unit_cost, weight_grams) = row?;
            let product_code = ProductCode::from_string(code)
                .map_err(|e| StoreError::Corrupt(format!("a stored product code {e}")))?;
            Ok(CostPrice {
                product_code,
                valid_from,
                unit_cost,
                weight_grams,
            })
        })
        .collect()
    }

    fn save_bill_lines(&self, shop: &Shop, lines: &[BillLine]) -> Result<CostsSaved, StoreError> {
        let saved = profit_inputs::save_bill_lines(&self.conn, shop, lines)?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn save_expense_rules(
        &self,
        shop: &Shop,
        rules: &[ExpenseRule],
    ) -> Result<CostsSaved, StoreError> {
        let saved = profit_inputs::save_expense_rules(&self.conn, shop, rules)?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn expense_rules(&self, shop: &Shop) -> Result<Vec<ExpenseRule>, StoreError> {
        profit_inputs::expense_rules(&self.conn, shop)
    }

    fn save_ad_spend(&self, shop: &Shop, days: &[AdSpendDay]) -> Result<CostsSaved, StoreError> {
        let saved = profit_inputs::save_ad_spend(&self.conn, shop, days)?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn save_courier_charges(
        &self,
        shop: &Shop,
        charges: &[CourierCharge],
    ) -> Result<CostsSaved, StoreError> {
        let saved = courier::save_courier_charges(&self.conn, shop, charges)?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn unmatched_courier_charges(&self, shop: &Shop) -> Result<Vec<CourierCharge>, StoreError> {
        courier::unmatched_courier_charges(&self.conn, shop)
    }

    fn profit_inputs(&self, shop: &Shop) -> Result<ProfitInputs, StoreError> {
        profit_inputs::profit_inputs(&self.conn, shop)
    }

    fn profit_parts(
        &self,
        shop: &Shop,
        range: DayRange,
        by: ProfitBy,
    ) -> Result<(Vec<ProfitParts>, Unallocated), StoreError> {
        self.profit_parts_of(shop, range, by)
    }

    fn unmatched_bill_lines(&self, shop: &Shop) -> Result<Vec<BillLine>, StoreError> {
        profit_inputs::unmatched_bill_lines(&self.conn, shop)
    }

    fn order_fees(&self, shop: &Shop, range: DayRange) -> Result<Vec<OrderFee>, StoreError> {
        profit_inputs::order_fees(&self.conn, shop, range)
    }

    fn unsettled_orders(
        &self,
        shop: &Shop,
        range: DayRange,
        settled_before: chrono::NaiveDateTime,
    ) -> Result<Vec<Unsettled>, StoreError> {
        self.refresh(shop)?;
        profit_inputs::unsettled_orders(&self.conn, shop, range, settled_before)
    }
}
