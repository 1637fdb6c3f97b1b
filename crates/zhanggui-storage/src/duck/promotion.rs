//! The promotion module's storage in DuckDB: ad rows staged in column buffers and merged
//! by key, totals grouped in SQL, and creative tests with their arms.
//!
//! A plan's day may come in at more than one grain (a plan report and a keyword report of
//! the same day): totals per tool, plan or day take, for each plan and day, the grain whose
//! rows spend the most (the most complete), so that no spend is counted twice. Rows of two
//! attribution windows are never added: every total names its window.

use duckdb::params;
use zhanggui_domain::Shop;

use super::columns::{ColumnBuffer, Kind};
use super::scripts::in_transaction;
use super::DuckStore;
use crate::promotion::{AbArm, AbTest, AdBy, AdRow, AdStore, AdTotals, PaidFreeDay};
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
        let saved = in_transaction(&self.conn, || {
            save_stream(&self.conn, shop, &mut |stage| stage(rows))
        })?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn save_ad_batches(
        &self,
        shop: &Shop,
        batches: &mut dyn Iterator<Item = Result<Vec<AdRow>, StoreError>>,
    ) -> Result<CostsSaved, StoreError> {
        let saved = in_transaction(&self.conn, || {
            save_stream(&self.conn, shop, &mut |stage| {
                for batch in &mut *batches {
                    stage(&batch?)?;
                }
                Ok(())
            })
        })?;
        self.forget_profit(shop)?;
        Ok(saved)
    }

    fn paid_free_days(&self, shop: &Shop, range: DayRange) -> Result<Vec<PaidFreeDay>, StoreError> {
        super::traffic_split::paid_free_days(&self.conn, shop, range)
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

/// The columns of `ad_rows` after `shop_id`, as staged.
const STAGED: &[(&str, Kind)] = &[
    ("tool", Kind::Text),
    ("day", Kind::Date),
    ("campaign", Kind::Text),
    ("unit", Kind::Text),
    ("keyword", Kind::Text),
    ("creative", Kind::Text),
    ("product_code", Kind::Text),
    ("attribution", Kind::Text),
    ("impressions", Kind::Int),
    ("clicks", Kind::Int),
    ("spend", Kind::Int),
    ("orders", Kind::Float),
    ("sales", Kind::Int),
    ("direct_orders", Kind::Float),
    ("direct_sales", Kind::Int),
    ("add_to_cart", Kind::Int),
    ("favourites", Kind::Int),
];

/// What the rows of a save look like, gathered as they are staged: whether two share a key
/// (by the keys' hashes: a collision only sends a file the longer way), their first and
/// last day and their tools.
struct Seen {
    state: std::collections::hash_map::RandomState,
    keys: std::collections::HashSet<u64>,
    distinct: bool,
    first: Option<chrono::NaiveDate>,
    last: Option<chrono::NaiveDate>,
    tools: std::collections::BTreeSet<String>,
}

impl Seen {
    fn new() -> Seen {
        Seen {
            state: std::collections::hash_map::RandomState::new(),
            keys: std::collections::HashSet::new(),
            distinct: true,
            first: None,
            last: None,
            tools: std::collections::BTreeSet::new(),
        }
    }

    fn see(&mut self, r: &AdRow) {
        use std::hash::BuildHasher;
        let key = self.state.hash_one((
            &r.tool,
            r.day,
            &r.campaign,
            &r.unit,
            &r.keyword,
            &r.creative,
            &r.product_code,
            &r.attribution,
        ));
        self.distinct &= self.keys.insert(key);
        self.first = Some(self.first.map_or(r.day, |d| d.min(r.day)));
        self.last = Some(self.last.map_or(r.day, |d| d.max(r.day)));
        if !self.tools.contains(&r.tool) {
            self.tools.insert(r.tool.clone());
        }
    }
}

/// Stages batches of rows through column buffers as they come (the importer reads the
/// next batch meanwhile), adds up rows of one key, and merges them: a key already stored
/// takes the file's values. When no stored row of the shop falls in the rows' days for
/// their tools, the rows are inserted without the comparison, in one statement DuckDB runs
/// on every core. A batch that is an error stops the save, and the transaction with it.
/// Stages one batch of rows.
type Stage<'a> = dyn FnMut(&[AdRow]) -> Result<(), StoreError> + 'a;

/// `batches` hands each batch of rows to the staging function it is given.
fn save_stream(
    conn: &duckdb::Connection,
    shop: &Shop,
    batches: &mut dyn FnMut(&mut Stage<'_>) -> Result<(), StoreError>,
) -> Result<CostsSaved, StoreError> {
    let id = shop.id.0;
    conn.execute_batch(
        "CREATE OR REPLACE TEMP TABLE _ad_in AS SELECT * EXCLUDE (shop_id) FROM ad_rows LIMIT 0",
    )?;
    let mut seen = Seen::new();
    {
        let mut appender = conn.appender_to_catalog_and_db("_ad_in", "temp", "main")?;
        let mut buffer = ColumnBuffer::new(STAGED);
        batches(&mut |rows: &[AdRow]| {
            for r in rows {
                seen.see(r);
                push_row(&mut buffer, r);
                buffer.end_row(&mut appender)?;
            }
            Ok(())
        })?;
        buffer.flush(&mut appender)?;
        appender.flush()?;
    }
    let distinct = seen.distinct;
    // Whether stored rows of the shop fall in the rows' days for their tools: asked once,
    // for the straight append and for the merge alike.
    let overlapping = overlaps_stored(conn, id, &seen)?;
    if distinct && !overlapping {
        let new: i64 = conn.query_row("SELECT count(*) FROM _ad_in", [], |r| r.get(0))?;
        conn.execute_batch(&format!(
            "INSERT INTO ad_rows SELECT {id}::INTEGER AS shop_id, * FROM _ad_in;
             DROP TABLE _ad_in;"
        ))?;
        return Ok(CostsSaved {
            inserted: new as u64,
            updated: 0,
            unchanged: 0,
        });
    }
    let keys = KEYS.join(", ");
    // Rows of one key add up; a file whose keys are all distinct (nearly every one) skips
    // the grouping. A hash collision only sends a file the longer way.
    let select = if distinct {
        format!("SELECT {id}::INTEGER AS shop_id, * FROM _ad_in")
    } else {
        format!(
            "SELECT {id}::INTEGER AS shop_id, {keys},
                    sum(impressions)::BIGINT AS impressions, sum(clicks)::BIGINT AS clicks,
                    sum(spend)::BIGINT AS spend, sum(orders) AS orders,
                    sum(sales)::BIGINT AS sales, sum(direct_orders) AS direct_orders,
                    sum(direct_sales)::BIGINT AS direct_sales,
                    sum(add_to_cart)::BIGINT AS add_to_cart,
                    sum(favourites)::BIGINT AS favourites
             FROM _ad_in GROUP BY {keys}"
        )
    };
    conn.execute_batch(&format!(
        "CREATE OR REPLACE TEMP TABLE _ad_new AS {select}; DROP TABLE _ad_in;"
    ))?;
    let new: i64 = conn.query_row("SELECT count(*) FROM _ad_new", [], |r| r.get(0))?;
    let saved = if !overlapping {
        conn.execute_batch("INSERT INTO ad_rows SELECT * FROM _ad_new")?;
        CostsSaved {
            inserted: new as u64,
            updated: 0,
            unchanged: 0,
        }
    } else {
        let on: Vec<String> = std::iter::once("shop_id")
            .chain(KEYS.iter().copied())
            .map(|k| format!("t.{k} = n.{k}"))
            .collect();
        let on = on.join(" AND ");
        let (existing, unchanged): (i64, i64) = conn.query_row(
            &format!(
                "SELECT (SELECT count(*) FROM _ad_new n JOIN ad_rows t ON {on}),
                        (SELECT count(*) FROM (SELECT * FROM _ad_new INTERSECT
                                               SELECT * FROM ad_rows WHERE shop_id = {id}))"
            ),
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        conn.execute_batch(&format!(
            "DELETE FROM ad_rows t USING _ad_new n WHERE {on};
             INSERT INTO ad_rows SELECT * FROM _ad_new;"
        ))?;
        CostsSaved {
            inserted: (new - existing) as u64,
            updated: (existing - unchanged) as u64,
            unchanged: unchanged as u64,
        }
    };
    conn.execute_batch("DROP TABLE _ad_new")?;
    Ok(saved)
}

/// One row's columns after `shop_id`, in the order of `ad_rows`.
fn push_row(buffer: &mut ColumnBuffer, r: &AdRow) {
    fn text(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
    buffer
        .text(Some(&r.tool))
        .date(Some(r.day))
        .text(Some(&r.campaign))
        .text(Some(text(&r.unit)))
        .text(Some(text(&r.keyword)))
        .text(Some(text(&r.creative)))
        .text(Some(text(&r.product_code)))
        .text(Some(text(&r.attribution)))
        .int(r.impressions)
        .int(r.clicks)
        .int(Some(r.spend))
        .float(r.orders)
        .int(r.sales)
        .float(r.direct_orders)
        .int(r.direct_sales)
        .int(r.add_to_cart)
        .int(r.favourites);
}

/// Whether the shop has a stored row of any of the rows' tools within their days.
fn overlaps_stored(conn: &duckdb::Connection, shop: i32, seen: &Seen) -> Result<bool, StoreError> {
    let (Some(first), Some(last)) = (seen.first, seen.last) else {
        return Ok(false);
    };
    let mut stmt = conn.prepare(
        "SELECT EXISTS (SELECT 1 FROM ad_rows
                        WHERE shop_id = ? AND day BETWEEN ? AND ? AND tool = ?)",
    )?;
    for tool in &seen.tools {
        if stmt.query_row(params![shop, first, last, tool], |r| r.get::<_, bool>(0))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Ad spend per day, channel (the tool) and product: each plan's day at the grain and
/// window that spend the most, its spend per product where that grain names products
/// (`''` where it does not); then the spend sheet's days and channels that no ad report
/// covers (product `''`). Columns: day, channel, product, spend.
pub(super) fn spend_by_day_sql(shop: i32, from: &str, to: &str) -> String {
    format!(
        "SELECT day, channel, product, sum(spend) AS spend FROM (
           SELECT r.day, r.tool AS channel, r.product_code AS product, r.spend FROM (
             SELECT *, (unit <> '')::INT || (keyword <> '')::INT || (creative <> '')::INT
                         || (product_code <> '')::INT AS grain
             FROM ad_rows
             WHERE shop_id = {shop} AND day BETWEEN DATE '{from}' AND DATE '{to}') r
           JOIN (SELECT tool, day, campaign, attribution, grain FROM (
                   SELECT tool, day, campaign, attribution,
                          (unit <> '')::INT || (keyword <> '')::INT || (creative <> '')::INT
                            || (product_code <> '')::INT AS grain,
                          sum(spend) AS spend
                   FROM ad_rows
                   WHERE shop_id = {shop} AND day BETWEEN DATE '{from}' AND DATE '{to}'
                   GROUP BY tool, day, campaign, attribution, grain)
                 QUALIFY row_number() OVER (PARTITION BY tool, day, campaign
                                            ORDER BY spend DESC, attribution, grain) = 1) pick
             USING (tool, day, campaign, attribution, grain)
           UNION ALL
           SELECT s.day, s.channel, '' AS product, s.spend FROM ad_spend s
           WHERE s.shop_id = {shop} AND s.day BETWEEN DATE '{from}' AND DATE '{to}'
             AND NOT EXISTS (SELECT 1 FROM ad_rows r WHERE r.shop_id = {shop}
                             AND r.day = s.day AND r.tool = s.channel))
         GROUP BY day, channel, product"
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
