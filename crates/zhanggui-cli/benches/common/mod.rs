//! The store the report and profit benches run on: the database `ZHANGGUI_BENCH_DB` names,
//! or else the demo at 600,000 order lines built into `dir`, with its cost sheets, bill,
//! expense sheet and ad spend.

use std::path::{Path, PathBuf};

use zhanggui_demo::{generate, DemoConfig};
use zhanggui_domain::{Currency, NewShop, Platform, ShopName};
use zhanggui_import::side::cost_import::import_cost_sheet;
use zhanggui_import::{import_file, ImportOptions};
use zhanggui_storage::{DuckStore, Store};

/// The bench database: `ZHANGGUI_BENCH_DB`, or the demo built in `dir`.
pub fn bench_db(dir: &Path) -> PathBuf {
    match std::env::var_os("ZHANGGUI_BENCH_DB") {
        Some(p) => PathBuf::from(p),
        None => build_store(dir),
    }
}

fn build_store(dir: &Path) -> PathBuf {
    let db = dir.join("bench.duckdb");
    let files = dir.join("files");
    let demo = generate(&DemoConfig::new(7, 600_000), &files).unwrap();
    let (store, _) = DuckStore::open(&db).unwrap();
    for shop in &demo.shops {
        let mut new = NewShop::with_defaults(
            shop.platform.parse::<Platform>().unwrap(),
            ShopName::parse(shop.name).unwrap(),
        );
        new.currency = Currency::parse(shop.currency).unwrap();
        new.timezone = shop.timezone.parse().unwrap();
        let row = store.add_shop(&new).unwrap();
        for file in &shop.files {
            import_file(&store, &row, file, &ImportOptions::default(), &()).unwrap();
        }
        let sheets = shop.costs.iter().map(|(f, _)| f).chain(&shop.cost_sheets);
        for file in sheets {
            import_cost_sheet(&store, &row, None, file, &[]).unwrap();
        }
    }
    db
}

/// The demo's Taobao shop, opened through the store.
pub fn taobao(db: &Path) -> (DuckStore, zhanggui_domain::Shop) {
    let (store, _) = DuckStore::open(db).unwrap();
    let shop = store
        .shops()
        .unwrap()
        .into_iter()
        .find(|s| s.name.as_str() == "demo-taobao")
        .unwrap();
    (store, shop)
}

/// The demo's Taobao shop's id, for hand-written SQL on a plain connection.
pub fn taobao_id(conn: &duckdb::Connection) -> i32 {
    conn.query_row(
        "SELECT shop_id FROM shops WHERE name = 'demo-taobao'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}
