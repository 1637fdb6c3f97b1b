//! The members pages: the segments, the win-back list, repeat rates by first category and
//! cohorts of a shop; and the saved segments with a form whose filter shows its size live.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use serde_json::json;
use zhanggui_analytics::members::profile::field_help;
use zhanggui_tables::members::{cohort_sheet, first_order_sheet, segments, win_back_sheet};

use super::{no_data, url_encode, HtmlTable, Layout, PageError, PageResult};
use crate::auth::{CurrentUser, PageUser, Right};
use crate::error::AppError;
use crate::members_api::{export_file, SegmentExportQuery};
use crate::remote::Remote;
use crate::state::AppState;
use crate::views::members::{self, WIN_BACK_SHOWN};
use crate::views::scope::{resolve, ScopeQuery};

/// Cohort months shown as columns.
const COHORT_MONTHS: usize = 12;

fn percent(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// The member-day form's fields, on the members page's own query string.
#[derive(Deserialize)]
pub struct MemberDayForm {
    weekday: Option<String>,
    since: Option<String>,
}

const WEEKDAYS: [(&str, &str, &str); 7] = [
    ("mon", "周一", "Monday"),
    ("tue", "周二", "Tuesday"),
    ("wed", "周三", "Wednesday"),
    ("thu", "周四", "Thursday"),
    ("fri", "周五", "Friday"),
    ("sat", "周六", "Saturday"),
    ("sun", "周日", "Sunday"),
];

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Query(md): Query<MemberDayForm>,
) -> PageResult {
    let scope = resolve(&state, &user, &q, Right::ViewMembers).await?;
    let mut layout = Layout::new(&user, "members", "/members", Some(&scope));
    layout.days = false;
    let v = match members::view(&state, &user, &scope.shop).await {
        Ok(v) => v,
        Err(AppError::NoData) => return no_data(&state, layout).await,
        Err(e) => return Err(e.into()),
    };
    let currency = scope.shop.currency;
    let rfm = zhanggui_analytics::members::base::Rfm {
        shop: v.shop.clone(),
        until: v.until,
        bins: 5,
        segments: v.segments.clone(),
        customers: Vec::new(),
    };
    let shop_q = url_encode(scope.shop.name.as_str());
    let lang = user.lang();
    let weekday = md.weekday.clone().unwrap_or_else(|| "wed".to_owned());
    let since = md.since.clone().unwrap_or_default();
    // The member day's lifts when the form was sent; a mistake is said on the page.
    let (lifts, md_error) = if since.trim().is_empty() {
        (Vec::new(), None)
    } else {
        match members::member_day_of(&state, &scope.shop, &weekday, &since, 12).await {
            Ok(m) => (
                m.lifts
                    .iter()
                    .map(|(id, l)| {
                        let name = zhanggui_domain::metrics::metric(id)
                            .map_or((*id).to_owned(), |d| {
                                crate::views::format::name(lang, d.zh, d.en).to_owned()
                            });
                        let pct = |v: f64| format!("{:+.1}%", v * 100.0);
                        match l {
                            Some(l) => json!({"metric": name, "lift": pct(l.lift),
                                "interval": format!("{} .. {}", pct(l.low), pct(l.high)),
                                "weeks": format!("{} / {}", l.weeks_before, l.weeks_since)}),
                            None => {
                                json!({"metric": name, "lift": "–", "interval": "", "weeks": ""})
                            }
                        }
                    })
                    .collect(),
                None,
            ),
            Err(AppError::BadRequest(why)) => (Vec::new(), Some(why)),
            Err(e) => return Err(e.into()),
        }
    };
    let weekdays: Vec<_> = WEEKDAYS
        .iter()
        .map(|(code, zh, en)| json!({"code": code, "name": crate::views::format::name(lang, zh, en), "chosen": *code == weekday}))
        .collect();
    layout
        .render(
            &state,
            "members.html",
            json!({
                "shop_name": scope.shop.name.as_str(),
                "weekdays": weekdays,
                "since": since,
                "lifts": lifts,
                "md_error": md_error,
                "members": v.members,
                "until": v.until.to_string(),
                "repeat_30": percent(v.cohorts.repeat_30),
                "repeat_90": percent(v.cohorts.repeat_90),
                "win_back_total": v.win_back_total,
                "no_predictions": v.no_predictions,
                "personal": v.personal,
                "segments_href": format!("/members/segments?shop={shop_q}"),
                "segments": HtmlTable::of("segments", &segments(&rfm, currency), None, false),
                "win_back": HtmlTable::of("win-back", &win_back_sheet(&v.win_back, currency, WIN_BACK_SHOWN), None, true),
                "by_category": HtmlTable::of("by-category", &first_order_sheet(&v.by_category), None, false),
                "cohorts": HtmlTable::of("cohorts", &cohort_sheet(&v.cohorts, currency, COHORT_MONTHS), None, false),
            }),
        )
        .await
}

/// The saved segments, and the form (with what was typed and why it was refused).
async fn segments_page(
    state: &AppState,
    user: &CurrentUser,
    q: &ScopeQuery,
    typed: Option<(&str, &str, String)>,
) -> PageResult {
    let scope = resolve(state, user, q, Right::ViewMembers).await?;
    // Under 会员 in the navigation, titled 人群.
    let mut layout = Layout::new(user, "members", "/members/segments", Some(&scope));
    layout.title = user.lang().t("segments").into();
    layout.days = false;
    let shop = &scope.shop;
    let shop_q = url_encode(shop.name.as_str());
    let saved = match members::saved(state, shop).await {
        Ok(s) => s,
        Err(AppError::NoData) => return no_data(state, layout).await,
        Err(e) => return Err(e.into()),
    };
    let rows: Vec<_> = saved
        .iter()
        .map(|s| {
            let base = format!(
                "/members/segments/{}/export?shop={shop_q}",
                url_encode(&s.name)
            );
            json!({
                "name": s.name, "size": s.size, "problem": s.problem, "filter": s.filter,
                "csv": format!("{base}&format=csv"), "xlsx": format!("{base}&format=xlsx"),
            })
        })
        .collect();
    let (name, filter, error) = typed.map_or((String::new(), String::new(), None), |(n, f, e)| {
        (n.to_owned(), f.to_owned(), Some(e))
    });
    layout
        .render(
            state,
            "segments.html",
            json!({
                "segments": rows,
                "shop_q": shop_q,
                "can_edit": user.can(Right::EditSettings, shop.id),
                "personal": user.can(Right::ViewPersonalData, shop.id),
                "fields": field_help(),
                "name": name,
                "filter": filter,
                "error": error,
            }),
        )
        .await
}

pub async fn list(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
) -> PageResult {
    segments_page(&state, &user, &q, None).await
}

#[derive(Deserialize)]
pub struct SegmentForm {
    csrf: Option<String>,
    name: String,
    #[serde(default)]
    filter: String,
}

pub async fn save(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<SegmentForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::EditSettings).await?;
    match members::save(&state, &user, &scope.shop, &f.name, &f.filter, remote).await {
        Ok(()) => Ok(back(&scope.shop)),
        // A filter that is not well formed comes back in the form with the reason.
        Err(AppError::BadRequest(why)) => {
            segments_page(&state, &user, &q, Some((&f.name, &f.filter, why))).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<SegmentForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::EditSettings).await?;
    members::delete(&state, &user, &scope.shop, &f.name, remote).await?;
    Ok(back(&scope.shop))
}

fn back(shop: &zhanggui_domain::Shop) -> Response {
    Redirect::to(&format!(
        "/members/segments?shop={}",
        url_encode(shop.name.as_str())
    ))
    .into_response()
}

pub async fn export(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Remote(remote): Remote,
    Path(name): Path<String>,
    Query(q): Query<SegmentExportQuery>,
) -> Result<Response, PageError> {
    export_file(&state, &user, &name, &q, remote)
        .await
        .map_err(PageError)
}
