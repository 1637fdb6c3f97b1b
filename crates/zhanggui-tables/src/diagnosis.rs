//! The diagnosis as a table: one row per finding, ranked.

use zhanggui_analytics::Diagnosis;
use zhanggui_domain::Currency;

use crate::sheet::{Cell, NumberFormat, Sheet};

/// The findings, ranked (problems, then opportunities), with the money at stake, the action and the evidence.
pub fn sheet(d: &Diagnosis, currency: Currency) -> Sheet {
    let mut sheet = Sheet::new(
        &format!("{} 诊断 diagnosis", d.shop),
        &[
            "rank",
            "severity",
            "kind",
            "rule",
            "subject",
            "finding",
            "money at stake",
            "action",
            "evidence",
            "p-value (adjusted)",
        ],
    );
    for (i, f) in d.findings.iter().enumerate() {
        sheet.rows.push(vec![
            Cell::Number((i + 1) as f64, NumberFormat::Count),
            Cell::text(f.severity.zh()),
            Cell::text(f.kind.zh()),
            Cell::text(f.rule),
            Cell::text(f.subject.clone().unwrap_or_default()),
            Cell::text(&f.title),
            Cell::Number(f.money_at_stake as f64, NumberFormat::Money(currency)),
            Cell::text(&f.action),
            Cell::text(f.evidence.join(" | ")),
            Cell::number(f.confidence.adjusted_p, NumberFormat::PValue),
        ]);
    }
    sheet
}
