//! Migrations run once, and a database stays usable across opens.

use zhanggui_domain::{NewShop, Platform, ShopName};
use zhanggui_storage::{DuckStore, Store};

#[test]
fn migrations_apply_once_and_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/z.duckdb");
    let (store, applied) = DuckStore::open(&path).unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(store.schema_version().unwrap(), 1);
    store
        .add_shop(&NewShop::with_defaults(
            Platform::Taobao,
            ShopName::parse("店").unwrap(),
        ))
        .unwrap();
    drop(store);
    let (store, applied) = DuckStore::open(&path).unwrap();
    assert!(applied.is_empty());
    let shops = store.shops().unwrap();
    assert_eq!(shops.len(), 1);
    assert_eq!(shops[0].name.as_str(), "店");
    assert_eq!(shops[0].timezone.name(), "Asia/Shanghai");
}
