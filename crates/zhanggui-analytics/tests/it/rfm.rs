//! RFM scores and segments against an independent computation on generated customers.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use zhanggui_analytics::members::rfm::{score, summarize, History, Segment};

#[test]
fn scores_and_segments_agree_with_a_naive_computation() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let histories: Vec<History> = (0..997)
        .map(|i| History {
            buyer: format!("b{i}"),
            recency_days: rng.random_range(0..400),
            orders: rng.random_range(1..12),
            amount: rng.random_range(1_000..500_000),
        })
        .collect();
    let scored = score(histories.clone(), 5);
    // Naively: a score is 1 + (how many customers have a strictly smaller key) * 5 / n.
    let n = histories.len();
    let naive = |key: &dyn Fn(&History) -> i64, h: &History| -> u32 {
        let below = histories.iter().filter(|o| key(o) < key(h)).count();
        1 + (below * 5 / n) as u32
    };
    let mean = |f: &dyn Fn(&History) -> u32| {
        histories.iter().map(|h| f64::from(f(h))).sum::<f64>() / n as f64
    };
    let r_of = |h: &History| naive(&|o: &History| -o.recency_days, h);
    let f_of = |h: &History| naive(&|o: &History| o.orders, h);
    let m_of = |h: &History| naive(&|o: &History| o.amount, h);
    let (mr, mf, mm) = (mean(&r_of), mean(&f_of), mean(&m_of));
    for s in &scored {
        let h = &s.history;
        assert_eq!((s.r, s.f, s.m), (r_of(h), f_of(h), m_of(h)), "{}", h.buyer);
        let want = Segment::of(
            f64::from(r_of(h)) > mr,
            f64::from(f_of(h)) > mf,
            f64::from(m_of(h)) > mm,
        );
        assert_eq!(s.segment, want, "{}", h.buyer);
    }
    // Every score from 1 to 5 is used, and the segments cover everyone and all revenue.
    for k in 1..=5 {
        assert!(scored.iter().any(|s| s.r == k) && scored.iter().any(|s| s.m == k));
    }
    let summary = summarize(&scored);
    assert_eq!(summary.len(), 8);
    assert_eq!(summary.iter().map(|s| s.customers).sum::<usize>(), n);
    let total: i64 = histories.iter().map(|h| h.amount).sum();
    assert_eq!(summary.iter().map(|s| s.amount).sum::<i64>(), total);
    assert!((summary.iter().map(|s| s.amount_share).sum::<f64>() - 1.0).abs() < 1e-9);
}
