//! The merge that makes imports idempotent: keys, counts, and fields that complete each other.

use chrono::NaiveDate;
use zhanggui_domain::records::{LineRecord, OrderRecord, Record};
use zhanggui_domain::{LineKey, NewShop, OrderNo, OrderState, Platform, Shop, ShopName};
use zhanggui_storage::{DuckStore, Entity, Store};

fn shop(store: &DuckStore, name: &str) -> Shop {
    store
        .add_shop(&NewShop::with_defaults(
            Platform::Taobao,
            ShopName::parse(name).unwrap(),
        ))
        .unwrap()
}

fn order(no: &str, state: OrderState, paid: Option<i64>) -> OrderRecord {
    OrderRecord {
        order_no: Some(OrderNo::parse(no).unwrap()),
        state: Some(state),
        created_at: NaiveDate::from_ymd_opt(2025, 1, 2)
            .unwrap()
            .and_hms_opt(3, 4, 5),
        paid_amount: paid,
        ..OrderRecord::default()
    }
}

fn line(no: &str, key: &str, quantity: i64, paid: i64) -> LineRecord {
    LineRecord {
        order_no: Some(OrderNo::parse(no).unwrap()),
        line_key: Some(LineKey::parse(key).unwrap()),
        quantity,
        paid_amount: Some(paid),
        ..LineRecord::default()
    }
}

fn import(
    store: &DuckStore,
    shop: &Shop,
    records: &[Record],
    commit: bool,
) -> zhanggui_storage::MergeReport {
    let mut sink = store.begin_import(shop, "test.csv", "test").unwrap();
    for (i, r) in records.iter().enumerate() {
        sink.append(i as u64 + 1, r).unwrap();
    }
    sink.finish(records.len() as u64, 0, commit).unwrap()
}

#[test]
fn the_same_records_twice_change_nothing() {
    let store = DuckStore::in_memory().unwrap();
    let s = shop(&store, "a");
    let records = vec![
        Record::order(order("1", OrderState::Paid, Some(100))),
        Record::order(order("2", OrderState::Completed, Some(200))),
    ];
    let first = import(&store, &s, &records, true);
    assert_eq!(first.get(Entity::Orders).unwrap().inserted, 2);
    let second = import(&store, &s, &records, true);
    let counts = second.get(Entity::Orders).unwrap();
    assert_eq!(
        (counts.inserted, counts.updated, counts.unchanged),
        (0, 0, 2)
    );
    assert_eq!(store.summary().unwrap()[0].orders, 2);
}

#[test]
fn a_later_record_updates_what_it_says_and_keeps_what_it_does_not() {
    let store = DuckStore::in_memory().unwrap();
    let s = shop(&store, "a");
    let mut first = order("1", OrderState::Paid, Some(100));
    first.buyer_message = Some("请尽快发货".into());
    import(&store, &s, &[Record::order(first)], true);
    // A line report of the same order: it knows the state, not the message or the amount.
    let mut from_lines = order("1", OrderState::Completed, None);
    from_lines.created_at = None;
    let report = import(
        &store,
        &s,
        &[Record::line(line("1", "1", 1, 90), from_lines)],
        true,
    );
    assert_eq!(report.get(Entity::Orders).unwrap().updated, 1);
    assert_eq!(report.get(Entity::OrderLines).unwrap().inserted, 1);
    let summary = &store.summary().unwrap()[0];
    assert_eq!(summary.orders, 1);
    assert_eq!(summary.order_lines, 1);
    // The order report's amount is kept, not replaced by the sum of the lines.
    assert_eq!(summary.paid_amount.minor, 100);
    assert_eq!(summary.first_day, NaiveDate::from_ymd_opt(2025, 1, 2));
}

#[test]
fn rows_of_one_file_with_one_key_are_combined() {
    let store = DuckStore::in_memory().unwrap();
    let s = shop(&store, "a");
    let report = import(
        &store,
        &s,
        &[
            Record::order(order("1", OrderState::Paid, Some(100))),
            Record::order(order("2", OrderState::Paid, Some(5))),
            Record::order(order("1", OrderState::Shipped, None)),
        ],
        true,
    );
    let counts = report.get(Entity::Orders).unwrap();
    assert_eq!((counts.inserted, counts.repeated_in_file), (2, 1));
    let summary = &store.summary().unwrap()[0];
    assert_eq!(summary.paid_amount.minor, 105);
}

/// The stored lines of a shop: (key, quantity, paid, title), by key.
fn stored_lines(path: &std::path::Path, shop: &Shop) -> Vec<(String, i64, i64, Option<String>)> {
    let conn = duckdb::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT line_key, quantity, paid_amount, title FROM order_lines
             WHERE shop_id = ? ORDER BY line_key",
        )
        .unwrap();
    stmt.query_map([shop.id.0], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

#[test]
fn repeated_line_keys_combine_alike_in_a_first_import_and_a_later_one() {
    // A shop's first lines are inserted without comparing them with stored ones; the
    // result must be what the full merge gives a shop that already has lines.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("z.duckdb");
    let (store, _) = DuckStore::open(&path).unwrap();
    let first = shop(&store, "first");
    let later = shop(&store, "later");
    import(
        &store,
        &later,
        &[Record::line(
            line("0", "1", 1, 1),
            order("0", OrderState::Paid, None),
        )],
        true,
    );
    let mut titled = line("1", "a", 1, 100);
    titled.title = Some("first title".into());
    let o = order("1", OrderState::Paid, None);
    let records = [
        Record::line(titled, o.clone()),
        Record::line(line("1", "b", 2, 50), o.clone()),
        Record::line(line("1", "a", 3, 300), o.clone()),
        Record::line(line("1", "c", 1, 7), o),
    ];
    let reports = [first.clone(), later.clone()].map(|s| import(&store, &s, &records, true));
    for report in &reports {
        let lines = report.get(Entity::OrderLines).unwrap();
        assert_eq!((lines.inserted, lines.repeated_in_file), (3, 1));
    }
    drop(store);
    let expected = vec![
        ("a".to_owned(), 3, 300, Some("first title".to_owned())),
        ("b".to_owned(), 2, 50, None),
        ("c".to_owned(), 1, 7, None),
    ];
    assert_eq!(stored_lines(&path, &first), expected);
    let mut later_lines = stored_lines(&path, &later);
    later_lines.retain(|l| l.0 != "1");
    assert_eq!(later_lines, expected);
}

/// As [`import`], the caller promising that no two lines share a key (it numbered them).
fn import_numbered(
    store: &DuckStore,
    shop: &Shop,
    records: &[Record],
    commit: bool,
) -> zhanggui_storage::MergeReport {
    let mut sink = store.begin_import(shop, "numbered.csv", "test").unwrap();
    sink.line_keys_unique().unwrap();
    for (i, r) in records.iter().enumerate() {
        sink.append(i as u64 + 1, r).unwrap();
    }
    sink.finish(records.len() as u64, 0, commit).unwrap()
}

#[test]
fn numbered_lines_written_straight_match_staged_ones() {
    // A shop's first numbered lines skip the staging table; what is stored, counted and
    // rolled back must be what staging gives.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("z.duckdb");
    let (store, _) = DuckStore::open(&path).unwrap();
    let straight = shop(&store, "straight");
    let staged = shop(&store, "staged");
    let mut titled = line("1", "1", 2, 100);
    titled.title = Some("a title".into());
    let records = [
        Record::line(titled, order("1", OrderState::Paid, Some(170))),
        Record::line(line("1", "2", 1, 70), order("1", OrderState::Paid, None)),
        Record::line(
            line("2", "1", 5, 9),
            order("2", OrderState::Closed, Some(9)),
        ),
    ];
    let dry = import_numbered(&store, &straight, &records, false);
    assert_eq!(dry.get(Entity::OrderLines).unwrap().inserted, 3);
    assert_eq!(
        store.summary().unwrap()[0].order_lines,
        0,
        "a dry run writes nothing"
    );
    let written = import_numbered(&store, &straight, &records, true);
    let via_staging = import(&store, &staged, &records, true);
    assert_eq!(written, via_staging);
    let again = import_numbered(&store, &straight, &records, true);
    let lines = again.get(Entity::OrderLines).unwrap();
    assert_eq!(
        (lines.inserted, lines.unchanged),
        (0, 3),
        "a second file is merged"
    );
    let summaries = store.summary().unwrap();
    assert_eq!(summaries[0].order_lines, 3);
    assert_eq!(summaries[0].paid_amount, summaries[1].paid_amount);
    drop(store);
    assert_eq!(stored_lines(&path, &straight), stored_lines(&path, &staged));
}

#[test]
fn a_first_import_of_lines_can_be_rolled_back_and_repeated() {
    let store = DuckStore::in_memory().unwrap();
    let s = shop(&store, "a");
    let o = order("1", OrderState::Paid, None);
    let records = [
        Record::line(line("1", "1", 1, 100), o.clone()),
        Record::line(line("1", "2", 1, 50), o),
    ];
    let report = import(&store, &s, &records, false);
    assert_eq!(report.get(Entity::OrderLines).unwrap().inserted, 2);
    assert_eq!(
        store.summary().unwrap()[0].order_lines,
        0,
        "a dry run writes nothing"
    );
    import(&store, &s, &records, true);
    let again = import(&store, &s, &records, true);
    assert_eq!(again.get(Entity::OrderLines).unwrap().unchanged, 2);
    let summary = &store.summary().unwrap()[0];
    assert_eq!((summary.order_lines, summary.paid_amount.minor), (2, 150));
}

#[test]
fn shops_are_kept_apart() {
    let store = DuckStore::in_memory().unwrap();
    let a = shop(&store, "a");
    let b = shop(&store, "b");
    let records = vec![Record::order(order("1", OrderState::Paid, Some(100)))];
    import(&store, &a, &records, true);
    let report = import(&store, &b, &records, true);
    assert_eq!(
        report.get(Entity::Orders).unwrap().inserted,
        1,
        "same order number, other shop"
    );
    let summaries = store.summary().unwrap();
    assert_eq!(summaries.iter().map(|s| s.orders).sum::<u64>(), 2);
}

#[test]
fn a_dry_run_and_an_abort_write_nothing() {
    let store = DuckStore::in_memory().unwrap();
    let s = shop(&store, "a");
    let records = vec![Record::order(order("1", OrderState::Paid, Some(100)))];
    let report = import(&store, &s, &records, false);
    assert_eq!(report.get(Entity::Orders).unwrap().inserted, 1);
    assert_eq!(store.summary().unwrap()[0].orders, 0);

    let mut sink = store.begin_import(&s, "x.csv", "test").unwrap();
    sink.append(1, &records[0]).unwrap();
    sink.abort().unwrap();
    assert_eq!(store.summary().unwrap()[0].orders, 0);

    // The store is usable afterwards.
    import(&store, &s, &records, true);
    assert_eq!(store.summary().unwrap()[0].orders, 1);
}

#[test]
fn quality_checks_find_what_is_wrong() {
    let store = DuckStore::in_memory().unwrap();
    let s = shop(&store, "a");
    let mut early = order("1", OrderState::Paid, Some(100));
    early.paid_at = NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0);
    let mut goods = order("2", OrderState::Completed, Some(100));
    goods.goods_amount = Some(100);
    let records = vec![
        Record::order(early),
        Record::order(order("3", OrderState::Completed, None)),
        Record::line(line("2", "1", 1, 30), goods.clone()),
        Record::line(line("2", "2", 1, 30), goods.clone()),
        Record::line(line("2", "3", -1, 30), goods),
    ];
    import(&store, &s, &records, true);
    let findings = store.quality_checks(&s).unwrap();
    let count = |kind: &str| {
        findings
            .iter()
            .find(|f| serde_json::to_value(f.kind).unwrap() == kind)
            .map(|f| f.count)
    };
    assert_eq!(count("paid_before_created"), Some(1));
    assert_eq!(count("lines_do_not_add_up"), Some(1));
    assert_eq!(count("duplicate_lines"), Some(1));
    assert_eq!(count("negative_quantity"), Some(1));
    assert_eq!(count("orders_without_lines"), Some(2));
}
