//! The 推广 page: the period's ad spend, sales and ROI against break-even, each plan's ROI
//! beside its break-even as bars (a plan below it in the second colour), each plan's daily
//! click-through rate, the tables of tools, plans, budget moves and the split by goal, the
//! creative tests with their verdicts, a form that sets each tool's goal and target share,
//! and a form that uploads an ad report.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::Form;
use serde_json::json;
use zhanggui_domain::Money;
use zhanggui_storage::AdBy;
use zhanggui_tables::promotion::{readout_sheet, sheets};

use super::{no_data, url_encode, HtmlTable, Layout, PageResult};
use crate::auth::{CurrentUser, PageUser, Right};
use crate::charts::{bar_chart, line_chart, Line};
use crate::error::AppError;
use crate::remote::Remote;
use crate::state::AppState;
use crate::views::promotion::{ads_view, import_ads};
use crate::views::scope::{resolve, ScopeQuery};

/// Plans whose CTR is drawn day by day (the ones that spent most).
const TRENDS_SHOWN: usize = 6;

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
) -> PageResult {
    ads_page(state, user, q, None).await
}

async fn ads_page(
    state: AppState,
    user: CurrentUser,
    q: ScopeQuery,
    notice: Option<String>,
) -> PageResult {
    let lang = user.lang();
    let scope = resolve(&state, &user, &q, Right::ViewProfit).await?;
    let mut layout = Layout::new(&user, "ads", "/ads", Some(&scope));
    layout.notice = notice;
    let v = match ads_view(&state, &scope, AdBy::Campaign).await {
        Ok(v) => v,
        Err(AppError::NoData) => return no_data(&state, layout).await,
        Err(e) => return Err(e.into()),
    };
    let r = &v.report;
    let c = scope.shop.currency;
    layout.dates = Some(format!("{} .. {}", r.from, r.to));
    let money = move |x: f64| Money::new(x.round() as i64, c).to_string();
    let spend: i64 = r.tools.iter().map(|t| t.spend.minor).sum();
    let sales: i64 = r
        .tools
        .iter()
        .filter_map(|t| t.sales.map(|s| s.minor))
        .sum();
    let break_even = r.margin.filter(|m| *m > 0.0).map(|m| 1.0 / m);
    let cards = json!([
        { "name": lang.t("ad_spend"), "value": Money::new(spend, c).to_string() },
        { "name": lang.t("ad_sales"), "value": Money::new(sales, c).to_string() },
        { "name": "ROI", "value": if spend > 0 { format!("{:.2}", sales as f64 / spend as f64) } else { "–".to_owned() } },
        { "name": lang.t("break_even_roi"), "value": break_even.map_or("–".to_owned(), |b| format!("{b:.2}")) },
    ]);
    let roi_bars: Vec<(String, f64, bool)> = r
        .rows
        .iter()
        .filter_map(|p| {
            let roi = p.metrics.roi?;
            let below = p.break_even_roi.is_some_and(|be| roi < be);
            Some((
                format!("{} · {}", p.metrics.tool, p.metrics.campaign),
                roi,
                below,
            ))
        })
        .collect();
    let roi_svg = bar_chart(
        lang.t("roi_by_plan"),
        &roi_bars,
        Some((lang.t("above_break_even"), lang.t("below_break_even"))),
        &|x| format!("{x:.2}"),
    );
    let mut by_spend: Vec<&_> = r.rows.iter().collect();
    by_spend.sort_by_key(|p| std::cmp::Reverse(p.metrics.spend.minor));
    let trends: Vec<serde_json::Value> = by_spend
        .iter()
        .take(TRENDS_SHOWN)
        .filter_map(|p| {
            let t = v
                .trends
                .iter()
                .find(|t| t.tool == p.metrics.tool && t.campaign == p.metrics.campaign)?;
            let labels: Vec<String> = t
                .days
                .iter()
                .map(|d| d.0.format("%m-%d").to_string())
                .collect();
            let name = format!("{} · {}", t.tool, t.campaign);
            let svg = line_chart(
                &format!("CTR {name}"),
                &labels,
                &[Line {
                    name: &name,
                    values: t.days.iter().map(|d| d.3.map(|v| v * 100.0)).collect(),
                    secondary: false,
                }],
                &|x| format!("{x:.2}%"),
            );
            Some(json!({ "name": name, "svg": svg }))
        })
        .collect();
    let tables: Vec<HtmlTable> = sheets(r)
        .iter()
        .enumerate()
        .map(|(i, s)| HtmlTable::of(&format!("ads-{i}"), s, None, i == 1))
        .collect();
    let split: Vec<serde_json::Value> = r
        .split
        .iter()
        .map(|s| {
            json!({
                "tool": s.tool,
                "goal": s.goal.as_str(),
                "share": s.target_share.map(|t| format!("{}", (t * 1000.0).round() / 10.0)),
            })
        })
        .collect();
    let tests: Vec<serde_json::Value> = v
        .tests
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({
                "name": t.read.test.name,
                "metric": t.read.test.metric,
                "started_on": t.read.test.started_on.to_string(),
                "verdict": t.verdict_text,
                "winner": matches!(t.read.readout.verdict, zhanggui_analytics::promotion::Verdict::Winner { .. }),
                "method": t.read.readout.method,
                "missing": t.read.missing,
                "table": HtmlTable::of(&format!("test-{i}"), &readout_sheet(&t.read.test.name, &t.read.readout), None, false),
            })
        })
        .collect();
    layout
        .render(
            &state,
            "ads.html",
            json!({
                "has_ads": !r.tools.is_empty(),
                "cards": cards,
                "roi_svg": roi_svg,
                "trends": trends,
                "tables": tables,
                "tests": tests,
                "notes": r.notes,
                "margin_source": r.margin_source,
                "money_spend": money(spend as f64),
                "shop": scope.shop.name.as_str(),
                "shop_q": url_encode(scope.shop.name.as_str()),
                "can_import": user.can(Right::Import, scope.shop.id),
                "can_edit_split": user.can(Right::EditSettings, scope.shop.id),
                "split": split,
            }),
        )
        .await
}

/// Saves the budget split by goal from the page's form (`csrf`, `goal.TOOL`,
/// `share.TOOL` in percent), then shows the page with the new split. Needs `view_profit`
/// and `edit_settings` in the shop.
pub async fn save_split(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Query(q): Query<ScopeQuery>,
    Form(mut f): Form<BTreeMap<String, String>>,
) -> PageResult {
    user.check_csrf(f.remove("csrf").as_deref())?;
    let scope = resolve(&state, &user, &q, Right::ViewProfit).await?;
    crate::views::ad_split::save_split(&state, &user, &scope.shop, &f, remote).await?;
    let notice = Some(user.lang().t("saved").to_owned());
    ads_page(state, user, q, notice).await
}

/// The largest ad report taken from the page.
const MAX_AD_FILE: usize = 200 << 20;

/// Imports an ad report uploaded from the page (multipart: `csrf`, `file`; the tool told
/// from the header), then shows the page with what it did. Needs `view_profit` and
/// `import` in the shop.
pub async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    form: axum::extract::Multipart,
) -> PageResult {
    let scope = resolve(&state, &user, &q, Right::ViewProfit).await?;
    user.require(Right::Import, &scope.shop)?;
    let sent = crate::one_file::read_one_file(&user, form, MAX_AD_FILE).await?;
    let done = import_ads(&state, &scope.shop, sent.bytes).await?;
    let lang = user.lang();
    let rejected: Vec<(u64, &str)> = done
        .rejected
        .iter()
        .map(|x| (x.row, x.reason.as_str()))
        .collect();
    let notice = super::import_notice(
        lang,
        &format!(
            "{} ({})",
            sent.name,
            done.tool.as_deref().unwrap_or_default()
        ),
        (done.read as usize, done.saved.inserted, done.saved.updated),
        &rejected,
    );
    ads_page(state, user, q, Some(notice)).await
}
