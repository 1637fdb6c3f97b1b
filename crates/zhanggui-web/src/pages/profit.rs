//! The 利润 page: the period's P&L from net sales down to net profit as a waterfall, net
//! profit by month over the year to the period's end, the per-product table with margin,
//! break-even ROI, role and what each row's costs rest on, the products whose costs are
//! missing, and a form that uploads a cost sheet, bill, expense sheet or ad spend sheet.

use axum::extract::{Query, State};
use serde::Deserialize;
use serde_json::json;
use zhanggui_domain::Money;
use zhanggui_import::side::CostSheet;
use zhanggui_storage::ProfitBy;
use zhanggui_tables::profit::{sheets, shops_sheets};

use super::{no_data, url_encode, HtmlTable, Layout, PageResult};
use crate::auth::{CurrentUser, PageUser, Right};
use crate::charts::{bar_chart, waterfall};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::profit::profit_view;
use crate::views::profit_shops::shops_pnl;
use crate::views::scope::{resolve, ScopeQuery};

/// The owner's view across shops: its currency and rates (`USD:7.10`).
#[derive(Debug, Default, Deserialize)]
pub struct ShopsForm {
    pub currency: Option<String>,
    pub rates: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Query(form): Query<ShopsForm>,
) -> PageResult {
    profit_page(state, user, q, form, None).await
}

/// For an owner of several shops: every shop's P&L in one currency, or why it cannot be
/// shown (a currency without a rate), with the form that asks for the rates.
async fn across_shops(
    state: &AppState,
    user: &CurrentUser,
    scope: &crate::views::scope::Scope,
    form: &ShopsForm,
) -> Result<Option<serde_json::Value>, AppError> {
    if !user.user.is_owner || state.shops().await?.len() < 2 {
        return Ok(None);
    }
    let rates = form.rates.clone().unwrap_or_default();
    let currency = form.currency.clone().unwrap_or_default();
    let shown = match shops_pnl(state, user, scope.period, Some(&currency), &rates).await {
        Ok(pnl) => {
            let sheets = shops_sheets(&pnl);
            json!({
                "months": HtmlTable::of("pnl-months", &sheets[0], None, false),
                "shops": HtmlTable::of("pnl-shops", &sheets[1], None, false),
                "error": null,
            })
        }
        Err(AppError::BadRequest(why)) => json!({ "error": why }),
        Err(e) => return Err(e),
    };
    let mut v = shown;
    v["currency"] = json!(currency);
    v["rates"] = json!(rates);
    // The form keeps the page's shop and period.
    let mut keep = vec![
        ("shop", scope.shop.name.to_string()),
        ("period", scope.period.code().to_owned()),
    ];
    if let crate::views::scope::PeriodChoice::Custom(from, to) = scope.period {
        keep.push(("from", from.to_string()));
        keep.push(("to", to.to_string()));
    }
    v["keep"] = json!(keep);
    Ok(Some(v))
}

async fn profit_page(
    state: AppState,
    user: CurrentUser,
    q: ScopeQuery,
    form: ShopsForm,
    notice: Option<String>,
) -> PageResult {
    let lang = user.lang();
    let scope = resolve(&state, &user, &q, Right::ViewProfit).await?;
    let mut layout = Layout::new(&user, "profit", "/profit", Some(&scope));
    layout.notice = notice;
    let v = match profit_view(&state, &scope, ProfitBy::Product).await {
        Ok(v) => v,
        Err(AppError::NoData) => return no_data(&state, layout).await,
        Err(e) => return Err(e.into()),
    };
    let r = &v.report;
    let c = scope.shop.currency;
    let money = move |x: f64| Money::new(x.round() as i64, c).to_string();
    layout.dates = Some(format!("{} .. {}", r.from, r.to));
    let minor = |m: Money| m.minor as f64;
    let parts: Vec<(String, f64)> = [
        ("cogs", r.cogs),
        ("platform_fees", r.platform_fees),
        ("shipping", r.shipping),
        ("packaging", r.packaging),
        ("ad_spend", r.ad_spend),
        ("other_costs", r.other_costs),
    ]
    .iter()
    .map(|(key, m)| (lang.t(key).to_owned(), -minor(*m)))
    .collect();
    let waterfall_svg = waterfall(
        lang.t("pnl_title"),
        (lang.t("net_sales"), minor(r.net_sales_known)),
        &parts,
        (lang.t("net_profit"), minor(r.net_profit)),
        &money,
    );
    let months: Vec<(String, f64, bool)> = v
        .months
        .rows
        .iter()
        .map(|m| {
            let value = m.net_profit.map_or(0.0, minor);
            (m.key.clone(), value, value < 0.0)
        })
        .collect();
    let months_svg = bar_chart(lang.t("profit_by_month"), &months, None, &money);
    let across = across_shops(&state, &user, &scope, &form).await?;
    let tables = sheets(r, c);
    let pnl = HtmlTable::of("pnl", &tables[0], None, false);
    let products = HtmlTable::of("profit-products", &tables[1], None, true);
    let cards = json!([
        { "name": lang.t("net_sales"), "value": r.net_sales.to_string() },
        { "name": lang.t("cm1"), "value": r.cm1.to_string() },
        { "name": lang.t("net_profit"), "value": r.net_profit.to_string() },
        { "name": lang.t("margin"),
          "value": r.margin.map_or("–".to_owned(), |m| format!("{:.1}%", m * 100.0)) },
    ]);
    layout
        .render(
            &state,
            "profit.html",
            json!({
                "cards": cards,
                "waterfall_svg": waterfall_svg,
                "months_svg": months_svg,
                "pnl": pnl,
                "products": products,
                "missing_cost": r.missing_cost,
                "missing_fees": r.missing_fees,
                "notes": r.notes,
                "shop": scope.shop.name.as_str(),
                "shop_q": url_encode(scope.shop.name.as_str()),
                "can_import": user.can(Right::Import, scope.shop.id),
                "across": across,
            }),
        )
        .await
}

/// The largest cost sheet or bill taken from the page.
const MAX_COST_FILE: usize = 200 << 20;

/// Imports a cost sheet, bill, expense sheet or ad spend sheet uploaded from the page
/// (multipart: `csrf`, `file`; the kind is told from the header), then shows the page with
/// what it did. Needs `view_profit` and `import` in the shop.
pub async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    form: axum::extract::Multipart,
) -> PageResult {
    let scope = resolve(&state, &user, &q, Right::ViewProfit).await?;
    user.require(Right::Import, &scope.shop)?;
    let sent = crate::one_file::read_one_file(&user, form, MAX_COST_FILE).await?;
    let done = crate::views::cost_upload::import_costs(&state, &scope.shop, sent.bytes).await?;
    let lang = user.lang();
    let kind = lang.t(match done.kind {
        CostSheet::CostPrices => "sheet_prices",
        CostSheet::Bill => "sheet_bill",
        CostSheet::Expenses => "sheet_expenses",
        CostSheet::AdSpend => "sheet_ad_spend",
        CostSheet::CourierBill => "sheet_courier",
    });
    let rejected: Vec<(u64, &str)> = done
        .rejected
        .iter()
        .map(|x| (x.row, x.reason.as_str()))
        .collect();
    let notice = super::import_notice(
        lang,
        &format!("{} ({kind})", sent.name),
        (done.read, done.saved.inserted, done.saved.updated),
        &rejected,
    );
    profit_page(state, user, q, ShopsForm::default(), Some(notice)).await
}
