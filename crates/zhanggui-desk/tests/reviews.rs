//! The review reader on a labelled set of 150 reviews (`data/reviews.csv`: for each, the
//! goods, service and logistics each praised `+`, blamed `-` or not mentioned), negations
//! and mixed praise and complaint among them. The accuracy is printed (docs/benchmarks.md
//! records it) and must not fall below it, less a margin.

use zhanggui_desk::reviews::{read, Dimension, Polarity};

#[test]
fn reviews_are_read_by_dimension() {
    let mut r = csv::Reader::from_reader(include_str!("../data/reviews.csv").as_bytes());
    let label = |s: &str| match s.trim() {
        "+" => Some(Polarity::Positive),
        "-" => Some(Polarity::Negative),
        _ => None,
    };
    let mut total = 0;
    let mut exact = 0;
    let mut right = [0; 3];
    let mut complaints = (0, 0);
    let mut misses = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let want = [label(&rec[1]), label(&rec[2]), label(&rec[3])];
        let got = read(&rec[0]);
        let got = [
            got.of(Dimension::Goods),
            got.of(Dimension::Service),
            got.of(Dimension::Logistics),
        ];
        total += 1;
        for k in 0..3 {
            right[k] += usize::from(got[k] == want[k]);
        }
        if got == want {
            exact += 1;
        } else {
            misses.push(format!("{} → {got:?}, want {want:?}", &rec[0]));
        }
        // Whether a review complains at all is what raises an alert.
        let c = |x: &[Option<Polarity>; 3]| x.contains(&Some(Polarity::Negative));
        complaints.0 += usize::from(c(&got) == c(&want));
        complaints.1 += 1;
    }
    let pct = |n: usize| n as f64 / total as f64;
    println!(
        "{total} reviews: all three dimensions right {:.3}; goods {:.3}, service {:.3}, logistics {:.3}; complaint or not {:.3}",
        pct(exact),
        pct(right[0]),
        pct(right[1]),
        pct(right[2]),
        complaints.0 as f64 / complaints.1 as f64
    );
    for m in &misses {
        println!("  miss: {m}");
    }
    assert!(total >= 150);
    assert!(pct(exact) >= 0.80, "exact {}", pct(exact));
}
