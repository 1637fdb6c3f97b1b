//! The reply-script library's rules: three scopes (public 公共, department 部门, personal
//! 个人), two levels of categories, who may read and who may change a script, and what a
//! script must hold to be saved.
//!
//! Agents read the public scripts, their departments' and their own, and manage only their
//! own; managers (店长, 运营总监, the owner) read and manage every script of the shop,
//! except other people's personal ones, which stay private. The installation's
//! administrator (the command line acting as no user) may do everything, to back up and
//! restore the library.

use std::fmt;

use zhanggui_storage::ScriptRecord;

use crate::variables::Template;

/// Where a script belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Public,
    Department,
    Personal,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Public => "public",
            Scope::Department => "department",
            Scope::Personal => "personal",
        }
    }

    /// Reads `public`/`公共`, `department`/`部门`, `personal`/`个人`.
    pub fn parse(s: &str) -> Option<Scope> {
        match s.trim() {
            "public" | "公共" => Some(Scope::Public),
            "department" | "部门" => Some(Scope::Department),
            "personal" | "个人" => Some(Scope::Personal),
            _ => None,
        }
    }
}

/// Who is acting, as the library sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub login: String,
    /// Managers manage the public and department scripts.
    pub manager: bool,
    /// The departments the actor belongs to.
    pub departments: Vec<String>,
    /// The installation's administrator (the command line without a user): reads and
    /// changes everything, to back up and restore the whole library.
    pub administrator: bool,
}

/// Why a script cannot be saved or touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LibraryError {
    Invalid(String),
    Forbidden(String),
}

impl fmt::Display for LibraryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LibraryError::Invalid(m) | LibraryError::Forbidden(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for LibraryError {}

fn scope_of(s: &ScriptRecord) -> Option<Scope> {
    Scope::parse(&s.scope)
}

/// Whether the actor sees the script.
pub fn can_read(actor: &Actor, s: &ScriptRecord) -> bool {
    if actor.administrator {
        return scope_of(s).is_some();
    }
    match scope_of(s) {
        Some(Scope::Public) => true,
        Some(Scope::Department) => {
            actor.manager
                || s.department
                    .as_ref()
                    .is_some_and(|d| actor.departments.contains(d))
        }
        Some(Scope::Personal) => s.owner.as_deref() == Some(actor.login.as_str()),
        None => false,
    }
}

/// Whether the actor may change (or delete, or restore) the script.
pub fn can_edit(actor: &Actor, s: &ScriptRecord) -> bool {
    if actor.administrator {
        return scope_of(s).is_some();
    }
    match scope_of(s) {
        Some(Scope::Public | Scope::Department) => actor.manager,
        Some(Scope::Personal) => s.owner.as_deref() == Some(actor.login.as_str()),
        None => false,
    }
}

/// Checks a script before it is saved: its scope and what goes with it, a title, a first
/// category, and variables that exist. `departments` are the shop's.
pub fn check(s: &ScriptRecord, departments: &[String]) -> Result<(), LibraryError> {
    let invalid = |m: String| Err(LibraryError::Invalid(m));
    let Some(scope) = scope_of(s) else {
        return invalid(format!(
            "`{}` is not a scope: public, department or personal",
            s.scope
        ));
    };
    match scope {
        Scope::Department => match &s.department {
            Some(d) if departments.contains(d) => {}
            Some(d) => {
                return invalid(format!(
                    "no department `{d}`; the shop has: {}",
                    departments.join(", ")
                ))
            }
            None => return invalid("a department script names its department".into()),
        },
        Scope::Personal if s.owner.is_none() => {
            return invalid("a personal script names its owner".into())
        }
        _ => {}
    }
    if s.title.trim().is_empty() {
        return invalid("a script has a title".into());
    }
    if s.category.trim().is_empty() {
        return invalid("a script has a category".into());
    }
    if s.body.trim().is_empty() {
        return invalid("a script has text".into());
    }
    Template::parse(&s.body).map_err(|e| LibraryError::Invalid(format!("the text {e}")))?;
    Ok(())
}

/// Checks that the actor may save `new` (replacing `old`, if any) and that it is valid.
pub fn may_save(
    actor: &Actor,
    old: Option<&ScriptRecord>,
    new: &ScriptRecord,
    departments: &[String],
) -> Result<(), LibraryError> {
    if let Some(old) = old {
        if !can_edit(actor, old) {
            return Err(LibraryError::Forbidden(format!(
                "{} may not change script {}",
                actor.login,
                old.id.unwrap_or_default()
            )));
        }
    }
    if !can_edit(actor, new) {
        let why = match scope_of(new) {
            Some(Scope::Personal) => "a personal script belongs to whoever saves it",
            _ => "public and department scripts are managed by managers",
        };
        return Err(LibraryError::Forbidden(format!(
            "{} may not save this script: {why}",
            actor.login
        )));
    }
    check(new, departments)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(scope: &str, department: Option<&str>, owner: Option<&str>) -> ScriptRecord {
        ScriptRecord {
            id: Some(1),
            scope: scope.into(),
            department: department.map(str::to_owned),
            owner: owner.map(str::to_owned),
            category: "售后".into(),
            subcategory: Some("退货".into()),
            title: "退货流程".into(),
            body: "亲，{买家昵称}，7天内可以申请退货".into(),
            shortcut: None,
            tags: Vec::new(),
            images: Vec::new(),
            version: 1,
            deleted: false,
            updated_at: None,
            updated_by: None,
        }
    }

    #[test]
    fn rights_follow_the_scope() {
        let agent = Actor {
            login: "kefu".into(),
            manager: false,
            departments: vec!["售后".into()],
            administrator: false,
        };
        let other = Actor {
            login: "kefu2".into(),
            manager: false,
            departments: vec!["售前".into()],
            administrator: false,
        };
        let manager = Actor {
            login: "boss".into(),
            manager: true,
            departments: Vec::new(),
            administrator: false,
        };
        let public = script("public", None, None);
        let after_sale = script("department", Some("售后"), None);
        let mine = script("personal", None, Some("kefu"));
        // Reading.
        for a in [&agent, &other, &manager] {
            assert!(can_read(a, &public));
        }
        assert!(can_read(&agent, &after_sale) && !can_read(&other, &after_sale));
        assert!(can_read(&manager, &after_sale));
        assert!(can_read(&agent, &mine) && !can_read(&other, &mine) && !can_read(&manager, &mine));
        // Changing.
        assert!(!can_edit(&agent, &public) && !can_edit(&agent, &after_sale));
        assert!(can_edit(&manager, &public) && can_edit(&manager, &after_sale));
        assert!(can_edit(&agent, &mine) && !can_edit(&manager, &mine));
        let depts = vec!["售前".to_owned(), "售后".to_owned()];
        assert!(may_save(&agent, None, &mine, &depts).is_ok());
        assert!(matches!(
            may_save(&agent, None, &public, &depts),
            Err(LibraryError::Forbidden(_))
        ));
        // An agent cannot take over someone's personal script by saving it as theirs.
        let taken = script("personal", None, Some("kefu2"));
        assert!(may_save(&agent, Some(&taken), &mine, &depts).is_err());
    }

    #[test]
    fn a_script_is_checked_before_it_is_saved() {
        let depts = vec!["售后".to_owned()];
        assert!(check(&script("public", None, None), &depts).is_ok());
        let mut bad = script("department", Some("仓库"), None);
        assert!(check(&bad, &depts)
            .unwrap_err()
            .to_string()
            .contains("仓库"));
        bad = script("public", None, None);
        bad.body = "您好{买家名字}".into();
        let e = check(&bad, &depts).unwrap_err().to_string();
        assert!(e.contains("买家名字") && e.contains("{买家昵称}"), "{e}");
        bad = script("everyone", None, None);
        assert!(check(&bad, &depts).is_err());
        bad = script("personal", None, None);
        assert!(check(&bad, &depts)
            .unwrap_err()
            .to_string()
            .contains("owner"));
    }
}
