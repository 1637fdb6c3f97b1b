//! `--db postgres://...` on a real server (a throwaway cluster): `migrate` creates and
//! upgrades the schema there; a command the server backend cannot run yet says so and
//! leaves no file behind.

use std::process::{Command, Output};

use zhanggui_testpg::Cluster;

fn zhanggui(dir: &std::path::Path, db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zhanggui"))
        .arg("--db")
        .arg(db)
        .args(args)
        .current_dir(dir)
        .env_remove("ZHANGGUI_DB")
        .env("HOME", dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .output()
        .expect("run zhanggui")
}

#[test]
fn migrate_creates_the_schema_on_a_postgres_server_and_other_commands_say_what_works() {
    let cluster = Cluster::start();
    let url = cluster.database("cli");
    let dir = tempfile::tempdir().unwrap();

    let first = zhanggui(dir.path(), &url, &["--json", "migrate"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&first.stdout).unwrap();
    assert_eq!(v["schema_version"], 15, "{v}");
    assert_eq!(v["applied"].as_array().unwrap().len(), 15);
    assert_eq!(v["database"], url.as_str());

    let again = zhanggui(dir.path(), &url, &["--json", "migrate"]);
    let v: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        v["applied"],
        serde_json::json!([]),
        "nothing left to apply: {v}"
    );

    // ZHANGGUI_DB names the server as well as --db does.
    let by_env = Command::new(env!("CARGO_BIN_EXE_zhanggui"))
        .arg("migrate")
        .current_dir(dir.path())
        .env("ZHANGGUI_DB", &url)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&by_env.stdout);
    assert!(text.contains("schema version 15"), "{text}");

    for args in [
        &["summary"][..],
        &["serve", "--addr", "127.0.0.1:0"],
        &["demo", "--no-serve"],
    ] {
        let out = zhanggui(dir.path(), &url, args);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("zhanggui migrate --db postgres://"),
            "{args:?}: {err}"
        );
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n != "data")
        .collect();
    assert!(left.is_empty(), "no file was made for the URL: {left:?}");
}
