//! The product table and a product's own page.

use axum::extract::{Path, Query, State};
use serde_json::json;
use zhanggui_domain::money_json::InCurrency;
use zhanggui_domain::Money;

use super::{dates_line, finding_card, no_data, url_encode, HtmlTable, Layout, PageResult};
use crate::auth::{PageUser, Right};
use crate::charts::{line_chart, Line};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::format::name;
use crate::views::products::{product, products};
use crate::views::scope::{resolve, ScopeQuery};
use crate::views::sheets;

pub async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
) -> PageResult {
    let lang = user.lang();
    let scope = resolve(&state, &user, &q, Right::ViewProducts).await?;
    let mut layout = Layout::new(&user, "products", "/products", Some(&scope));
    let p = match products(&state, &scope).await {
        Ok(p) => p,
        Err(AppError::NoData) => return no_data(&state, layout).await,
        Err(e) => return Err(e.into()),
    };
    layout.dates = Some(dates_line(lang, p.period, p.compared_with, scope.compare));
    let query = scope.query();
    let q2 = query.clone();
    let table = HtmlTable::of(
        "products",
        &sheets::products(&p, scope.shop.currency, lang),
        Some(format!("/export/products?{query}")),
        true,
    )
    .link_column(0, move |code| {
        format!("/products/{}?{q2}", url_encode(code))
    });
    layout
        .render(&state, "products.html", json!({ "table": table }))
        .await
}

pub async fn one(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Path(code): Path<String>,
    Query(q): Query<ScopeQuery>,
) -> PageResult {
    let lang = user.lang();
    let scope = resolve(&state, &user, &q, Right::ViewProducts).await?;
    let p = product(&state, &scope, &code).await?;
    let currency = scope.shop.currency;
    let money = |v: f64| Money::new(v.round() as i64, currency).to_string();
    let count = |v: f64| format!("{v:.0}");
    let labels: Vec<String> = p
        .period
        .from
        .iter_days()
        .take_while(|d| *d <= p.period.to)
        .map(|d| d.format("%m-%d").to_string())
        .collect();
    let by_offset = |days: &[zhanggui_storage::ProductDay],
                     from: chrono::NaiveDate,
                     f: &dyn Fn(&zhanggui_storage::ProductDay) -> Option<f64>|
     -> Vec<Option<f64>> {
        let mut v = vec![None; labels.len()];
        for d in days {
            let i = (d.day - from).num_days();
            if i >= 0 && (i as usize) < v.len() {
                v[i as usize] = f(d);
            }
        }
        v
    };
    let sales_now = by_offset(&p.days, p.period.from, &|d| Some(d.paid_amount as f64));
    let sales_before = by_offset(&p.compared_days, p.compared_with.from, &|d| {
        Some(d.paid_amount as f64)
    });
    let vis_now = by_offset(&p.days, p.period.from, &|d| d.visitors.map(|v| v as f64));
    let vis_before = by_offset(&p.compared_days, p.compared_with.from, &|d| {
        d.visitors.map(|v| v as f64)
    });
    let previous = lang.t("previous");
    let sales_svg = line_chart(
        name(lang, "支付金额", "Sales"),
        &labels,
        &[
            Line {
                name: lang.t("current"),
                values: sales_now,
                secondary: false,
            },
            Line {
                name: previous,
                values: sales_before,
                secondary: true,
            },
        ],
        &money,
    );
    let visitors_svg = line_chart(
        name(lang, "访客数", "Visitors"),
        &labels,
        &[
            Line {
                name: lang.t("current"),
                values: vis_now,
                secondary: false,
            },
            Line {
                name: previous,
                values: vis_before,
                secondary: true,
            },
        ],
        &count,
    );
    let findings: Vec<_> = p
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| finding_card(f, i + 1, currency, lang, &scope))
        .collect();
    Layout {
        user: &user,
        active: "products",
        title: format!(
            "{} · {}",
            lang.t("product"),
            p.title.clone().unwrap_or(code.clone())
        ),
        path: "/products",
        scope: Some(&scope),
        dates: Some(dates_line(lang, p.period, p.compared_with, scope.compare)),
        notice: None,
        days: true,
    }
    .render(
        &state,
        "product.html",
        json!({
            "code": p.code,
            "product_title": p.title,
            "kpis": InCurrency(currency, &p.kpis),
            "sales_svg": sales_svg,
            "sales_title": name(lang, "支付金额", "Sales"),
            "visitors_svg": visitors_svg,
            "visitors_title": name(lang, "访客数", "Visitors"),
            "findings": findings,
        }),
    )
    .await
}
