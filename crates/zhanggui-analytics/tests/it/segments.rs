//! What segment filters read, against a naive computation on the fixture: each buyer's
//! region and categories, repeat rates by the first order's category; and a filter's
//! round trip through storage.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDateTime};
use zhanggui_analytics::members::filter::Filter;
use zhanggui_analytics::members::profile::members;
use zhanggui_storage::{FirstOrderBy, Store};

use crate::fixture::{build, category_of, day};

#[test]
fn profiles_and_first_order_repeats_match_a_naive_computation() {
    let f = build();
    let until = day("2025-03-20");
    let end = until.and_hms_opt(0, 0, 0).unwrap() + Duration::days(1);
    // Paid orders up to the end of `until`, by buyer, in payment order.
    let mut paid: BTreeMap<&str, Vec<(NaiveDateTime, &crate::fixture::Order)>> = BTreeMap::new();
    for o in &f.orders {
        if let Some(t) = o.paid.filter(|t| *t < end) {
            paid.entry(o.buyer.as_str()).or_default().push((t, o));
        }
    }
    for list in paid.values_mut() {
        list.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.no.cmp(&b.1.no)));
    }
    let profiles = f.store.customer_profiles(&f.shop, until).unwrap();
    assert_eq!(profiles.len(), paid.len());
    for p in &profiles {
        let list = &paid[p.buyer.as_str()];
        let latest = list.iter().max_by_key(|(t, _)| *t).unwrap();
        assert_eq!(p.region.as_deref(), Some(latest.1.region), "{}", p.buyer);
        let cats: BTreeSet<&str> = list
            .iter()
            .flat_map(|(_, o)| o.lines.iter().map(|l| category_of(l.0)))
            .collect();
        let got: BTreeSet<&str> = p.categories.iter().map(String::as_str).collect();
        assert_eq!(got, cats, "{}", p.buyer);
    }

    // Repeat within 30 days of the first order, by each category that order held.
    let mut want: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for list in paid.values() {
        let (first, order) = list[0];
        if first + Duration::days(30) >= end {
            continue;
        }
        let again = list
            .iter()
            .any(|(t, _)| *t > first && *t <= first + Duration::days(30));
        let cats: BTreeSet<&str> = order.lines.iter().map(|l| category_of(l.0)).collect();
        for c in cats {
            let e = want.entry(c).or_default();
            e.0 += 1;
            e.1 += i64::from(again);
        }
    }
    let got = f
        .store
        .first_order_repeats(&f.shop, until, FirstOrderBy::Category)
        .unwrap();
    let got: BTreeMap<&str, (i64, i64)> = got
        .iter()
        .map(|r| (r.group.as_str(), (r.eligible_30, r.repeated_30)))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_filter_round_trips_through_storage_and_selects_what_it_says() {
    let f = build();
    let filter = Filter::parse(
        "(category has 女装 or region contains 浙江) and orders >= 2 and not segment = 一般挽留客户",
    )
    .unwrap();
    let json = serde_json::to_string(&filter).unwrap();
    f.store
        .save_segment(&f.shop, "女装老客", &json, Some("boss"))
        .unwrap();
    let saved = f.store.segments(&f.shop).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].saved_by.as_deref(), Some("boss"));
    let back: Filter = serde_json::from_str(&saved[0].filter).unwrap();
    assert_eq!(back, filter);
    // Saving under the same name replaces.
    let other = Filter::parse("orders >= 3").unwrap();
    f.store
        .save_segment(
            &f.shop,
            "女装老客",
            &serde_json::to_string(&other).unwrap(),
            None,
        )
        .unwrap();
    let saved = f.store.segments(&f.shop).unwrap();
    assert_eq!(saved.len(), 1);
    assert_eq!(
        serde_json::from_str::<Filter>(&saved[0].filter).unwrap(),
        other
    );

    // The selection agrees with each member's own fields.
    let base = members(&f.store, &f.shop, None).unwrap();
    let chosen = base.select(&filter).unwrap();
    let expected = base
        .members
        .iter()
        .filter(|m| {
            (m.categories.iter().any(|c| c == "女装")
                || m.region.as_deref().is_some_and(|r| r.contains("浙江")))
                && m.orders >= 2
                && m.segment.zh() != "一般挽留客户"
        })
        .count();
    assert_eq!(chosen.len(), expected);
    assert!(chosen.windows(2).all(|w| w[0].spend >= w[1].spend));
    // Three months of a small shop are too few for predictions: a filter on them is refused.
    if base.no_predictions.is_some() {
        let on_prediction = Filter::parse("p_alive < 0.5").unwrap();
        assert!(base.select(&on_prediction).is_err());
    }

    assert!(f.store.delete_segment(&f.shop, "女装老客").unwrap());
    assert!(!f.store.delete_segment(&f.shop, "女装老客").unwrap());
    assert!(f.store.segments(&f.shop).unwrap().is_empty());
}

#[test]
fn cohorts_match_a_naive_computation() {
    use chrono::Datelike;
    use zhanggui_analytics::members::cohorts::cohorts;
    let f = build();
    let until = day("2025-03-20");
    let end = until.and_hms_opt(0, 0, 0).unwrap() + Duration::days(1);
    let mut paid: BTreeMap<&str, Vec<NaiveDateTime>> = BTreeMap::new();
    for o in &f.orders {
        if let Some(t) = o.paid.filter(|t| *t < end) {
            paid.entry(o.buyer.as_str()).or_default().push(t);
        }
    }
    let month = |t: NaiveDateTime| i64::from(t.year()) * 12 + i64::from(t.month0());
    // (cohort month, months after) → buyers; cohort → (eligible, repeated) at 30 and 90 days.
    let mut active: BTreeMap<(i64, i64), BTreeSet<&str>> = BTreeMap::new();
    let mut repeat: BTreeMap<i64, [i64; 4]> = BTreeMap::new();
    for (buyer, times) in &paid {
        let mut times = times.clone();
        times.sort();
        let first = times[0];
        for t in &times {
            active
                .entry((month(first), month(*t) - month(first)))
                .or_default()
                .insert(buyer);
        }
        let next = times.iter().find(|t| **t > first);
        let r = repeat.entry(month(first)).or_default();
        for (k, days) in [(0, 30), (2, 90)] {
            if first + Duration::days(days) < end {
                r[k] += 1;
                r[k + 1] += i64::from(next.is_some_and(|n| *n <= first + Duration::days(days)));
            }
        }
    }
    // What each cohort paid: every paid order of its buyers.
    let mut amount: BTreeMap<i64, i64> = BTreeMap::new();
    for o in &f.orders {
        if o.paid.is_some_and(|t| t < end) {
            let first = paid[o.buyer.as_str()].iter().min().copied().unwrap();
            *amount.entry(month(first)).or_default() += o.amount();
        }
    }
    let c = cohorts(&f.store, &f.shop, Some(until)).unwrap();
    assert_eq!(c.cohorts.len(), 3, "January to March");
    for (i, cohort) in c.cohorts.iter().enumerate() {
        let m = 2025 * 12 + i as i64;
        for (k, got) in cohort.active.iter().enumerate() {
            let want = active.get(&(m, k as i64)).map_or(0, |s| s.len() as i64);
            assert_eq!(*got, want, "{} M{k}", cohort.cohort);
        }
        assert_eq!(cohort.amount, amount[&m], "{} revenue", cohort.cohort);
        let r = repeat[&m];
        let rate = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
        assert_eq!(cohort.repeat_30, rate(r[1], r[0]), "{}", cohort.cohort);
        assert_eq!(cohort.repeat_90, rate(r[3], r[2]), "{}", cohort.cohort);
    }
    // The whole shop: every first buyer whose window ended.
    let sum = |k: usize| repeat.values().map(|r| r[k]).sum::<i64>();
    assert_eq!(c.repeat_30, Some(sum(1) as f64 / sum(0) as f64));
}
