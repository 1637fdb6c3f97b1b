//! The ad reports' measures for the metric engine: impressions, clicks, spend, attributed
//! orders and sales, add-to-cart, per group (the shop, a day, week or month, a traffic
//! source named like the tool, a product or category the rows name). Each plan's day
//! counts once: at one attribution window (the report's own when it states none, else the
//! first by name; windows are never added) and at the grain whose rows spend the most.
//! And which traffic sources are paid.

use duckdb::Connection;
use zhanggui_domain::Shop;

use crate::measures::{DayRange, GroupBy};
use crate::StoreError;

/// Traffic sources that are paid by name (生意参谋's 付费流量 and the other platforms' ad
/// tools); a source named like an imported ad tool, or containing 付费, 广告 or 推广, is
/// paid too.
pub(super) const PAID_SOURCES: &[&str] = &[
    "直通车",
    "引力魔方",
    "万相台",
    "万相台无界",
    "钻石展位",
    "钻展",
    "超级推荐",
    "品销宝",
    "淘宝客",
    "京东快车",
    "京准通",
    "京东展位",
    "购物触点",
    "京挑客",
    "多多搜索",
    "多多场景",
    "全站推广",
    "多多进宝",
    "巨量千川",
    "千川",
    "Google Ads",
    "Meta Ads",
    "Facebook Ads",
    "Microsoft Ads",
    "paid",
    "cpc",
];

/// An SQL condition on `{alias}.source` that holds for a paid source of shop `shop`.
pub(super) fn paid_source_sql(alias: &str, shop: i32) -> String {
    let names: Vec<String> = PAID_SOURCES
        .iter()
        .map(|n| format!("'{}'", n.to_lowercase().replace('\'', "''")))
        .collect();
    format!(
        "(lower({alias}.source) IN ({names}) OR {alias}.source LIKE '%付费%' \
         OR {alias}.source LIKE '%广告%' OR {alias}.source LIKE '%推广%' \
         OR {alias}.source IN (SELECT DISTINCT tool FROM ad_rows WHERE shop_id = {shop}))",
        names = names.join(", ")
    )
}

/// `WITH r AS (...), pick AS (...)`: the shop's ad rows (`$1`) between days `$2` and `$3`
/// that pass `filter`, and for each plan's day the one attribution window and grain to
/// count; join `r` to `pick` on (tool, campaign, day, attribution, grain).
pub(super) fn one_grain_rows(filter: &str) -> String {
    format!(
        "WITH r AS (
           SELECT *, (unit <> '')::INT || (keyword <> '')::INT || (creative <> '')::INT
                     || (product_code <> '')::INT AS grain
           FROM ad_rows WHERE shop_id = $1 AND day BETWEEN $2 AND $3 {filter}),
         pick AS (
           SELECT tool, campaign, day, attribution, grain FROM r
           GROUP BY tool, campaign, day, attribution, grain
           QUALIFY row_number() OVER (PARTITION BY tool, campaign, day
                                      ORDER BY length(attribution), attribution, sum(spend) DESC, grain) = 1)"
    )
}

/// One group's ad measures: impressions, clicks, spend, orders (rounded), sales,
/// add-to-cart; `None` where no row of the group reports it.
pub(super) type AdMeasures = [Option<i64>; 6];

/// Whether the grouping can carry ad measures; `None` when it can, else why not.
pub(super) fn unavailable(by: GroupBy) -> Option<&'static str> {
    match by {
        GroupBy::Region | GroupBy::Hour | GroupBy::Device => {
            Some("ad reports give no figures by region, hour or device")
        }
        _ => None,
    }
}

/// The ad measures of the shop's rows over `range`, per group of `by`; empty when no ad
/// report covers the range.
pub(super) fn ad_measures(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
    by: GroupBy,
) -> Result<Vec<(String, AdMeasures)>, StoreError> {
    let per_product = matches!(by, GroupBy::Product | GroupBy::Category);
    let group = match by {
        GroupBy::Day => "strftime(r.day, '%Y-%m-%d')",
        GroupBy::Week => "strftime(date_trunc('week', r.day), '%Y-%m-%d')",
        GroupBy::Month => "strftime(r.day, '%Y-%m')",
        GroupBy::Source => "r.tool",
        GroupBy::Product => "r.product_code",
        GroupBy::Category => "coalesce(pr.category, '(none)')",
        _ => "'total'",
    };
    // Per product only the rows that name one; they are one grain already.
    let filter = if per_product {
        "AND product_code <> ''"
    } else {
        ""
    };
    let rows = one_grain_rows(filter);
    let sql = format!(
        "{rows}
         SELECT {group}, CAST(sum(r.impressions) AS BIGINT), CAST(sum(r.clicks) AS BIGINT),
                CAST(sum(r.spend) AS BIGINT), CAST(round(sum(r.orders)) AS BIGINT),
                CAST(sum(r.sales) AS BIGINT), CAST(sum(r.add_to_cart) AS BIGINT)
         FROM r JOIN pick USING (tool, campaign, day, attribution, grain)
              LEFT JOIN products pr ON pr.shop_id = $1 AND pr.product_code = r.product_code
         GROUP BY 1"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(duckdb::params![shop.id.0, range.from, range.to])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let get = |i: usize| r.get::<_, Option<i64>>(i);
        out.push((
            r.get::<_, String>(0)?,
            [get(1)?, get(2)?, get(3)?, get(4)?, get(5)?, get(6)?],
        ));
    }
    Ok(out)
}
