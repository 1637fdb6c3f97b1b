//! `zhanggui demo`: generates the demo store's export files, loads them through the real
//! importers into a database of its own, prints the summary and the diagnosis, adds the
//! demo's users and serves the web cockpit on it (`--no-serve` stops before serving).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use zhanggui_analytics::promotion::readouts::{ads_counts, ads_source};
use zhanggui_analytics::promotion::sample_size;
use zhanggui_demo::{generate, DemoConfig};
use zhanggui_import::side::ad_reports::import_ad_report;
use zhanggui_import::side::cost_import::import_cost_sheet;
use zhanggui_import::{import_file, ImportOptions};
use zhanggui_storage::{AbArm, AbTest, AdStore, DuckStore, Store};

use crate::cli::{Cli, DemoArgs};
use crate::commands::{diagnose as diagnose_cmd, serve, shop::parse_new_shop, summary};
use crate::{db, output};
use zhanggui_analytics::{diagnose, Compare, DiagnoseRequest, PeriodSpec};
use zhanggui_storage::accounts::NewUser;
use zhanggui_storage::AccountStore;
use zhanggui_web::auth::{password, Role};

pub fn run(cli: &Cli, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let db_path = demo_db_path(cli, args)?;
    let files_dir = demo_files_dir(cli, args, &db_path)?;
    let config = DemoConfig::new(args.seed, args.lines);
    eprintln!(
        "generating the demo store (seed {}, about {} order lines) in {}",
        args.seed,
        args.lines,
        files_dir.display()
    );
    let demo = generate(&config, &files_dir)?;
    if args.files_only {
        if cli.json {
            output::json(&serde_json::json!({
                "orders": demo.orders,
                "order_lines": demo.order_lines,
                "files": demo.shops.iter().flat_map(|s| s.files.clone()).collect::<Vec<_>>(),
                "planted": demo.planted,
            }))?;
        } else {
            for shop in &demo.shops {
                for f in &shop.files {
                    println!("{}", f.display());
                }
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    remove_database(&db_path)?;
    let (store, _) = DuckStore::open(&db_path)?;
    for shop in &demo.shops {
        let new = parse_new_shop(
            shop.platform,
            shop.name,
            Some(shop.currency),
            Some(shop.timezone),
        )?;
        let shop_row = store.add_shop(&new)?;
        for file in &shop.files {
            let outcome = import_file(&store, &shop_row, file, &ImportOptions::default(), &())
                .with_context(|| format!("importing the demo file {}", file.display()))?;
            if !cli.json {
                eprintln!(
                    "imported {} ({}): {} rows",
                    file.file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default(),
                    outcome.format,
                    outcome.rows_read
                );
            }
        }
        let sheets = shop.costs.iter().map(|(file, _)| file);
        for file in sheets.chain(&shop.cost_sheets) {
            let done = import_cost_sheet(&store, &shop_row, None, file, &[])
                .with_context(|| format!("the demo sheet {}", file.display()))?;
            anyhow::ensure!(
                done.rejected.is_empty(),
                "demo {} rows rejected: {:?}",
                done.kind.as_str(),
                done.rejected
            );
        }
        add_promotion(&store, &shop_row, shop)?;
    }
    add_demo_users(&store)?;
    let scripts = add_starter_library(&store)?;
    let desk = add_reviews_and_tracking(&store, &demo)?;
    let summaries = store.summary()?;
    if cli.json {
        output::json(&summary::to_json(&summaries))?;
    } else {
        println!("\nThe demo store, in {}:\n", db_path.display());
        println!("{}", summary::render(&summaries));
        print_diagnosis(&store, &demo)?;
        println!(
            "\nCustomer service: {scripts} reply scripts and a knowledge base in demo-taobao \
             (zhanggui script --shop demo-taobao search fh; \
             zhanggui script --shop demo-taobao kb suggest 退货运费谁出)"
        );
        println!(
            "Reviews: {} imported, {} bad or medium reviews waiting for a contact \
             (zhanggui review --shop demo-taobao list --alerts; review metrics); \
             {} tracking events (zhanggui task --shop demo-taobao list)",
            desk.reviews, desk.open_alerts, desk.events
        );
        if let Some((_, planted)) = demo.shops.iter().find_map(|s| s.costs.as_ref()) {
            println!(
                "Profit: cost prices, an Alipay bill, an expense sheet and a 直通车 report for \
                 demo-taobao, {} costing more than it sells for, {} dearer from {}, {} without \
                 a cost, one confirmed order left out of the bill (zhanggui profit --shop \
                 demo-taobao; --by month for the P&L; zhanggui costs reconcile)",
                planted.losing, planted.changed, planted.changed_on, planted.missing
            );
        }
        println!(
            "Promotion: a 直通车 report for demo-taobao and a Google Ads export for \
             demo-shopify, a plan in each far below break-even, and a main-image test in \
             demo-taobao (zhanggui ads report --shop demo-taobao; ads budget; abtest show {})",
            zhanggui_demo::TEST_NAME
        );
        println!(
            "\nExplore it with: zhanggui --db {path} report, zhanggui --db {path} diagnose --details{}",
            if args.no_serve { "" } else { " (once the server below is stopped: it owns the file while it runs)" },
            path = db_path.display()
        );
    }
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    let banner = format!(
        "demo login: {DEMO_LOGIN} / {DEMO_PASSWORD} (owner); {DEMO_AGENT} / {DEMO_PASSWORD} (客服 of demo-taobao)"
    );
    serve::serve(store, &db_path, &args.serve, Some(banner))?;
    Ok(ExitCode::SUCCESS)
}

/// Imports a demo shop's ad reports, gives it its settings, and defines its creative
/// tests with their arms read from the reports.
fn add_promotion(
    store: &DuckStore,
    shop: &zhanggui_domain::Shop,
    demo: &zhanggui_demo::DemoShop,
) -> anyhow::Result<()> {
    for file in &demo.ad_reports {
        let done = import_ad_report(store, shop, file, None, None, &[])
            .with_context(|| format!("the demo ad report {}", file.display()))?;
        anyhow::ensure!(
            done.rejected.is_empty(),
            "demo ad report rows rejected: {:?}",
            done.rejected
        );
    }
    for (key, value) in &demo.settings {
        store.set_setting(shop, key, Some(value))?;
    }
    for t in &demo.tests {
        let test = AbTest {
            name: t.name.to_owned(),
            metric: t.metric.to_owned(),
            started_on: t.started_on,
            planned_units: sample_size(t.baseline, t.mde),
            created_at: t.started_on.and_hms_opt(9, 0, 0).expect("a valid time"),
        };
        store.add_ab_test(shop, &test)?;
        for (arm, plan, creative) in &t.arms {
            let source = ads_source(plan, creative);
            let c = ads_counts(store, shop, &test, &source)?
                .with_context(|| format!("the demo test's creative {plan}/{creative}"))?;
            store.set_ab_arm(
                shop,
                &test.name,
                &AbArm {
                    arm: (*arm).to_owned(),
                    units: c.units,
                    successes: c.successes,
                    value_sum: c.value_sum,
                    value_sq_sum: None,
                    source,
                },
            )?;
        }
    }
    Ok(())
}

/// The demo's owner login and the password of its users.
pub const DEMO_LOGIN: &str = "demo";
pub const DEMO_PASSWORD: &str = "zhanggui-demo";
/// A customer-service agent of the Taobao shop, to see what a narrower role sees.
pub const DEMO_AGENT: &str = "kefu";

fn add_demo_users(store: &DuckStore) -> anyhow::Result<()> {
    let hash = password::hash(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!(e.to_string()))?;
    store.add_user(&NewUser {
        login: DEMO_LOGIN,
        display_name: "演示店主",
        password_hash: &hash,
        is_owner: true,
        language: "zh",
    })?;
    let agent = store.add_user(&NewUser {
        login: DEMO_AGENT,
        display_name: "客服小王",
        password_hash: &hash,
        is_owner: false,
        language: "zh",
    })?;
    if let Some(shop) = store
        .shops()?
        .into_iter()
        .find(|s| s.name.as_str() == "demo-taobao")
    {
        store.set_grant(shop.id, agent.id, Some(Role::Agent.as_str()))?;
    }
    Ok(())
}

/// The starter reply-script library and knowledge base in the Taobao shop, with its
/// departments (售前, 售后; the agent works in 售后); returns how many scripts it holds.
fn add_starter_library(store: &DuckStore) -> anyhow::Result<usize> {
    use zhanggui_storage::ScriptStore;
    let Some(shop) = store
        .shops()?
        .into_iter()
        .find(|s| s.name.as_str() == "demo-taobao")
    else {
        return Ok(0);
    };
    let added = zhanggui_desk::starter::install(
        store,
        &shop,
        &["售前", "售后"],
        zhanggui_demo::STARTER_SCRIPTS,
        "demo",
    )?;
    store.set_department_member(&shop, "售后", DEMO_AGENT, true)?;
    Ok(added)
}

/// What the demo's customer-service files gave.
struct DeskFiles {
    reviews: usize,
    open_alerts: usize,
    events: usize,
}

/// Imports the Taobao shop's reviews and tracking events, and records the follow-up of the
/// bad and medium reviews older than a week (contacted a few hours later; every third
/// changed by the buyer, the others answered with a public reply), so the monitor's
/// metrics have a history and last week's reviews are the open alerts.
fn add_reviews_and_tracking(
    store: &DuckStore,
    demo: &zhanggui_demo::DemoOutput,
) -> anyhow::Result<DeskFiles> {
    use zhanggui_import::side::{logistics::read_events, reviews::read_reviews};
    use zhanggui_storage::{ReviewAction, ReviewStore};
    let mut out = DeskFiles {
        reviews: 0,
        open_alerts: 0,
        events: 0,
    };
    for d in &demo.shops {
        let Some(shop) = store
            .shops()?
            .into_iter()
            .find(|s| s.name.as_str() == d.name)
        else {
            continue;
        };
        if let Some(file) = &d.reviews {
            let read = read_reviews(file, shop.timezone, &[])?;
            anyhow::ensure!(
                read.rejected.is_empty(),
                "demo reviews rejected: {:?}",
                read.rejected
            );
            store.save_reviews(&shop, &read.reviews)?;
            out.reviews += read.reviews.len();
            let last = read.reviews.iter().map(|r| r.reviewed_at).max();
            let mut k = 0u64;
            for r in read.reviews.iter().rev() {
                if r.rating == "good"
                    || last.is_none_or(|l| r.reviewed_at > l - chrono::Duration::days(7))
                {
                    continue;
                }
                k += 1;
                let contact =
                    r.reviewed_at + chrono::Duration::minutes(90 + (k * 137 % 1800) as i64);
                let action = |kind: &str, at, amount_minor, note: Option<&str>| ReviewAction {
                    review_id: r.review_id.clone(),
                    kind: kind.to_owned(),
                    at,
                    by: Some(DEMO_AGENT.to_owned()),
                    amount_minor,
                    note: note.map(str::to_owned),
                };
                store.add_review_action(
                    &shop,
                    &action("contact", contact, None, Some("旺旺联系买家")),
                )?;
                let outcome = contact + chrono::Duration::hours(20);
                if k.is_multiple_of(3) {
                    store.add_review_action(
                        &shop,
                        &action("compensation", contact, Some(2000), Some("20元无门槛券")),
                    )?;
                    store.add_review_action(&shop, &action("changed", outcome, None, None))?;
                } else {
                    store.add_review_action(
                        &shop,
                        &action("replied", outcome, None, Some("已公开解释")),
                    )?;
                }
            }
            out.open_alerts += zhanggui_desk::monitor::review_all(
                store.reviews(&shop)?,
                &store.review_actions(&shop)?,
                None,
                0,
            )
            .iter()
            .filter(|r| r.alert)
            .count();
        }
        if let Some(file) = &d.tracking {
            let read = read_events(file, shop.timezone, &[])?;
            anyhow::ensure!(
                read.rejected.is_empty(),
                "demo tracking rejected: {:?}",
                read.rejected
            );
            out.events += store.save_logistics_events(&shop, &read.events)?;
        }
    }
    Ok(out)
}

/// The demo shop's diagnosis for its last 30 days, and what the demo planted in it.
fn print_diagnosis(store: &DuckStore, demo: &zhanggui_demo::DemoOutput) -> anyhow::Result<()> {
    let Some(shop) = store
        .shops()?
        .into_iter()
        .find(|s| s.name.as_str() == "demo-taobao")
    else {
        return Ok(());
    };
    let request = DiagnoseRequest {
        period: PeriodSpec::LastDays(30),
        compare: Compare::Previous,
        anchor: None,
        thresholds: None,
    };
    let mut d = diagnose(store, &shop, request)?;
    let total = d.findings.len();
    d.findings.truncate(SHOWN_FINDINGS);
    println!();
    print!("{}", diagnose_cmd::render(&d, shop.currency, false));
    if total > SHOWN_FINDINGS {
        println!("\n... and {} more", total - SHOWN_FINDINGS);
    }
    println!("\nThe demo planted these problems for the diagnosis to find:");
    for p in &demo.planted {
        println!(
            "  {} {} from {}",
            p.kind,
            p.subject.as_deref().unwrap_or(""),
            p.from
        );
    }
    print_members(store, &shop)?;
    Ok(())
}

/// The demo shop's member segments and the top of its win-back list.
fn print_members(store: &DuckStore, shop: &zhanggui_domain::Shop) -> anyhow::Result<()> {
    let r = zhanggui_analytics::members::base::rfm(store, shop, None, 5)?;
    println!(
        "
Members (zhanggui members rfm / winback):"
    );
    for s in &r.segments {
        println!(
            "  {}  {} customers, {:.1}% of revenue",
            s.zh,
            s.customers,
            s.amount_share * 100.0
        );
    }
    let w = zhanggui_analytics::members::winback::win_back(store, shop, None, 12)?;
    match &w.unavailable {
        Some(why) => println!("\nNo win-back list: {why}"),
        None => {
            println!(
                "\nWin-back list (挽回名单): {} valuable customers slipping away; the first {}:",
                w.customers.len(),
                SHOWN_WIN_BACK.min(w.customers.len())
            );
            for c in w.customers.iter().take(SHOWN_WIN_BACK) {
                println!(
                    "  {}  value at risk {}  {}",
                    c.buyer,
                    zhanggui_domain::Money::new(c.value_at_risk.round() as i64, shop.currency),
                    c.reason
                );
            }
        }
    }
    println!(
        "  all of it: zhanggui members winback --shop {}; segments: zhanggui members segment fields",
        shop.name
    );
    Ok(())
}

/// Win-back customers printed after the segments.
const SHOWN_WIN_BACK: usize = 5;

/// Findings printed after the demo's summary.
const SHOWN_FINDINGS: usize = 12;

/// The demo's database: `--into` when given, else the database of `--db` / `ZHANGGUI_DB`,
/// else `demo.duckdb` in the data directory (never the user's default database). Whichever
/// it is, [`remove_database`] refuses to replace one that holds shops of the user's own.
fn demo_db_path(cli: &Cli, args: &DemoArgs) -> anyhow::Result<PathBuf> {
    match (&args.into, &cli.db) {
        (Some(p), _) => Ok(p.clone()),
        (None, Some(_)) => db::db_file(cli),
        (None, None) => Ok(db::data_dir()?.join("demo.duckdb")),
    }
}

/// Where the export files go: `--out` when given; beside a database chosen with `--into`
/// or `--db` (`NAME-files/` for `NAME.duckdb`); else `demo/` in the data directory.
fn demo_files_dir(cli: &Cli, args: &DemoArgs, db_path: &Path) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &args.out {
        return Ok(dir.clone());
    }
    if args.into.is_none() && cli.db.is_none() {
        return Ok(db::data_dir()?.join("demo"));
    }
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "demo".to_owned());
    Ok(db_path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .join(format!("{stem}-files")))
}

/// Removes an earlier demo database; refuses to remove any other database.
fn remove_database(path: &std::path::Path) -> anyhow::Result<()> {
    if path.exists() {
        let (store, _) = DuckStore::open(path)
            .with_context(|| format!("{} exists and is not a zhanggui database", path.display()))?;
        let foreign: Vec<String> = store
            .shops()?
            .iter()
            .map(|s| s.name.to_string())
            .filter(|n| !n.starts_with("demo-"))
            .collect();
        if !foreign.is_empty() {
            anyhow::bail!(
                "{} holds shops that are not the demo's ({}); the demo builds a database of its own: choose another --into",
                path.display(),
                foreign.join(", ")
            );
        }
    }
    for p in [
        path.to_path_buf(),
        PathBuf::from(format!("{}.wal", path.display())),
    ] {
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot replace {}", p.display())),
        }
    }
    Ok(())
}
