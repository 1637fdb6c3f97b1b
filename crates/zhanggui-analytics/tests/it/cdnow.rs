//! The BG/NBD fit against the published CDNOW results (Fader, Hardie & Lee 2005), on the
//! customers' (frequency, recency, T) summary of `../shared/data/cdnow`.

use std::path::Path;

use zhanggui_analytics::members::bgnbd::{BgNbd, Customer};
use zhanggui_analytics::members::pareto::ParetoNbd;

fn summary() -> Option<Vec<Customer>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/cdnow/cdnow_customers_summary.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} is absent", path.display());
        return None;
    };
    Some(
        text.lines()
            .skip(1)
            .map(|line| {
                let v: Vec<f64> = line.split(',').map(|c| c.parse().unwrap()).collect();
                Customer {
                    frequency: v[1],
                    recency: v[2],
                    age: v[3],
                }
            })
            .collect(),
    )
}

#[test]
fn bg_nbd_reproduces_the_published_cdnow_fit() {
    let Some(customers) = summary() else { return };
    assert_eq!(customers.len(), 2_357);
    let m = BgNbd::fit(&customers);
    let close = |got: f64, want: f64, tol: f64| (got - want).abs() < tol;
    assert!(close(m.r, 0.243, 0.0005), "r = {}", m.r);
    assert!(close(m.alpha, 4.414, 0.0005), "alpha = {}", m.alpha);
    assert!(close(m.a, 0.793, 0.0005), "a = {}", m.a);
    assert!(close(m.b, 2.426, 0.0005), "b = {}", m.b);
    assert!(
        close(m.log_likelihood, -9582.4, 0.05),
        "LL = {}",
        m.log_likelihood
    );
    let se = m.std_errors.expect("standard errors");
    assert!(se.iter().all(|s| *s > 0.0 && *s < 1.0), "{se:?}");
    let c = Customer {
        frequency: 2.0,
        recency: 30.43,
        age: 38.86,
    };
    let expected = m.expected_purchases(&c, 39.0);
    assert!(close(expected, 1.226, 0.0005), "E[Y(39)] = {expected}");
    let alive = m.probability_alive(&c);
    assert!((0.0..=1.0).contains(&alive));
}

/// The Pareto/NBD fit on the same summary, as published by Fader, Hardie & Lee ("A Note on
/// Implementing the Pareto/NBD Model in MATLAB", 2005) and reproduced by the `lifetimes`
/// package: r = 0.55, α = 10.58, s = 0.61, β = 11.67, log-likelihood −9595.0.
#[test]
fn pareto_nbd_reproduces_the_published_cdnow_fit() {
    let Some(customers) = summary() else { return };
    let m = ParetoNbd::fit(&customers);
    let close = |got: f64, want: f64, tol: f64| (got - want).abs() < tol;
    assert!(close(m.r, 0.553, 0.005), "r = {}", m.r);
    assert!(close(m.alpha, 10.58, 0.05), "alpha = {}", m.alpha);
    assert!(close(m.s, 0.606, 0.005), "s = {}", m.s);
    assert!(close(m.beta, 11.67, 0.05), "beta = {}", m.beta);
    assert!(
        close(m.log_likelihood, -9595.0, 0.1),
        "LL = {}",
        m.log_likelihood
    );
    assert!(m.std_errors.is_some());
    // Over the whole base, both models expect about as many repeat purchases in the next
    // 39 weeks (the published holdout count is 1,359 repeat transactions for weeks 40-78).
    let bg = BgNbd::fit(&customers);
    let total = |f: &dyn Fn(&Customer) -> f64| customers.iter().map(f).sum::<f64>();
    let p = total(&|c| m.expected_purchases(c, 39.0));
    let b = total(&|c| bg.expected_purchases(c, 39.0));
    assert!((p - b).abs() / b < 0.05, "Pareto/NBD {p} vs BG/NBD {b}");
    assert!((1_100.0..1_700.0).contains(&p), "{p}");
    let alive: Vec<f64> = customers.iter().map(|c| m.probability_alive(c)).collect();
    assert!(alive.iter().all(|a| (0.0..=1.0).contains(a)));
}
