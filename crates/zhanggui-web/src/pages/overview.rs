//! The overview page and the metric dictionary page.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde_json::json;
use zhanggui_domain::metrics::Unit;
use zhanggui_domain::money_json::InCurrency;
use zhanggui_tables::NumberFormat;

use super::{dates_line, finding_card, message, no_data, HtmlTable, Layout, PageResult};
use crate::auth::{PageUser, Right};
use crate::charts::{line_chart, Line};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::format::name;
use crate::views::overview::overview;
use crate::views::scope::{resolve, Scope, ScopeQuery};
use crate::views::sheets;

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
) -> PageResult {
    let lang = user.lang();
    let scope = match resolve(&state, &user, &q, Right::ViewReports).await {
        Ok(s) => s,
        Err(AppError::Forbidden(_)) if q.shop.is_none() => {
            // No report rights anywhere: show what the user may use instead.
            let layout = Layout::new(&user, "overview", "/", None);
            return message(&state, layout, lang.t("no_shop"), "muted", StatusCode::OK).await;
        }
        Err(e) => return Err(e.into()),
    };
    let mut layout = Layout::new(&user, "overview", "/", Some(&scope));
    let o = match overview(&state, &scope).await {
        Ok(o) => o,
        Err(AppError::NoData) => return no_data(&state, layout).await,
        Err(e) => return Err(e.into()),
    };
    layout.dates = Some(dates_line(lang, o.period, o.compared_with, o.compare));
    let currency = scope.shop.currency;
    let money = NumberFormat::of_unit(Unit::Money, currency);
    let short = |d: &String| d.get(5..).unwrap_or(d).to_owned();
    let labels: Vec<String> = o.trend.days.iter().map(short).collect();
    let compare_name = format!(
        "{} ({} .. {})",
        lang.t(match o.compare {
            zhanggui_analytics::Compare::Previous => "previous",
            zhanggui_analytics::Compare::YearEarlier => "yoy",
        }),
        o.compared_with.from,
        o.compared_with.to
    );
    let trend_svg = line_chart(
        lang.t("trend"),
        &labels,
        &[
            Line {
                name: lang.t("current"),
                values: o.trend.current.clone(),
                secondary: false,
            },
            Line {
                name: &compare_name,
                values: o.trend.compared.clone(),
                secondary: true,
            },
        ],
        &|v| money.show(v),
    );
    let report = crate::views::compute::report_of(&state, &scope).await?;
    let kpi_sheet = zhanggui_tables::report::sheets(&report, currency, usize::MAX)
        .into_iter()
        .next()
        .unwrap_or_else(|| zhanggui_tables::Sheet::new("-", &[]));
    let kpi_table = HtmlTable::of(
        "kpis",
        &kpi_sheet,
        Some(format!("/export/kpis?{}", scope.query())),
        true,
    );
    let profit_cards = if scope.sees_profit {
        profit_cards(&state, &scope, lang).await?
    } else {
        Vec::new()
    };
    let findings: Vec<_> = o
        .top_findings
        .iter()
        .enumerate()
        .map(|(i, f)| finding_card(f, i + 1, currency, lang, &scope))
        .collect();
    layout
        .render(
            &state,
            "overview.html",
            json!({
                "headline": match lang {
                    crate::i18n::Lang::Zh => &o.headline_zh,
                    crate::i18n::Lang::En => &o.headline,
                },
                "cards": InCurrency(currency, &o.cards),
                "profit_cards": profit_cards,
                "trend_svg": trend_svg,
                "trend_title": name(lang, "支付金额", "Sales"),
                "findings": findings,
                "findings_total": o.findings_total,
                "kpi_table": kpi_table,
            }),
        )
        .await
}

/// Net profit and net margin of the period, for a user who may see profit; a pointer to
/// the 利润 page while the shop has no cost prices.
async fn profit_cards(
    state: &AppState,
    scope: &Scope,
    lang: crate::i18n::Lang,
) -> Result<Vec<serde_json::Value>, AppError> {
    let r = crate::views::profit::period_profit(state, scope).await?;
    let href = format!("/profit?{}", scope.query());
    if r.inputs.cost_prices == 0 {
        return Ok(vec![json!({
            "id": "net_profit", "name": lang.t("net_profit"), "value": "–",
            "note": lang.t("profit_needs_costs"), "href": href,
        })]);
    }
    let covered = if r.net_sales.minor > 0 {
        r.net_sales_known.minor as f64 / r.net_sales.minor as f64
    } else {
        0.0
    };
    let note = format!("{} {:.0}%", lang.t("profit_covers"), covered * 100.0);
    Ok(vec![
        json!({"id": "net_profit", "name": lang.t("net_profit"),
               "value": r.net_profit.to_string(), "note": note, "href": href}),
        json!({"id": "net_margin", "name": lang.t("margin"),
               "value": r.margin.map_or("–".to_owned(), |m| format!("{:.1}%", m * 100.0)),
               "note": format!("{} {}", lang.t("cm1"), r.cm1), "href": href}),
    ])
}

pub async fn dictionary(State(state): State<AppState>, PageUser(user): PageUser) -> PageResult {
    let lang = user.lang();
    let sheet = sheets::dictionary(lang);
    let table = HtmlTable::of(
        "dictionary",
        &sheet,
        Some("/export/dictionary?".into()),
        true,
    );
    Layout::new(&user, "dictionary", "/dictionary", None)
        .render(&state, "dictionary.html", json!({ "table": table }))
        .await
}
