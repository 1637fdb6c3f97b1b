//! A throwaway PostgreSQL cluster for tests: `initdb` into a temporary directory, the
//! server started with `pg_ctl` on a free loopback port, stopped and removed when the
//! value is dropped. The server binaries are found on `PATH`, else in `pg_config
//! --bindir` (Debian's `postgresql` package), else installed by `scripts/postgres-deps`
//! (as the browser test installs Chromium). Run as root, the cluster belongs to the
//! `postgres` user, as PostgreSQL refuses to run as root.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A running cluster. Every test gets its own database with [`Cluster::database`].
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

const USER: &str = "zg";

fn find_bin() -> PathBuf {
    if let Some(bin) = installed_bin() {
        return bin;
    }
    // A fresh machine: install Debian's postgresql package, as `.ci/run` does.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres-deps");
    let installed = Command::new("bash").arg(&script).status();
    assert!(
        installed.is_ok_and(|s| s.success()),
        "PostgreSQL's server programs (initdb, pg_ctl) are not installed and {} could not \
         install them (it needs root or sudo)",
        script.display()
    );
    installed_bin().expect("initdb after installing PostgreSQL")
}

fn installed_bin() -> Option<PathBuf> {
    let on_path = Command::new("sh")
        .args(["-c", "command -v initdb"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|p| !p.is_empty());
    if let Some(p) = on_path {
        let p = std::fs::canonicalize(&p).unwrap_or_else(|_| PathBuf::from(&p));
        if let Some(dir) = p.parent() {
            return Some(dir.to_path_buf());
        }
    }
    Command::new("pg_config")
        .arg("--bindir")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .filter(|d| d.join("initdb").exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl Cluster {
    /// Creates and starts a cluster; panics with the server's log when it cannot.
    pub fn start() -> Cluster {
        let bin = find_bin();
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("zhanggui-pg-")
            .tempdir()
            .expect("a temporary directory");
        if as_postgres {
            let status = Command::new("chown")
                .args(["postgres:", &dir.path().display().to_string()])
                .status()
                .expect("chown");
            assert!(
                status.success(),
                "cannot give the cluster's directory to postgres"
            );
        }
        let mut cluster = Cluster {
            dir,
            bin,
            port: 0,
            as_postgres,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
        );
        // A port can be taken between the probe and the start: try a few.
        for _ in 0..5 {
            cluster.port = free_port();
            let options = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
                cluster.port,
                cluster.dir.path().display()
            );
            let log = cluster.dir.path().join("server.log").display().to_string();
            if cluster.try_run(
                "pg_ctl",
                &[
                    "-D",
                    &data.display().to_string(),
                    "-l",
                    &log,
                    "-o",
                    &options,
                    "-w",
                    "start",
                ],
            ) {
                return cluster;
            }
        }
        let log =
            std::fs::read_to_string(cluster.dir.path().join("server.log")).unwrap_or_default();
        panic!("the test PostgreSQL server did not start:\n{log}");
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str, args: &[&str]) -> Command {
        let path = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path).args(args);
            c
        } else {
            let mut c = Command::new(path);
            c.args(args);
            c
        }
    }

    fn try_run(&self, program: &str, args: &[&str]) -> bool {
        self.command(program, args)
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    }

    fn run(&self, program: &str, args: &[&str]) {
        let out = self
            .command(program, args)
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The URL of database `name` on this cluster.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database and gives its URL.
    pub fn database(&self, name: &str) -> String {
        let mut client = postgres::Client::connect(&self.url("postgres"), postgres::NoTls)
            .expect("connect to the test cluster");
        client
            .batch_execute(&format!("CREATE DATABASE \"{name}\""))
            .expect("create a test database");
        self.url(name)
    }

    /// The cluster's directory (its data and log).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let _ = self
            .command("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"])
            .output();
    }
}
