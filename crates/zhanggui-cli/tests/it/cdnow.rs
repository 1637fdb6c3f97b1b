//! The raw CDNOW sample through the normal import path (the example mapping: no header,
//! columns separated by spaces, an order number joined from customer and day) reproduces
//! the published fits: BG/NBD (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy
//! Way") and Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV").

use super::support::{example_mapping, shared_data, Env};

#[test]
fn cdnow_imported_raw_reproduces_the_published_fits() {
    let Some(file) = shared_data("cdnow/CDNOW_sample.txt") else {
        return;
    };
    let env = Env::new();
    env.add_shop(
        "generic",
        "cdnow",
        &["--currency", "USD", "--timezone", "UTC"],
    );
    let mapping = example_mapping("cdnow.toml");
    let outcome = env.json(&[
        "import",
        "--shop",
        "cdnow",
        "--mapping",
        mapping.to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    let imported = &outcome["imported"][0];
    assert_eq!(imported["rows_read"], 6_919, "{outcome}");
    assert_eq!(imported["rejected"], 0);
    let v = &env.json(&["members", "clv", "--shop", "cdnow", "--until", "1997-09-30"])[0];
    assert_eq!(
        v["buyers"], 2_357,
        "every customer of the sample bought in the period"
    );
    let fit = &v["verdict"]["fitted"];
    let bg = &fit["bg_nbd"];
    let close = |got: &serde_json::Value, want: f64, tol: f64| {
        let got = got.as_f64().unwrap();
        assert!((got - want).abs() < tol, "{got} vs {want}");
    };
    close(&bg["r"], 0.243, 0.0005);
    close(&bg["alpha"], 4.414, 0.0005);
    close(&bg["a"], 0.793, 0.0005);
    close(&bg["b"], 2.426, 0.0005);
    close(&bg["log_likelihood"], -9582.4, 0.05);
    // Gamma-Gamma on the repeat purchases' mean value: p 6.25, q 3.74, γ 15.44 dollars
    // (a scale of money: in the currency's unit, the currency named).
    let gg = &fit["gamma_gamma"];
    close(&gg["p"], 6.25, 0.01);
    close(&gg["q"], 3.74, 0.01);
    close(&gg["gamma"]["amount"], 15.44, 0.01);
    assert_eq!(gg["gamma"]["currency"], "USD");
    // On screen too, in dollars.
    let text = env.ok(&["members", "clv", "--shop", "cdnow", "--until", "1997-09-30"]);
    assert!(text.contains("gamma 15.44"), "{text}");
    // The published customer (x = 2, t_x = 30.43, T = 38.86: sample id 0001) expects 1.226
    // purchases in the next 39 weeks.
    let v = &env.json(&[
        "members",
        "clv",
        "--shop",
        "cdnow",
        "--until",
        "1997-09-30",
        "--weeks",
        "39",
    ])[0];
    let first = v["verdict"]["fitted"]["customers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["buyer"] == "0001")
        .unwrap();
    close(&first["expected_orders"], 1.226, 0.0005);
    // Pareto/NBD from the same import: r 0.553, α 10.58, s 0.606, β 11.67, LL −9595.0
    // (Fader, Hardie & Lee, "A Note on Implementing the Pareto/NBD Model in MATLAB").
    let p = &env.json(&[
        "members",
        "clv",
        "--shop",
        "cdnow",
        "--until",
        "1997-09-30",
        "--model",
        "pareto",
    ])[0];
    let pareto = &p["verdict"]["fitted"]["pareto_nbd"];
    close(&pareto["r"], 0.553, 0.005);
    close(&pareto["alpha"], 10.58, 0.05);
    close(&pareto["s"], 0.606, 0.005);
    close(&pareto["beta"], 11.67, 0.05);
    close(&pareto["log_likelihood"], -9595.0, 0.1);
}
