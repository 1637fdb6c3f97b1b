//! The UCI Online Retail file through the example mapping: the published counts come out,
//! the money sum agrees with an independent computation, and importing twice changes nothing.

use std::collections::{HashMap, HashSet};
use std::io::Read;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::support::{example_mapping, first_import, money, shared_data, Env};

/// The file read naively: one pass, no zhanggui code.
struct Expected {
    lines: u64,
    invoices: usize,
    customers: usize,
    stock_codes: usize,
    /// Pence, each line rounded half away from zero, non-cancelled lines with a customer.
    identified_paid: i64,
    /// The same over all non-cancelled lines.
    paid: i64,
    duplicate_lines: u64,
}

fn expected(path: &std::path::Path) -> Expected {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut e = Expected {
        lines: 0,
        invoices: 0,
        customers: 0,
        stock_codes: 0,
        identified_paid: 0,
        paid: 0,
        duplicate_lines: 0,
    };
    let (mut invoices, mut customers, mut codes) = (HashSet::new(), HashSet::new(), HashSet::new());
    let mut same: HashMap<(String, String, String, String, String), u64> = HashMap::new();
    for record in reader.records() {
        let r = record.unwrap();
        e.lines += 1;
        invoices.insert(r[0].to_owned());
        codes.insert(r[1].to_owned());
        if !r[6].is_empty() {
            customers.insert(r[6].to_owned());
        }
        *same
            .entry((
                r[0].into(),
                r[1].into(),
                r[2].into(),
                r[3].into(),
                r[5].into(),
            ))
            .or_default() += 1;
        if r[0].starts_with('C') {
            continue;
        }
        let price: Decimal = r[5].parse().unwrap();
        let quantity: Decimal = r[3].parse().unwrap();
        let pence = (price * quantity * Decimal::from(100))
            .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
            .to_string()
            .parse::<i64>()
            .unwrap();
        e.paid += pence;
        if !r[6].is_empty() {
            e.identified_paid += pence;
        }
    }
    e.invoices = invoices.len();
    e.customers = customers.len();
    e.stock_codes = codes.len();
    e.duplicate_lines = same.values().map(|n| n - 1).sum();
    e
}

#[test]
fn online_retail_counts_and_money_match_the_file() {
    let Some(file) = shared_data("online_retail/online_retail.csv.gz") else {
        return;
    };
    let file = file.to_str().unwrap().to_owned();
    let mapping = example_mapping("online_retail.toml");
    let mapping = mapping.to_str().unwrap();
    let env = Env::new();
    env.add_shop(
        "generic",
        "online-retail",
        &["--currency", "GBP", "--timezone", "Europe/London"],
    );
    let import = || {
        env.json(&[
            "import",
            "--shop",
            "online-retail",
            "--mapping",
            mapping,
            &file,
        ])
    };
    let first = import();
    let outcome = first_import(&first);
    assert_eq!(outcome["rows_read"], 541_909);
    assert_eq!(outcome["inserted"], 541_909);
    assert_eq!(outcome["rejected"], 0);

    let expected = expected(std::path::Path::new(&file));
    // The figures data/README.md publishes for this file.
    assert_eq!(expected.invoices, 25_900);
    assert_eq!(expected.customers, 4_372);
    assert_eq!(expected.stock_codes, 4_070);
    let summary = env.summary("online-retail");
    assert_eq!(summary["order_lines"], 541_909);
    assert_eq!(summary["orders"], 25_900);
    assert_eq!(summary["customers"], 4_372);
    assert_eq!(summary["products"], 4_070);
    // In pounds, the currency named (the file's pence summed exactly, then shown as a
    // decimal).
    let pounds = |pence: i64| money(pence as f64 / 100.0, "GBP");
    assert_eq!(
        summary["paid_amount_identified"],
        pounds(expected.identified_paid)
    );
    assert_eq!(summary["paid_amount"], pounds(expected.paid));
    assert_eq!(summary["first_day"], "2010-12-01");
    assert_eq!(summary["last_day"], "2011-12-09");

    let duplicates = first["quality"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["kind"] == "duplicate_lines")
        .expect("duplicate lines are reported");
    assert_eq!(duplicates["count"], expected.duplicate_lines);

    // The same file again: nothing new, nothing changed.
    let again = import();
    let outcome = first_import(&again);
    assert_eq!(outcome["inserted"], 0);
    assert_eq!(outcome["updated"], 0);
    assert_eq!(outcome["unchanged"], 541_909);
    assert_eq!(env.summary("online-retail"), summary);
}
