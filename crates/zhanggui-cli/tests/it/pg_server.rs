//! `--db postgres://...` on a real server (a throwaway cluster): `migrate` creates and
//! upgrades the schema there; a command the server backend cannot run yet says so and
//! leaves no file behind; `copy` moves the demo installation there and back unchanged.

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

#[test]
fn an_installation_copied_to_a_postgres_server_and_back_is_the_same_to_the_row() {
    let env = crate::support::Env::new();
    let demo = env.small_demo();
    let cluster = Cluster::start();
    let url = cluster.database("moved");
    let dir = env.path("");
    let json = |out: Output| -> serde_json::Value {
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };

    let there = json(zhanggui(
        &dir,
        &url,
        &["--json", "copy", "--from", &demo, "--to", &url],
    ));
    let tables = there["tables"].as_array().unwrap();
    let rows = |name: &str| {
        tables
            .iter()
            .find(|t| t["table"] == name)
            .unwrap_or_else(|| panic!("{name} in {there}"))["rows"]
            .as_u64()
            .unwrap()
    };
    assert!(rows("order_lines") > 5_000, "{there}");
    assert!(rows("ad_rows") > 0 && rows("users") > 0 && rows("scripts") > 0);

    let back_file = env.path("back.duckdb");
    let back_path = back_file.to_str().unwrap();
    let back = json(zhanggui(
        &dir,
        &url,
        &["--json", "copy", "--from", &url, "--to", back_path],
    ));
    assert_eq!(
        back["tables"], there["tables"],
        "every table's rows and checksum come back"
    );
    assert_eq!(back["rows"], there["rows"]);

    // The copy is the installation: the same summary, the same profit to the cent.
    let same = |args: &[&str]| {
        let a = json(zhanggui(&dir, &demo, args));
        let b = json(zhanggui(&dir, back_path, args));
        assert_eq!(a, b, "{args:?}");
    };
    same(&["--json", "summary"]);
    same(&[
        "--json",
        "profit",
        "--shop",
        "demo-taobao",
        "--period",
        "30d",
    ]);

    // Never into a database that holds data.
    let again = zhanggui(&dir, &url, &["copy", "--from", &demo, "--to", &url]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("copy into an empty one"));
    let over = zhanggui(&dir, &url, &["copy", "--from", &url, "--to", back_path]);
    assert!(!over.status.success());
    assert!(String::from_utf8_lossy(&over.stderr).contains("the file exists"));
}
