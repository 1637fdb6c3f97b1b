//! The derived facts refreshed after each import recompute only what the import touched;
//! whatever the sequence of imports, they equal the facts a full rebuild gives.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use zhanggui_domain::records::{LineRecord, OrderRecord, Record};
use zhanggui_domain::{
    BuyerId, LineKey, NewShop, OrderNo, OrderState, Platform, ProductCode, Shop, ShopName,
};
use zhanggui_storage::{DuckStore, FactsRefresh, Store};

/// One order as a file shows it: who bought, when, in what state, and its lines.
#[derive(Debug, Clone)]
struct Order {
    no: u8,
    buyer: Option<u8>,
    state: u8,
    created_hours: i64,
    paid_after_minutes: Option<i64>,
    paid: Option<i64>,
    lines: Vec<Line>,
}

#[derive(Debug, Clone)]
struct Line {
    key: u8,
    product: u8,
    quantity: i64,
    paid: i64,
    refund: i64,
}

/// One import: some orders, as an order report (orders only), a line report (lines with
/// what they say of their order), or both.
#[derive(Debug, Clone)]
struct Import {
    orders: Vec<Order>,
    with_orders: bool,
    with_lines: bool,
}

fn line() -> impl Strategy<Value = Line> {
    (
        0u8..3,
        0u8..5,
        1i64..4,
        100i64..5_000,
        prop_oneof![3 => Just(0i64), 1 => 1i64..500],
    )
        .prop_map(|(key, product, quantity, paid, refund)| Line {
            key,
            product,
            quantity,
            paid,
            refund,
        })
}

fn order() -> impl Strategy<Value = Order> {
    (
        0u8..24,
        prop::option::weighted(0.85, 0u8..6),
        0u8..5,
        0i64..24 * 60,
        prop::option::weighted(0.8, 0i64..600),
        prop::option::weighted(0.7, 100i64..20_000),
        prop::collection::vec(line(), 0..3),
    )
        .prop_map(
            |(no, buyer, state, created_hours, paid_after_minutes, paid, lines)| Order {
                no,
                buyer,
                state,
                created_hours,
                paid_after_minutes,
                paid,
                lines,
            },
        )
}

fn import() -> impl Strategy<Value = Import> {
    (
        prop::collection::vec(order(), 1..8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(orders, a, b)| Import {
            orders,
            with_orders: a || !b,
            with_lines: b,
        })
}

fn state(code: u8) -> OrderState {
    [
        OrderState::Created,
        OrderState::Paid,
        OrderState::Shipped,
        OrderState::Completed,
        OrderState::Closed,
    ][code as usize % 5]
}

fn records(import: &Import) -> Vec<Record> {
    let start: NaiveDateTime = NaiveDate::from_ymd_opt(2025, 3, 1)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let mut out = Vec::new();
    for o in &import.orders {
        let created = start + Duration::hours(o.created_hours);
        let header = OrderRecord {
            order_no: Some(OrderNo::parse(&format!("T{:03}", o.no)).unwrap()),
            state: Some(state(o.state)),
            created_at: Some(created),
            paid_at: o.paid_after_minutes.map(|m| created + Duration::minutes(m)),
            buyer: o
                .buyer
                .map(|b| BuyerId::parse(&format!("buyer-{b}")).unwrap()),
            region: Some(["浙江", "广东"][o.no as usize % 2].to_owned()),
            paid_amount: o.paid,
            ..OrderRecord::default()
        };
        if import.with_orders {
            out.push(Record::order(header.clone()));
        }
        if import.with_lines {
            for l in &o.lines {
                out.push(Record::line(
                    LineRecord {
                        order_no: header.order_no.clone(),
                        line_key: Some(LineKey::parse(&format!("{}-{}", o.no, l.key)).unwrap()),
                        product_code: Some(ProductCode::parse(&format!("P{}", l.product)).unwrap()),
                        quantity: l.quantity,
                        paid_amount: Some(l.paid),
                        refund_amount: Some(l.refund),
                        ..LineRecord::default()
                    },
                    header.clone(),
                ));
            }
        }
    }
    out
}

fn shop(store: &DuckStore) -> Shop {
    store
        .add_shop(&NewShop::with_defaults(
            Platform::Taobao,
            ShopName::parse("facts").unwrap(),
        ))
        .unwrap()
}

fn load(store: &DuckStore, shop: &Shop, records: &[Record]) {
    let mut sink = store.begin_import(shop, "step.csv", "test").unwrap();
    for (i, r) in records.iter().enumerate() {
        sink.append(i as u64 + 1, r).unwrap();
    }
    sink.finish(records.len() as u64, 0, true).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn facts_refreshed_after_each_import_equal_a_full_rebuild(
        steps in prop::collection::vec(import(), 2..6)
    ) {
        let store = DuckStore::in_memory().unwrap();
        let s = shop(&store);
        for step in &steps {
            load(&store, &s, &records(step));
            // What a report does after an import, but never falling back to a full
            // rebuild for a large share: the touched orders and their buyers only.
            store.refresh_facts(&s, FactsRefresh::Touched).unwrap();
        }
        let incremental = store.facts_snapshot(&s).unwrap();
        store.refresh_facts(&s, FactsRefresh::Full).unwrap();
        let full = store.facts_snapshot(&s).unwrap();
        prop_assert!(!full.is_empty());
        prop_assert_eq!(incremental, full);
    }
}

#[test]
fn a_refresh_recomputes_the_buyers_an_import_touched_and_nothing_is_left_pending() {
    let store = DuckStore::in_memory().unwrap();
    let s = shop(&store);
    let at = |h: i64| Order {
        no: h as u8,
        buyer: Some(1),
        state: 3,
        created_hours: h,
        paid_after_minutes: Some(5),
        paid: Some(1_000),
        lines: vec![Line {
            key: 0,
            product: 0,
            quantity: 1,
            paid: 1_000,
            refund: 0,
        }],
    };
    let both = |orders: Vec<Order>| Import {
        orders,
        with_orders: true,
        with_lines: true,
    };
    load(&store, &s, &records(&both(vec![at(10), at(20)])));
    store.refresh(&s).unwrap();
    // A later export brings the same buyer's earlier order: the two known orders' previous
    // and first purchases change, though the import did not name them.
    load(&store, &s, &records(&both(vec![at(1)])));
    store.refresh_facts(&s, FactsRefresh::Touched).unwrap();
    let after = store.facts_snapshot(&s).unwrap();
    store.refresh_facts(&s, FactsRefresh::Full).unwrap();
    assert_eq!(after, store.facts_snapshot(&s).unwrap());
    let first_paid_of_t010 = after
        .iter()
        .find(|r| r.starts_with("order|T010|"))
        .unwrap()
        .split('|')
        .nth(12)
        .unwrap()
        .to_owned();
    assert!(
        first_paid_of_t010.starts_with("2025-03-01 09:05"),
        "the buyer's first purchase is now the order of hour 1 (shop-local +8): {first_paid_of_t010}"
    );
    // The same file again changes nothing and the refresh has nothing to do.
    load(&store, &s, &records(&both(vec![at(1)])));
    store.refresh(&s).unwrap();
    assert_eq!(after, store.facts_snapshot(&s).unwrap());
}
