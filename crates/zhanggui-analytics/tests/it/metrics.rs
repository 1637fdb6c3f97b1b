//! The engine against a naive computation, order by order.

use zhanggui_analytics::engine::evaluate_in;
use zhanggui_analytics::why::Factor;
use zhanggui_analytics::{report, Compare, PeriodSpec, ReportRequest};
use zhanggui_domain::metrics::{metric, Measure};
use zhanggui_storage::{DayRange, GroupBy, Store};

use crate::fixture::{build, day, SOURCES};

#[test]
fn measures_match_a_naive_computation() {
    let f = build();
    for (from, to) in [("2025-01-01", "2025-01-31"), ("2025-02-10", "2025-02-16")] {
        let (from, to) = (day(from), day(to));
        let t = f
            .store
            .measures(&f.shop, DayRange::new(from, to), GroupBy::Total)
            .unwrap();
        let row = t.row("total").unwrap();
        let n = f.naive(from, to);
        let got = |m: Measure| row.get(m).unwrap();
        assert_eq!(got(Measure::PaidAmount), n.paid_amount, "{from}");
        assert_eq!(got(Measure::PaidOrders), n.paid_orders);
        assert_eq!(got(Measure::PaidUnits), n.paid_units);
        assert_eq!(got(Measure::PaidBuyers), n.paid_buyers);
        assert_eq!(got(Measure::OrderBuyers), n.order_buyers);
        assert_eq!(got(Measure::RefundAmount), n.refund);
        assert_eq!(got(Measure::NewBuyers), n.new_buyers);
        assert_eq!(got(Measure::ReturningBuyers), n.paid_buyers - n.new_buyers);
        assert_eq!(got(Measure::Visitors), n.visitors);
        assert_eq!(got(Measure::ShipSeconds), n.ship_seconds);
        assert_eq!(got(Measure::ShippedOrders), n.shipped);
        assert_eq!(got(Measure::Repurchasers30), n.repurchasers_30);
    }
}

#[test]
fn days_follow_the_shop_time_zone_and_add_up() {
    let f = build();
    let range = DayRange::new(day("2025-01-01"), day("2025-01-31"));
    let by_day = f.store.measures(&f.shop, range, GroupBy::Day).unwrap();
    assert_eq!(by_day.rows.len(), 31);
    for d in ["2025-01-01", "2025-01-15", "2025-01-31"] {
        let n = f.naive(day(d), day(d));
        let row = by_day.row(d).unwrap();
        assert_eq!(row.get(Measure::PaidAmount), Some(n.paid_amount), "{d}");
        assert_eq!(row.get(Measure::PaidBuyers), Some(n.paid_buyers), "{d}");
    }
    // Weeks start on Monday; the range cuts the first one short.
    let by_week = f.store.measures(&f.shop, range, GroupBy::Week).unwrap();
    let week = by_week.row("2025-01-13").unwrap();
    let n = f.naive(day("2025-01-13"), day("2025-01-19"));
    assert_eq!(week.get(Measure::PaidBuyers), Some(n.paid_buyers));
    assert_eq!(week.get(Measure::NewBuyers), Some(n.new_buyers));
    assert_eq!(week.get(Measure::OrderBuyers), Some(n.order_buyers));
    let first = by_week.row("2024-12-30").unwrap();
    let n = f.naive(day("2025-01-01"), day("2025-01-05"));
    assert_eq!(first.get(Measure::PaidBuyers), Some(n.paid_buyers));
    assert_eq!(first.get(Measure::NewBuyers), Some(n.new_buyers));
    let total: i64 = by_day
        .rows
        .iter()
        .map(|r| r.get(Measure::PaidAmount).unwrap())
        .sum();
    assert_eq!(total, f.naive(range.from, range.to).paid_amount);
}

#[test]
fn sources_and_products_come_from_their_reports() {
    let f = build();
    let range = DayRange::new(day("2025-02-01"), day("2025-02-28"));
    let by_source = f.store.measures(&f.shop, range, GroupBy::Source).unwrap();
    for s in SOURCES {
        let expected: i64 = f
            .sources
            .iter()
            .filter(|((d, name), _)| *name == s && *d >= range.from && *d <= range.to)
            .map(|(_, v)| v.0)
            .sum();
        assert_eq!(
            by_source.row(s).unwrap().get(Measure::Visitors),
            Some(expected)
        );
    }
    assert!(by_source.missing.contains_key(&Measure::RefundAmount));
    let by_product = f.store.measures(&f.shop, range, GroupBy::Product).unwrap();
    let p1 = by_product.row("P1").unwrap();
    let expected_units: i64 = f
        .orders
        .iter()
        .filter(|o| {
            o.paid
                .is_some_and(|t| t.date() >= range.from && t.date() <= range.to)
        })
        .flat_map(|o| &o.lines)
        .filter(|l| l.0 == "P1")
        .map(|l| l.1)
        .sum();
    assert_eq!(p1.get(Measure::PaidUnits), Some(expected_units));
    // Orders and buyers of P1 counted once each, however many P1 lines an order has.
    let p1_orders: Vec<_> = f
        .orders
        .iter()
        .filter(|o| {
            o.paid
                .is_some_and(|t| t.date() >= range.from && t.date() <= range.to)
        })
        .filter(|o| o.lines.iter().any(|l| l.0 == "P1"))
        .collect();
    assert_eq!(p1.get(Measure::PaidOrders), Some(p1_orders.len() as i64));
    let buyers: std::collections::BTreeSet<_> = p1_orders.iter().map(|o| &o.buyer).collect();
    assert_eq!(p1.get(Measure::PaidBuyers), Some(buyers.len() as i64));
    let refunded = p1_orders
        .iter()
        .filter(|o| o.refund > 0 && o.lines[0].0 == "P1")
        .count() as i64;
    assert_eq!(p1.get(Measure::RefundedOrders), Some(refunded));
    let ordering: std::collections::BTreeSet<_> = f
        .orders
        .iter()
        .filter(|o| o.created.date() >= range.from && o.created.date() <= range.to)
        .filter(|o| o.lines.iter().any(|l| l.0 == "P1"))
        .map(|o| &o.buyer)
        .collect();
    assert_eq!(p1.get(Measure::OrderBuyers), Some(ordering.len() as i64));
    assert_eq!(p1.label.as_deref(), Some("product P1"));
    let cart = metric("add_to_cart_rate").unwrap();
    let (v, c): (i64, i64) = f
        .products
        .iter()
        .filter(|((d, p), _)| *p == "P1" && *d >= range.from && *d <= range.to)
        .fold((0, 0), |(v, c), (_, x)| (v + x.0, c + x.1));
    assert_eq!(
        evaluate_in(cart, &by_product, "P1").value,
        Some(c as f64 / v as f64)
    );
}

#[test]
fn what_the_data_cannot_give_is_unavailable_with_the_reason() {
    let f = build();
    let march = DayRange::new(day("2025-03-01"), day("2025-03-31"));
    let by_region = f.store.measures(&f.shop, march, GroupBy::Region).unwrap();
    let conv = metric("pay_conversion").unwrap();
    let v = evaluate_in(conv, &by_region, "广东省");
    assert_eq!(v.value, None);
    assert!(v.unavailable.unwrap().contains("by region"));
    let total = f.store.measures(&f.shop, march, GroupBy::Total).unwrap();
    let rep = evaluate_in(metric("repurchase_rate_30d").unwrap(), &total, "total");
    assert_eq!(rep.value, None);
    assert!(rep.unavailable.unwrap().contains("30 days of orders after"));
    // Days before the reports begin: visitors are missing, not zero.
    let before = DayRange::new(day("2024-12-01"), day("2024-12-31"));
    let t = f.store.measures(&f.shop, before, GroupBy::Total).unwrap();
    assert!(t.missing.contains_key(&Measure::Visitors));
    assert_eq!(t.row("total").unwrap().get(Measure::PaidAmount), Some(0));
}

#[test]
fn the_report_compares_and_splits_the_change_to_the_cent() {
    let f = build();
    let r = report(
        &f.store,
        &f.shop,
        ReportRequest {
            period: PeriodSpec::parse("2025-03").unwrap(),
            compare: Compare::Previous,
            anchor: None,
        },
    )
    .unwrap();
    assert_eq!(
        (r.period.from, r.period.to),
        (day("2025-03-01"), day("2025-03-31"))
    );
    assert_eq!(r.compared_with.from, day("2025-02-01"));
    let (now, before) = (
        f.naive(day("2025-03-01"), day("2025-03-31")),
        f.naive(day("2025-02-01"), day("2025-02-28")),
    );
    let kpi = |id: &str| r.kpis.iter().find(|k| k.id == id).unwrap();
    assert_eq!(
        kpi("paid_amount").current.value,
        Some(now.paid_amount as f64)
    );
    assert_eq!(
        kpi("paid_amount").previous.value,
        Some(before.paid_amount as f64)
    );
    assert_eq!(
        kpi("pay_conversion").current.value,
        Some(now.paid_buyers as f64 / now.visitors as f64)
    );
    let split = r.why.shop.as_ref().unwrap();
    assert_eq!(split.change, now.paid_amount - before.paid_amount);
    let parts: i64 = split.parts.iter().map(|p| p.amount).sum();
    assert_eq!(parts, split.change, "the parts add up to the cent");
    for g in r.why.by_source.iter().chain(&r.why.by_product) {
        let parts: i64 = g.split.parts.iter().map(|p| p.amount).sum();
        assert_eq!(parts, g.split.change, "{}", g.group);
    }
    // More visitors in March (31 days against 28) show as a positive visitors part.
    assert!(now.visitors > before.visitors);
    assert!(split.part(Factor::Visitors) > 0);
    assert!(r.why.headline.as_deref().unwrap().starts_with("sales "));
    assert!(r.why.headline_zh.as_deref().unwrap().starts_with("销售额 "));
}

#[test]
fn an_unchanged_store_shows_no_significant_change() {
    // Every month of the fixture comes from the same process: whatever the diagnosis
    // reports, it must not claim that something changed.
    let f = build();
    let d = zhanggui_analytics::diagnose(
        &f.store,
        &f.shop,
        zhanggui_analytics::DiagnoseRequest {
            period: PeriodSpec::parse("2025-03").unwrap(),
            compare: Compare::Previous,
            anchor: None,
            thresholds: None,
        },
    )
    .unwrap();
    assert!(d.tests > 10, "the rules ran their tests: {}", d.tests);
    let changes: Vec<&str> = d
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.rule,
                "shop_conversion_change"
                    | "refund_spike"
                    | "product_conversion_change"
                    | "product_conversion_break"
                    | "product_traffic_break"
                    | "source_traffic_change"
                    | "source_conversion_change"
            )
        })
        .map(|f| f.title.as_str())
        .collect();
    assert!(changes.is_empty(), "{changes:?}");
}

#[test]
fn a_later_import_shows_in_the_next_report() {
    use zhanggui_domain::records::{OrderRecord, Record};
    use zhanggui_domain::{OrderNo, OrderState};
    let f = build();
    let day_range = DayRange::new(day("2025-02-03"), day("2025-02-03"));
    let paid = |f: &crate::fixture::Fixture| {
        f.store
            .measures(&f.shop, day_range, GroupBy::Total)
            .unwrap()
            .row("total")
            .unwrap()
            .get(Measure::PaidAmount)
            .unwrap()
    };
    let before = paid(&f);
    // 2025-02-03 12:00 in Shanghai is 04:00 UTC.
    let at = day("2025-02-03").and_hms_opt(4, 0, 0);
    let mut sink = f.store.begin_import(&f.shop, "late.csv", "test").unwrap();
    let order = OrderRecord {
        order_no: Some(OrderNo::parse("late-1").unwrap()),
        state: Some(OrderState::Paid),
        created_at: at,
        paid_at: at,
        paid_amount: Some(12_345),
        ..OrderRecord::default()
    };
    sink.append(1, &Record::order(order)).unwrap();
    sink.finish(1, 0, true).unwrap();
    assert_eq!(paid(&f), before + 12_345);
}

#[test]
fn today_so_far_compares_the_same_time_of_day() {
    let f = build();
    let at = day("2025-02-03").and_hms_opt(12, 0, 0).unwrap();
    let t = zhanggui_analytics::today(&f.store, &f.shop, Some(at)).unwrap();
    assert_eq!(t.cut, at);
    let paid_before_noon = |d: chrono::NaiveDate| -> i64 {
        f.orders
            .iter()
            .filter(|o| {
                o.paid
                    .is_some_and(|p| p.date() == d && p.time() < at.time())
            })
            .map(|o| o.amount())
            .sum()
    };
    let kpi = t.kpis.iter().find(|k| k.id == "paid_amount").unwrap();
    assert_eq!(
        kpi.today.value,
        Some(paid_before_noon(day("2025-02-03")) as f64)
    );
    assert_eq!(
        kpi.yesterday.value,
        Some(paid_before_noon(day("2025-02-02")) as f64)
    );
    assert_eq!(
        kpi.week_ago.value,
        Some(paid_before_noon(day("2025-01-27")) as f64)
    );
    // Traffic comes in whole days: no conversion for part of a day.
    assert!(t.kpis.iter().all(|k| k.id != "pay_conversion"));
}

#[test]
fn regions_and_hours_group_orders_and_buyers() {
    let f = build();
    let range = DayRange::new(day("2025-02-01"), day("2025-02-28"));
    let within = |o: &&crate::fixture::Order| {
        o.paid
            .is_some_and(|t| t.date() >= range.from && t.date() <= range.to)
    };
    let by_region = f.store.measures(&f.shop, range, GroupBy::Region).unwrap();
    for region in ["广东省", "浙江省", "上海"] {
        let orders: Vec<_> = f
            .orders
            .iter()
            .filter(within)
            .filter(|o| o.region == region)
            .collect();
        let buyers: std::collections::BTreeSet<_> = orders.iter().map(|o| &o.buyer).collect();
        let row = by_region.row(region).unwrap();
        assert_eq!(
            row.get(Measure::PaidAmount),
            Some(orders.iter().map(|o| o.amount()).sum::<i64>())
        );
        assert_eq!(
            row.get(Measure::PaidBuyers),
            Some(buyers.len() as i64),
            "{region}"
        );
    }
    let by_hour = f.store.measures(&f.shop, range, GroupBy::Hour).unwrap();
    let nine: Vec<_> = f
        .orders
        .iter()
        .filter(within)
        .filter(|o| o.paid.is_some_and(|t| chrono::Timelike::hour(&t) == 9))
        .collect();
    let buyers: std::collections::BTreeSet<_> = nine.iter().map(|o| &o.buyer).collect();
    let row = by_hour.row("09").unwrap();
    assert_eq!(row.get(Measure::PaidOrders), Some(nine.len() as i64));
    assert_eq!(row.get(Measure::PaidBuyers), Some(buyers.len() as i64));
}
