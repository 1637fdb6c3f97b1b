//! Gamma-Gamma recovers the parameters it was generated with, and lifetime value adds up.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::simulate::{bgnbd_base, gamma, Truth};
use zhanggui_analytics::members::bgnbd::{BgNbd, Customer};
use zhanggui_analytics::members::spend::{lifetime_value, GammaGamma, Spend};

#[test]
fn gamma_gamma_recovers_the_parameters_it_was_generated_with() {
    let (p, q, g) = (6.0, 4.0, 15.0);
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let spends: Vec<Spend> = (0..20_000)
        .map(|_| {
            let orders = rng.random_range(1..=8u32);
            let nu = gamma(&mut rng, q) / g;
            let total: f64 = (0..orders).map(|_| gamma(&mut rng, p) / nu).sum();
            Spend {
                orders: f64::from(orders),
                mean_value: total / f64::from(orders),
            }
        })
        .collect();
    let m = GammaGamma::fit(&spends);
    let near = |got: f64, want: f64| (got - want).abs() / want < 0.1;
    assert!(near(m.p, p) && near(m.q, q) && near(m.gamma, g), "{m:?}");
    let se = m.std_errors.expect("standard errors");
    assert!(se.iter().all(|s| *s > 0.0), "{se:?}");
    // The population mean order value p·γ/(q−1) = 30 is met by the data's own mean.
    let data_mean = spends.iter().map(|s| s.mean_value).sum::<f64>() / spends.len() as f64;
    assert!((m.population_mean() - data_mean).abs() / data_mean < 0.05);
    // A customer's expectation lies between the population mean and their own, nearer
    // their own the more orders they have.
    let big = Spend {
        orders: 1.0,
        mean_value: 90.0,
    };
    let loyal = Spend {
        orders: 20.0,
        ..big
    };
    let (e1, e20) = (m.expected_value(&big), m.expected_value(&loyal));
    assert!(
        m.population_mean() < e1 && e1 < e20 && e20 < 90.0,
        "{e1} {e20}"
    );
}

#[test]
fn lifetime_value_is_expected_purchases_times_value_without_discount() {
    let bg = BgNbd {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
        log_likelihood: 0.0,
        std_errors: None,
    };
    let gg = GammaGamma {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
        log_likelihood: 0.0,
        std_errors: None,
    };
    let c = Customer {
        frequency: 2.0,
        recency: 30.43,
        age: 38.86,
    };
    let s = Spend {
        orders: 2.0,
        mean_value: 40.0,
    };
    // 12 periods of 4.345 weeks (a month each).
    let plain = lifetime_value(&bg, &gg, &c, &s, 12, 4.345, 0.0);
    let whole = bg.expected_purchases(&c, 12.0 * 4.345) * gg.expected_value(&s);
    assert!((plain - whole).abs() < 1e-9 * whole, "{plain} vs {whole}");
    let discounted = lifetime_value(&bg, &gg, &c, &s, 12, 4.345, 0.01);
    assert!(discounted < plain && discounted > plain / 1.01_f64.powi(12));
}

#[test]
fn bg_nbd_and_gamma_gamma_recover_a_generated_base_of_whole_days() {
    let truth = Truth {
        r: 0.5,
        alpha: 6.0,
        a: 0.8,
        b: 2.5,
        p: 6.0,
        q: 4.0,
        gamma: 15.0,
    };
    let base = bgnbd_base(&truth, 40_000, 5);
    let customers: Vec<Customer> = base.iter().map(|(c, _)| *c).collect();
    let spends: Vec<Spend> = base.iter().map(|(_, s)| *s).collect();
    let bg = BgNbd::fit(&customers);
    let gg = GammaGamma::fit(&spends);
    // Whole days shift times by up to a day, so the rates are recovered within 15 %.
    let near = |got: f64, want: f64| (got - want).abs() / want < 0.15;
    assert!(near(bg.r, truth.r) && near(bg.alpha, truth.alpha), "{bg:?}");
    assert!(near(bg.a, truth.a) && near(bg.b, truth.b), "{bg:?}");
    assert!(
        near(gg.p, truth.p) && near(gg.q, truth.q) && near(gg.gamma, truth.gamma),
        "{gg:?}"
    );
}
