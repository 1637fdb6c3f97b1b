//! Measures for the metric engine: one query over orders (or order lines, per product),
//! one over the traffic-source report, one over the product report and one over the ad
//! reports (`ad_measures.rs`), merged per group.
//! Each measure that the data cannot give for this grouping is reported missing with the
//! reason, never as 0.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use duckdb::Connection;
use zhanggui_domain::metrics::Measure;
use zhanggui_domain::Shop;

use crate::measures::{DataSpan, DayRange, GroupBy, MeasureRow, MeasureTable};
use crate::StoreError;

/// Measures read from the traffic-source report.
const SOURCE_TRAFFIC: [Measure; 2] = [Measure::Visitors, Measure::PageViews];
/// Measures read from the product report.
const PRODUCT_TRAFFIC: [Measure; 3] = [
    Measure::ProductVisitors,
    Measure::Favourites,
    Measure::AddToCart,
];
/// Measures only the orders of the whole shop give.
const SHOP_ORDER_ONLY: [Measure; 6] = [
    Measure::NewBuyers,
    Measure::ReturningBuyers,
    Measure::Repurchasers30,
    Measure::Repurchasers90,
    Measure::ShipSeconds,
    Measure::ShippedOrders,
];
/// Measures read from the ad reports.
const AD: [Measure; 6] = [
    Measure::AdImpressions,
    Measure::AdClicks,
    Measure::AdSpend,
    Measure::AdOrders,
    Measure::AdSales,
    Measure::AdAddToCart,
];
const DSR: [Measure; 6] = [
    Measure::DsrDescriptionSum,
    Measure::DsrDescriptionCount,
    Measure::DsrServiceSum,
    Measure::DsrServiceCount,
    Measure::DsrLogisticsSum,
    Measure::DsrLogisticsCount,
];

struct Table {
    rows: BTreeMap<String, MeasureRow>,
    missing: BTreeMap<Measure, String>,
}

impl Table {
    fn put(&mut self, group: &str, m: Measure, v: Option<i64>) {
        let Some(v) = v else { return };
        self.rows
            .entry(group.to_owned())
            .or_insert_with(|| MeasureRow {
                group: group.to_owned(),
                label: None,
                values: BTreeMap::new(),
            })
            .values
            .insert(m, v);
    }

    fn miss(&mut self, measures: &[Measure], reason: &str) {
        for m in measures {
            self.missing.entry(*m).or_insert_with(|| reason.to_owned());
        }
    }
}

pub(super) fn span(conn: &Connection, shop: &Shop) -> Result<DataSpan, StoreError> {
    let id = shop.id.0;
    let (first, last): (Option<NaiveDateTime>, Option<NaiveDateTime>) = conn.query_row(
        "SELECT min(coalesce(created_at, paid_at)), max(coalesce(created_at, paid_at))
         FROM orders WHERE shop_id = ?",
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let orders = match (first, last) {
        (Some(f), Some(l)) => Some(DayRange::new(local_day(shop, f), local_day(shop, l))),
        _ => None,
    };
    let days = |table: &str| -> Result<Option<DayRange>, StoreError> {
        let (f, l): (Option<NaiveDate>, Option<NaiveDate>) = conn.query_row(
            &format!("SELECT min(day), max(day) FROM {table} WHERE shop_id = ?"),
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(f.zip(l).map(|(f, l)| DayRange::new(f, l)))
    };
    Ok(DataSpan {
        orders,
        last_order: last.map(|l| {
            use chrono::TimeZone;
            shop.timezone.from_utc_datetime(&l).naive_local()
        }),
        sources: days("source_days")?,
        products: days("product_days")?,
    })
}

fn local_day(shop: &Shop, utc: NaiveDateTime) -> NaiveDate {
    use chrono::TimeZone;
    shop.timezone.from_utc_datetime(&utc).date_naive()
}

fn ts(t: NaiveDateTime) -> String {
    format!("TIMESTAMP '{}'", t.format("%Y-%m-%d %H:%M:%S"))
}

fn day_start(d: NaiveDate) -> NaiveDateTime {
    d.and_time(NaiveTime::MIN)
}

/// The group key of a shop-local timestamp or date expression, and the start of its group.
fn time_group(by: GroupBy, t: &str, range_start: &str) -> (String, String) {
    match by {
        GroupBy::Day => (
            format!("strftime({t}, '%Y-%m-%d')"),
            format!("date_trunc('day', {t})"),
        ),
        GroupBy::Week => (
            format!("strftime(date_trunc('week', {t}), '%Y-%m-%d')"),
            format!("greatest(date_trunc('week', {t}), {range_start})"),
        ),
        GroupBy::Month => (
            format!("strftime({t}, '%Y-%m')"),
            format!("greatest(date_trunc('month', {t}), {range_start})"),
        ),
        GroupBy::Hour => (
            format!("lpad(CAST(hour({t}) AS VARCHAR), 2, '0')"),
            range_start.to_owned(),
        ),
        GroupBy::Region => ("coalesce(region, '(unknown)')".into(), range_start.into()),
        GroupBy::Device => ("coalesce(channel, '(unknown)')".into(), range_start.into()),
        GroupBy::Total | GroupBy::Product | GroupBy::Category | GroupBy::Source => {
            ("'total'".into(), range_start.into())
        }
    }
}

pub(super) fn measures(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
    by: GroupBy,
) -> Result<MeasureTable, StoreError> {
    let span = span(conn, shop)?;
    let mut table = Table {
        rows: BTreeMap::new(),
        missing: BTreeMap::new(),
    };
    table.miss(
        &DSR,
        "no reviews with DSR scores have been imported (review imports come with the \
         customer-service desk)",
    );
    if by != GroupBy::Source {
        super::facts::ensure_fresh(conn, shop)?;
    }
    match by {
        GroupBy::Product | GroupBy::Category => {
            line_measures(conn, shop, range, by, &mut table)?;
            table.miss(
                &SHOP_ORDER_ONLY,
                "computed for the shop, not per product or category",
            );
        }
        GroupBy::Source => {
            table.miss(
                &SHOP_ORDER_ONLY,
                "orders do not say which traffic source they came from",
            );
            table.miss(
                &[
                    Measure::PaidUnits,
                    Measure::RefundAmount,
                    Measure::RefundedOrders,
                ],
                "the traffic-source report gives visitors, buyers, orders and paid amount \
                 only",
            );
            table.miss(
                &PRODUCT_TRAFFIC,
                "the traffic-source report has no favourites or add-to-cart",
            );
        }
        _ => {
            let window = (
                day_start(range.from),
                day_start(range.to + Duration::days(1)),
            );
            order_measures(conn, shop, window, by, &mut table)?;
            repurchase_availability(range, &span, &mut table);
        }
    }
    match by {
        GroupBy::Region | GroupBy::Hour | GroupBy::Device => {
            let reason = format!(
                "the platforms' traffic reports give no visitors by {}",
                by.as_str()
            );
            table.miss(&SOURCE_TRAFFIC, &reason);
            table.miss(&PRODUCT_TRAFFIC, &reason);
            table.miss(&[Measure::PaidVisitors], &reason);
        }
        GroupBy::Product | GroupBy::Category => {
            table.miss(
                &[Measure::PaidVisitors],
                "the product report does not split visitors by source",
            );
            product_report(conn, shop.id.0, range, by, &mut table)?;
        }
        GroupBy::Source => source_report(conn, shop.id.0, range, by, &mut table)?,
        GroupBy::Total | GroupBy::Day | GroupBy::Week | GroupBy::Month => {
            source_report(conn, shop.id.0, range, by, &mut table)?;
            product_report(conn, shop.id.0, range, by, &mut table)?;
        }
    }
    ad_report(conn, shop, range, by, &mut table)?;
    if by == GroupBy::Product {
        label_products(conn, shop.id.0, &mut table)?;
    }
    // A measure no row has and no reason covers: the report lacks that column.
    for m in Measure::ALL {
        if !table.missing.contains_key(&m) && table.rows.values().all(|r| r.get(m).is_none()) {
            let any_rows = !table.rows.is_empty();
            if any_rows {
                table.missing.insert(
                    m,
                    "the imported reports have no column for it in this period".into(),
                );
            }
        }
    }
    Ok(MeasureTable {
        by,
        range,
        rows: table.rows.into_values().collect(),
        missing: table.missing,
    })
}

/// Order measures for shop-local times from `from` (included) to `to` (excluded).
fn order_measures(
    conn: &Connection,
    shop: &Shop,
    (from, to): (NaiveDateTime, NaiveDateTime),
    by: GroupBy,
    table: &mut Table,
) -> Result<(), StoreError> {
    let id = shop.id.0;
    let (from, to) = (ts(from), ts(to));
    let (g_paid, g_start) = time_group(by, "paid_local", &from);
    let (g_created, g_created_start) = time_group(by, "created_local", &from);
    // Groups that are one stretch of time: a buyer's first order in the group is the one
    // whose previous order lies before the group's start, so buyers are counted by a scan.
    // Other groups (region, hour, device) count them by grouping once per buyer.
    let contiguous = matches!(
        by,
        GroupBy::Total | GroupBy::Day | GroupBy::Week | GroupBy::Month
    );
    let buyers = if contiguous {
        format!(
            "first_in_g AS (
                 SELECT * FROM p WHERE buyer_key IS NOT NULL
                   AND (prev_paid_local IS NULL OR prev_paid_local < g_start)),
             buyers AS (
                 SELECT g, count(*) AS paid_buyers,
                        count(*) FILTER (WHERE prev_paid_local IS NULL) AS new_buyers,
                        count(*) FILTER (WHERE prev_paid_local < g_start) AS returning_buyers,
                        count(*) FILTER (WHERE next_paid_local <= paid_local + INTERVAL '30 days')
                            AS r30,
                        count(*) FILTER (WHERE next_paid_local <= paid_local + INTERVAL '90 days')
                            AS r90
                 FROM first_in_g GROUP BY g),
             c AS (
                 SELECT {g_created} AS g,
                        count(*) FILTER (WHERE buyer_key IS NOT NULL
                            AND (prev_created_local IS NULL
                                 OR prev_created_local < {g_created_start})) AS order_buyers
                 FROM order_facts
                 WHERE shop_id = {id} AND created_local >= {from} AND created_local < {to}
                 GROUP BY g)"
        )
    } else {
        format!(
            "pb AS (
                 SELECT g, buyer_key, min(g_start) AS g_start,
                        min(first_paid_local) AS first_paid,
                        min(paid_local) AS first_in_g,
                        arg_min(next_paid_local, paid_local) AS next_paid
                 FROM p WHERE buyer_key IS NOT NULL GROUP BY g, buyer_key),
             buyers AS (
                 SELECT g, count(*) AS paid_buyers,
                        count(*) FILTER (WHERE first_paid >= g_start) AS new_buyers,
                        count(*) FILTER (WHERE first_paid < g_start) AS returning_buyers,
                        count(*) FILTER (WHERE next_paid <= first_in_g + INTERVAL '30 days') AS r30,
                        count(*) FILTER (WHERE next_paid <= first_in_g + INTERVAL '90 days') AS r90
                 FROM pb GROUP BY g),
             cb AS (
                 SELECT {g_created} AS g, buyer_key FROM order_facts
                 WHERE shop_id = {id} AND created_local >= {from} AND created_local < {to}
                   AND buyer_key IS NOT NULL
                 GROUP BY 1, 2),
             c AS (SELECT g, count(*) AS order_buyers FROM cb GROUP BY g)"
        )
    };
    let sql = format!(
        "WITH p AS (
             SELECT {g_paid} AS g, {g_start} AS g_start, * FROM order_facts
             WHERE shop_id = {id} AND is_paid AND paid_local >= {from} AND paid_local < {to}),
         agg AS (
             SELECT g,
                    count(*) AS paid_orders,
                    CAST(coalesce(sum(units), 0) AS BIGINT) AS paid_units,
                    CAST(coalesce(sum(amount), 0) AS BIGINT) AS paid_amount,
                    CAST(coalesce(sum(refund), 0) AS BIGINT) AS refund_amount,
                    count(*) FILTER (WHERE refund > 0) AS refunded_orders,
                    CAST(coalesce(sum(ship_seconds), 0) AS BIGINT) AS ship_seconds,
                    count(ship_seconds) AS shipped_orders
             FROM p GROUP BY g),
         {buyers}
         SELECT coalesce(agg.g, c.g),
                coalesce(b.paid_buyers, 0), coalesce(agg.paid_orders, 0),
                coalesce(agg.paid_units, 0), coalesce(agg.paid_amount, 0),
                coalesce(agg.refund_amount, 0), coalesce(agg.refunded_orders, 0),
                coalesce(b.new_buyers, 0),
                coalesce(b.returning_buyers, 0), coalesce(agg.ship_seconds, 0),
                coalesce(agg.shipped_orders, 0), coalesce(b.r30, 0),
                coalesce(b.r90, 0), coalesce(c.order_buyers, 0)
         FROM agg FULL OUTER JOIN c ON c.g = agg.g
              LEFT JOIN buyers b ON b.g = agg.g"
    );
    let measures = [
        Measure::PaidBuyers,
        Measure::PaidOrders,
        Measure::PaidUnits,
        Measure::PaidAmount,
        Measure::RefundAmount,
        Measure::RefundedOrders,
        Measure::NewBuyers,
        Measure::ReturningBuyers,
        Measure::ShipSeconds,
        Measure::ShippedOrders,
        Measure::Repurchasers30,
        Measure::Repurchasers90,
        Measure::OrderBuyers,
    ];
    let any = read_rows(conn, &sql, &measures, table)?;
    if !any && by == GroupBy::Total {
        // No orders in the period is a real zero.
        for m in measures {
            table.put("total", m, Some(0));
        }
    }
    Ok(())
}

/// Reads rows of a group key followed by one value per measure into the table; true when
/// there was any row.
fn read_rows(
    conn: &Connection,
    sql: &str,
    measures: &[Measure],
    table: &mut Table,
) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut any = false;
    while let Some(r) = rows.next()? {
        any = true;
        let group: String = r.get(0)?;
        for (i, m) in measures.iter().enumerate() {
            table.put(&group, *m, Some(r.get::<_, i64>(i + 1)?));
        }
    }
    Ok(any)
}

/// Repurchase rates need the days after the period to be in the data.
fn repurchase_availability(range: DayRange, span: &DataSpan, table: &mut Table) {
    let orders_end = span.orders.map(|o| o.to);
    for (days, m) in [(30, Measure::Repurchasers30), (90, Measure::Repurchasers90)] {
        let needed = range.to + Duration::days(days);
        if orders_end.is_none_or(|end| end < needed) {
            let end = orders_end.map_or("there are no orders".to_owned(), |e| {
                format!("the orders end on {e}")
            });
            table.miss(
                &[m],
                &format!("needs {days} days of orders after the period, up to {needed}; {end}"),
            );
        }
    }
}

fn line_measures(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
    by: GroupBy,
    table: &mut Table,
) -> Result<(), StoreError> {
    let id = shop.id.0;
    let from = ts(day_start(range.from));
    let to = ts(day_start(range.to + Duration::days(1)));
    let group = match by {
        GroupBy::Category => "coalesce(pr.category, '(none)')",
        _ => "coalesce(lf.product_code, '(unknown)')",
    };
    // Per product, a buyer's first order of the product in the period is the one whose
    // previous order of the product lies before it: buyers are counted by a scan. Per
    // category (several products) buyers are grouped.
    let (buyers, paid_buyers, buyers_join) = if by == GroupBy::Product {
        (
            format!(
                "c AS (
                     SELECT g, count(*) FILTER (WHERE first_of_product AND buyer_key IS NOT NULL
                         AND (prev_product_created IS NULL OR prev_product_created < {from}))
                         AS order_buyers
                     FROM pl WHERE created_local >= {from} AND created_local < {to}
                     GROUP BY g),"
            ),
            "s.product_buyers",
            "",
        )
    } else {
        (
            format!(
                "pb AS (
                     SELECT g, buyer_key FROM paid WHERE buyer_key IS NOT NULL
                     GROUP BY g, buyer_key),
                 buyers AS (SELECT g, count(*) AS paid_buyers FROM pb GROUP BY g),
                 cb AS (
                     SELECT g, buyer_key FROM pl
                     WHERE created_local >= {from} AND created_local < {to}
                       AND buyer_key IS NOT NULL
                     GROUP BY g, buyer_key),
                 c AS (SELECT g, count(*) AS order_buyers FROM cb GROUP BY g),"
            ),
            "b.paid_buyers",
            "LEFT JOIN buyers b ON b.g = gr.g",
        )
    };
    let sql = format!(
        "WITH pl AS (
             SELECT {group} AS g, lf.* FROM line_facts lf
                  LEFT JOIN products pr ON pr.shop_id = {id} AND pr.product_code = lf.product_code
             WHERE lf.shop_id = {id}
               AND ((lf.paid_local >= {from} AND lf.paid_local < {to})
                    OR (lf.created_local >= {from} AND lf.created_local < {to}))),
         paid AS (SELECT * FROM pl WHERE is_paid AND paid_local >= {from} AND paid_local < {to}),
         sums AS (
             SELECT g, CAST(coalesce(sum(quantity), 0) AS BIGINT) AS paid_units,
                    CAST(coalesce(sum(paid_amount), 0) AS BIGINT) AS paid_amount,
                    CAST(coalesce(sum(refund_amount), 0) AS BIGINT) AS refund_amount,
                    count(*) FILTER (WHERE first_of_product AND buyer_key IS NOT NULL
                        AND (prev_product_paid IS NULL OR prev_product_paid < {from}))
                        AS product_buyers,
                    count(*) FILTER (WHERE first_of_product) AS paid_orders,
                    count(*) FILTER (WHERE first_of_product AND product_refunded)
                        AS refunded_orders
             FROM paid GROUP BY g),
         {buyers}
         groups AS (SELECT g FROM sums UNION SELECT g FROM c)
         SELECT gr.g, coalesce({paid_buyers}, 0), coalesce(s.paid_orders, 0),
                coalesce(s.paid_units, 0), coalesce(s.paid_amount, 0),
                coalesce(s.refund_amount, 0), coalesce(s.refunded_orders, 0),
                coalesce(c.order_buyers, 0)
         FROM groups gr LEFT JOIN sums s ON s.g = gr.g {buyers_join}
              LEFT JOIN c ON c.g = gr.g"
    );
    let measures = [
        Measure::PaidBuyers,
        Measure::PaidOrders,
        Measure::PaidUnits,
        Measure::PaidAmount,
        Measure::RefundAmount,
        Measure::RefundedOrders,
        Measure::OrderBuyers,
    ];
    read_rows(conn, &sql, &measures, table)?;
    Ok(())
}

/// How many days of the range a day report covers, and a reason when it is not all.
fn coverage(
    conn: &Connection,
    shop: i32,
    report: &str,
    name: &str,
    range: DayRange,
) -> Result<Option<String>, StoreError> {
    let covered: i64 = conn.query_row(
        &format!(
            "SELECT count(DISTINCT day) FROM {report}
             WHERE shop_id = ? AND day BETWEEN ? AND ?"
        ),
        duckdb::params![shop, range.from, range.to],
        |r| r.get(0),
    )?;
    Ok(match covered {
        0 => Some(format!(
            "no {name} has been imported for {} .. {}",
            range.from, range.to
        )),
        n if n < range.days() => Some(format!(
            "the {name} covers {n} of the {} days of {} .. {}",
            range.days(),
            range.from,
            range.to
        )),
        _ => None,
    })
}

/// The group key of a day-report row; `t` is the report's alias.
fn day_group(by: GroupBy, t: &str) -> String {
    match by {
        GroupBy::Day => format!("strftime({t}.day, '%Y-%m-%d')"),
        GroupBy::Week => format!("strftime(date_trunc('week', {t}.day), '%Y-%m-%d')"),
        GroupBy::Month => format!("strftime({t}.day, '%Y-%m')"),
        GroupBy::Source => format!("{t}.source"),
        GroupBy::Product => format!("{t}.product_code"),
        GroupBy::Category => "coalesce(pr.category, '(none)')".into(),
        _ => "'total'".into(),
    }
}

fn source_report(
    conn: &Connection,
    shop: i32,
    range: DayRange,
    by: GroupBy,
    table: &mut Table,
) -> Result<(), StoreError> {
    let name = "traffic-source report (流量来源)";
    if let Some(reason) = coverage(conn, shop, "source_days", name, range)? {
        table.miss(&SOURCE_TRAFFIC, &reason);
        table.miss(&[Measure::PaidVisitors], &reason);
        if by == GroupBy::Source {
            table.miss(
                &[
                    Measure::PaidBuyers,
                    Measure::PaidOrders,
                    Measure::PaidAmount,
                    Measure::OrderBuyers,
                ],
                &reason,
            );
        }
        return Ok(());
    }
    let sql = format!(
        "SELECT {g}, CAST(sum(s.visitors) AS BIGINT), CAST(sum(s.page_views) AS BIGINT),
                CAST(sum(s.buyers) AS BIGINT), CAST(sum(s.paid_orders) AS BIGINT),
                CAST(sum(s.paid_amount) AS BIGINT), CAST(sum(s.order_buyers) AS BIGINT),
                CAST(coalesce(sum(s.visitors) FILTER (WHERE {paid}), 0) AS BIGINT)
         FROM source_days s WHERE s.shop_id = ? AND s.day BETWEEN ? AND ? GROUP BY 1",
        g = day_group(by, "s"),
        paid = super::ad_measures::paid_source_sql("s", shop)
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(duckdb::params![shop, range.from, range.to])?;
    while let Some(r) = rows.next()? {
        let group: String = r.get(0)?;
        let get = |i: usize| r.get::<_, Option<i64>>(i);
        table.put(&group, Measure::Visitors, get(1)?);
        table.put(&group, Measure::PageViews, get(2)?);
        table.put(&group, Measure::PaidVisitors, get(7)?);
        if by == GroupBy::Source {
            table.put(&group, Measure::PaidBuyers, get(3)?);
            table.put(&group, Measure::PaidOrders, get(4)?);
            table.put(&group, Measure::PaidAmount, get(5)?);
            table.put(&group, Measure::OrderBuyers, get(6)?);
        }
    }
    Ok(())
}

fn ad_report(
    conn: &Connection,
    shop: &Shop,
    range: DayRange,
    by: GroupBy,
    table: &mut Table,
) -> Result<(), StoreError> {
    if let Some(reason) = super::ad_measures::unavailable(by) {
        table.miss(&AD, reason);
        return Ok(());
    }
    let rows = super::ad_measures::ad_measures(conn, shop, range, by)?;
    if rows.is_empty() {
        table.miss(
            &AD,
            &format!(
                "no ad report has been imported for {} .. {}",
                range.from, range.to
            ),
        );
        return Ok(());
    }
    for (group, values) in rows {
        // Per source, only the sources the traffic report names: a tool named unlike any
        // source is no source of its own.
        if by == GroupBy::Source && !table.rows.contains_key(&group) {
            continue;
        }
        for (m, v) in AD.iter().zip(values) {
            table.put(&group, *m, v);
        }
    }
    Ok(())
}

fn product_report(
    conn: &Connection,
    shop: i32,
    range: DayRange,
    by: GroupBy,
    table: &mut Table,
) -> Result<(), StoreError> {
    let per_product = matches!(by, GroupBy::Product | GroupBy::Category);
    let name = "product report (商品效果)";
    if let Some(reason) = coverage(conn, shop, "product_days", name, range)? {
        table.miss(&PRODUCT_TRAFFIC, &reason);
        if per_product {
            table.miss(&SOURCE_TRAFFIC, &reason);
        }
        return Ok(());
    }
    let sql = format!(
        "SELECT {g}, CAST(sum(d.visitors) AS BIGINT), CAST(sum(d.page_views) AS BIGINT),
                CAST(sum(d.favourites) AS BIGINT), CAST(sum(d.add_to_cart) AS BIGINT)
         FROM product_days d
              LEFT JOIN products pr ON pr.shop_id = d.shop_id AND pr.product_code = d.product_code
         WHERE d.shop_id = ? AND d.day BETWEEN ? AND ? GROUP BY 1",
        g = day_group(by, "d")
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(duckdb::params![shop, range.from, range.to])?;
    while let Some(r) = rows.next()? {
        let group: String = r.get(0)?;
        let get = |i: usize| r.get::<_, Option<i64>>(i);
        let visitors = get(1)?;
        table.put(&group, Measure::ProductVisitors, visitors);
        table.put(&group, Measure::Favourites, get(3)?);
        table.put(&group, Measure::AddToCart, get(4)?);
        if per_product {
            table.put(&group, Measure::Visitors, visitors);
            table.put(&group, Measure::PageViews, get(2)?);
        }
    }
    Ok(())
}

fn label_products(conn: &Connection, shop: i32, table: &mut Table) -> Result<(), StoreError> {
    let mut stmt = conn.prepare(
        "SELECT product_code, title FROM products WHERE shop_id = ? AND title IS NOT NULL",
    )?;
    let mut rows = stmt.query([shop])?;
    while let Some(r) = rows.next()? {
        let code: String = r.get(0)?;
        if let Some(row) = table.rows.get_mut(&code) {
            row.label = Some(r.get(1)?);
        }
    }
    Ok(())
}

/// The order measures of one day up to a time of day (shop-local), for the today-so-far
/// view; the day reports have no part of a day, so traffic is missing.
pub(super) fn measures_until(
    conn: &Connection,
    shop: &Shop,
    day: NaiveDate,
    until: NaiveTime,
) -> Result<MeasureTable, StoreError> {
    super::facts::ensure_fresh(conn, shop)?;
    let mut table = Table {
        rows: BTreeMap::new(),
        missing: BTreeMap::new(),
    };
    let reason = "the traffic reports give whole days, not part of a day";
    table.miss(&SOURCE_TRAFFIC, reason);
    table.miss(&PRODUCT_TRAFFIC, reason);
    table.miss(&DSR, "no reviews with DSR scores have been imported");
    table.miss(
        &[Measure::Repurchasers30, Measure::Repurchasers90],
        "repurchase needs the days after the period",
    );
    order_measures(
        conn,
        shop,
        (day_start(day), day.and_time(until)),
        GroupBy::Total,
        &mut table,
    )?;
    Ok(MeasureTable {
        by: GroupBy::Total,
        range: DayRange::new(day, day),
        rows: table.rows.into_values().collect(),
        missing: table.missing,
    })
}
