//! The pages: each handler reads the same view the API serves and renders it with its
//! template inside the common layout (navigation, shop switcher, period picker).

pub mod account;
pub mod admin;
pub mod desk;
pub mod diagnosis;
pub mod import;
pub mod members;
pub mod overview;
pub mod products;
pub mod profit;
pub mod promotion;
pub mod traffic;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use serde_json::{json, Map, Value};
use zhanggui_analytics::diagnosis::Finding;
use zhanggui_analytics::Compare;
use zhanggui_domain::metrics::MetricDef;
use zhanggui_domain::{Currency, Money};
use zhanggui_tables::{Cell, Sheet};

use crate::auth::{CurrentUser, Right};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::views::diagnosis::{about, metrics_of};
use crate::views::format::name;
use crate::views::scope::{PeriodChoice, Scope};

/// Percent-encodes a query value or path segment.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A page's failure, shown as a page (the API's errors are JSON).
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status();
        let body = self.0.body();
        let html = format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{code}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main><section class=\"panel\"><h1>{status}</h1><p class=\"bad\">{msg}</p><p><a href=\"/\">← 掌柜</a></p></section></main></body></html>",
            code = body.error.code,
            status = status.as_u16(),
            msg = crate::charts::esc(&body.error.message)
        );
        (status, Html(html)).into_response()
    }
}

pub type PageResult = Result<Response, PageError>;

/// One entry of the left navigation.
#[derive(Serialize)]
struct NavItem {
    key: &'static str,
    href: String,
    label: &'static str,
}

/// The navigation a user sees: pages they may use in the current shop.
fn nav(
    user: &CurrentUser,
    lang: Lang,
    shop: Option<&zhanggui_domain::Shop>,
    q: &str,
) -> Vec<NavItem> {
    let can = |right: Right| match shop {
        Some(s) => user.can(right, s.id),
        // Pages without a shop (dictionary, settings): the right in any shop.
        None => user.user.is_owner || user.roles.values().any(|r| r.grants(right)),
    };
    let mut items = Vec::new();
    let mut add = |key: &'static str, path: &str, shown: bool| {
        if shown {
            items.push(NavItem {
                key,
                href: if q.is_empty() || matches!(key, "dictionary" | "settings" | "audit") {
                    path.to_owned()
                } else {
                    format!("{path}?{q}")
                },
                label: lang.t(key),
            });
        }
    };
    add("overview", "/", can(Right::ViewReports));
    add("diagnosis", "/diagnosis", can(Right::ViewReports));
    add("products", "/products", can(Right::ViewProducts));
    add("traffic", "/traffic", can(Right::ViewReports));
    add("members", "/members", can(Right::ViewMembers));
    add("profit", "/profit", can(Right::ViewProfit));
    add("ads", "/ads", can(Right::ViewProfit));
    add("desk", "/desk", can(Right::UseDesk));
    add("import", "/import", can(Right::Import));
    add("dictionary", "/dictionary", true);
    add(
        "settings",
        "/settings",
        user.user.is_owner || user.roles.values().any(|r| r.grants(Right::EditSettings)),
    );
    add("audit", "/audit", user.user.is_owner);
    items
}

/// What every page's layout needs.
pub struct Layout<'a> {
    pub user: &'a CurrentUser,
    pub active: &'static str,
    pub title: String,
    pub path: &'static str,
    pub scope: Option<&'a Scope>,
    pub dates: Option<String>,
    pub notice: Option<String>,
    /// Whether the page reads a period (the picker then offers period and comparison;
    /// otherwise only the shop).
    pub days: bool,
}

impl<'a> Layout<'a> {
    /// A page titled by its navigation entry.
    pub fn new(
        user: &'a CurrentUser,
        active: &'static str,
        path: &'static str,
        scope: Option<&'a Scope>,
    ) -> Layout<'a> {
        Layout {
            user,
            active,
            title: user.lang().t(active).into(),
            path,
            scope,
            dates: None,
            notice: None,
            days: true,
        }
    }

    /// The layout's context merged with the page's own values.
    pub async fn render(
        self,
        state: &AppState,
        template: &str,
        page: Value,
    ) -> Result<Response, PageError> {
        let lang = self.user.lang();
        let shops: Vec<String> = state
            .shops()
            .await?
            .iter()
            .filter(|s| self.user.role_in(s.id).is_some())
            .map(|s| s.name.to_string())
            .collect();
        let query = self.scope.map(Scope::query).unwrap_or_default();
        let here = if query.is_empty() {
            self.path.to_owned()
        } else {
            format!("{}?{query}", self.path)
        };
        let scope = self.scope.map(|s| {
            let (from, to) = match s.period {
                PeriodChoice::Custom(a, b) => (a.to_string(), b.to_string()),
                _ => (String::new(), String::new()),
            };
            json!({
                "shop": s.shop.name.as_str(),
                "period": s.period.code(),
                "compare": match s.compare { Compare::Previous => "prev", Compare::YearEarlier => "yoy" },
                "from": from,
                "to": to,
                "days": self.days,
            })
        });
        let mut ctx = Map::new();
        ctx.insert("tr".into(), json!(lang.words()));
        ctx.insert("lang".into(), json!(lang.code()));
        ctx.insert("html_lang".into(), json!(lang.html_lang()));
        ctx.insert("title".into(), json!(self.title));
        ctx.insert("active".into(), json!(self.active));
        ctx.insert("path".into(), json!(self.path));
        ctx.insert("here".into(), json!(here));
        ctx.insert("query".into(), json!(query));
        ctx.insert(
            "user".into(),
            json!({"display_name": self.user.user.display_name, "login": self.user.user.login, "is_owner": self.user.user.is_owner}),
        );
        ctx.insert("csrf".into(), json!(self.user.csrf()));
        ctx.insert("shops".into(), json!(shops));
        ctx.insert("scope".into(), scope.unwrap_or(Value::Null));
        ctx.insert("dates".into(), json!(self.dates));
        ctx.insert("notice".into(), json!(self.notice));
        ctx.insert(
            "nav".into(),
            json!(nav(self.user, lang, self.scope.map(|s| &s.shop), &query)),
        );
        ctx.insert(
            "compare_label".into(),
            json!(match self.scope.map(|s| s.compare) {
                Some(Compare::YearEarlier) => lang.t("yoy"),
                _ => lang.t("prev"),
            }),
        );
        if let Value::Object(own) = page {
            ctx.extend(own);
        }
        let html = state.templates.render(template, &Value::Object(ctx))?;
        Ok(Html(html).into_response())
    }
}

/// "2025-10-01 .. 2025-10-30 · 环比 2025-09-01 .. 2025-09-30"
pub fn dates_line(
    lang: Lang,
    period: zhanggui_storage::DayRange,
    compared: zhanggui_storage::DayRange,
    compare: Compare,
) -> String {
    format!(
        "{} .. {} · {} {} .. {}",
        period.from,
        period.to,
        match compare {
            Compare::Previous => lang.t("prev"),
            Compare::YearEarlier => lang.t("yoy"),
        },
        compared.from,
        compared.to
    )
}

/// A table as the template macro draws it.
#[derive(Serialize)]
pub struct HtmlTable {
    pub id: String,
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<HtmlCell>>,
    /// The export link without its format (`...&format=csv` is appended).
    pub export: Option<String>,
    pub filter: bool,
}

#[derive(Serialize)]
pub struct HtmlCell {
    pub text: String,
    /// The raw number, for sorting.
    pub sort: Option<f64>,
    pub href: Option<String>,
    pub tone: Option<&'static str>,
}

impl HtmlTable {
    pub fn of(id: &str, sheet: &Sheet, export: Option<String>, filter: bool) -> HtmlTable {
        HtmlTable {
            id: id.to_owned(),
            name: sheet.name.clone(),
            header: sheet.header.clone(),
            rows: sheet
                .rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|c| HtmlCell {
                            text: c.shown(),
                            sort: match c {
                                Cell::Number(v, _) => Some(*v),
                                _ => None,
                            },
                            href: None,
                            tone: None,
                        })
                        .collect()
                })
                .collect(),
            export,
            filter,
        }
    }

    /// Links the cells of one column.
    pub fn link_column(mut self, col: usize, href: impl Fn(&str) -> String) -> HtmlTable {
        for row in &mut self.rows {
            if let Some(cell) = row.get_mut(col) {
                cell.href = Some(href(&cell.text));
            }
        }
        self
    }
}

/// A finding as the template shows it.
#[derive(Serialize)]
pub struct FindingCard {
    pub rank: usize,
    pub severity: String,
    pub severity_label: &'static str,
    /// 利润 / 问题 / 机会 (profit / problem / opportunity).
    pub kind_label: &'static str,
    pub title: String,
    pub action: String,
    pub evidence: Vec<String>,
    pub stake: String,
    pub stake_basis: &'static str,
    pub confidence: String,
    pub href: Option<String>,
    pub subject_text: String,
    pub metrics: Vec<Value>,
}

pub fn finding_card(
    f: &Finding,
    rank: usize,
    currency: Currency,
    lang: Lang,
    scope: &Scope,
) -> FindingCard {
    let severity = serde_json::to_value(f.severity)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let severity_label = match (severity.as_str(), lang) {
        ("high", Lang::Zh) => "高",
        ("medium", Lang::Zh) => "中",
        (_, Lang::Zh) => "低",
        ("high", Lang::En) => "high",
        ("medium", Lang::En) => "medium",
        (_, Lang::En) => "low",
    };
    let q = scope.query();
    let href = f.subject.as_ref().map(|s| match about(f.rule) {
        "product" => format!("/products/{}?{q}", url_encode(s)),
        "source" => format!("/traffic?{q}"),
        _ => format!("/?{q}"),
    });
    let metric = |d: &MetricDef| json!({"id": d.id, "name": name(lang, d.zh, d.en), "definition": d.definition, "formula": d.formula_text()});
    FindingCard {
        rank,
        severity,
        severity_label,
        kind_label: match (f.kind, lang) {
            (zhanggui_analytics::diagnosis::Kind::Profit, Lang::Zh) => "利润",
            (zhanggui_analytics::diagnosis::Kind::Profit, Lang::En) => "profit",
            (zhanggui_analytics::diagnosis::Kind::Problem, Lang::Zh) => "问题",
            (zhanggui_analytics::diagnosis::Kind::Opportunity, Lang::Zh) => "机会",
            (zhanggui_analytics::diagnosis::Kind::Problem, Lang::En) => "problem",
            (zhanggui_analytics::diagnosis::Kind::Opportunity, Lang::En) => "opportunity",
        },
        title: f.title.clone(),
        action: f.action.clone(),
        evidence: f.evidence.clone(),
        stake: if f.money_at_stake > 0 {
            Money::new(f.money_at_stake, currency).to_string()
        } else {
            "-".into()
        },
        stake_basis: f.stake_basis,
        confidence: f.confidence.statement.clone(),
        subject_text: match (&f.subject, &f.subject_label) {
            (Some(s), Some(l)) => format!("{s} {l}"),
            (Some(s), None) => s.clone(),
            _ => String::new(),
        },
        href,
        metrics: metrics_of(f.rule).into_iter().map(metric).collect(),
    }
}

/// The page that says the shop has nothing imported yet.
pub async fn no_data(state: &AppState, layout: Layout<'_>) -> PageResult {
    let text = layout.user.lang().t("no_data");
    message(state, layout, text, "muted", StatusCode::OK).await
}

/// A page that says one thing (no data yet, saved, ...).
pub async fn message(
    state: &AppState,
    layout: Layout<'_>,
    text: &str,
    tone: &str,
    status: StatusCode,
) -> PageResult {
    let mut r = layout
        .render(
            state,
            "message.html",
            json!({"message": text, "tone": tone, "back": Value::Null}),
        )
        .await?;
    *r.status_mut() = status;
    Ok(r)
}

/// What importing an uploaded file did, for the page's notice: rows read, new, changed,
/// rejected, and the first five rejected rows with their reasons.
pub fn import_notice(
    lang: Lang,
    what: &str,
    (read, new, updated): (usize, u64, u64),
    rejected: &[(u64, &str)],
) -> String {
    let mut notice = format!(
        "{what}: {read} {}, {new} {}, {updated} {}, {} {}",
        lang.t("rows_read"),
        lang.t("inserted"),
        lang.t("updated"),
        rejected.len(),
        lang.t("rejected"),
    );
    for (row, reason) in rejected.iter().take(5) {
        notice.push_str(&format!("; {} {row}: {reason}", lang.t("desk_row")));
    }
    notice
}
