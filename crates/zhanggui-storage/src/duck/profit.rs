//! The profit model's parts: every line of the paid orders of the months a period touches,
//! its cost of goods (cost price by SKU code first, then product code, in force on its
//! payment day), its share of its order's bill fees (or the estimated fee rate), shipping
//! (what a courier bill charged for the order's parcel, else the rules by weight for an
//! order whose every product has a weight, else the per-order rules) and packaging (per
//! order and per unit, by the expense rules in force that day), its share of the day's ad
//! spend and of the month's fixed costs; summed per row of the report.
//!
//! Shares: an order's costs are split over its lines by net sales (by units when the order
//! was refunded in full); a day's ad spend over that day's lines: a plan's spend on the
//! products its ad report names goes to those products' lines of the day (where they sold),
//! the rest to the lines of the channel it names (where the channel had sales), else to all
//! the day's lines; a month's fixed costs over the month's lines, by net sales. Whole months count for the fixed costs, so a period of half a month
//! carries the share of the month's rent that its sales earn.
//!
//! The per-line costs are derived like the facts and kept in `profit_lines`, a month at a
//! time: every sum a share divides by (per order, day, channel and month) lies inside one
//! month of payment days, so a month is computed on its own and a report only adds up the
//! lines of its days. A month is rebuilt when a report needs it after an import touched its
//! orders (the facts refresh forgets it) or after any cost input of the shop changed (the
//! cost saves forget them all). Within a month's query, cost prices join on the code and
//! their days of force, and the rules priced per order or per unit are priced once per day
//! and region, or per day and product, rather than once per order or line.

use std::collections::HashSet;

use chrono::{Datelike, Months, NaiveDate};
use zhanggui_domain::Shop;

use super::scripts::in_transaction;
use super::DuckStore;
use crate::costs::{ProfitBy, ProfitParts, Unallocated};
use crate::{DayRange, Store, StoreError};

/// The first and last day of the months a period touches.
fn whole_months(range: DayRange) -> (NaiveDate, NaiveDate) {
    let first = range.from.with_day(1).expect("day 1 exists");
    let next = if range.to.month() == 12 {
        NaiveDate::from_ymd_opt(range.to.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(range.to.year(), range.to.month() + 1, 1)
    }
    .expect("the first of a month exists");
    (first, next.pred_opt().expect("a day before"))
}

/// The per-line costs of the lines paid in one month, as a SQL query (`calc`), with the
/// CTEs it stands on. Values are typed (a shop id, dates), never user text. `by_carrier`:
/// the shop has shipping rules for a courier company, so each order's company is read
/// from its order (a join that a shop without such rules is spared). `with_returns`: the
/// shop's refund export has cases whose goods came back, which take back cost of goods
/// (their join and the window sums they share by are spared a shop without any).
fn lines_sql(shop: i32, month: NaiveDate, by_carrier: bool, with_returns: bool) -> String {
    let (m_from, m_to) = whole_months(DayRange::new(month, month));
    let ad_sql = super::promotion::spend_by_day_sql(shop, &m_from.to_string(), &m_to.to_string());
    let (carrier, carrier_join) = if by_carrier {
        (
            "coalesce(od.carrier, '')",
            format!("JOIN orders od ON od.shop_id = {shop} AND od.order_no = f.order_no"),
        )
    } else {
        ("''", String::new())
    };
    // The share of a line's cost of goods that came back with refunds (0 to 1).
    let (returns_cte, returned_share, returns_windows, returns_joins) = if with_returns {
        (
            " -- Refunds whose goods came back: the refund export's finished cases (成功, 完成, or no
 -- status but a completion time) marked as returns, per order and product (a case that
 -- names no product is the order's).
 rf AS (SELECT order_no, coalesce(product_code, '') AS product_code, sum(amount) AS returned
        FROM refunds
        WHERE shop_id = {shop} AND goods_returned AND amount > 0
          AND order_no IN (SELECT order_no FROM o)
          AND (status LIKE '%成功%' OR status LIKE '%完成%'
               OR lower(status) IN ('success', 'succeeded', 'completed', 'refunded')
               OR (status IS NULL AND completed_at IS NOT NULL))
        GROUP BY ALL),
"
            .replace("{shop}", &shop.to_string()),
            "least(1, greatest(0,
                   CASE WHEN l.paid > 0 THEN
                     (coalesce(rp.returned *
                        CASE WHEN l.product_refund > 0 THEN l.refund / l.product_refund
                             WHEN l.product_paid > 0 THEN l.paid / l.product_paid END, 0)
                      + coalesce(ro.returned *
                        CASE WHEN l.order_refund > 0 THEN l.refund / l.order_refund
                             WHEN l.order_paid > 0 THEN l.paid / l.order_paid END, 0))
                     / l.paid
                   ELSE 0 END))",
            "
              sum(refund) OVER (PARTITION BY order_no) AS order_refund,
              sum(refund) OVER (PARTITION BY order_no, product_code) AS product_refund,
              sum(paid) OVER (PARTITION BY order_no) AS order_paid,
              sum(paid) OVER (PARTITION BY order_no, product_code) AS product_paid,",
            "
   LEFT JOIN rf rp ON rp.order_no = l.order_no AND rp.product_code <> ''
        AND rp.product_code = l.product_code
   LEFT JOIN rf ro ON ro.order_no = l.order_no AND ro.product_code = ''",
        )
    } else {
        (String::new(), "0", "", "")
    };
    format!(
        "WITH
 days AS (SELECT CAST(range AS DATE) AS day
          FROM range(DATE '{m_from}', DATE '{m_to}' + INTERVAL 1 DAY, INTERVAL 1 DAY)),
 rules AS (SELECT * REPLACE (coalesce(carrier, '') AS carrier),
                  lead(valid_from) OVER (PARTITION BY name, product_code, region,
                                                      coalesce(carrier, '')
                                             ORDER BY valid_from) AS valid_to
           FROM expense_rules WHERE shop_id = {shop}),
 rd AS (SELECT d.day, r.name, r.category, r.basis, r.amount, r.extra_amount, r.rate,
               r.product_code, r.region, r.carrier,
               -- the most specific of a name's rules wins: a company's, then the longest
               -- region
               (r.carrier <> '')::INTEGER * 1000 + length(r.region) AS specificity
        FROM days d JOIN rules r
          ON d.day >= r.valid_from AND (r.valid_to IS NULL OR d.day < r.valid_to)),
 rates AS (SELECT day,
                  sum(rate) FILTER (WHERE category = 'platform_fees') AS fee_rate,
                  sum(rate) FILTER (WHERE category = 'fixed') AS fixed_rate
           FROM rd WHERE basis = 'share_of_sales' GROUP BY day),
 fixed_month AS (SELECT date_trunc('month', day) AS month, sum(amount) AS amount
                 FROM rd WHERE category = 'fixed' AND basis = 'per_month'
                   AND day = last_day(day) GROUP BY 1),
 o AS (SELECT f.order_no, CAST(f.paid_local AS DATE) AS day,
              coalesce(f.region, '') AS region, coalesce(f.channel, '') AS channel,
              {carrier} AS carrier
       FROM order_facts f {carrier_join}
       WHERE f.shop_id = {shop} AND f.is_paid
         AND CAST(f.paid_local AS DATE) BETWEEN DATE '{m_from}' AND DATE '{m_to}'),
 cp AS (SELECT product_code, valid_from, unit_cost,
               lead(valid_from) OVER (PARTITION BY product_code ORDER BY valid_from) AS valid_to
        FROM cost_prices WHERE shop_id = {shop}),
 wt AS (SELECT product_code, weight_grams FROM product_weights WHERE shop_id = {shop}),
 l0 AS (
   SELECT o.order_no, o.day, o.region, o.channel, o.carrier,
          ol.product_code, ol.sku_code, ol.quantity AS units,
          coalesce(ol.paid_amount, 0) AS paid, coalesce(ol.refund_amount, 0) AS refund,
          coalesce(ol.paid_amount, 0) - coalesce(ol.refund_amount, 0) AS net,
          coalesce(cs.unit_cost, cpp.unit_cost) AS unit_cost,
          coalesce(ws.weight_grams, wp.weight_grams) AS unit_grams
   FROM order_lines ol JOIN o ON ol.order_no = o.order_no
   LEFT JOIN wt ws ON ws.product_code = ol.sku_code
   LEFT JOIN wt wp ON wp.product_code = ol.product_code
   LEFT JOIN cp cs ON cs.product_code = ol.sku_code AND o.day >= cs.valid_from
        AND (cs.valid_to IS NULL OR o.day < cs.valid_to)
   LEFT JOIN cp cpp ON cpp.product_code = ol.product_code AND o.day >= cpp.valid_from
        AND (cpp.valid_to IS NULL OR o.day < cpp.valid_to)
   WHERE ol.shop_id = {shop}),
 l AS (SELECT *,
              sum(net) OVER (PARTITION BY order_no) AS order_net,
              sum(units) OVER (PARTITION BY order_no) AS order_units,
              count(*) OVER (PARTITION BY order_no) AS order_lines,
              sum(units * unit_grams) OVER (PARTITION BY order_no) AS order_grams,
              bool_and(unit_grams IS NOT NULL) OVER (PARTITION BY order_no) AS order_weighed,
              {returns_windows}
              sum(net) OVER (PARTITION BY day) AS day_net,
              sum(net) OVER (PARTITION BY day, channel) AS channel_net,
              sum(net) OVER (PARTITION BY day, product_code) AS product_day_net,
              sum(net) OVER (PARTITION BY date_trunc('month', day)) AS month_net
       FROM l0),
 ls AS (SELECT *, CASE WHEN order_net > 0 THEN net / order_net
                       WHEN order_units > 0 THEN units / order_units
                       ELSE 1 / order_lines END AS share
        FROM l),
{returns_cte} b AS (SELECT order_no,
              coalesce(sum(-amount) FILTER (WHERE kind NOT IN ('sales', 'refund', 'transfer')), 0)
                  AS fees
       FROM bill_lines WHERE shop_id = {shop} AND order_no IN (SELECT order_no FROM o)
       GROUP BY order_no),
 cc AS (SELECT ot.order_no, sum(c.amount) AS shipping
        FROM (SELECT order_no, tracking_no FROM orders
              WHERE shop_id = {shop} AND tracking_no IS NOT NULL
                AND order_no IN (SELECT order_no FROM o)) ot
        JOIN courier_charges c ON c.shop_id = {shop} AND c.tracking_no = ot.tracking_no
        GROUP BY ot.order_no),
 order_places AS (SELECT DISTINCT day, region, carrier FROM o),
 place_rules AS (SELECT p.day, p.region, p.carrier, r.*  EXCLUDE (day, region, carrier)
                 FROM order_places p JOIN rd r ON r.day = p.day
                      AND r.basis IN ('per_order', 'per_weight')
                      AND (r.region = '' OR starts_with(p.region, r.region))
                      AND (r.carrier = '' OR contains(p.carrier, r.carrier))),
 po AS (SELECT day, region, carrier, category, name,
               arg_max(amount, specificity) AS amount
        FROM place_rules WHERE basis = 'per_order' GROUP BY ALL),
 po_sum AS (SELECT day, region, carrier,
                   sum(amount) FILTER (WHERE category = 'shipping') AS shipping,
                   sum(amount) FILTER (WHERE category = 'packaging') AS packaging
            FROM po GROUP BY ALL),
 pw AS (SELECT day, region, carrier, name,
               arg_max(amount, specificity) AS first_kg,
               arg_max(extra_amount, specificity) AS extra_kg
        FROM place_rules WHERE basis = 'per_weight' GROUP BY ALL),
 pw_sum AS (SELECT day, region, carrier, sum(first_kg) AS first_kg, sum(extra_kg) AS extra_kg
            FROM pw GROUP BY ALL),
 line_goods AS (SELECT DISTINCT day, product_code, sku_code FROM l0),
 pu AS (SELECT g.day, g.product_code, g.sku_code, r.name,
               arg_max(r.amount, length(r.product_code)) AS amount
        FROM line_goods g JOIN rd r ON r.day = g.day AND r.basis = 'per_unit'
             AND (r.product_code = '' OR r.product_code = g.product_code
                  OR r.product_code = g.sku_code)
        GROUP BY ALL),
 pu_sum AS (SELECT day, product_code, sku_code, sum(amount) AS per_unit FROM pu GROUP BY ALL),
 ad0 AS ({ad_sql}),
 sold_products AS (SELECT DISTINCT day, product_code FROM l
                   WHERE product_code IS NOT NULL AND product_day_net > 0),
 ad_product AS (SELECT a.day, a.product, sum(a.spend) AS spend FROM ad0 a
                JOIN sold_products s ON s.day = a.day AND s.product_code = a.product
                GROUP BY a.day, a.product),
 ad AS (SELECT a.day, a.channel, sum(a.spend) AS spend FROM ad0 a
        LEFT JOIN sold_products s ON s.day = a.day AND s.product_code = a.product
        WHERE s.day IS NULL GROUP BY a.day, a.channel),
 sold_channels AS (SELECT DISTINCT day, channel FROM l
                   WHERE channel <> '' AND channel_net > 0),
 ad_channel AS (SELECT a.day, a.channel, a.spend FROM ad a
                JOIN sold_channels s ON s.day = a.day AND s.channel = a.channel),
 ad_day AS (SELECT a.day, sum(a.spend) AS spend FROM ad a
            LEFT JOIN sold_channels s ON s.day = a.day AND s.channel = a.channel
            WHERE s.day IS NULL GROUP BY a.day),
 calc AS (
   SELECT l.order_no, l.day, l.channel, l.product_code, l.sku_code, l.units, l.paid,
          l.refund, l.net,
          CASE WHEN l.unit_cost IS NOT NULL
               THEN l.units * l.unit_cost * (1 - {returned_share}) END AS cogs,
          CASE WHEN b.order_no IS NOT NULL THEN b.fees * l.share END AS fees_billed,
          CASE WHEN b.order_no IS NULL THEN r.fee_rate * l.net END AS fees_estimated,
          b.order_no IS NULL AND r.fee_rate IS NULL AS without_fees,
          coalesce(cc.shipping,
                   CASE WHEN l.order_weighed THEN pw.first_kg
                        + ceil(greatest(l.order_grams - 1000, 0) / 1000) * pw.extra_kg END,
                   ps.shipping, 0) * l.share AS shipping,
          coalesce(ps.packaging, 0) * l.share + coalesce(pu.per_unit, 0) * l.units AS packaging,
          coalesce(CASE WHEN l.product_day_net > 0 THEN ap.spend * l.net / l.product_day_net END, 0)
            + coalesce(CASE WHEN l.channel_net > 0 THEN ac.spend * l.net / l.channel_net END, 0)
            + coalesce(CASE WHEN l.day_net > 0 THEN ad.spend * l.net / l.day_net END, 0)
            AS ad_spend,
          coalesce(CASE WHEN l.month_net > 0 THEN fm.amount * l.net / l.month_net END, 0)
            + coalesce(r.fixed_rate * l.net, 0) AS fixed
   FROM ls l
   {returns_joins}
   LEFT JOIN b ON b.order_no = l.order_no
   LEFT JOIN rates r ON r.day = l.day
   LEFT JOIN po_sum ps ON ps.day = l.day AND ps.region = l.region AND ps.carrier = l.carrier
   LEFT JOIN pw_sum pw ON pw.day = l.day AND pw.region = l.region AND pw.carrier = l.carrier
   LEFT JOIN cc ON cc.order_no = l.order_no
   LEFT JOIN pu_sum pu ON pu.day = l.day
        AND pu.product_code IS NOT DISTINCT FROM l.product_code
        AND pu.sku_code IS NOT DISTINCT FROM l.sku_code
   LEFT JOIN ad_product ap ON ap.day = l.day AND ap.product = l.product_code
   LEFT JOIN ad_channel ac ON ac.day = l.day AND ac.channel = l.channel
   LEFT JOIN ad_day ad ON ad.day = l.day
   LEFT JOIN fixed_month fm ON fm.month = date_trunc('month', l.day))"
    )
}

/// How the rows of a report are made from the stored lines.
struct Grouping {
    /// The row's key, over the lines (`c`) and, when `lines_join` joins them, products (`p`).
    key: &'static str,
    lines_join: String,
    /// The row's title, over the grouped rows (`g`) and what `rows_join` joins to them.
    title: &'static str,
    rows_join: String,
    order: &'static str,
}

/// The key, title and order of each kind of row. Product titles are looked up once per
/// row, after grouping; a category needs each line's product before it.
fn grouping(by: ProfitBy, shop: i32) -> Grouping {
    let products = |on: &str| {
        format!(
            "LEFT JOIN (SELECT product_code, title, category FROM products WHERE shop_id = {shop}) p
               ON p.product_code = {on}"
        )
    };
    let plain = |key, order| Grouping {
        key,
        lines_join: String::new(),
        title: "CAST(NULL AS VARCHAR)",
        rows_join: String::new(),
        order,
    };
    match by {
        ProfitBy::Order => plain("c.order_no", "1"),
        ProfitBy::Sku => plain(
            "coalesce(c.sku_code, c.product_code, '(none)')",
            "net DESC, 1",
        ),
        ProfitBy::Product => Grouping {
            key: "coalesce(c.product_code, '(none)')",
            lines_join: String::new(),
            title: "p.title",
            rows_join: products("g.key"),
            order: "net DESC, 1",
        },
        ProfitBy::Category => Grouping {
            key: "coalesce(p.category, '(none)')",
            lines_join: products("c.product_code"),
            title: "CAST(NULL AS VARCHAR)",
            rows_join: String::new(),
            order: "net DESC, 1",
        },
        ProfitBy::Day => plain("strftime(c.day, '%Y-%m-%d')", "1"),
        ProfitBy::Month => plain("strftime(c.day, '%Y-%m')", "1"),
        ProfitBy::Channel => plain("coalesce(nullif(c.channel, ''), '(none)')", "net DESC, 1"),
    }
}

/// The first day of each month a range touches.
fn months_of(range: DayRange) -> Vec<NaiveDate> {
    let (first, last) = whole_months(range);
    std::iter::successors(Some(first), |m| m.checked_add_months(Months::new(1)))
        .take_while(|m| *m <= last)
        .collect()
}

impl DuckStore {
    pub(super) fn profit_parts_of(
        &self,
        shop: &Shop,
        range: DayRange,
        by: ProfitBy,
    ) -> Result<(Vec<ProfitParts>, Unallocated), StoreError> {
        self.refresh(shop)?;
        self.build_profit_months(shop, range)?;
        let id = shop.id.0;
        let Grouping {
            key,
            lines_join,
            title,
            rows_join,
            order,
        } = grouping(by, id);
        let sql = format!(
            "SELECT g.key, {title} AS title, g.orders, g.units, g.paid, g.refund, g.net AS net,
                    g.cogs, g.units_without_cost, g.fees_billed, g.fees_estimated,
                    g.without_fees, g.shipping, g.packaging, g.ad_spend, g.fixed
             FROM (SELECT {key} AS key, count(DISTINCT c.order_key) AS orders,
                          CAST(sum(c.units) AS BIGINT) AS units,
                          CAST(sum(c.paid) AS BIGINT) AS paid,
                          CAST(sum(c.refund) AS BIGINT) AS refund,
                          CAST(sum(c.net) AS BIGINT) AS net,
                          CAST(coalesce(sum(c.cogs), 0) AS BIGINT) AS cogs,
                          CAST(coalesce(sum(c.units) FILTER (WHERE c.cogs IS NULL), 0) AS BIGINT)
                              AS units_without_cost,
                          coalesce(sum(c.fees_billed), 0)::DOUBLE AS fees_billed,
                          coalesce(sum(c.fees_estimated), 0)::DOUBLE AS fees_estimated,
                          count(*) FILTER (WHERE c.without_fees) AS without_fees,
                          sum(c.shipping)::DOUBLE AS shipping,
                          sum(c.packaging)::DOUBLE AS packaging,
                          sum(c.ad_spend)::DOUBLE AS ad_spend, sum(c.fixed)::DOUBLE AS fixed
                   FROM profit_lines c {lines_join}
                   WHERE c.shop_id = {id} AND c.day BETWEEN DATE '{}' AND DATE '{}'
                   GROUP BY 1) g {rows_join}
             ORDER BY {order}",
            range.from, range.to
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(ProfitParts {
                key: r.get(0)?,
                title: r.get(1)?,
                orders: r.get(2)?,
                units: r.get(3)?,
                paid: r.get(4)?,
                refunds: r.get(5)?,
                cogs: r.get(7)?,
                units_without_cost: r.get(8)?,
                fees_billed: r.get(9)?,
                fees_estimated: r.get(10)?,
                lines_without_fees: r.get(11)?,
                shipping: r.get(12)?,
                packaging: r.get(13)?,
                ad_spend: r.get(14)?,
                fixed: r.get(15)?,
            })
        })?;
        let parts: Vec<ProfitParts> = rows.collect::<Result<_, _>>()?;
        let unallocated = self.unallocated(shop, range, &parts)?;
        Ok((parts, unallocated))
    }

    /// Builds the months of `profit_lines` that the range touches and that are not built
    /// (never, or not since an import or a cost input changed them).
    fn build_profit_months(&self, shop: &Shop, range: DayRange) -> Result<(), StoreError> {
        let id = shop.id.0;
        let months = months_of(range);
        let (Some(first), Some(last)) = (months.first(), months.last()) else {
            return Ok(());
        };
        let built = self.built_profit_months(id, *first, *last)?;
        let by_carrier: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM expense_rules
             WHERE shop_id = ? AND coalesce(carrier, '') <> ''",
            [id],
            |r| r.get(0),
        )?;
        let with_returns: bool = self.conn.query_row(
            "SELECT count(*) > 0 FROM refunds WHERE shop_id = ? AND goods_returned",
            [id],
            |r| r.get(0),
        )?;
        for month in months.into_iter().filter(|m| !built.contains(m)) {
            let lines = lines_sql(id, month, by_carrier, with_returns);
            let result = in_transaction(&self.conn, || {
                self.conn.execute_batch(&format!(
                    "DELETE FROM profit_lines WHERE shop_id = {id} AND month = DATE '{month}';
                     INSERT INTO profit_lines
                     {lines}
                     SELECT {id}, DATE '{month}', order_no, hash(order_no), day, channel,
                            product_code,
                            sku_code, units, paid, refund, net, cogs, fees_billed,
                            fees_estimated, without_fees, shipping, packaging, ad_spend, fixed
                     FROM calc;"
                ))?;
                let fixed: f64 = self.conn.query_row(
                    &format!("{lines} SELECT coalesce(sum(amount), 0)::DOUBLE FROM fixed_month"),
                    [],
                    |r| r.get(0),
                )?;
                self.conn.execute(
                    "INSERT INTO profit_months
                     SELECT ?, ?, coalesce(sum(net), 0), ? FROM profit_lines
                     WHERE shop_id = ? AND month = ?",
                    duckdb::params![id, month, fixed, id, month],
                )?;
                Ok(())
            });
            // Another connection (a second request of the server) may have built the
            // same month at the same time: its rows stand.
            if let Err(e) = result {
                if !self.built_profit_months(id, month, month)?.contains(&month) {
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    fn built_profit_months(
        &self,
        shop: i32,
        first: NaiveDate,
        last: NaiveDate,
    ) -> Result<HashSet<NaiveDate>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT month FROM profit_months WHERE shop_id = ? AND month BETWEEN ? AND ?",
        )?;
        let rows = stmt.query_map(duckdb::params![shop, first, last], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Forgets every built month of a shop's profit lines: a cost input changed.
    pub(super) fn forget_profit(&self, shop: &Shop) -> Result<(), StoreError> {
        self.conn
            .execute("DELETE FROM profit_months WHERE shop_id = ?", [shop.id.0])?;
        Ok(())
    }

    /// Ad spend of the period on days without sales to carry it, and fixed costs of the
    /// months the period touches that had no sales.
    fn unallocated(
        &self,
        shop: &Shop,
        range: DayRange,
        parts: &[ProfitParts],
    ) -> Result<Unallocated, StoreError> {
        let id = shop.id.0;
        let spend: f64 = self.conn.query_row(
            &format!(
                "SELECT coalesce(sum(spend), 0)::DOUBLE FROM ({})",
                super::promotion::spend_by_day_sql(
                    id,
                    &range.from.to_string(),
                    &range.to.to_string()
                )
            ),
            [],
            |r| r.get(0),
        )?;
        let allocated: f64 = parts.iter().map(|p| p.ad_spend).sum();
        let (first, last) = whole_months(range);
        let fixed: f64 = self.conn.query_row(
            "SELECT coalesce(sum(fixed), 0)::DOUBLE FROM profit_months
             WHERE shop_id = ? AND month BETWEEN ? AND ? AND net <= 0",
            duckdb::params![id, first, last],
            |r| r.get(0),
        )?;
        Ok(Unallocated {
            ad_spend: (spend - allocated).max(0.0),
            fixed,
        })
    }
}
