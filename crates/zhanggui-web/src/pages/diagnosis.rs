//! The diagnosis page: the sales change split as a waterfall, every finding ranked with
//! its evidence and drill-down, and the splits per source and per product.

use axum::extract::{Query, State};
use serde_json::json;
use zhanggui_analytics::why::Factor;
use zhanggui_domain::Money;

use super::{dates_line, finding_card, no_data, url_encode, HtmlTable, Layout, PageResult};
use crate::auth::{PageUser, Right};
use crate::charts::waterfall;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::compute::{diagnosis_of, report_of};
use crate::views::scope::{resolve, ScopeQuery};

/// Sources and products shown per split table on the page.
const DRILL_ROWS: usize = 20;

fn factor_name(f: Factor, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => f.zh(),
        Lang::En => f.en(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
) -> PageResult {
    let lang = user.lang();
    let scope = resolve(&state, &user, &q, Right::ViewReports).await?;
    let mut layout = Layout::new(&user, "diagnosis", "/diagnosis", Some(&scope));
    let (d, r) = match (
        diagnosis_of(&state, &scope).await,
        report_of(&state, &scope).await,
    ) {
        (Ok(d), Ok(r)) => (d, r),
        (Err(AppError::NoData), _) | (_, Err(AppError::NoData)) => {
            return no_data(&state, layout).await
        }
        (Err(e), _) | (_, Err(e)) => return Err(e.into()),
    };
    layout.dates = Some(dates_line(lang, d.period, d.compared_with, d.compare));
    let currency = scope.shop.currency;
    let money = |v: f64| Money::new(v.round() as i64, currency).to_string();
    let waterfall_svg = r.why.shop.as_ref().map(|split| {
        let parts: Vec<(String, f64)> = split
            .parts
            .iter()
            .map(|p| (factor_name(p.factor, lang).to_owned(), p.amount as f64))
            .collect();
        waterfall(
            lang.t("waterfall"),
            (lang.t("before"), split.before.amount as f64),
            &parts,
            (lang.t("after"), split.after.amount as f64),
            &money,
        )
    });
    let findings: Vec<_> = d
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| finding_card(f, i + 1, currency, lang, &scope))
        .collect();
    let query = scope.query();
    let table = HtmlTable::of(
        "findings-table",
        &zhanggui_tables::diagnosis::sheet(&d, currency),
        Some(format!("/export/diagnosis?{query}")),
        true,
    );
    // The page shows the largest moves; the export has them all.
    let sheets = zhanggui_tables::report::sheets(&r, currency, DRILL_ROWS);
    let mut drill = Vec::new();
    for (i, sheet) in sheets.iter().enumerate().skip(1) {
        let id = format!("split-{i}");
        let t = HtmlTable::of(&id, sheet, Some(format!("/export/why?{query}")), true);
        let t = if i == sheets.len() - 1 {
            let q = query.clone();
            t.link_column(0, move |code| format!("/products/{}?{q}", url_encode(code)))
        } else {
            t
        };
        drill.push(t);
    }
    layout
        .render(
            &state,
            "diagnosis.html",
            json!({
                "waterfall_svg": waterfall_svg,
                "why_unavailable": r.why.unavailable,
                "headline": match lang {
                    Lang::Zh => &r.why.headline_zh,
                    Lang::En => &r.why.headline,
                },
                "tests": d.tests,
                "findings": findings,
                "table": table,
                "drill": drill,
            }),
        )
        .await
}
