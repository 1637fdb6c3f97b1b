//! A small shop built by hand: orders with their times, buyers and lines, a traffic-source
//! report and a product report, loaded into a real DuckDB store; and a naive computation of
//! the same numbers straight from the fixture, to check the engine against.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone};
use zhanggui_domain::records::{
    LineRecord, OrderRecord, ProductDayRecord, Record, SourceDayRecord,
};
use zhanggui_domain::{
    BuyerId, LineKey, NewShop, OrderNo, OrderState, Platform, ProductCode, Shop, ShopName,
};
use zhanggui_storage::{DuckStore, Store};

pub const SOURCES: [&str; 3] = ["手淘搜索", "直通车", "淘宝客"];
pub const PRODUCTS: [&str; 4] = ["P1", "P2", "P3", "P4"];

/// The category each product is sold under.
pub fn category_of(product: &str) -> &'static str {
    match product {
        "P1" | "P2" => "女装",
        "P3" => "家居",
        _ => "厨房",
    }
}

/// One order as the fixture knows it (times are shop-local, Asia/Shanghai).
#[derive(Debug, Clone)]
pub struct Order {
    pub no: String,
    pub buyer: String,
    pub created: NaiveDateTime,
    pub paid: Option<NaiveDateTime>,
    pub shipped: Option<NaiveDateTime>,
    pub region: &'static str,
    /// (product, quantity, paid amount in fen)
    pub lines: Vec<(&'static str, i64, i64)>,
    pub refund: i64,
}

impl Order {
    pub fn amount(&self) -> i64 {
        self.lines.iter().map(|l| l.2).sum()
    }
}

pub struct Fixture {
    pub store: DuckStore,
    pub shop: Shop,
    pub orders: Vec<Order>,
    /// (day, source) → (visitors, buyers, paid amount)
    pub sources: BTreeMap<(NaiveDate, &'static str), (i64, i64, i64)>,
    /// (day, product) → (visitors, add to cart, favourites)
    pub products: BTreeMap<(NaiveDate, &'static str), (i64, i64, i64)>,
    _dir: tempfile::TempDir,
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A tiny deterministic generator (an LCG) so the fixture needs no dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

const FIRST: &str = "2025-01-01";
/// Days of the fixture: January to March 2025.
pub const DAYS: i64 = 90;

/// Builds the fixture: about 20 orders a day from 300 buyers over three months.
pub fn build() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = DuckStore::open(&dir.path().join("f.duckdb")).unwrap();
    let shop = store
        .add_shop(&NewShop::with_defaults(
            Platform::Taobao,
            ShopName::parse("fixture").unwrap(),
        ))
        .unwrap();
    let mut rng = Lcg(42);
    let mut orders = Vec::new();
    let first = day(FIRST);
    let regions = ["广东省", "浙江省", "上海"];
    for d in 0..DAYS {
        let date = first + Duration::days(d);
        let n = 15 + rng.next(10);
        for k in 0..n {
            let created =
                date.and_hms_opt(0, 0, 0).unwrap() + Duration::minutes(rng.next(24 * 60) as i64);
            // One in twelve is never paid; payment follows within an hour, so a few
            // orders placed before midnight are paid the next day.
            let paid =
                (rng.next(12) != 0).then(|| created + Duration::minutes(rng.next(60) as i64));
            let shipped = paid
                .filter(|_| rng.next(4) != 0)
                .map(|p| p + Duration::hours(2 + rng.next(60) as i64));
            let mut lines = Vec::new();
            for _ in 0..1 + rng.next(2) {
                let product = PRODUCTS[rng.next(4) as usize];
                let qty = 1 + rng.next(3) as i64;
                lines.push((product, qty, qty * (1_000 + 500 * rng.next(20) as i64)));
            }
            let refund = if rng.next(20) == 0 { lines[0].2 } else { 0 };
            orders.push(Order {
                no: format!("{}{:03}", date.format("%Y%m%d"), k),
                buyer: format!("b{}", rng.next(300)),
                created,
                paid,
                shipped,
                region: regions[rng.next(3) as usize],
                lines,
                refund,
            });
        }
    }
    let mut sources = BTreeMap::new();
    let mut products = BTreeMap::new();
    for d in 0..DAYS {
        let date = first + Duration::days(d);
        for (i, s) in SOURCES.iter().enumerate() {
            let visitors = 300 + 100 * i as i64 + rng.next(50) as i64;
            let buyers = 5 + rng.next(6) as i64;
            sources.insert((date, *s), (visitors, buyers, buyers * 3_000));
        }
        for p in PRODUCTS {
            let visitors = 150 + rng.next(100) as i64;
            products.insert(
                (date, p),
                (visitors, visitors / 10 + rng.next(5) as i64, visitors / 20),
            );
        }
    }
    load(&store, &shop, &orders, &sources, &products);
    Fixture {
        store,
        shop,
        orders,
        sources,
        products,
        _dir: dir,
    }
}

fn utc(shop: &Shop, local: NaiveDateTime) -> NaiveDateTime {
    shop.timezone
        .from_local_datetime(&local)
        .single()
        .unwrap()
        .naive_utc()
}

fn load(
    store: &DuckStore,
    shop: &Shop,
    orders: &[Order],
    sources: &BTreeMap<(NaiveDate, &'static str), (i64, i64, i64)>,
    products: &BTreeMap<(NaiveDate, &'static str), (i64, i64, i64)>,
) {
    let mut sink = store.begin_import(shop, "fixture", "test").unwrap();
    let mut row = 0;
    let mut next = || {
        row += 1;
        row
    };
    for o in orders {
        let record = OrderRecord {
            order_no: Some(OrderNo::parse(&o.no).unwrap()),
            state: Some(match (o.paid, o.shipped) {
                (None, _) => OrderState::Created,
                (Some(_), None) => OrderState::Paid,
                (Some(_), Some(_)) => OrderState::Shipped,
            }),
            created_at: Some(utc(shop, o.created)),
            paid_at: o.paid.map(|t| utc(shop, t)),
            shipped_at: o.shipped.map(|t| utc(shop, t)),
            buyer: Some(BuyerId::parse(&o.buyer).unwrap()),
            region: Some(o.region.to_owned()),
            paid_amount: Some(o.amount()),
            refund_amount: Some(o.refund),
            ..OrderRecord::default()
        };
        for (i, (product, qty, paid)) in o.lines.iter().enumerate() {
            let line = LineRecord {
                order_no: record.order_no.clone(),
                line_key: Some(LineKey::parse(&(i + 1).to_string()).unwrap()),
                product_code: Some(ProductCode::parse(product).unwrap()),
                title: Some(format!("product {product}")),
                category: Some(category_of(product).to_owned()),
                quantity: *qty,
                paid_amount: Some(*paid),
                // The refund is the first line's.
                refund_amount: (i == 0 && o.refund > 0).then_some(o.refund),
                ..LineRecord::default()
            };
            sink.append(next(), &Record::line(line, record.clone()))
                .unwrap();
        }
    }
    for ((d, s), (visitors, buyers, amount)) in sources {
        let r = SourceDayRecord {
            source: Some((*s).to_owned()),
            day: Some(*d),
            visitors: Some(*visitors),
            buyers: Some(*buyers),
            paid_amount: Some(*amount),
            ..SourceDayRecord::default()
        };
        sink.append(next(), &Record::SourceDay(Box::new(r)))
            .unwrap();
    }
    for ((d, p), (visitors, cart, fav)) in products {
        let r = ProductDayRecord {
            product_code: Some(ProductCode::parse(p).unwrap()),
            day: Some(*d),
            visitors: Some(*visitors),
            add_to_cart: Some(*cart),
            favourites: Some(*fav),
            ..ProductDayRecord::default()
        };
        sink.append(next(), &Record::ProductDay(Box::new(r)))
            .unwrap();
    }
    sink.finish(0, 0, true).unwrap();
}

/// The naive figures of a range of days, straight from the fixture.
#[derive(Debug, Default, PartialEq)]
pub struct Naive {
    pub paid_amount: i64,
    pub paid_orders: i64,
    pub paid_units: i64,
    pub paid_buyers: i64,
    pub order_buyers: i64,
    pub refund: i64,
    pub new_buyers: i64,
    pub visitors: i64,
    pub ship_seconds: i64,
    pub shipped: i64,
    pub repurchasers_30: i64,
}

impl Fixture {
    /// Computes, order by order, what the engine should say for `from..=to`.
    pub fn naive(&self, from: NaiveDate, to: NaiveDate) -> Naive {
        let within = |t: NaiveDateTime| t.date() >= from && t.date() <= to;
        let paid: Vec<&Order> = self
            .orders
            .iter()
            .filter(|o| o.paid.is_some_and(within))
            .collect();
        let buyers: BTreeSet<&str> = paid.iter().map(|o| o.buyer.as_str()).collect();
        let first_paid = |b: &str| {
            self.orders
                .iter()
                .filter(|o| o.buyer == b)
                .filter_map(|o| o.paid)
                .min()
        };
        let mut n = Naive {
            paid_amount: paid.iter().map(|o| o.amount()).sum(),
            paid_orders: paid.len() as i64,
            paid_units: paid.iter().flat_map(|o| &o.lines).map(|l| l.1).sum(),
            paid_buyers: buyers.len() as i64,
            order_buyers: self
                .orders
                .iter()
                .filter(|o| within(o.created))
                .map(|o| o.buyer.as_str())
                .collect::<BTreeSet<_>>()
                .len() as i64,
            refund: paid.iter().map(|o| o.refund).sum(),
            new_buyers: buyers
                .iter()
                .filter(|b| first_paid(b).is_some_and(|t| t.date() >= from))
                .count() as i64,
            visitors: self
                .sources
                .iter()
                .filter(|((d, _), _)| *d >= from && *d <= to)
                .map(|(_, v)| v.0)
                .sum(),
            ..Naive::default()
        };
        for o in &paid {
            if let (Some(p), Some(s)) = (o.paid, o.shipped) {
                n.ship_seconds += (s - p).num_seconds();
                n.shipped += 1;
            }
        }
        for b in &buyers {
            let mut times: Vec<NaiveDateTime> = self
                .orders
                .iter()
                .filter(|o| o.buyer == *b)
                .filter_map(|o| o.paid)
                .collect();
            times.sort();
            let Some(first) = times.iter().copied().find(|t| within(*t)) else {
                continue;
            };
            if times
                .iter()
                .any(|t| *t > first && *t <= first + Duration::days(30))
            {
                n.repurchasers_30 += 1;
            }
        }
        n
    }
}
