//! `zhanggui script ...`: the reply-script library (话术库) of customer service. Every
//! change is a new version; `--as LOGIN` acts as a user of the cockpit, whose role and
//! departments decide which scripts they see and change.

use std::collections::HashMap;
use std::process::ExitCode;

use zhanggui_desk::editing::{self, import_rows, restore, EditError};
use zhanggui_desk::library::{can_read, Actor, Scope};
use zhanggui_desk::transfer::{read_rows, to_csv, to_xlsx};
use zhanggui_desk::variables::values_for;
use zhanggui_desk::{Doc, Index, Template, Variable};
use zhanggui_domain::Shop;
use zhanggui_storage::{AccountStore, DuckStore, ScriptRecord, ScriptStore};

use crate::cli::{Cli, DeptAction, KbAction, ScriptArgs, ScriptCommand, ScriptFields};
use crate::{db, output, selection, UsageError};

/// The administrator's name in versions and uses when no `--as` is given.
const ADMIN: &str = "admin";

pub fn run(cli: &Cli, args: &ScriptArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    let shop = selection::one_shop(&store, args.shop.as_deref())?;
    let actor = actor(&store, &shop, args.actor.as_deref())?;
    let images_dir = zhanggui_desk::images::images_dir(&db::db_path(cli)?);
    match &args.command {
        ScriptCommand::Add {
            scope,
            department,
            fields,
        } => {
            let scope = Scope::parse(scope).ok_or_else(|| {
                UsageError(format!(
                    "--scope: `{scope}` is not public, department or personal"
                ))
            })?;
            if scope == Scope::Personal && args.actor.is_none() {
                return Err(
                    UsageError("a personal script is someone's: add --as LOGIN".into()).into(),
                );
            }
            let blank = ScriptRecord {
                id: None,
                scope: scope.as_str().to_owned(),
                department: department.clone(),
                owner: (scope == Scope::Personal).then(|| actor.login.clone()),
                category: String::new(),
                subcategory: None,
                title: String::new(),
                body: String::new(),
                shortcut: None,
                tags: Vec::new(),
                images: Vec::new(),
                version: 0,
                deleted: false,
                updated_at: None,
                updated_by: None,
            };
            let script = with_fields(blank, fields, &images_dir)?;
            save(cli, &store, &shop, &actor, None, &script)
        }
        ScriptCommand::Edit { id, fields } => {
            let old = find(&store, &shop, *id)?;
            let new = with_fields(old.clone(), fields, &images_dir)?;
            save(cli, &store, &shop, &actor, Some(&old), &new)
        }
        ScriptCommand::Delete { id } => {
            let old = find(&store, &shop, *id)?;
            let new = ScriptRecord {
                deleted: true,
                ..old.clone()
            };
            save(cli, &store, &shop, &actor, Some(&old), &new)
        }
        ScriptCommand::Restore { id, version } => {
            let (id, v) = restore(&store, &shop, &actor, *id, *version).map_err(edit_error)?;
            report_saved(cli, id, v, false)
        }
        ScriptCommand::List => {
            let visible: Vec<ScriptRecord> = store
                .scripts(&shop, false)?
                .into_iter()
                .filter(|s| can_read(&actor, s))
                .collect();
            print_scripts(cli, &visible, &uses_of(&store, &shop, &actor.login)?)
        }
        ScriptCommand::History { id } => {
            let versions = store.script_versions(&shop, *id)?;
            let Some(last) = versions.last() else {
                return Err(UsageError(format!("no script {id} in {}", shop.name)).into());
            };
            if !can_read(&actor, last) {
                return Err(UsageError(format!("{} may not see script {id}", actor.login)).into());
            }
            if cli.json {
                output::json(&versions)?;
                return Ok(ExitCode::SUCCESS);
            }
            let rows: Vec<Vec<String>> = versions
                .iter()
                .map(|v| {
                    vec![
                        v.version.to_string(),
                        v.updated_at.map(|t| t.to_string()).unwrap_or_default(),
                        v.updated_by.clone().unwrap_or_default(),
                        if v.deleted {
                            "deleted".into()
                        } else {
                            String::new()
                        },
                        v.title.clone(),
                        v.body.clone(),
                    ]
                })
                .collect();
            println!(
                "{}",
                output::table(&["version", "saved at", "by", "", "title", "text"], &rows)
            );
            Ok(ExitCode::SUCCESS)
        }
        ScriptCommand::Search { query, top } => {
            let visible: Vec<ScriptRecord> = store
                .scripts(&shop, false)?
                .into_iter()
                .filter(|s| can_read(&actor, s))
                .collect();
            let docs: Vec<Doc> = visible.iter().map(Doc::of).collect();
            let uses = uses_of(&store, &shop, &actor.login)?;
            let index = Index::build(&docs);
            let hits = index.search(query, *top, &|id| {
                uses.get(&(id as i64)).copied().unwrap_or(0) as u64
            });
            let found: Vec<ScriptRecord> = hits
                .iter()
                .filter_map(|h| visible.iter().find(|s| s.id == Some(h.id as i64)).cloned())
                .collect();
            print_scripts(cli, &found, &uses)
        }
        ScriptCommand::Fill { id, order, set } => {
            let script = find(&store, &shop, *id)?;
            if !can_read(&actor, &script) {
                return Err(UsageError(format!("{} may not see script {id}", actor.login)).into());
            }
            let template = Template::parse(&script.body)
                .map_err(|e| UsageError(format!("script {id}: {e}")))?;
            let found = match order {
                Some(no) => Some(
                    store
                        .order_for_script(&shop, no)?
                        .ok_or_else(|| UsageError(format!("no order {no} in {}", shop.name)))?,
                ),
                None => None,
            };
            let mut values = values_for(shop.name.as_str(), found);
            for pair in set {
                let (k, v) = pair
                    .split_once('=')
                    .ok_or_else(|| UsageError(format!("--set: `{pair}` is not NAME=VALUE")))?;
                let var = Variable::parse(k)
                    .ok_or_else(|| UsageError(format!("--set: `{k}` is not a variable")))?;
                values.insert(var, v.to_owned());
            }
            let text = template
                .fill(&values)
                .map_err(|e| UsageError(format!("script {id}: {e}")))?;
            store.record_script_use(&shop, *id, &actor.login)?;
            if cli.json {
                output::json(&serde_json::json!({"id": id, "text": text}))?;
            } else {
                println!("{text}");
            }
            Ok(ExitCode::SUCCESS)
        }
        ScriptCommand::Export { xlsx } => {
            let all = store.scripts(&shop, false)?;
            match xlsx {
                Some(path) => {
                    std::fs::write(path, to_xlsx(&all)?)?;
                    eprintln!("wrote {} scripts to {}", all.len(), path.display());
                }
                None => print!("{}", to_csv(&all)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        ScriptCommand::Import {
            file,
            replace,
            dry_run,
        } => import(cli, &store, &shop, &actor, file, *replace, *dry_run),
        ScriptCommand::Dept { action } => dept(cli, &store, &shop, action),
        ScriptCommand::Kb { action } => knowledge(cli, &store, &shop, action),
    }
}

fn knowledge(
    cli: &Cli,
    store: &DuckStore,
    shop: &Shop,
    action: &KbAction,
) -> anyhow::Result<ExitCode> {
    use zhanggui_desk::answers::{knowledge_rows, Answerer, Entry};
    match action {
        KbAction::List => {
            let all = store.knowledge(shop)?;
            if cli.json {
                output::json(&all)?;
            } else {
                let rows: Vec<Vec<String>> = all
                    .iter()
                    .map(|k| vec![k.id.to_string(), k.question.clone(), k.answer.clone()])
                    .collect();
                println!("{}", output::table(&["id", "question", "answer"], &rows));
            }
        }
        KbAction::Import { file } => {
            let entries = knowledge_rows(read_rows(file).map_err(|e| UsageError(e.to_string()))?)
                .map_err(|e| UsageError(e.to_string()))?;
            for e in &entries {
                store.save_knowledge(shop, e)?;
            }
            println!(
                "{} entries in the knowledge base of {}",
                entries.len(),
                shop.name
            );
        }
        KbAction::Suggest { question, top } => {
            let all = store.knowledge(shop)?;
            if all.is_empty() {
                return Err(UsageError(format!(
                    "{} has no knowledge base yet: zhanggui script kb import FILE",
                    shop.name
                ))
                .into());
            }
            let entries: Vec<Entry> = all.iter().map(Entry::from).collect();
            let suggestions = Answerer::build(&entries).suggest(question, *top);
            let rows: Vec<serde_json::Value> = suggestions
                .iter()
                .filter_map(|s| {
                    let k = all.iter().find(|k| k.id as u64 == s.entry)?;
                    Some(serde_json::json!({
                        "entry": k.id, "score": s.score, "question": k.question, "answer": k.answer,
                    }))
                })
                .collect();
            if cli.json {
                output::json(&rows)?;
            } else {
                for r in &rows {
                    println!(
                        "{:.2}  [{}] {}\n      {}",
                        r["score"].as_f64().unwrap_or(0.0),
                        r["entry"],
                        r["question"].as_str().unwrap_or(""),
                        r["answer"].as_str().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The acting user: an administrator without `--as`; else the user's role in the shop.
pub(crate) fn actor(store: &DuckStore, shop: &Shop, login: Option<&str>) -> anyhow::Result<Actor> {
    let Some(login) = login else {
        return Ok(Actor {
            login: ADMIN.to_owned(),
            manager: true,
            departments: Vec::new(),
            administrator: true,
        });
    };
    let user = store
        .user_by_login(login)?
        .ok_or_else(|| UsageError(format!("--as: no user {login}")))?;
    let role = store
        .grants_of(user.id)?
        .into_iter()
        .find(|g| g.shop_id == shop.id)
        .map(|g| g.role);
    let manager = user.is_owner || matches!(role.as_deref(), Some("director" | "manager"));
    if !user.is_owner && role.is_none() {
        return Err(UsageError(format!("{login} has no role in {}", shop.name)).into());
    }
    Ok(Actor {
        login: login.to_owned(),
        manager,
        departments: store.departments_of(shop, login)?,
        administrator: false,
    })
}

fn find(store: &DuckStore, shop: &Shop, id: i64) -> anyhow::Result<ScriptRecord> {
    editing::find(store, shop, id).map_err(edit_error)
}

/// The script with the fields given on the command line; image files are stored in the
/// images folder beside the database (`images`).
fn with_fields(
    mut s: ScriptRecord,
    f: &ScriptFields,
    images: &std::path::Path,
) -> anyhow::Result<ScriptRecord> {
    if let Some(v) = &f.category {
        s.category = v.clone();
    }
    if let Some(v) = &f.subcategory {
        s.subcategory = Some(v.clone()).filter(|v| !v.is_empty());
    }
    if let Some(v) = &f.title {
        s.title = v.clone();
    }
    if let Some(v) = &f.text {
        s.body = v.clone();
    }
    if let Some(v) = &f.shortcut {
        s.shortcut = Some(v.clone()).filter(|v| !v.is_empty());
    }
    if !f.tags.is_empty() {
        s.tags = f.tags.clone();
    }
    if !f.images.is_empty() {
        s.images = f
            .images
            .iter()
            .map(|i| zhanggui_desk::images::resolve(images, i))
            .collect::<Result<_, _>>()
            .map_err(|e| UsageError(format!("--image: {e}")))?;
    }
    Ok(s)
}

fn save(
    cli: &Cli,
    store: &DuckStore,
    shop: &Shop,
    actor: &Actor,
    old: Option<&ScriptRecord>,
    new: &ScriptRecord,
) -> anyhow::Result<ExitCode> {
    let (id, version) = editing::save(store, shop, actor, old, new).map_err(edit_error)?;
    report_saved(cli, id, version, new.deleted)
}

fn report_saved(cli: &Cli, id: i64, version: i32, deleted: bool) -> anyhow::Result<ExitCode> {
    if cli.json {
        output::json(&serde_json::json!({"id": id, "version": version, "deleted": deleted}))?;
    } else if deleted {
        println!("deleted script {id} (version {version} keeps it; `script restore {id} {}` brings it back)", version - 1);
    } else {
        println!("saved script {id}, version {version}");
    }
    Ok(ExitCode::SUCCESS)
}

/// How often this user used each script.
fn uses_of(store: &DuckStore, shop: &Shop, login: &str) -> anyhow::Result<HashMap<i64, i64>> {
    Ok(store
        .script_uses(shop)?
        .into_iter()
        .filter(|u| u.login == login)
        .map(|u| (u.script_id, u.uses))
        .collect())
}

fn print_scripts(
    cli: &Cli,
    scripts: &[ScriptRecord],
    uses: &HashMap<i64, i64>,
) -> anyhow::Result<ExitCode> {
    if cli.json {
        output::json(&scripts)?;
        return Ok(ExitCode::SUCCESS);
    }
    let rows: Vec<Vec<String>> = scripts
        .iter()
        .map(|s| {
            let id = s.id.unwrap_or_default();
            vec![
                id.to_string(),
                s.scope.clone(),
                format!(
                    "{}{}",
                    s.category,
                    s.subcategory
                        .as_deref()
                        .map(|c| format!(" / {c}"))
                        .unwrap_or_default()
                ),
                s.title.clone(),
                s.shortcut.clone().unwrap_or_default(),
                uses.get(&id).copied().unwrap_or(0).to_string(),
                s.body.chars().take(40).collect(),
            ]
        })
        .collect();
    println!(
        "{}",
        output::table(
            &["id", "scope", "category", "title", "shortcut", "my uses", "text"],
            &rows
        )
    );
    Ok(ExitCode::SUCCESS)
}

fn import(
    cli: &Cli,
    store: &DuckStore,
    shop: &Shop,
    actor: &Actor,
    file: &std::path::Path,
    replace: bool,
    dry_run: bool,
) -> anyhow::Result<ExitCode> {
    let rows = read_rows(file).map_err(|e| UsageError(e.to_string()))?;
    let r = import_rows(store, shop, actor, rows, replace, dry_run).map_err(edit_error)?;
    if cli.json {
        let mut report = serde_json::to_value(&r)?;
        report["file"] = serde_json::json!(file.display().to_string());
        output::json(&report)?;
    } else {
        println!(
            "{}: {} new, {} replaced, {} unchanged, {} duplicates, {} conflicts, {} rejected{}",
            file.display(),
            r.inserted,
            r.replaced,
            r.unchanged,
            r.duplicates.len(),
            r.conflicts.len(),
            r.rejected.len(),
            if dry_run {
                " (dry run: nothing saved)"
            } else {
                ""
            }
        );
        for d in &r.duplicates {
            println!(
                "  row {}: duplicate of row {}, skipped",
                d.row, d.repeats_row
            );
        }
        for c in &r.conflicts {
            let done = if c.applied {
                "replaced"
            } else {
                "kept (--replace to apply)"
            };
            println!(
                "  row {}: would change script {} ({}); {done}",
                c.row, c.script, c.differs_in
            );
        }
        for x in &r.rejected {
            println!("  row {}: rejected: {}", x.row, x.reason);
        }
    }
    Ok(if r.rejected.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A refused change is the user's mistake (exit 2); a store failure is not.
fn edit_error(e: EditError) -> anyhow::Error {
    match e {
        EditError::Refused(m) | EditError::Forbidden(m) | EditError::NotFound(m) => {
            UsageError(m).into()
        }
        EditError::Store(e) => e.into(),
    }
}

fn dept(
    cli: &Cli,
    store: &DuckStore,
    shop: &Shop,
    action: &DeptAction,
) -> anyhow::Result<ExitCode> {
    match action {
        DeptAction::Add { name } => {
            let name = name.trim();
            if name.is_empty() {
                return Err(UsageError("a department has a name".into()).into());
            }
            store.add_department(shop, name)?;
            println!("department {name} in {}", shop.name);
        }
        DeptAction::Join { name, login } | DeptAction::Leave { name, login } => {
            if !store.departments(shop)?.contains(name) {
                return Err(UsageError(format!("no department {name} in {}", shop.name)).into());
            }
            if store.user_by_login(login)?.is_none() {
                return Err(UsageError(format!("no user {login}")).into());
            }
            let join = matches!(action, DeptAction::Join { .. });
            store.set_department_member(shop, name, login, join)?;
            println!("{login} {} {name}", if join { "joined" } else { "left" });
        }
        DeptAction::List => {
            let users = store.users()?;
            let mut rows = Vec::new();
            for d in store.departments(shop)? {
                let members: Vec<String> = users
                    .iter()
                    .filter(|u| {
                        store
                            .departments_of(shop, &u.login)
                            .is_ok_and(|ds| ds.contains(&d))
                    })
                    .map(|u| u.login.clone())
                    .collect();
                rows.push(vec![d, members.join(", ")]);
            }
            if cli.json {
                output::json(&rows)?;
            } else {
                println!("{}", output::table(&["department", "members"], &rows));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
