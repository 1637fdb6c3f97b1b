//! The report as tables: every metric against its comparison and the peer tier, why sales
//! moved, and the moves per source and product.

use zhanggui_analytics::report::{GroupSplit, Report};
use zhanggui_analytics::why::{Factor, Split};
use zhanggui_domain::Currency;

use crate::sheet::{Cell, NumberFormat, Sheet};

/// The report's tables: metrics, the shop's split, and the splits per source and product
/// (at most `limit` groups each).
pub fn sheets(r: &Report, currency: Currency, limit: usize) -> Vec<Sheet> {
    let prefix = if limit == usize::MAX {
        format!("{} ", r.shop)
    } else {
        String::new()
    };
    let mut kpis = Sheet::new(
        &format!("{prefix}指标 metrics"),
        &[
            "指标",
            "metric",
            "current",
            r.compare.zh(),
            "change",
            "change %",
            "同行平均",
            "同行优秀",
        ],
    );
    for k in r.kpis.iter().filter(|k| k.current.value.is_some()) {
        let f = NumberFormat::of_unit(k.unit, currency);
        kpis.rows.push(vec![
            Cell::text(k.zh),
            Cell::text(k.id),
            Cell::number(k.current.value, f),
            Cell::number(k.previous.value, f),
            Cell::number(k.change, NumberFormat::of_change(k.unit, currency)),
            Cell::number(k.change_ratio, NumberFormat::Percent),
            Cell::number(k.peer_average, f),
            Cell::number(k.peer_excellent, f),
        ]);
    }
    let mut out = vec![kpis];
    if let Some(split) = &r.why.shop {
        out.push(shop_split(split, currency, &prefix));
    }
    out.push(group_sheet(
        &format!("{prefix}按来源 by source"),
        "source",
        &r.why.by_source,
        currency,
        limit,
    ));
    out.push(group_sheet(
        &format!("{prefix}按商品 by product"),
        "product",
        &r.why.by_product,
        currency,
        limit,
    ));
    out
}

fn factor_format(f: Factor, currency: Currency) -> NumberFormat {
    match f {
        Factor::Visitors | Factor::Impressions | Factor::Buyers => NumberFormat::Count,
        Factor::Conversion | Factor::Ctr => NumberFormat::Percent,
        Factor::OrderValue => NumberFormat::Money(currency),
    }
}

fn shop_split(split: &Split, currency: Currency, prefix: &str) -> Sheet {
    let money = NumberFormat::Money(currency);
    let mut sheet = Sheet::new(
        &format!("{prefix}为什么变化 why"),
        &["因素", "factor", "before", "after", "sales part", "p-value"],
    );
    for p in &split.parts {
        let f = factor_format(p.factor, currency);
        sheet.rows.push(vec![
            Cell::text(p.factor.zh()),
            Cell::text(p.factor.en()),
            Cell::number(p.before, f),
            Cell::number(p.after, f),
            Cell::Number(p.amount as f64, money),
            Cell::number(p.significance.map(|s| s.p_value), NumberFormat::PValue),
        ]);
    }
    sheet.rows.push(vec![
        Cell::text("支付金额"),
        Cell::text("sales"),
        Cell::Number(split.before.amount as f64, money),
        Cell::Number(split.after.amount as f64, money),
        Cell::Number(split.change as f64, money),
        Cell::Empty,
    ]);
    sheet
}

/// A part only some splits have (impressions and CTR where visitors come from ads, buyers
/// where no visitors are known), empty where the split has none.
fn ads_part(split: &Split, f: Factor, money: NumberFormat) -> Cell {
    if split.parts.iter().any(|p| p.factor == f) {
        Cell::Number(split.part(f) as f64, money)
    } else {
        Cell::Empty
    }
}

fn group_sheet(
    name: &str,
    what: &str,
    groups: &[GroupSplit],
    currency: Currency,
    limit: usize,
) -> Sheet {
    let money = NumberFormat::Money(currency);
    let mut sheet = Sheet::new(
        name,
        &[
            what,
            "name",
            "sales change",
            "visitors part",
            "of which impressions",
            "of which CTR",
            "buyers part",
            "conversion part",
            "order value part",
            "conversion before",
            "conversion after",
            "p-value",
        ],
    );
    for g in groups.iter().take(limit) {
        let conv = g
            .split
            .parts
            .iter()
            .find(|p| p.factor == Factor::Conversion);
        sheet.rows.push(vec![
            Cell::text(&g.group),
            Cell::text(g.label.clone().unwrap_or_default()),
            Cell::Number(g.split.change as f64, money),
            Cell::Number(g.split.visitors_part() as f64, money),
            ads_part(&g.split, Factor::Impressions, money),
            ads_part(&g.split, Factor::Ctr, money),
            ads_part(&g.split, Factor::Buyers, money),
            Cell::Number(g.split.part(Factor::Conversion) as f64, money),
            Cell::Number(g.split.part(Factor::OrderValue) as f64, money),
            Cell::number(conv.and_then(|p| p.before), NumberFormat::Percent),
            Cell::number(conv.and_then(|p| p.after), NumberFormat::Percent),
            Cell::number(
                conv.and_then(|p| p.significance).map(|s| s.p_value),
                NumberFormat::PValue,
            ),
        ]);
    }
    sheet
}
