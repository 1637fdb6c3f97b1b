//! A member segment as a table for re-marketing tools (短信/旺旺/企微 audiences): buyer id,
//! last order, orders, spend, segment, probability active and predicted value.
//!
//! Personal data (the platform buyer id, which is the buyer's nickname on Taobao, and their
//! region) is included only when the caller may see it; otherwise each buyer gets a stable
//! pseudonym (the same buyer of the same shop always gets the same one, so lists can still
//! be compared and de-duplicated) and the region column is left out.

use sha2::{Digest, Sha256};
use zhanggui_analytics::members::profile::Member;
use zhanggui_domain::Currency;

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
