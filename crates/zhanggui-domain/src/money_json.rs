//! Money in JSON: `{"amount": 1509496.33, "currency": "CNY"}`, the amount a decimal in the
//! currency's own unit (yuan, dollars; never minor units) and the currency named beside it.
//!
//! Results keep money as integer minor units (`i64`, or `f64` where it is an average) and
//! mark those fields with the `serialize_with` helpers here. The currency comes from the
//! scope that [`InCurrency`] opens around a serialization: every JSON edge (the command
//! line's `--json`, the web API) serializes a shop's results through it. A money field
//! serialized outside such a scope is an error, so a forgotten edge fails loudly instead of
//! printing fen as yuan.

use std::cell::Cell;

use serde::ser::{Error as _, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::metrics::Unit;
use crate::money::{Currency, Money};

thread_local! {
    static SCOPE: Cell<Option<Currency>> = const { Cell::new(None) };
}

/// A value serialized with its money fields in `currency`.
pub struct InCurrency<'a, T: ?Sized>(pub Currency, pub &'a T);

impl<T: Serialize + ?Sized> Serialize for InCurrency<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        /// Puts the outer scope back however the inner serialization ends.
        struct Restore(Option<Currency>);
        impl Drop for Restore {
            fn drop(&mut self) {
                SCOPE.with(|c| c.set(self.0));
            }
        }
        let _restore = Restore(SCOPE.with(|c| c.replace(Some(self.0))));
        self.1.serialize(s)
    }
}

/// The currency of the scope being serialized, or the error that says none is open.
fn scope<E: serde::ser::Error>() -> Result<Currency, E> {
    SCOPE.with(Cell::get).ok_or_else(|| {
        E::custom("money serialized without its currency: wrap the value in money_json::InCurrency")
    })
}

/// An amount of minor units in the currency's unit, rounded to the minor unit.
pub fn major(minor: f64, currency: Currency) -> f64 {
    let scale = 10_f64.powi(currency.exponent() as i32);
    minor.round() / scale
}

/// An amount of minor units in the currency's unit, not rounded (a model's money
/// parameter, such as Gamma-Gamma's scale).
pub fn major_unrounded(minor: f64, currency: Currency) -> f64 {
    minor / 10_f64.powi(currency.exponent() as i32)
}

fn object<S: Serializer>(amount: f64, currency: Currency, s: S) -> Result<S::Ok, S::Error> {
    if !amount.is_finite() {
        return Err(S::Error::custom("an amount of money that is not a number"));
    }
    let mut o = s.serialize_struct("Money", 2)?;
    o.serialize_field("amount", &amount)?;
    o.serialize_field("currency", currency.code())?;
    o.end()
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        object(major(self.minor as f64, self.currency), self.currency, s)
    }
}

/// `serialize_with` for integer minor units.
pub fn minor<S: Serializer>(v: &i64, s: S) -> Result<S::Ok, S::Error> {
    let c = scope()?;
    object(major(*v as f64, c), c, s)
}

/// `serialize_with` for optional integer minor units (`null` when absent).
pub fn minor_opt<S: Serializer>(v: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => minor(v, s),
        None => s.serialize_none(),
    }
}

/// `serialize_with` for minor units as a float (an average, an expectation), rounded to
/// the minor unit.
pub fn minor_f64<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    let c = scope()?;
    object(major(*v, c), c, s)
}

/// `serialize_with` for optional float minor units.
pub fn minor_f64_opt<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => minor_f64(v, s),
        None => s.serialize_none(),
    }
}

/// `serialize_with` for a series of optional float minor units (a day-by-day line).
pub fn minor_f64_seq<S: Serializer>(v: &[Option<f64>], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let c = scope()?;
    struct Each(Option<f64>, Currency);
    impl Serialize for Each {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self.0 {
                Some(v) => object(major(v, self.1), self.1, s),
                None => s.serialize_none(),
            }
        }
    }
    let mut seq = s.serialize_seq(Some(v.len()))?;
    for x in v {
        seq.serialize_element(&Each(*x, c))?;
    }
    seq.end()
}

/// `serialize_with` for a model's parameter in minor units: in the currency's unit, not
/// rounded.
pub fn minor_parameter<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    let c = scope()?;
    object(major_unrounded(*v, c), c, s)
}

/// A value in a metric's unit, serialized as [`in_unit`] writes it.
pub struct InUnit(pub Option<f64>, pub Unit);

impl Serialize for InUnit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        in_unit(self.0, self.1, s)
    }
}

/// A value in a metric's unit: money as a money object, anything else as a number.
pub fn in_unit<S: Serializer>(value: Option<f64>, unit: Unit, s: S) -> Result<S::Ok, S::Error> {
    match (value, unit) {
        (None, _) => s.serialize_none(),
        (Some(v), Unit::Money) => minor_f64(&v, s),
        (Some(v), _) => s.serialize_f64(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Serialize)]
    struct Sales {
        #[serde(serialize_with = "minor")]
        paid: i64,
        #[serde(serialize_with = "minor_f64_opt")]
        average: Option<f64>,
    }

    #[test]
    fn money_fields_are_decimals_in_the_currency_named() {
        let sales = Sales {
            paid: 150_949_633,
            average: Some(12_345.6),
        };
        let json = serde_json::to_string(&InCurrency(Currency::CNY, &sales)).unwrap();
        assert_eq!(
            json,
            r#"{"paid":{"amount":1509496.33,"currency":"CNY"},"average":{"amount":123.46,"currency":"CNY"}}"#
        );
        let yen = Currency::parse("JPY").unwrap();
        let json = serde_json::to_string(&InCurrency(yen, &sales)).unwrap();
        assert!(json.starts_with(r#"{"paid":{"amount":150949633.0,"currency":"JPY"}"#));
    }

    #[test]
    fn money_without_a_currency_is_an_error_not_minor_units() {
        let sales = Sales {
            paid: 100,
            average: None,
        };
        let err = serde_json::to_string(&sales).unwrap_err();
        assert!(err.to_string().contains("without its currency"), "{err}");
        // The scope closes with the value that opened it.
        let _ = serde_json::to_string(&InCurrency(Currency::USD, &sales)).unwrap();
        assert!(serde_json::to_string(&sales).is_err());
    }

    #[test]
    fn money_values_carry_their_own_currency() {
        let json = serde_json::to_string(&Money::new(-5, Currency::GBP)).unwrap();
        assert_eq!(json, r#"{"amount":-0.05,"currency":"GBP"}"#);
    }

    proptest! {
        #[test]
        fn the_amount_reads_back_as_the_exact_decimal(minor in -10_i64.pow(13)..10_i64.pow(13)) {
            let money = Money::new(minor, Currency::CNY);
            let json: serde_json::Value = serde_json::to_value(money).unwrap();
            let text = json["amount"].to_string();
            let exact = money.to_decimal_string();
            // The number as written is the decimal itself (trailing zeros aside).
            let trim = |t: &str| t.trim_end_matches('0').trim_end_matches('.').to_owned();
            prop_assert_eq!(trim(&text), trim(&exact));
        }
    }
}
