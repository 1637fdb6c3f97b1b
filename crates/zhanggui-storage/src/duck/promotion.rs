//! The promotion module's storage in DuckDB: ad rows saved by key through the shared
//! upsert, totals grouped in SQL, and creative tests with their arms.
//!
//! A plan's day may come in at more than one grain (a plan report and a keyword report of
//! the same day): totals per tool, plan or day take, for each plan and day, the grain whose
//! rows spend the most (the most complete), so that no spend is counted twice. Rows of two
//! attribution windows are never added: every total names its window.

use duckdb::params;
use zhanggui_domain::Shop;

use super::profit_inputs::upsert;
use super::DuckStore;
use crate::promotion::{AbArm, AbTest, AdBy, AdRow, AdStore, AdTotals};
use crate::{CostsSaved, DayRange, StoreError};

const KEYS: &[&str] = &[
    "tool",
    "day",
    "campaign",
    "unit",
    "keyword",
    "creative",
    "product_code",
    "attribution",
];

/// The sums every total carries.
const SUMS: &str = "count(DISTINCT day) AS days, sum(impressions)::BIGINT AS impressions,
    sum(clicks)::BIGINT AS clicks, sum(spend)::BIGINT AS spend, sum(orders) AS orders,
    sum(sales)::BIGINT AS sales, sum(direct_orders) AS direct_orders,
    sum(direct_sales)::BIGINT AS direct_sales, sum(add_to_cart)::BIGINT AS add_to_cart,
    sum(favourites)::BIGINT AS favourites";

impl AdStore for DuckStore {
    fn save_ad_rows(&self, shop: &Shop, rows: &[AdRow]) -> Result<CostsSaved, StoreError> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let saved = upsert(&self.conn, "ad_rows", KEYS, |a| {
            for (seq, r) in rows.iter().enumerate() {
                a.append_row(params![
                    shop.id.0,
                    r.tool,
                    r.day,
                    r.campaign,
                    text(&r.unit),
                    text(&r.keyword),
                    text(&r.creative),
                    text(&r.product_code),
                    text(&r.attribution),
                    r.impressions,
                    r.clicks,
                    r.spend,
                    r.orders,
                    r.sales,
                    r.direct_orders,
                    r.direct_sales,
                    r.add_to_cart,
                    r.favourites,
                    seq as i64,
                ])?;
            }
            Ok(())
        })?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn ad_totals(
        &self,
        shop: &Shop,
        range: DayRange,
        by: AdBy,
    ) -> Result<Vec<AdTotals>, StoreError> {
        let sql = totals_sql(by);
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(params![shop.id.0, range.from, range.to], |r| {
            Ok(AdTotals {
                tool: r.get(0)?,
                attribution: r.get(1)?,
                campaign: r.get(2)?,
                creative: r.get(3)?,
                product_code: r.get(4)?,
                day: r.get(5)?,
                days: r.get(6)?,
                impressions: r.get(7)?,
                clicks: r.get(8)?,
                spend: r.get(9)?,
                orders: r.get(10)?,
                sales: r.get(11)?,
                direct_orders: r.get(12)?,
                direct_sales: r.get(13)?,
                add_to_cart: r.get(14)?,
                favourites: r.get(15)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn ad_span(
        &self,
        shop: &Shop,
    ) -> Result<Option<(chrono::NaiveDate, chrono::NaiveDate)>, StoreError> {
        let (first, last): (Option<chrono::NaiveDate>, Option<chrono::NaiveDate>) =
            self.conn.query_row(
                "SELECT min(day), max(day) FROM ad_rows WHERE shop_id = ?",
                [shop.id.0],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
        Ok(first.zip(last))
    }

    fn add_ab_test(&self, shop: &Shop, test: &AbTest) -> Result<(), StoreError> {
        let known: i64 = self.conn.query_row(
            "SELECT count(*) FROM ab_tests WHERE shop_id = ? AND name = ?",
            params![shop.id.0, test.name],
            |r| r.get(0),
        )?;
        if known > 0 {
            return Err(StoreError::Exists(format!("a test named `{}`", test.name)));
        }
        self.conn.execute(
            "INSERT INTO ab_tests VALUES (?, ?, ?, ?, ?, ?)",
            params![
                shop.id.0,
                test.name,
                test.metric,
                test.started_on,
                test.planned_units,
                test.created_at
            ],
        )?;
        Ok(())
    }

    fn ab_tests(&self, shop: &Shop) -> Result<Vec<AbTest>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT name, metric, started_on, planned_units, created_at FROM ab_tests
             WHERE shop_id = ? ORDER BY name",
        )?;
        let rows = stmt.query_map([shop.id.0], |r| {
            Ok(AbTest {
                name: r.get(0)?,
                metric: r.get(1)?,
                started_on: r.get(2)?,
                planned_units: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn set_ab_arm(&self, shop: &Shop, test: &str, arm: &AbArm) -> Result<(), StoreError> {
        super::scripts::in_transaction(&self.conn, || {
            self.conn.execute(
                "DELETE FROM ab_arms WHERE shop_id = ? AND test = ? AND arm = ?",
                params![shop.id.0, test, arm.arm],
            )?;
            self.conn.execute(
                "INSERT INTO ab_arms VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                params![
                    shop.id.0,
                    test,
                    arm.arm,
                    arm.units,
                    arm.successes,
                    arm.value_sum,
                    arm.value_sq_sum,
                    arm.source
                ],
            )?;
            Ok(())
        })
    }

    fn ab_arms(&self, shop: &Shop, test: &str) -> Result<Vec<AbArm>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT arm, units, successes, value_sum, value_sq_sum, source FROM ab_arms
             WHERE shop_id = ? AND test = ? ORDER BY arm",
        )?;
        let rows = stmt.query_map(params![shop.id.0, test], |r| {
            Ok(AbArm {
                arm: r.get(0)?,
                units: r.get(1)?,
                successes: r.get(2)?,
                value_sum: r.get(3)?,
                value_sq_sum: r.get(4)?,
                source: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// Ad spend per day and channel for the profit model, over days `from`..`to` (SQL date
/// literals' text): each ad report tool's spend (per plan and day, the grain and window
/// spending the most, as in the totals) as the channel named by the tool, and the spend
/// sheet's rows for the days and channels no ad report covers. Columns: day, channel,
/// spend.
pub(super) fn spend_by_day_sql(shop: i32, from: &str, to: &str) -> String {
    format!(
        "SELECT day, channel, sum(spend) AS spend FROM (
           SELECT day, tool AS channel, spend FROM (
             SELECT tool, day, campaign, max(spend) AS spend FROM (
               SELECT tool, day, campaign, attribution,
                      (unit <> '')::INT || (keyword <> '')::INT || (creative <> '')::INT
                        || (product_code <> '')::INT AS grain,
                      sum(spend) AS spend
               FROM ad_rows
               WHERE shop_id = {shop} AND day BETWEEN DATE '{from}' AND DATE '{to}'
               GROUP BY tool, day, campaign, attribution, grain)
             GROUP BY tool, day, campaign)
           UNION ALL
           SELECT s.day, s.channel, s.spend FROM ad_spend s
           WHERE s.shop_id = {shop} AND s.day BETWEEN DATE '{from}' AND DATE '{to}'
             AND NOT EXISTS (SELECT 1 FROM ad_rows r WHERE r.shop_id = {shop}
                             AND r.day = s.day AND r.tool = s.channel))
         GROUP BY day, channel"
    )
}

/// The totals query of a grouping; parameters: shop, first day, last day.
fn totals_sql(by: AdBy) -> String {
    let rows = "SELECT *, (unit <> '')::INT || (keyword <> '')::INT || (creative <> '')::INT
                    || (product_code <> '')::INT AS grain
                FROM ad_rows WHERE shop_id = $1 AND day BETWEEN $2 AND $3";
    let (filter, group, columns) = match by {
        AdBy::Creative => (
            "creative <> ''",
            "tool, attribution, campaign, creative",
            "campaign, creative, '' AS g_product, NULL::DATE AS g_day",
        ),
        AdBy::CreativeDay => (
            "creative <> ''",
            "tool, attribution, campaign, creative, day",
            "campaign, creative, '' AS g_product, day",
        ),
        AdBy::Product => (
            "product_code <> ''",
            "tool, attribution, product_code",
            "'' AS g_campaign, '' AS g_creative, product_code, NULL::DATE AS g_day",
        ),
        AdBy::Tool => (
            "",
            "tool, attribution",
            "'' AS g_campaign, '' AS g_creative, '' AS g_product, NULL::DATE AS g_day",
        ),
        AdBy::Campaign => (
            "",
            "tool, attribution, campaign",
            "campaign, '' AS g_creative, '' AS g_product, NULL::DATE AS g_day",
        ),
        AdBy::CampaignDay => (
            "",
            "tool, attribution, campaign, day",
            "campaign, '' AS g_creative, '' AS g_product, day",
        ),
    };
    let source = if filter.is_empty() {
        // One grain per plan and day: the one whose rows spend the most.
        format!(
            "(SELECT r.* FROM ({rows}) r
              JOIN (SELECT tool, attribution, campaign, day, grain FROM ({rows})
                    GROUP BY tool, attribution, campaign, day, grain
                    QUALIFY row_number() OVER (PARTITION BY tool, attribution, campaign, day
                                               ORDER BY sum(spend) DESC, grain) = 1) g
              USING (tool, attribution, campaign, day, grain))"
        )
    } else {
        format!("(SELECT * FROM ({rows}) WHERE {filter})")
    };
    format!(
        "SELECT tool, attribution, {columns}, {SUMS} FROM {source}
         GROUP BY {group} ORDER BY {group}"
    )
}
