//! The promotion report and test readouts as tables: the tools, the plans (or creatives,
//! products, plan-days) against break-even, the budget moves and the split by goal; a
//! test's arms with their rates, differences, p-values and the verdict.

use zhanggui_analytics::promotion::abtest::{Readout, Verdict};
use zhanggui_analytics::promotion::{AdsReport, PlanMetrics};
use zhanggui_domain::Currency;

use crate::sheet::{Cell, NumberFormat, Sheet};

const METRIC_HEADERS: &[&str] = &[
    "window",
    "spend",
    "impressions",
    "clicks",
    "CTR",
    "CPC",
    "orders",
    "sales",
    "CVR",
    "ROI",
    "cost per add-to-cart",
    "visitor value",
];

fn metric_cells(m: &PlanMetrics, currency: Currency) -> Vec<Cell> {
    let money = NumberFormat::Money(currency);
    let m_ = |v: Option<zhanggui_domain::Money>| Cell::number(v.map(|v| v.minor as f64), money);
    let count = |v: Option<i64>| Cell::number(v.map(|v| v as f64), NumberFormat::Count);
    vec![
        Cell::text(&m.attribution),
        Cell::number(Some(m.spend.minor as f64), money),
        count(m.impressions),
        count(m.clicks),
        Cell::number(m.ctr, NumberFormat::Percent),
        m_(m.cpc),
        Cell::number(m.orders, NumberFormat::Decimal),
        m_(m.sales),
        Cell::number(m.cvr, NumberFormat::Percent),
        Cell::number(m.roi, NumberFormat::Decimal),
        m_(m.cost_per_add_to_cart),
        m_(m.visitor_value),
    ]
}

/// The sheets of a promotion report.
pub fn sheets(r: &AdsReport) -> Vec<Sheet> {
    let c = r.currency;
    let mut out = Vec::new();
    let mut headers = vec!["tool"];
    headers.extend_from_slice(METRIC_HEADERS);
    let mut tools = Sheet::new(&format!("{} 推广 {} .. {}", r.shop, r.from, r.to), &headers);
    for t in &r.tools {
        let mut row = vec![Cell::text(&t.tool)];
        row.extend(metric_cells(t, c));
        tools.rows.push(row);
    }
    out.push(tools);

    let what = match r.by {
        "creative" => "creative",
        "product" => "product",
        "day" => "day",
        "tool" => "tool",
        _ => "plan",
    };
    let mut headers = vec!["tool", what];
    headers.extend_from_slice(METRIC_HEADERS);
    headers.extend_from_slice(&[
        "ROI low",
        "ROI high",
        "break-even ROI",
        "profit ROI",
        "standing",
        "clicks to tell",
    ]);
    let mut rows = Sheet::new(&format!("{what}s against break-even"), &headers);
    for p in &r.rows {
        let m = &p.metrics;
        let name = match r.by {
            "creative" => format!("{} / {}", m.campaign, m.creative),
            "product" => m.product_code.clone(),
            "day" => format!(
                "{} {}",
                m.campaign,
                m.day.map(|d| d.to_string()).unwrap_or_default()
            ),
            "tool" => m.tool.clone(),
            _ => m.campaign.clone(),
        };
        let mut row = vec![Cell::text(&m.tool), Cell::text(name)];
        row.extend(metric_cells(m, c));
        row.extend([
            Cell::number(p.roi_low, NumberFormat::Decimal),
            Cell::number(p.roi_high, NumberFormat::Decimal),
            Cell::number(p.break_even_roi, NumberFormat::Decimal),
            Cell::number(p.profit_roi, NumberFormat::Percent),
            Cell::text(p.standing.as_str()),
            Cell::number(p.clicks_to_tell.map(|v| v as f64), NumberFormat::Count),
        ]);
        rows.rows.push(row);
    }
    out.push(rows);

    if r.by == "campaign" {
        let money = NumberFormat::Money(c);
        let mut moves = Sheet::new(
            "budget moves",
            &[
                "tool",
                "from plan",
                "to plan",
                "amount",
                "from ROI",
                "to ROI",
                "sales change",
                "low",
                "high",
                "contribution change",
            ],
        );
        for m in &r.moves {
            moves.rows.push(vec![
                Cell::text(&m.tool),
                Cell::text(&m.from_campaign),
                Cell::text(&m.to_campaign),
                Cell::number(Some(m.amount.minor as f64), money),
                Cell::number(Some(m.from_roi), NumberFormat::Decimal),
                Cell::number(Some(m.to_roi), NumberFormat::Decimal),
                Cell::number(Some(m.sales_change.minor as f64), money),
                Cell::number(Some(m.sales_change_low.minor as f64), money),
                Cell::number(Some(m.sales_change_high.minor as f64), money),
                Cell::number(m.profit_change.map(|v| v.minor as f64), money),
            ]);
        }
        out.push(moves);
        let mut split = Sheet::new(
            "budget split by goal",
            &[
                "tool",
                "goal",
                "spend",
                "share",
                "target share",
                "target spend",
            ],
        );
        for s in &r.split {
            split.rows.push(vec![
                Cell::text(&s.tool),
                Cell::text(s.goal.as_str()),
                Cell::number(Some(s.spend.minor as f64), money),
                Cell::number(Some(s.share), NumberFormat::Percent),
                Cell::number(s.target_share, NumberFormat::Percent),
                Cell::number(s.target_spend.map(|v| v.minor as f64), money),
            ]);
        }
        out.push(split);
    }
    if r.pull.iter().any(|p| p.pull.is_some()) {
        out.push(pull_sheet(r));
    }
    out
}

/// Paid traffic's pull on free traffic: the shop's, then each advertised product's.
pub fn pull_sheet(r: &AdsReport) -> Sheet {
    let mut sheet = Sheet::new(
        &format!(
            "paid traffic's pull on free traffic, {} .. {}",
            r.pull_from, r.to
        ),
        &[
            "scope",
            "weeks",
            "paid visitors a day",
            "free visitors a day",
            "free per paid visitor, the week after",
            "low",
            "high",
            "verdict",
        ],
    );
    for p in &r.pull {
        sheet.rows.push(vec![
            Cell::text(p.product_code.as_deref().unwrap_or("shop")),
            Cell::number(Some(p.weeks as f64), NumberFormat::Count),
            Cell::number(Some(p.paid_per_day), NumberFormat::Decimal),
            Cell::number(Some(p.free_per_day), NumberFormat::Decimal),
            Cell::number(p.pull, NumberFormat::Decimal),
            Cell::number(p.low, NumberFormat::Decimal),
            Cell::number(p.high, NumberFormat::Decimal),
            Cell::text(p.verdict.label()),
        ]);
    }
    sheet
}

/// The verdict of a readout in words.
pub fn verdict_text(r: &Readout) -> String {
    match &r.verdict {
        Verdict::NoData => "no verdict: a test needs two arms with units".to_owned(),
        Verdict::SampleRatioMismatch => {
            "no verdict: the arms' sizes differ from an even split beyond chance (sample ratio \
             mismatch); fix the assignment before reading the result"
                .to_owned()
        }
        Verdict::Running { units, planned } => format!(
            "running: the smallest arm has {units} of its {planned} planned units; the verdict \
             waits for them (reading it earlier inflates false winners)"
        ),
        Verdict::Winner { arm } => format!("{arm} wins (p < 0.05)"),
        Verdict::NoDifference => "no difference beyond chance (p ≥ 0.05)".to_owned(),
    }
}

/// The sheet of a test readout. Rates as percentages; means in the metric's unit.
pub fn readout_sheet(name: &str, r: &Readout) -> Sheet {
    let value = if r.metric.is_rate() {
        NumberFormat::Percent
    } else {
        NumberFormat::Decimal
    };
    let diff = if r.metric.is_rate() {
        NumberFormat::Points
    } else {
        NumberFormat::Decimal
    };
    let mut s = Sheet::new(
        &format!("test {name} ({})", r.metric.as_str()),
        &[
            "arm",
            "units",
            "successes",
            "value",
            "low",
            "high",
            "difference",
            "diff low",
            "diff high",
            "lift",
            "p-value",
            "P(better)",
        ],
    );
    for a in &r.arms {
        s.rows.push(vec![
            Cell::text(&a.arm),
            Cell::number(Some(a.units as f64), NumberFormat::Count),
            Cell::number(Some(a.successes as f64), NumberFormat::Count),
            Cell::number(a.value, value),
            Cell::number(a.low, value),
            Cell::number(a.high, value),
            Cell::number(a.difference, diff),
            Cell::number(a.difference_low, diff),
            Cell::number(a.difference_high, diff),
            Cell::number(a.lift, NumberFormat::Percent),
            Cell::number(a.p_value, NumberFormat::PValue),
            Cell::number(a.probability_better, NumberFormat::Percent),
        ]);
    }
    s
}
