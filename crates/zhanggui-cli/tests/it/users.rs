//! `zhanggui user`: the first owner is made on the command line, roles granted per shop,
//! and the server refuses to start with nobody able to sign in.

use super::support::Env;

#[test]
fn users_are_added_listed_granted_and_needed_by_the_server() {
    let env = Env::new();
    env.add_shop("taobao", "店一", &[]);
    let serve = env.run(&["serve", "--addr", "127.0.0.1:0"]);
    assert_eq!(
        serve.status.code(),
        Some(2),
        "no users: nothing to sign in with"
    );
    assert!(String::from_utf8_lossy(&serve.stderr).contains("user add --owner"));

    let pw = [("ZHANGGUI_PASSWORD", "a good password")];
    let added = env.run_with(&["user", "add", "boss", "--owner"], &pw);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let short = env.run_with(
        &["user", "add", "shorty"],
        &[("ZHANGGUI_PASSWORD", "short")],
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 8"));
    let again = env.run_with(&["user", "add", "boss"], &pw);
    assert!(!again.status.success(), "a login is added once");
    let kefu = env.run_with(
        &[
            "user", "add", "kefu", "--role", "agent", "--shop", "店一", "--name", "小王",
        ],
        &pw,
    );
    assert!(
        kefu.status.success(),
        "{}",
        String::from_utf8_lossy(&kefu.stderr)
    );
    let listed = env.ok(&["user", "list"]);
    assert!(listed.contains("owner (every shop)"), "{listed}");
    assert!(
        listed.contains("店一: agent") && listed.contains("小王"),
        "{listed}"
    );
    env.ok(&[
        "user", "grant", "kefu", "--shop", "店一", "--role", "manager",
    ]);
    assert!(env.ok(&["user", "list"]).contains("店一: manager"));
    env.ok(&["user", "grant", "kefu", "--shop", "店一", "--role", "none"]);
    assert!(!env.ok(&["user", "list"]).contains("店一:"));
    let owner_grant = env.run(&["user", "grant", "kefu", "--shop", "店一", "--role", "owner"]);
    assert_eq!(owner_grant.status.code(), Some(2));
    let changed = env.run_with(
        &["user", "passwd", "kefu"],
        &[("ZHANGGUI_PASSWORD", "another good one")],
    );
    assert!(changed.status.success());
}
