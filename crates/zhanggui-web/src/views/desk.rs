//! The customer-service desk for the cockpit: the reply scripts a user may see (searched,
//! and filled for an order, which counts a use), answer suggestions from the knowledge
//! base, reviews with their alerts, reply scripts and follow-up records, the review
//! metrics, and the order follow-up tasks. Who may read which script follows the library's
//! scopes: the user's role in the shop and their departments.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{Duration, Utc};
use serde::Serialize;
use zhanggui_desk::answers::{Answerer, Entry};
use zhanggui_desk::followups::{fill as fill_for_order, now_utc, open_tasks, OpenTask};
use zhanggui_desk::library::{can_read, Actor};
use zhanggui_desk::monitor::{self, assemble, Metrics, Reviewed, Suggester, ACTIONS, OUTCOMES};
use zhanggui_desk::tasks::{Kind, Limits};
use zhanggui_desk::variables::{values_for, Variable};
use zhanggui_desk::{Doc, Index, Template};
use zhanggui_domain::Shop;
use zhanggui_storage::{ReviewAction, ReviewStore, ScriptRecord, ScriptStore, Store};

use super::compute::cached;
use crate::auth::{CurrentUser, Role};
use crate::error::AppError;
use crate::state::AppState;

/// Reply scripts suggested per review.
pub const SUGGESTED: usize = 3;

/// A script as a user sees it in a search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScriptHit {
    pub id: i64,
    pub scope: String,
    pub department: Option<String>,
    pub category: String,
    pub subcategory: Option<String>,
    pub title: String,
    pub text: String,
    pub shortcut: Option<String>,
    pub tags: Vec<String>,
    pub images: Vec<String>,
    /// How often this user used it.
    pub my_uses: i64,
}

/// A suggested answer from the knowledge base.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AnswerHit {
    pub entry: i64,
    pub score: f32,
    pub question: String,
    pub answer: String,
}

/// The library's view of a cockpit user in a shop.
pub(crate) fn actor_of(
    store: &zhanggui_storage::DuckStore,
    user: &CurrentUser,
    shop: &Shop,
) -> Result<Actor, AppError> {
    let manager = matches!(
        user.role_in(shop.id),
        Some(Role::Owner | Role::Director | Role::Manager)
    );
    Ok(Actor {
        login: user.user.login.clone(),
        manager,
        departments: store.departments_of(shop, &user.user.login)?,
        administrator: false,
    })
}

/// The shop's search index over all its scripts, built once per data generation (hits are
/// narrowed to what the user may read afterwards).
struct Library {
    scripts: Vec<ScriptRecord>,
    index: Index,
}

async fn library(state: &AppState, shop: &Shop) -> Result<Arc<Library>, AppError> {
    let s = shop.clone();
    cached(state, format!("desk_library|{}", shop.id.0), move |store| {
        let scripts = store.scripts(&s, false)?;
        let docs: Vec<Doc> = scripts.iter().map(Doc::of).collect();
        Ok(Library {
            index: Index::build(&docs),
            scripts,
        })
    })
    .await
}

/// The scripts a user may see, best first for `query` (by use when the query is empty).
pub async fn scripts(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    query: &str,
    limit: usize,
) -> Result<Vec<ScriptHit>, AppError> {
    let lib = library(state, shop).await?;
    let (s, u) = (shop.clone(), user.clone());
    let (actor, uses) = state
        .db
        .read(move |store| {
            let actor = actor_of(store, &u, &s)?;
            let uses: HashMap<i64, i64> = store
                .script_uses(&s)?
                .into_iter()
                .filter(|x| x.login == u.user.login)
                .map(|x| (x.script_id, x.uses))
                .collect();
            Ok((actor, uses))
        })
        .await?;
    let by_id: HashMap<i64, &ScriptRecord> = lib
        .scripts
        .iter()
        .filter_map(|s| s.id.map(|id| (id, s)))
        .collect();
    let visible = |s: &&ScriptRecord| can_read(&actor, s);
    let chosen: Vec<&ScriptRecord> = if query.trim().is_empty() {
        let mut all: Vec<&ScriptRecord> = lib.scripts.iter().filter(visible).collect();
        all.sort_by_key(|s| {
            std::cmp::Reverse(uses.get(&s.id.unwrap_or_default()).copied().unwrap_or(0))
        });
        all.truncate(limit);
        all
    } else {
        lib.index
            .search(query, lib.scripts.len(), &|id| {
                uses.get(&(id as i64)).copied().unwrap_or(0) as u64
            })
            .into_iter()
            .filter_map(|h| by_id.get(&(h.id as i64)).copied())
            .filter(visible)
            .take(limit)
            .collect()
    };
    Ok(chosen
        .into_iter()
        .map(|s| ScriptHit {
            id: s.id.unwrap_or_default(),
            scope: s.scope.clone(),
            department: s.department.clone(),
            category: s.category.clone(),
            subcategory: s.subcategory.clone(),
            title: s.title.clone(),
            text: s.body.clone(),
            shortcut: s.shortcut.clone(),
            tags: s.tags.clone(),
            images: s.images.clone(),
            my_uses: uses.get(&s.id.unwrap_or_default()).copied().unwrap_or(0),
        })
        .collect())
}

/// A script filled for an order and typed values; counts a use by the user. A variable
/// without a value is a 400 naming it.
pub async fn fill(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    id: i64,
    order_no: Option<String>,
    values: BTreeMap<String, String>,
) -> Result<String, AppError> {
    let (s, u) = (shop.clone(), user.clone());
    state
        .db
        .read(move |store| {
            let actor = actor_of(store, &u, &s)?;
            let script = store
                .scripts(&s, false)?
                .into_iter()
                .find(|x| x.id == Some(id))
                .filter(|x| can_read(&actor, x))
                .ok_or_else(|| AppError::NotFound(format!("no script {id} you may see")))?;
            let template = Template::parse(&script.body)
                .map_err(|e| AppError::BadRequest(format!("script {id}: {e}")))?;
            let order =
                match &order_no {
                    Some(no) => Some(store.order_for_script(&s, no)?.ok_or_else(|| {
                        AppError::NotFound(format!("no order {no} in {}", s.name))
                    })?),
                    None => None,
                };
            let mut filled = values_for(s.name.as_str(), order);
            for (k, v) in values {
                let var = Variable::parse(&k)
                    .ok_or_else(|| AppError::BadRequest(format!("unknown variable {k}")))?;
                filled.insert(var, v);
            }
            let text = template
                .fill(&filled)
                .map_err(|e| AppError::BadRequest(e.to_string()))?;
            store.record_script_use(&s, id, &u.user.login)?;
            Ok(text)
        })
        .await
}

/// The three best answers of the knowledge base for a buyer's question.
pub async fn answers(
    state: &AppState,
    shop: &Shop,
    question: &str,
) -> Result<Vec<AnswerHit>, AppError> {
    let s = shop.clone();
    let q = question.to_owned();
    state
        .db
        .read(move |store| {
            let all = store.knowledge(&s)?;
            let entries: Vec<Entry> = all.iter().map(Entry::from).collect();
            Ok(Answerer::build(&entries)
                .suggest(&q, 3)
                .into_iter()
                .filter_map(|x| {
                    let k = all.iter().find(|k| k.id as u64 == x.entry)?;
                    Some(AnswerHit {
                        entry: k.id,
                        score: x.score,
                        question: k.question.clone(),
                        answer: k.answer.clone(),
                    })
                })
                .collect())
        })
        .await
}

/// The shop's reviews with what each says, read once per data generation (imports change
/// the reviews and drop the cache; follow-ups are read fresh each time).
async fn read_reviews(
    state: &AppState,
    shop: &Shop,
) -> Result<
    Arc<
        Vec<(
            zhanggui_storage::ReviewRecord,
            zhanggui_desk::reviews::Reading,
        )>,
    >,
    AppError,
> {
    let s = shop.clone();
    cached(state, format!("desk_reviews|{}", shop.id.0), move |store| {
        Ok(store
            .reviews(&s)?
            .into_iter()
            .map(|r| {
                let reading = zhanggui_desk::reviews::read(&r.body);
                (r, reading)
            })
            .collect())
    })
    .await
}

/// Reads every shop's reviews into the cache, so that the first desk page is as quick as
/// the next (run in the background when the server starts).
pub async fn warm_reviews(state: AppState) {
    let Ok(shops) = state.shops().await else {
        return;
    };
    for shop in shops.iter() {
        if let Err(e) = read_reviews(&state, shop).await {
            tracing::warn!(shop = %shop.name, error = %e, "could not read the shop's reviews");
        }
    }
}

/// A review with its reply scripts filled for its order.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewView {
    #[serde(flatten)]
    pub reviewed: Reviewed,
    /// The suggested scripts' texts filled for the review's order (a note in parentheses
    /// when a variable has no value), in the order of `suggested`.
    pub replies: Vec<String>,
}

/// The shop's reviews, newest first (only open alerts when asked), the bad and medium ones
/// with the reply scripts the user may use.
pub async fn reviews(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    alerts_only: bool,
    limit: usize,
) -> Result<Vec<ReviewView>, AppError> {
    let read = read_reviews(state, shop).await?;
    let (s, u) = (shop.clone(), user.clone());
    state
        .db
        .read(move |store| {
            let actor = actor_of(store, &u, &s)?;
            let visible: Vec<ScriptRecord> = store
                .scripts(&s, false)?
                .into_iter()
                .filter(|x| can_read(&actor, x))
                .collect();
            let suggester = Suggester::new(&visible);
            let all = assemble(read.iter().cloned(), &store.review_actions(&s)?, None, 0);
            let chosen: Vec<Reviewed> = all
                .into_iter()
                .filter(|r| !alerts_only || r.alert)
                .take(limit)
                .collect();
            // The reviews' orders, read at once for the replies' variables.
            let wanted: Vec<String> = chosen
                .iter()
                .filter_map(|r| r.review.order_no.clone())
                .collect();
            let orders: HashMap<String, zhanggui_storage::OrderForScript> = store
                .orders_for_script(&s, &wanted)?
                .into_iter()
                .map(|o| (o.order_no.clone(), o))
                .collect();
            let mut out = Vec::new();
            for mut r in chosen {
                if monitor::needs_follow_up(&r.review.first_rating) {
                    r.suggested = suggester.suggest(&r.review.rating, &r.reading, SUGGESTED);
                }
                let order = r
                    .review
                    .order_no
                    .as_ref()
                    .and_then(|no| orders.get(no).cloned());
                let replies = r
                    .suggested
                    .iter()
                    .map(|x| {
                        let body = visible
                            .iter()
                            .find(|v| v.id == Some(x.id))
                            .map_or("", |v| v.body.as_str());
                        fill_for_order(body, &s, order.clone()).unwrap_or_else(|e| format!("({e})"))
                    })
                    .collect();
                out.push(ReviewView {
                    reviewed: r,
                    replies,
                });
            }
            Ok(out)
        })
        .await
}

/// The review metrics over the last `days` days of reviews (all when `None`).
pub async fn review_metrics(
    state: &AppState,
    shop: &Shop,
    days: Option<i64>,
) -> Result<Metrics, AppError> {
    let read = read_reviews(state, shop).await?;
    let s = shop.clone();
    state
        .db
        .read(move |store| {
            let all = assemble(read.iter().cloned(), &store.review_actions(&s)?, None, 0);
            let since = days.and_then(|d| {
                all.iter()
                    .map(|r| r.review.reviewed_at)
                    .max()
                    .map(|last| last - Duration::days(d))
            });
            let chosen: Vec<&Reviewed> = all
                .iter()
                .filter(|r| since.is_none_or(|x| r.review.reviewed_at > x))
                .collect();
            Ok(monitor::metrics(&chosen))
        })
        .await
}

/// Adds an entry to a review's follow-up record, by the user, now.
pub async fn follow_review(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    review_id: &str,
    action: &str,
    amount: Option<&str>,
    note: Option<String>,
) -> Result<(), AppError> {
    if !ACTIONS.contains(&action) && !OUTCOMES.contains(&action) {
        return Err(AppError::BadRequest(format!(
            "`{action}` is not an action ({}) or an outcome ({})",
            ACTIONS.join(", "),
            OUTCOMES.join(", ")
        )));
    }
    let amount_minor = match (action, amount.map(str::trim).filter(|a| !a.is_empty())) {
        ("compensation", Some(a)) => Some(
            zhanggui_import::values::parse_money(a, shop.currency.exponent())
                .map_err(|e| AppError::BadRequest(format!("amount: {e}")))?
                .ok_or_else(|| AppError::BadRequest("amount is empty".into()))?,
        ),
        ("compensation", None) => {
            return Err(AppError::BadRequest("compensation needs an amount".into()))
        }
        (_, Some(_)) => {
            return Err(AppError::BadRequest(
                "an amount goes with compensation only".into(),
            ))
        }
        _ => None,
    };
    let a = ReviewAction {
        review_id: review_id.to_owned(),
        kind: action.to_owned(),
        at: Utc::now().naive_utc(),
        by: Some(user.user.login.clone()),
        amount_minor,
        note: note.filter(|n| !n.trim().is_empty()),
    };
    let s = shop.clone();
    state
        .db
        .read(move |store| Ok(store.add_review_action(&s, &a)?))
        .await
}

/// The shop's follow-up tasks, looked at from its last order.
pub async fn tasks(state: &AppState, shop: &Shop, all: bool) -> Result<Vec<OpenTask>, AppError> {
    let s = shop.clone();
    state
        .db
        .read(move |store| {
            let Some(now) = now_utc(&s, None, store.data_span(&s)?.last_order) else {
                return Err(AppError::NoData);
            };
            Ok(open_tasks(store, &s, now, &Limits::default(), all)?)
        })
        .await
}

/// Gives a task to a user (who must exist) and/or marks it done.
pub async fn set_task(
    state: &AppState,
    user: &CurrentUser,
    shop: &Shop,
    kind: &str,
    order_no: &str,
    owner: Option<String>,
    done: bool,
) -> Result<(), AppError> {
    let kind = Kind::parse(kind).ok_or_else(|| {
        AppError::BadRequest(format!(
            "`{kind}` is not a task kind: unshipped, unshipped_late, tracking_stalled, unpaid or request"
        ))
    })?;
    let (s, o, by) = (shop.clone(), order_no.to_owned(), user.user.login.clone());
    state
        .db
        .read(move |store| {
            use zhanggui_storage::AccountStore;
            if let Some(login) = &owner {
                if store.user_by_login(login)?.is_none() {
                    return Err(AppError::BadRequest(format!("no user {login}")));
                }
            }
            Ok(store.set_task_state(&s, kind.as_str(), &o, owner.as_deref(), done, Some(&by))?)
        })
        .await
}
