//! Migrations run once, and a database stays usable across opens.

use zhanggui_domain::{NewShop, Platform, ShopName};
use zhanggui_storage::{DuckStore, Store};

#[test]
fn migrations_apply_once_and_data_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/z.duckdb");
    let (store, applied) = DuckStore::open(&path).unwrap();
    assert_eq!(
        applied.iter().map(|m| m.name).collect::<Vec<_>>(),
        [
            "init",
            "shop_settings",
            "facts",
            "accounts",
            "segments",
            "scripts",
            "reviews",
            "notifications",
            "facts_pending",
            "refunds",
            "profit_inputs",
            "courier_charges",
            "profit_lines",
            "weight_shipping",
            "promotion"
        ]
    );
    assert_eq!(store.schema_version().unwrap(), 15);
    let shop = store
        .add_shop(&NewShop::with_defaults(
            Platform::Taobao,
            ShopName::parse("店").unwrap(),
        ))
        .unwrap();
    store.set_setting(&shop, "alpha", Some("0.01")).unwrap();
    store.set_setting(&shop, "alpha", Some("0.02")).unwrap();
    store.set_setting(&shop, "gone", Some("1")).unwrap();
    store.set_setting(&shop, "gone", None).unwrap();
    drop(store);
    let (store, applied) = DuckStore::open(&path).unwrap();
    assert!(applied.is_empty());
    let shops = store.shops().unwrap();
    assert_eq!(shops.len(), 1);
    assert_eq!(shops[0].name.as_str(), "店");
    assert_eq!(shops[0].timezone.name(), "Asia/Shanghai");
    let settings = store.settings(&shops[0]).unwrap();
    assert_eq!(
        settings.len(),
        1,
        "a setting set twice is one, a removed one is gone"
    );
    assert_eq!(settings["alpha"], "0.02");
}
