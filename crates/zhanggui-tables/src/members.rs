//! The members' tables, shared by the CLI and the cockpit: the eight segments, cohorts,
//! repeat rates by the first order's category or product, the win-back list, and a member
//! segment for re-marketing tools (短信/旺旺/企微 audiences): buyer id, last order, orders,
//! spend, segment, probability active and predicted value.
//!
//! Personal data (the platform buyer id, which is the buyer's nickname on Taobao, and their
//! region) is included only when the caller may see it; otherwise each buyer gets a stable
//! pseudonym (the same buyer of the same shop always gets the same one, so lists can still
//! be compared and de-duplicated) and the region column is left out.

use sha2::{Digest, Sha256};
use zhanggui_analytics::members::base::Rfm;
use zhanggui_analytics::members::cohorts::{Cohorts, FirstOrderRepeats};
use zhanggui_analytics::members::profile::Member;
use zhanggui_analytics::members::winback::WinBackList;
use zhanggui_domain::Currency;
use zhanggui_storage::FirstOrderBy;

use crate::{Cell, NumberFormat, Sheet};

/// A stable stand-in for a buyer id: `会员-` and 10 hex digits of SHA-256 over shop and buyer.
pub fn pseudonym(shop: &str, buyer: &str) -> String {
    let digest = Sha256::digest(format!("{shop}\u{1f}{buyer}").as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
    format!("会员-{hex}")
}

/// The export of a segment; `personal` says whether buyer ids and regions may be shown.
pub fn segment_sheet(
    title: &str,
    shop: &str,
    members: &[&Member],
    currency: Currency,
    personal: bool,
) -> Sheet {
    let money = NumberFormat::Money(currency);
    let mut header = vec!["buyer_id"];
    if personal {
        header.push("region");
    }
    header.extend([
        "last_order",
        "orders",
        "spend",
        "segment",
        "r",
        "f",
        "m",
        "p_alive",
        "predicted_value",
    ]);
    let mut sheet = Sheet::new(title, &header);
    for m in members {
        let mut row = vec![Cell::text(if personal {
            m.buyer.clone()
        } else {
            pseudonym(shop, &m.buyer)
        })];
        if personal {
            row.push(m.region.as_deref().map_or(Cell::Empty, Cell::text));
        }
        row.extend([
            Cell::text(m.last_purchase.to_string()),
            Cell::Number(m.orders as f64, NumberFormat::Count),
            Cell::Number(m.spend as f64, money),
            Cell::text(m.segment.zh()),
            Cell::Number(f64::from(m.r), NumberFormat::Count),
            Cell::Number(f64::from(m.f), NumberFormat::Count),
            Cell::Number(f64::from(m.m), NumberFormat::Count),
            Cell::number(m.p_alive, NumberFormat::Percent),
            Cell::number(m.value, money),
        ]);
        sheet.rows.push(row);
    }
    sheet
}

/// The eight segments: customers, share, revenue and revenue share.
pub fn segments(r: &Rfm, currency: Currency) -> Sheet {
    let mut sheet = Sheet::new(
        &format!("{} 会员分层 segments", r.shop),
        &[
            "分层",
            "segment",
            "customers",
            "share",
            "revenue",
            "revenue share",
        ],
    );
    for s in &r.segments {
        sheet.rows.push(vec![
            Cell::text(s.zh),
            Cell::text(s.segment.as_str()),
            Cell::Number(s.customers as f64, NumberFormat::Count),
            Cell::Number(s.share, NumberFormat::Percent),
            Cell::Number(s.amount as f64, NumberFormat::Money(currency)),
            Cell::Number(s.amount_share, NumberFormat::Percent),
        ]);
    }
    sheet
}

/// Cohorts by first-purchase month, with `months` months of retention as columns.
pub fn cohort_sheet(c: &Cohorts, currency: Currency, months: usize) -> Sheet {
    let mut header: Vec<String> = ["cohort", "buyers", "revenue", "30-day", "90-day"]
        .iter()
        .map(|h| (*h).to_owned())
        .collect();
    header.extend((1..=months).map(|k| format!("M{k}")));
    let mut sheet = Sheet {
        name: format!("{} 同期群 cohorts", c.shop),
        header,
        rows: Vec::new(),
    };
    for row in &c.cohorts {
        let mut cells = vec![
            Cell::text(&row.cohort),
            Cell::Number(row.buyers as f64, NumberFormat::Count),
            Cell::Number(row.amount as f64, NumberFormat::Money(currency)),
            Cell::number(row.repeat_30, NumberFormat::Percent),
            Cell::number(row.repeat_90, NumberFormat::Percent),
        ];
        cells.extend(
            (1..=months)
                .map(|k| Cell::number(row.retention.get(k).copied(), NumberFormat::Percent)),
        );
        sheet.rows.push(cells);
    }
    sheet
}

/// Repeat purchase within 30 and 90 days by the first order's category or product.
pub fn first_order_sheet(r: &FirstOrderRepeats) -> Sheet {
    let (what, zh) = match r.by {
        FirstOrderBy::Category => ("category", "类目"),
        FirstOrderBy::Product => ("product", "商品"),
    };
    let mut sheet = Sheet::new(
        &format!("{} 首单{zh} 复购率", r.shop),
        &[
            what,
            "first buyers (30-day)",
            "30-day",
            "first buyers (90-day)",
            "90-day",
        ],
    );
    for g in &r.groups {
        sheet.rows.push(vec![
            Cell::text(&g.group),
            Cell::Number(g.eligible_30 as f64, NumberFormat::Count),
            Cell::number(g.repeat_30, NumberFormat::Percent),
            Cell::Number(g.eligible_90 as f64, NumberFormat::Count),
            Cell::number(g.repeat_90, NumberFormat::Percent),
        ]);
    }
    sheet
}

/// The win-back list, its first `limit` customers.
pub fn win_back_sheet(w: &WinBackList, currency: Currency, limit: usize) -> Sheet {
    let money = NumberFormat::Money(currency);
    let mut sheet = Sheet::new(
        &format!("{} 挽回名单 win-back", w.shop),
        &[
            "buyer",
            "orders",
            "paid",
            "P(active)",
            "value at risk",
            "reason",
        ],
    );
    for c in w.customers.iter().take(limit) {
        sheet.rows.push(vec![
            Cell::text(&c.buyer),
            Cell::Number(c.orders as f64, NumberFormat::Count),
            Cell::Number(c.amount as f64, money),
            Cell::Number(c.probability_alive, NumberFormat::Percent),
            Cell::Number(c.value_at_risk, money),
            Cell::text(&c.reason),
        ]);
    }
    sheet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable_per_shop_and_reveal_nothing() {
        let a = pseudonym("demo-taobao", "tb_alice");
        assert_eq!(a, pseudonym("demo-taobao", "tb_alice"));
        assert_ne!(a, pseudonym("demo-taobao", "tb_bob"));
        assert_ne!(a, pseudonym("other", "tb_alice"));
        assert!(a.starts_with("会员-") && !a.contains("alice"));
    }
}
