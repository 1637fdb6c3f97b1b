//! Members (会员) for the cockpit: the eight RFM segments, cohorts, repeat rates by the
//! first order's category, the win-back list, and saved segments with their size now.
//! Buyer ids are personal data: users without `ViewPersonalData` see stable pseudonyms
//! and no regions.

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use zhanggui_analytics::members::cohorts::{
    cohorts, first_order_repeats, Cohorts, FirstOrderRepeats,
};
use zhanggui_analytics::members::filter::Filter;
use zhanggui_analytics::members::member_day::{member_day, MemberDay};
use zhanggui_analytics::members::profile::{members, Members, SegmentError};
use zhanggui_analytics::members::rfm::SegmentSummary;
use zhanggui_analytics::members::value::{value_with, Model, Options, Value, Verdict};
use zhanggui_analytics::members::winback::{win_back_of, WinBackList};
use zhanggui_domain::Shop;
use zhanggui_storage::{FirstOrderBy, Store};
use zhanggui_tables::members::{pseudonym, segment_sheet};
use zhanggui_tables::Sheet;

use super::compute::cached;
use crate::auth::{CurrentUser, Right};
use crate::error::AppError;
use crate::login::audit;
use crate::state::AppState;

/// Win-back customers a page or API call lists.
pub const WIN_BACK_SHOWN: usize = 100;

#[derive(Debug, Clone, Serialize)]
pub struct MembersView {
    pub shop: String,
    pub until: NaiveDate,
    pub members: usize,
    pub segments: Vec<SegmentSummary>,
    pub cohorts: Cohorts,
    pub by_category: FirstOrderRepeats,
    /// The first `WIN_BACK_SHOWN` of the list; `win_back_total` says how many there are.
    pub win_back: WinBackList,
    pub win_back_total: usize,
    /// Why there is no probability active or predicted value, when the history is short.
    pub no_predictions: Option<String>,
    /// Whether buyer ids are real (else pseudonyms).
    pub personal: bool,
}

impl From<SegmentError> for AppError {
    fn from(e: SegmentError) -> Self {
        match e {
            SegmentError::NoPredictions { .. } => AppError::BadRequest(e.to_string()),
            SegmentError::Report(r) => r.into(),
        }
    }
}

/// Every member of a shop with what filters read, computed once per data generation.
pub async fn members_of(state: &AppState, shop: &Shop) -> Result<Arc<Members>, AppError> {
    let s = shop.clone();
    cached(state, format!("members|{}", shop.id.0), move |store| {
        Ok(members(store, &s, None)?)
    })
    .await
}

/// The members page of a shop for this user.
pub async fn view(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
) -> Result<MembersView, AppError> {
    let s = shop.clone();
    // The members' scores, fit and histories are computed once (members_of) and read here.
    let base = members_of(state, shop).await?;
    let whole: Arc<MembersView> =
        cached(state, format!("members_view|{}", shop.id.0), move |store| {
            let until = base.until;
            let mut w = win_back_of(base.value.clone(), &base.histories);
            let total = w.customers.len();
            w.customers.truncate(WIN_BACK_SHOWN);
            Ok(MembersView {
                shop: s.name.to_string(),
                until,
                members: base.members.len(),
                segments: base.segments.clone(),
                cohorts: cohorts(store, &s, Some(until))?,
                by_category: first_order_repeats(store, &s, Some(until), FirstOrderBy::Category)?,
                win_back: w,
                win_back_total: total,
                no_predictions: base.no_predictions.clone(),
                personal: true,
            })
        })
        .await?;
    let mut v = (*whole).clone();
    if !user.can(Right::ViewPersonalData, shop.id) {
        v.personal = false;
        for c in &mut v.win_back.customers {
            c.buyer = pseudonym(shop.name.as_str(), &c.buyer);
        }
    }
    Ok(v)
}

/// A saved segment with its size now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SegmentView {
    pub name: String,
    /// The filter's text (canonical form).
    pub filter: String,
    /// Members it selects now; absent when it cannot be applied (see `problem`).
    pub size: Option<usize>,
    pub problem: Option<String>,
    pub saved_by: Option<String>,
    #[schema(value_type = String)]
    pub saved_at: NaiveDateTime,
}

/// A filter's size without saving it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PreviewView {
    /// The filter's canonical text.
    pub filter: String,
    pub size: usize,
    /// Members of the shop.
    pub of: usize,
}

fn parse(text: &str) -> Result<Filter, AppError> {
    Filter::parse(text).map_err(|e| AppError::BadRequest(format!("the filter {e}")))
}

/// How many members a filter selects.
pub async fn preview(state: &AppState, shop: &Shop, text: &str) -> Result<PreviewView, AppError> {
    let filter = parse(text)?;
    let base = members_of(state, shop).await?;
    let size = base.select(&filter)?.len();
    Ok(PreviewView {
        filter: filter.to_string(),
        size,
        of: base.members.len(),
    })
}

/// The shop's saved segments with their sizes.
pub async fn saved(state: &AppState, shop: &Shop) -> Result<Vec<SegmentView>, AppError> {
    let s = shop.clone();
    let rows = state.db.read(move |store| Ok(store.segments(&s)?)).await?;
    let base = members_of(state, shop).await.ok();
    Ok(rows
        .into_iter()
        .map(|row| {
            let (filter, size, problem) = match serde_json::from_str::<Filter>(&row.filter) {
                Ok(f) => match base.as_ref().map(|b| b.select(&f).map(|c| c.len())) {
                    Some(Ok(n)) => (f.to_string(), Some(n), None),
                    Some(Err(e)) => (f.to_string(), None, Some(e.to_string())),
                    None => (f.to_string(), None, Some("no orders yet".to_owned())),
                },
                Err(e) => (row.filter.clone(), None, Some(format!("unreadable: {e}"))),
            };
            SegmentView {
                name: row.name,
                filter,
                size,
                problem,
                saved_by: row.saved_by,
                saved_at: row.saved_at,
            }
        })
        .collect())
}

/// Saves a segment (the filter is checked first) and writes the audit line.
pub async fn save(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    name: &str,
    text: &str,
    remote: Option<String>,
) -> Result<(), AppError> {
    user.require(Right::EditSettings, shop)?;
    let name = name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::BadRequest(
            "a segment name has 1 to 60 characters".into(),
        ));
    }
    let filter = parse(text)?;
    let json = serde_json::to_string(&filter).map_err(|e| AppError::Internal(e.to_string()))?;
    let (s, n, by) = (shop.clone(), name.clone(), user.user.login.clone());
    state
        .db
        .read(move |store| Ok(store.save_segment(&s, &n, &json, Some(&by))?))
        .await?;
    let detail = format!("{name}: {filter}");
    audit(
        state,
        &user.user,
        "segment.save",
        Some(shop.id),
        detail,
        remote,
    )
    .await
}

/// Deletes a saved segment.
pub async fn delete(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    name: &str,
    remote: Option<String>,
) -> Result<(), AppError> {
    user.require(Right::EditSettings, shop)?;
    let (s, n) = (shop.clone(), name.to_owned());
    let gone = state
        .db
        .read(move |store| Ok(store.delete_segment(&s, &n)?))
        .await?;
    if !gone {
        return Err(AppError::NotFound(format!(
            "{} has no segment named {name}",
            shop.name
        )));
    }
    audit(
        state,
        &user.user,
        "segment.delete",
        Some(shop.id),
        name.to_owned(),
        remote,
    )
    .await
}

/// A saved segment's members as a sheet, with personal data only for those who may see
/// it; the export is audited.
pub async fn export(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    name: &str,
    remote: Option<String>,
) -> Result<Sheet, AppError> {
    let (s, n) = (shop.clone(), name.to_owned());
    let row = state
        .db
        .read(move |store| Ok(store.segments(&s)?.into_iter().find(|x| x.name == n)))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{} has no segment named {name}", shop.name)))?;
    let filter: Filter =
        serde_json::from_str(&row.filter).map_err(|e| AppError::Internal(e.to_string()))?;
    let base = members_of(state, shop).await?;
    let chosen = base.select(&filter)?;
    let personal = user.can(Right::ViewPersonalData, shop.id);
    let sheet = segment_sheet(name, shop.name.as_str(), &chosen, shop.currency, personal);
    let detail = format!(
        "{name}: {} members, {}",
        chosen.len(),
        if personal {
            "with personal data"
        } else {
            "pseudonymous"
        }
    );
    audit(
        state,
        &user.user,
        "segment.export",
        Some(shop.id),
        detail,
        remote,
    )
    .await?;
    Ok(sheet)
}

/// Every buyer valued (the first `limit`, by lifetime value), with buyer ids as the user
/// may see them.
pub async fn value(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    options: Options,
    limit: usize,
) -> Result<Value, AppError> {
    let s = shop.clone();
    let key = format!(
        "value|{}|{}|{}|{:?}",
        shop.id.0, options.horizon_months, options.monthly_discount, options.model
    );
    let whole: Arc<Value> = cached(state, key, move |store| {
        Ok(value_with(store, &s, None, &options)?)
    })
    .await?;
    let mut v = (*whole).clone();
    let personal = user.can(Right::ViewPersonalData, shop.id);
    if let Verdict::Fitted(f) = &mut v.verdict {
        f.customers.truncate(limit);
        if !personal {
            for c in &mut f.customers {
                c.buyer = pseudonym(shop.name.as_str(), &c.buyer);
            }
        }
    }
    Ok(v)
}

/// The parsed model name of a query (`bgnbd` or `pareto`).
pub fn model_of(name: Option<&str>) -> Result<Model, AppError> {
    match name.unwrap_or("bgnbd") {
        "bgnbd" => Ok(Model::BgNbd),
        "pareto" => Ok(Model::ParetoNbd),
        other => Err(AppError::BadRequest(format!(
            "`{other}` is not a model: write bgnbd or pareto"
        ))),
    }
}

/// A weekly member day's lift on visitors, buyers and sales, with its interval.
pub async fn member_day_of(
    state: &AppState,
    shop: &Shop,
    weekday: &str,
    since: &str,
    weeks: i64,
) -> Result<MemberDay, AppError> {
    let day: chrono::Weekday = weekday.parse().map_err(|_| {
        AppError::BadRequest(format!("`{weekday}` is not a day: mon, tue, ... sun"))
    })?;
    let since = NaiveDate::parse_from_str(since.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest(format!("`{since}` is not a date like 2025-06-04")))?;
    if !(2..=104).contains(&weeks) {
        return Err(AppError::BadRequest("weeks: from 2 to 104".into()));
    }
    let s = shop.clone();
    state
        .db
        .read(move |store| Ok(member_day(store, &s, day, since, None, weeks)?))
        .await
}
