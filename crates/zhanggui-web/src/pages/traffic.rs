//! The traffic page: free and paid visitors, UV value per source, visitors by day and the
//! source table.

use axum::extract::{Query, State};
use serde_json::json;
use zhanggui_domain::Money;
use zhanggui_tables::NumberFormat;

use super::{dates_line, no_data, HtmlTable, Layout, PageResult};
use crate::auth::{PageUser, Right};
use crate::charts::{bar_chart, line_chart, Line};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::format::name;
use crate::views::scope::{resolve, ScopeQuery};
use crate::views::sheets;
use crate::views::traffic::traffic;

/// Sources drawn in the UV value chart.
const CHARTED_SOURCES: usize = 12;

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
) -> PageResult {
    let lang = user.lang();
    let scope = resolve(&state, &user, &q, Right::ViewReports).await?;
    let mut layout = Layout::new(&user, "traffic", "/traffic", Some(&scope));
    let t = match traffic(&state, &scope).await {
        Ok(t) => t,
        Err(AppError::NoData) => return no_data(&state, layout).await,
        Err(e) => return Err(e.into()),
    };
    layout.dates = Some(dates_line(lang, t.period, t.compared_with, scope.compare));
    let currency = scope.shop.currency;
    let total = (t.free_visitors + t.paid_visitors).max(1) as f64;
    let count = |v: i64| NumberFormat::Count.show(v as f64);
    let bars: Vec<(String, f64, bool)> = t
        .sources
        .iter()
        .filter_map(|s| s.uv_value.map(|v| (s.source.clone(), v, s.paid)))
        .take(CHARTED_SOURCES)
        .collect();
    let money = |v: f64| Money::new(v.round() as i64, currency).to_string();
    let uv_title = format!(
        "{} ({})",
        name(lang, "UV价值", "UV value"),
        lang.t("by_source")
    );
    let bars_svg = bar_chart(
        &uv_title,
        &bars,
        Some((lang.t("free"), lang.t("paid"))),
        &money,
    );
    let labels: Vec<String> = t
        .days
        .iter()
        .map(|d| d.get(5..).unwrap_or(d).to_owned())
        .collect();
    let trend_svg = line_chart(
        name(lang, "访客数", "Visitors"),
        &labels,
        &[Line {
            name: name(lang, "访客数", "Visitors"),
            values: t.visitors.clone(),
            secondary: false,
        }],
        &|v| NumberFormat::Count.show(v),
    );
    let table = HtmlTable::of(
        "traffic",
        &sheets::traffic(&t, currency, lang),
        Some(format!("/export/traffic?{}", scope.query())),
        true,
    );
    layout
        .render(
            &state,
            "traffic.html",
            json!({
                "free": count(t.free_visitors),
                "paid": count(t.paid_visitors),
                "free_share": format!("{:.1}%", t.free_visitors as f64 / total * 100.0),
                "paid_share": format!("{:.1}%", t.paid_visitors as f64 / total * 100.0),
                "uv_title": uv_title,
                "bars_svg": bars_svg,
                "trend_svg": trend_svg,
                "visitors_title": name(lang, "访客数", "Visitors"),
                "table": table,
            }),
        )
        .await
}
