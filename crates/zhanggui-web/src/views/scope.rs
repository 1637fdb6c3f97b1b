//! Which shop and which days a page or API call is about, from its query string:
//! `shop`, `period` (today, 7d, 30d, month, custom with `from` and `to`) and `compare`
//! (prev or yoy). The shop must be one the user may see.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use zhanggui_analytics::report::anchor_or_last;
use zhanggui_analytics::{Compare, PeriodSpec};
use zhanggui_domain::Shop;
use zhanggui_storage::{DuckStore, Store};

use crate::auth::{CurrentUser, Right};
use crate::error::AppError;
use crate::state::AppState;

/// The query string of every page and API call about a shop's days.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScopeQuery {
    /// The shop's name [default: the first shop the user may see]
    pub shop: Option<String>,
    /// today, 7d, 30d, month or custom [default: 30d]
    pub period: Option<String>,
    /// First day of a custom period (YYYY-MM-DD)
    pub from: Option<String>,
    /// Last day of a custom period (YYYY-MM-DD)
    pub to: Option<String>,
    /// prev (环比) or yoy (同比) [default: prev]
    pub compare: Option<String>,
}

/// The period as chosen on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodChoice {
    Today,
    D7,
    D30,
    Month,
    Custom(NaiveDate, NaiveDate),
}

impl PeriodChoice {
    pub fn code(self) -> &'static str {
        match self {
            PeriodChoice::Today => "today",
            PeriodChoice::D7 => "7d",
            PeriodChoice::D30 => "30d",
            PeriodChoice::Month => "month",
            PeriodChoice::Custom(..) => "custom",
        }
    }

    /// The period spec, with "month" taken as the month of the last day with data.
    pub fn spec(self, store: &DuckStore, shop: &Shop) -> Result<PeriodSpec, AppError> {
        Ok(match self {
            PeriodChoice::Today => PeriodSpec::LastDays(1),
            PeriodChoice::D7 => PeriodSpec::LastDays(7),
            PeriodChoice::D30 => PeriodSpec::LastDays(30),
            PeriodChoice::Custom(a, b) => PeriodSpec::Range(a, b),
            PeriodChoice::Month => {
                let last = anchor_or_last(store as &dyn Store, shop, None)?;
                PeriodSpec::Month {
                    year: last.year(),
                    month: last.month(),
                }
            }
        })
    }
}

/// A resolved scope: a shop the user may see, a period and a comparison.
#[derive(Debug, Clone)]
pub struct Scope {
    pub shop: Shop,
    pub period: PeriodChoice,
    pub compare: Compare,
    /// The user may see the shop's profit (`view_profit`): without it the diagnosis
    /// leaves out its profit findings.
    pub sees_profit: bool,
}

impl Scope {
    /// A key for caching what is computed for this scope. What differs by the user's
    /// rights (the overview, whose findings leave out profit for some) says so in `what`.
    pub fn key(&self, what: &str) -> String {
        format!(
            "{what}|{}|{:?}|{:?}",
            self.shop.id.0, self.period, self.compare
        )
    }

    /// The query string that selects this scope again (for links and exports).
    pub fn query(&self) -> String {
        let mut q = format!(
            "shop={}&period={}&compare={}",
            crate::pages::url_encode(self.shop.name.as_str()),
            self.period.code(),
            match self.compare {
                Compare::Previous => "prev",
                Compare::YearEarlier => "yoy",
            }
        );
        if let PeriodChoice::Custom(a, b) = self.period {
            q.push_str(&format!("&from={a}&to={b}"));
        }
        q
    }
}

fn parse_day(what: &str, s: Option<&str>) -> Result<NaiveDate, AppError> {
    let s = s.ok_or_else(|| {
        AppError::BadRequest(format!("a custom period needs `{what}` (YYYY-MM-DD)"))
    })?;
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::BadRequest(format!("`{what}`: `{s}` is not a date like 2025-10-31")))
}

/// Reads the query: the shop must exist and the user must hold `right` in it.
pub async fn resolve(
    state: &AppState,
    user: &CurrentUser,
    q: &ScopeQuery,
    right: Right,
) -> Result<Scope, AppError> {
    let period = period_of(q)?;
    let compare = Compare::parse(q.compare.as_deref().unwrap_or("prev"))
        .map_err(|e| AppError::BadRequest(e.to_string()))?;
    let shop = shop_for(state, user, q.shop.as_deref(), right).await?;
    Ok(Scope {
        sees_profit: user.can(Right::ViewProfit, shop.id),
        shop,
        period,
        compare,
    })
}

/// The period the query names: today, 7d, 30d (the default), month, or custom with `from`
/// and `to`.
pub fn period_of(q: &ScopeQuery) -> Result<PeriodChoice, AppError> {
    Ok(match q.period.as_deref().unwrap_or("30d").trim() {
        "today" | "1d" => PeriodChoice::Today,
        "7d" => PeriodChoice::D7,
        "30d" | "" => PeriodChoice::D30,
        "month" => PeriodChoice::Month,
        "custom" => {
            let from = parse_day("from", q.from.as_deref())?;
            let to = parse_day("to", q.to.as_deref())?;
            if to < from {
                return Err(AppError::BadRequest(format!(
                    "the period ends ({to}) before it starts ({from})"
                )));
            }
            PeriodChoice::Custom(from, to)
        }
        other => {
            return Err(AppError::BadRequest(format!(
                "`{other}` is not a period: write today, 7d, 30d, month or custom"
            )))
        }
    })
}

/// The named shop (or the user's first shop where they hold `right`), refused when the
/// user holds no such right in it.
pub async fn shop_for(
    state: &AppState,
    user: &CurrentUser,
    name: Option<&str>,
    right: Right,
) -> Result<Shop, AppError> {
    let shops = state.shops().await?;
    let shop = match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(name) => shops
            .iter()
            .find(|s| s.name.as_str() == name)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("no shop named {name}")))?,
        None => shops
            .iter()
            .find(|s| user.can(right, s.id))
            .cloned()
            .ok_or_else(|| AppError::Forbidden("you have no role in any shop yet".into()))?,
    };
    user.require(right, &shop)?;
    Ok(shop)
}
