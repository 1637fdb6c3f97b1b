//! The customer-service desk page (客服台): search the reply scripts, ask the knowledge
//! base, the bad and medium reviews waiting for a follow-up (with the reply scripts that
//! fit and a form to record the contact, compensation or outcome), the review metrics, and
//! the order follow-ups with their messages. Everything works without JavaScript (plain
//! GET and POST forms); the script box also searches while typing.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::Form;
use serde::Deserialize;
use serde_json::json;
use zhanggui_domain::Money;

use super::{url_encode, Layout, PageResult};
use crate::auth::{PageUser, Right};
use crate::error::AppError;
use crate::state::AppState;
use crate::views::desk;
use crate::views::scope::{resolve, ScopeQuery};

/// Scripts, alerts and tasks shown on the page.
const SHOWN_SCRIPTS: usize = 12;
const SHOWN_ALERTS: usize = 20;
const SHOWN_TASKS: usize = 50;
const SHOWN_DELIVERIES: usize = 10;

#[derive(Deserialize, Default)]
pub struct DeskQuery {
    /// The script search box.
    q: Option<String>,
    /// The knowledge-base question box.
    ask: Option<String>,
}

fn percent(v: Option<f64>) -> String {
    v.map_or("–".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

pub async fn page(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Query(d): Query<DeskQuery>,
) -> PageResult {
    desk_page(state, user, q, d, None).await
}

/// The desk, with a notice on top (what an upload did).
async fn desk_page(
    state: AppState,
    user: crate::auth::CurrentUser,
    q: ScopeQuery,
    d: DeskQuery,
    notice: Option<String>,
) -> PageResult {
    let scope = resolve(&state, &user, &q, Right::UseDesk).await?;
    let mut layout = Layout::new(&user, "desk", "/desk", Some(&scope));
    layout.days = false;
    layout.notice = notice;
    let shop = &scope.shop;
    let query = d.q.unwrap_or_default();
    let ask = d.ask.unwrap_or_default();
    let scripts = desk::scripts(&state, &user, shop, &query, SHOWN_SCRIPTS).await?;
    let answers = if ask.trim().is_empty() {
        Vec::new()
    } else {
        desk::answers(&state, shop, &ask).await?
    };
    let alerts = desk::reviews(&state, &user, shop, true, SHOWN_ALERTS).await?;
    let m = desk::review_metrics(&state, shop, Some(30)).await?;
    let tasks = match desk::tasks(&state, shop, false).await {
        Ok(t) => t,
        Err(AppError::NoData) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let task_total = tasks.len();
    let dim = |p: Option<zhanggui_desk::reviews::Polarity>| match p {
        Some(zhanggui_desk::reviews::Polarity::Positive) => "+",
        Some(zhanggui_desk::reviews::Polarity::Negative) => "−",
        None => "·",
    };
    let alert_rows: Vec<_> = alerts
        .iter()
        .map(|a| {
            let r = &a.reviewed;
            json!({
                "id": r.review.review_id,
                "rating": if r.review.rating == "bad" { "差评" } else { "中评" },
                "at": zhanggui_desk::followups::shop_local(shop, r.review.reviewed_at).format("%Y-%m-%d %H:%M").to_string(),
                "order": r.review.order_no,
                "product": r.review.product,
                "text": r.review.body,
                "dsr": format!("{} {} {}", dim(r.reading.goods), dim(r.reading.service), dim(r.reading.logistics)),
                "topics": r.reading.topics.join(" "),
                "contacted": r.follow_up.contacts > 0,
                "replies": r.suggested.iter().zip(&a.replies).map(|(s, text)| json!({"title": s.title, "text": text})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let lang = user.lang();
    let task_rows: Vec<_> = tasks
        .iter()
        .take(SHOWN_TASKS)
        .map(|t| {
            json!({
                "kind": t.kind.as_str(),
                "kind_name": lang.t(&format!("task_{}", t.kind.as_str())),
                "order": t.order_no,
                "due": t.due.format("%m-%d %H:%M").to_string(),
                "detail": if lang == crate::i18n::Lang::Zh { &t.detail_zh } else { &t.detail },
                "owner": t.owner,
                "message": t.message,
            })
        })
        .collect();
    let shop_q = url_encode(shop.name.as_str());
    let manager = matches!(
        user.role_in(shop.id),
        Some(crate::auth::Role::Owner | crate::auth::Role::Director | crate::auth::Role::Manager)
    );
    let departments = if manager {
        let s = shop.clone();
        state
            .db
            .read(move |store| Ok(zhanggui_storage::ScriptStore::departments(store, &s)?))
            .await?
    } else {
        Vec::new()
    };
    // Notification rules and the last deliveries, for those who may change them.
    let can_notify = user.can(Right::EditSettings, shop.id);
    let (rules, deliveries) = if can_notify {
        let rules: Vec<_> = crate::views::notify::rules(&state, shop)
            .await?
            .into_iter()
            .map(|r| {
                json!({
                    "name": r.name,
                    "channel": r.channel,
                    "to": zhanggui_notify::shown_target(&r.channel, &r.target),
                    "signed": r.secret.is_some(),
                    "events": r.events.join(", "),
                })
            })
            .collect();
        let log = crate::views::notify::log(&state, shop).await?;
        let last: Vec<_> = log
            .iter()
            .rev()
            .take(SHOWN_DELIVERIES)
            .map(|d| {
                json!({
                    "at": zhanggui_desk::followups::shop_local(shop, d.at).format("%m-%d %H:%M:%S").to_string(),
                    "rule": d.rule, "alert": d.alert_key, "attempt": d.attempt, "ok": d.ok, "detail": d.detail,
                })
            })
            .collect();
        (rules, last)
    } else {
        (Vec::new(), Vec::new())
    };
    let kinds: Vec<_> = zhanggui_desk::alerts::KINDS
        .iter()
        .map(|(k, what)| json!({"kind": k, "what": what, "default": zhanggui_desk::alerts::DEFAULT_KINDS.contains(k)}))
        .collect();
    layout
        .render(
            &state,
            "desk.html",
            json!({
                "shop_q": shop_q,
                "manager": manager,
                "can_notify": can_notify,
                "rules": rules,
                "deliveries": deliveries,
                "alert_kinds": kinds,
                "departments": departments,
                "query": query,
                "scripts": scripts,
                "ask": ask,
                "answers": answers,
                "alerts": alert_rows,
                "tasks": task_rows,
                "task_total": task_total,
                "metrics": {
                    "reviews": m.reviews,
                    "bad_rate": percent(m.bad_rate),
                    "open_alerts": m.open_alerts,
                    "hours": m.median_hours_to_contact.map_or("–".to_owned(), |h| format!("{h:.1} h")),
                    "changed": percent(m.bad_changed_share),
                    "compensation": Money::new(m.compensation_minor, shop.currency).to_string(),
                },
            }),
        )
        .await
}

#[derive(Deserialize)]
pub struct FollowForm {
    csrf: Option<String>,
    id: String,
    action: String,
    amount: Option<String>,
    note: Option<String>,
}

/// Records a review follow-up from the page's form, then shows the desk again.
pub async fn follow(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<FollowForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::UseDesk).await?;
    desk::follow_review(
        &state,
        &user,
        &scope.shop,
        &f.id,
        &f.action,
        f.amount.as_deref(),
        f.note,
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/desk?shop={}",
        url_encode(scope.shop.name.as_str())
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct TaskForm {
    csrf: Option<String>,
    kind: String,
    order: String,
    /// "mine" takes the task; "done" marks it done.
    #[serde(rename = "do")]
    what: String,
}

/// Takes a task or marks it done from the page, then shows the desk again.
pub async fn task(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<TaskForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::UseDesk).await?;
    let (owner, done) = match f.what.as_str() {
        "mine" => (Some(user.user.login.clone()), false),
        "done" => (None, true),
        other => return Err(AppError::BadRequest(format!("`{other}`: mine or done")).into()),
    };
    desk::set_task(&state, &user, &scope.shop, &f.kind, &f.order, owner, done).await?;
    Ok(Redirect::to(&format!(
        "/desk?shop={}",
        url_encode(scope.shop.name.as_str())
    ))
    .into_response())
}

/// A stored script image (any signed-in user; names are content hashes).
pub async fn image(
    State(state): State<AppState>,
    PageUser(_user): PageUser,
    axum::extract::Path(name): axum::extract::Path<String>,
) -> Result<axum::response::Response, super::PageError> {
    use zhanggui_desk::images::{content_type, is_stored_name};
    if !is_stored_name(&name) {
        return Err(AppError::NotFound(format!("no image {name}")).into());
    }
    let path = state.image_dir.join(&name);
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| AppError::NotFound(format!("no image {name}")))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type(&name)),
            (
                axum::http::header::CACHE_CONTROL,
                "private, max-age=31536000, immutable",
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct ScriptForm {
    csrf: Option<String>,
    scope: String,
    department: Option<String>,
    category: String,
    subcategory: Option<String>,
    title: String,
    text: String,
    shortcut: Option<String>,
    /// Tags separated by spaces or commas.
    tags: Option<String>,
}

/// Adds a script from the page's form (the library's rules decide), then shows the desk.
pub async fn add_script(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<ScriptForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::UseDesk).await?;
    let input = crate::views::desk_library::ScriptInput {
        scope: f.scope,
        department: f.department,
        category: f.category,
        subcategory: f.subcategory,
        title: f.title,
        text: f.text,
        shortcut: f.shortcut,
        tags: f
            .tags
            .unwrap_or_default()
            .split([' ', ',', '，'])
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        images: Vec::new(),
    };
    let saved = crate::views::desk_library::save(&state, &user, &scope.shop, None, input).await?;
    Ok(Redirect::to(&format!(
        "/desk?shop={}&q={}",
        url_encode(scope.shop.name.as_str()),
        saved.id
    ))
    .into_response())
}

/// The largest review or tracking file taken from the page.
const MAX_DESK_FILE: usize = 200 << 20;

/// Imports a review or tracking export uploaded from the page (multipart: `csrf`, `kind`
/// = reviews or tracking, `file`), then shows the desk with what it did.
pub async fn upload(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    form: axum::extract::Multipart,
) -> PageResult {
    let scope = resolve(&state, &user, &q, Right::UseDesk).await?;
    let sent = crate::one_file::read_one_file(&user, form, MAX_DESK_FILE).await?;
    let (kind, bytes) = (sent.fields.get("kind").cloned(), sent.bytes);
    let reviews = match kind.as_deref() {
        Some("reviews") => true,
        Some("tracking") => false,
        _ => return Err(AppError::BadRequest("kind: reviews or tracking".into()).into()),
    };
    let r = crate::views::desk_library::import_side(&state, &scope.shop, bytes, reviews).await?;
    let lang = user.lang();
    let rejected: Vec<(u64, &str)> = r
        .rejected
        .iter()
        .map(|x| (x.row, x.reason.as_str()))
        .collect();
    let notice = super::import_notice(
        lang,
        lang.t(if reviews {
            "desk_import_reviews"
        } else {
            "desk_import_tracking"
        }),
        (r.read, r.new as u64, r.updated as u64),
        &rejected,
    );
    desk_page(state, user, q, DeskQuery::default(), Some(notice)).await
}

#[derive(Deserialize)]
pub struct RuleForm {
    csrf: Option<String>,
    name: String,
    channel: String,
    to: String,
    secret: Option<String>,
    from: Option<String>,
    /// Alert kinds, one field each (checkboxes).
    #[serde(default)]
    event: Vec<String>,
}

/// Adds or replaces a notification rule from the page.
pub async fn save_rule(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    // Read as pairs: the `event` checkboxes repeat one name.
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let f = RuleForm {
        csrf: get("csrf"),
        name: get("name").unwrap_or_default(),
        channel: get("channel").unwrap_or_default(),
        to: get("to").unwrap_or_default(),
        secret: get("secret").filter(|s| !s.trim().is_empty()),
        from: get("from").filter(|s| !s.trim().is_empty()),
        event: pairs
            .iter()
            .filter(|(n, _)| n == "event")
            .map(|(_, v)| v.clone())
            .collect(),
    };
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::EditSettings).await?;
    let rule = crate::views::notify::rule_of(crate::views::notify::RuleInput {
        name: f.name,
        channel: f.channel,
        to: f.to,
        secret: f.secret,
        from: f.from,
        events: f.event,
    })?;
    crate::views::notify::save_rule(&state, &scope.shop, rule).await?;
    Ok(Redirect::to(&format!(
        "/desk?shop={}",
        url_encode(scope.shop.name.as_str())
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct RuleNameForm {
    csrf: Option<String>,
    name: String,
}

/// Removes a notification rule from the page.
pub async fn delete_rule(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<RuleNameForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::EditSettings).await?;
    crate::views::notify::delete_rule(&state, &scope.shop, &f.name).await?;
    Ok(Redirect::to(&format!(
        "/desk?shop={}",
        url_encode(scope.shop.name.as_str())
    ))
    .into_response())
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: Option<String>,
}

/// Sends the pending alerts now, then shows the desk with what happened.
pub async fn run_notify(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    user.check_csrf(f.csrf.as_deref())?;
    let scope = resolve(&state, &user, &q, Right::EditSettings).await?;
    let o = crate::views::notify::run(&state, &scope.shop).await?;
    let lang = user.lang();
    let notice = format!(
        "{}: {} {}, {} {}",
        lang.t("desk_notify"),
        o.sent,
        lang.t("desk_sent"),
        o.failed,
        lang.t("failed")
    );
    desk_page(state, user, q, DeskQuery::default(), Some(notice)).await
}
