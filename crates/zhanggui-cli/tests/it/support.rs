//! Running the binary against a temporary database, and building fixture files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A temporary database and working directory.
pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("test.duckdb")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Runs `zhanggui --db DB ARGS...` in the temporary directory.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    /// Runs with extra environment variables.
    pub fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_zhanggui"))
            .envs(vars.iter().copied())
            .arg("--db")
            .arg(self.db())
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("ZHANGGUI_DB")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .output()
            .expect("run zhanggui")
    }

    /// Runs and expects success, returning standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "zhanggui {args:?} failed ({:?}):\n{}\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs with `--json` and expects success.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut with_json = vec!["--json"];
        with_json.extend_from_slice(args);
        let text = self.ok(&with_json);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    }

    pub fn add_shop(&self, platform: &str, name: &str, extra: &[&str]) {
        let mut args = vec!["shop", "add", "--platform", platform, "--name", name];
        args.extend_from_slice(extra);
        self.ok(&args);
    }

    /// Builds a 6,000-line demo store in the test's own database (without serving it);
    /// returns the database's path.
    pub fn small_demo(&self) -> String {
        let db = self.db();
        self.ok(&[
            "demo",
            "--no-serve",
            "--lines",
            "6000",
            "--out",
            self.path("files").to_str().unwrap(),
            "--into",
            db.to_str().unwrap(),
        ]);
        db.to_str().unwrap().to_owned()
    }

    /// The summary of one shop, as `summary --json` prints it.
    pub fn summary(&self, shop: &str) -> Value {
        self.json(&["summary"])[shop].clone()
    }

    /// `costs import` of a sheet with a bad row (written in GBK) into `shop`: the command
    /// exits with 1; what it printed as JSON.
    pub fn refused_costs(&self, shop: &str, name: &str, text: &str) -> Value {
        let path = self.path(name);
        write_gbk(&path, text);
        let out = self.run(&[
            "--json",
            "costs",
            "import",
            "--shop",
            shop,
            path.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// A file of `../shared/data`, or `None` (and a note) when the data folder is absent.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipped: {} is absent (the shared data folder is not beside the project)",
            path.display()
        );
        None
    }
}

/// The example mapping shipped in the repository.
pub fn example_mapping(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/mappings")
        .join(name)
}

/// Writes CSV text in GBK, as Taobao exports are.
pub fn write_gbk(path: &Path, text: &str) {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "fixture text has characters GBK cannot hold");
    std::fs::write(path, bytes).expect("write fixture");
}

/// The first import outcome of `import --json`.
pub fn first_import(v: &Value) -> &Value {
    &v["imported"][0]
}

/// An amount of money as JSON prints it: `{"amount": 1234.5, "currency": "CNY"}`.
pub fn money(amount: f64, currency: &str) -> Value {
    serde_json::json!({ "amount": amount, "currency": currency })
}

/// The amount of a money value in JSON (in the currency's unit), or a panic saying what was
/// there instead.
pub fn amount(v: &Value) -> f64 {
    v["amount"]
        .as_f64()
        .unwrap_or_else(|| panic!("not money: {v}"))
}
