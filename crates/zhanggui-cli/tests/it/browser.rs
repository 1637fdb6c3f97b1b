//! The web cockpit in a real browser (Debian's headless Chromium driven by playwright-core,
//! installed by `scripts/browser-deps` when missing): an operator signs in to the served demo, adds a
//! shop, uploads its Taobao exports, and the overview shows the numbers `zhanggui report`
//! prints for the same files; then every page is looked at (screenshots in
//! `tests/browser/shots/`), a table is exported, the language switched, and the operator
//! signs out. The server is stopped with SIGTERM and must shut down cleanly.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use zhanggui_domain::metrics::metric;
use zhanggui_domain::Currency;
use zhanggui_tables::NumberFormat;

use super::support::Env;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn an_operator_uses_the_cockpit_in_a_real_browser() {
    let browser_dir = repo_root().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let ready = || {
        browser_dir.join("node_modules/playwright-core").is_dir() && Path::new(&chromium).exists()
    };
    if !ready() {
        let installed = Command::new("bash")
            .arg(repo_root().join("scripts/browser-deps"))
            .status()
            .expect("run scripts/browser-deps");
        assert!(
            installed.success() && ready(),
            "the browser test needs Chromium and playwright-core; scripts/browser-deps could not install them (it needs root or sudo and the Debian and npm registries)"
        );
    }
    let env = Env::new();
    let files = env.path("files");
    let demo_db = env.path("demo.duckdb");
    env.ok(&[
        "demo",
        "--no-serve",
        "--lines",
        "6000",
        "--out",
        files.to_str().unwrap(),
        "--into",
        demo_db.to_str().unwrap(),
    ]);
    let taobao: Vec<PathBuf> = std::fs::read_dir(&files)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // The Shopify shop's orders, the desk's files (reviews, tracking) and the cost
            // sheets (costs, the bill, expenses) and the ad reports.
            !name.starts_with("orders_export")
                && !name.starts_with("评价")
                && !name.starts_with("物流")
                && ![
                    "成本表",
                    "支付宝账务明细",
                    "费用表",
                    "直通车报表",
                    "Campaign report",
                ]
                .iter()
                .any(|sheet| name.starts_with(sheet))
        })
        .collect();
    assert_eq!(taobao.len(), 4, "orders, lines, product days, source days");

    // What the command line reports for the same files, in a database of its own.
    env.add_shop("taobao", "browser-shop", &[]);
    let mut import = vec!["import", "--shop", "browser-shop"];
    let names: Vec<String> = taobao.iter().map(|p| p.display().to_string()).collect();
    import.extend(names.iter().map(String::as_str));
    env.ok(&import);
    let report = env.json(&["report", "--shop", "browser-shop", "--period", "30d"]);
    let report = &report[0];

    // Serve the demo database and drive it.
    let port = free_port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_zhanggui"))
        .args(["--db", demo_db.to_str().unwrap(), "serve", "--addr"])
        .arg(format!("127.0.0.1:{port}"))
        .env("HOME", env.dir.path())
        .env("ZHANGGUI_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = server.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let listening = rx
        .recv_timeout(Duration::from_secs(120))
        .expect("the server says where it listens");
    assert!(
        listening.contains(&format!("127.0.0.1:{port}")),
        "{listening}"
    );

    let shots = browser_dir.join("shots");
    let out = env.path("browser.json");
    let run = Command::new("node")
        .arg(browser_dir.join("cockpit.mjs"))
        .current_dir(&browser_dir)
        .env("BASE", format!("http://127.0.0.1:{port}"))
        .env("LOGIN", "demo")
        .env("PASSWORD", "zhanggui-demo")
        .env("SHOP", "browser-shop")
        .env("UPLOAD", names.join("\n"))
        .env("SHOTS", &shots)
        .env("OUT", &out)
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    let seen: serde_json::Value = std::fs::read_to_string(&out)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();

    // SIGTERM: the server finishes what is in flight and exits cleanly.
    let _ = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status();
    let mut exited = None;
    for _ in 0..100 {
        if let Some(status) = server.try_wait().unwrap() {
            exited = Some(status);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if exited.is_none() {
        let _ = server.kill();
    }
    assert!(
        run.status.success(),
        "the browser run failed:\n{}\n{}\nseen: {seen:#}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        exited.is_some_and(|s| s.success()),
        "the server stops cleanly on SIGTERM ({exited:?})"
    );

    // The overview shows what `zhanggui report` printed.
    let cny = Currency::parse("CNY").unwrap();
    let cards = seen["cards"].as_object().expect("cards were read");
    // The owner also sees the profit card, empty until the shop has cost prices.
    assert_eq!(cards["net_profit"], "–", "{seen:#}");
    let cards: Vec<_> = cards
        .iter()
        .filter(|(id, _)| id.as_str() != "net_profit")
        .collect();
    assert_eq!(cards.len(), 6, "{seen:#}");
    for (id, shown) in cards {
        let kpi = report["kpis"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == id.as_str())
            .unwrap_or_else(|| panic!("{id} is in the report"));
        let def = metric(id).unwrap();
        // Money in the report's JSON is a decimal of yuan; the format takes fen.
        let value = &kpi["current"]["value"];
        let raw = match value["amount"].as_f64() {
            Some(yuan) => (yuan * 100.0).round(),
            None => value.as_f64().unwrap(),
        };
        let expected = NumberFormat::of_unit(def.unit, cny).show(raw);
        assert_eq!(
            shown.as_str().unwrap(),
            expected,
            "{id}: page and report agree"
        );
    }
    assert!(seen["dates"]
        .as_str()
        .unwrap()
        .contains(report["period"]["to"].as_str().unwrap()));
    assert!(
        seen["hover"].as_str().unwrap().contains('¥'),
        "hovering a point shows its value"
    );
    assert!(
        seen["import_errors"].as_array().unwrap().is_empty(),
        "{seen:#}"
    );
    assert!(seen["findings"].as_u64().unwrap() > 0);
    assert_eq!(
        seen["export_lines"].as_u64().unwrap(),
        seen["products_rows"].as_u64().unwrap() + 1,
        "the exported CSV holds the table's rows"
    );
    assert!(seen["export_first_line"]
        .as_str()
        .unwrap()
        .starts_with("商品,"));
    assert_eq!(seen["english_title"], "Overview");
    // Members: the eight segments, a win-back list, a live size that becomes the saved one.
    assert_eq!(seen["members_segments"], 8, "{seen:#}");
    assert!(seen["win_back_rows"].as_u64().unwrap() > 0, "{seen:#}");
    let live = seen["live_size"].as_str().unwrap();
    let matching = live.split(" / ").next().unwrap();
    assert!(
        seen["live_error"].as_str().unwrap().contains("character 9"),
        "{seen:#}"
    );
    assert_eq!(seen["saved_segments"][0], "浏览器人群", "{seen:#}");
    assert_eq!(
        seen["saved_sizes"][0], matching,
        "saved with the size shown live"
    );
    assert!(
        seen["phone_overflow_members"].as_i64().unwrap() <= 0,
        "the members page fits a phone: {seen:#}"
    );
    // The desk: scripts found while typing pinyin, the demo's open review alerts and tasks.
    assert!(
        seen["desk_first_script"].as_str().unwrap().contains("退货"),
        "{seen:#}"
    );
    assert!(seen["desk_alerts"].as_u64().unwrap() > 0, "{seen:#}");
    assert!(seen["desk_tasks"].as_u64().unwrap() > 0, "{seen:#}");
    assert!(
        seen["phone_overflow_desk"].as_i64().unwrap() <= 0,
        "the desk fits a phone: {seen:#}"
    );
    // Promotion: the demo's three plans, the shop's pull on free traffic with a verdict,
    // and the split saved from the form shown again.
    assert_eq!(seen["ads_plans"], 3, "{seen:#}");
    let pull: Vec<&str> = seen["ads_pull"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(pull.first(), Some(&"shop"), "{seen:#}");
    assert!(
        [
            "pulls free traffic",
            "no pull found",
            "crowds free traffic out"
        ]
        .contains(pull.last().unwrap()),
        "{seen:#}"
    );
    assert_eq!(seen["ads_split_goal"], "exposure", "{seen:#}");
    assert_eq!(seen["ads_split_share"], "70", "{seen:#}");
    assert!(
        seen["phone_overflow_ads"].as_i64().unwrap() <= 0,
        "the 推广 page fits a phone: {seen:#}"
    );
    assert!(
        seen["phone_overflow"].as_i64().unwrap() <= 0,
        "no sideways scrolling on a phone"
    );
    assert_eq!(seen["after_logout"], "/login");
    assert_eq!(seen["after_logout_visit"], "/login");
}
