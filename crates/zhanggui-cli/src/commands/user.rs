//! `zhanggui user`: the accounts of the web cockpit from the command line (the first
//! owner is created here).

use std::io::BufRead;
use std::process::ExitCode;

use zhanggui_storage::accounts::NewUser;
use zhanggui_storage::{AccountStore, Store};
use zhanggui_web::admin::valid_login;
use zhanggui_web::auth::{password, Role};

use crate::cli::{Cli, UserArgs, UserCommand};
use crate::{db, output, selection, UsageError};

/// The password from ZHANGGUI_PASSWORD, else the first line of standard input.
fn read_password() -> anyhow::Result<String> {
    if let Ok(p) = std::env::var("ZHANGGUI_PASSWORD") {
        return Ok(p);
    }
    eprintln!(
        "password (at least {} characters), then Enter:",
        password::MIN_LENGTH
    );
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn hash_password() -> anyhow::Result<String> {
    password::hash(&read_password()?).map_err(|e| UsageError(e.to_string()).into())
}

fn role(name: &str) -> anyhow::Result<Option<Role>> {
    if name == "none" {
        return Ok(None);
    }
    match Role::parse(name) {
        Some(Role::Owner) => Err(UsageError(
            "owner is not granted per shop: use `zhanggui user add --owner`".into(),
        )
        .into()),
        Some(r) => Ok(Some(r)),
        None => Err(UsageError(format!(
            "`{name}` is not a role: director, manager, assistant, agent or none"
        ))
        .into()),
    }
}

pub fn run(cli: &Cli, args: &UserArgs) -> anyhow::Result<ExitCode> {
    let store = db::open(cli)?;
    match &args.command {
        UserCommand::Add {
            login,
            owner,
            name,
            role: role_name,
            shop,
        } => {
            let login = valid_login(login).map_err(|e| UsageError(e.to_string()))?;
            let grant = match (role_name, shop) {
                (Some(r), Some(s)) => {
                    Some((role(r)?, selection::shops(&store, Some(s))?.remove(0)))
                }
                _ => None,
            };
            let hash = hash_password()?;
            let user = store.add_user(&NewUser {
                login,
                display_name: name.as_deref().unwrap_or(login),
                password_hash: &hash,
                is_owner: *owner,
                language: "zh",
            })?;
            if let Some((r, shop)) = grant {
                store.set_grant(shop.id, user.id, r.map(Role::as_str))?;
            }
            println!(
                "added {}{}",
                user.login,
                if user.is_owner { " (owner)" } else { "" }
            );
        }
        UserCommand::List => {
            let shops = store.shops()?;
            let grants = store.grants()?;
            let users = store.users()?;
            if cli.json {
                output::json(&serde_json::json!({ "users": users, "grants": grants }))?;
            } else {
                let rows: Vec<Vec<String>> = users
                    .iter()
                    .map(|u| {
                        let roles = if u.is_owner {
                            "owner (every shop)".to_owned()
                        } else {
                            grants
                                .iter()
                                .filter(|g| g.user_id == u.id)
                                .map(|g| {
                                    let shop = shops
                                        .iter()
                                        .find(|s| s.id == g.shop_id)
                                        .map(|s| s.name.to_string())
                                        .unwrap_or_default();
                                    format!("{shop}: {}", g.role)
                                })
                                .collect::<Vec<_>>()
                                .join(", ")
                        };
                        vec![u.login.clone(), u.display_name.clone(), roles]
                    })
                    .collect();
                println!("{}", output::table(&["login", "name", "roles"], &rows));
            }
        }
        UserCommand::Passwd { login } => {
            let user = store
                .user_by_login(login)?
                .ok_or_else(|| UsageError(format!("no user {login}; `zhanggui user list`")))?;
            store.set_password(user.id, &hash_password()?)?;
            store.end_sessions_of(user.id)?;
            println!("password of {login} changed; their sessions are ended");
        }
        UserCommand::Grant {
            login,
            shop,
            role: role_name,
        } => {
            let user = store
                .user_by_login(login)?
                .ok_or_else(|| UsageError(format!("no user {login}; `zhanggui user list`")))?;
            let shop = selection::shops(&store, Some(shop))?.remove(0);
            let r = role(role_name)?;
            store.set_grant(shop.id, user.id, r.map(Role::as_str))?;
            println!(
                "{login} in {}: {}",
                shop.name,
                r.map(Role::as_str).unwrap_or("no role")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
