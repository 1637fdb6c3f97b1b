//! Money: integer minor units (fen, cents, pence) with a currency. Never a float.

use std::fmt;
use std::ops::{Add, Neg, Sub};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// An ISO 4217 currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

/// Why a currency code or an amount is not valid.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("`{0}` is not a three-letter currency code such as CNY, USD or GBP")]
    BadCurrency(String),
    #[error("cannot add {0} to {1}")]
    CurrencyMismatch(Currency, Currency),
}

impl Currency {
    pub const CNY: Currency = Currency(*b"CNY");
    pub const USD: Currency = Currency(*b"USD");
    pub const GBP: Currency = Currency(*b"GBP");

    pub fn parse(raw: &str) -> Result<Self, MoneyError> {
        let upper = raw.trim().to_ascii_uppercase();
        let bytes = upper.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_uppercase) {
            return Err(MoneyError::BadCurrency(raw.to_owned()));
        }
        Ok(Currency([bytes[0], bytes[1], bytes[2]]))
    }

    pub fn code(&self) -> &str {
        // The bytes are checked ASCII letters on construction.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Decimal places of the minor unit (ISO 4217): 0 for JPY and KRW, 3 for the dinars, else 2.
    pub fn exponent(&self) -> u32 {
        match &self.0 {
            b"JPY" | b"KRW" | b"VND" | b"CLP" | b"ISK" => 0,
            b"KWD" | b"BHD" | b"OMR" | b"JOD" | b"TND" | b"LYD" | b"IQD" => 3,
            _ => 2,
        }
    }

    /// The currency sign shown before amounts.
    pub fn symbol(&self) -> &str {
        match &self.0 {
            b"CNY" => "¥",
            b"USD" => "$",
            b"GBP" => "£",
            b"EUR" => "€",
            b"JPY" => "¥",
            _ => self.code(),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(value: Currency) -> String {
        value.code().to_owned()
    }
}

/// An amount of money in integer minor units of its currency. In JSON it is a decimal in
/// the currency's unit with the currency named (`money_json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Money { minor: 0, currency }
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        if self.currency != other.currency {
            return Err(MoneyError::CurrencyMismatch(other.currency, self.currency));
        }
        Ok(Money::new(self.minor + other.minor, self.currency))
    }

    /// The amount as a decimal string without a sign of currency: `1234.50`.
    pub fn to_decimal_string(&self) -> String {
        let exp = self.currency.exponent();
        if exp == 0 {
            return self.minor.to_string();
        }
        let scale = 10_i64.pow(exp);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let scale = scale.unsigned_abs();
        format!(
            "{sign}{}.{:0width$}",
            abs / scale,
            abs % scale,
            width = exp as usize
        )
    }
}

impl fmt::Display for Money {
    /// `¥1,234.50`: the currency's sign, thousands grouped.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = self.to_decimal_string();
        let (sign, digits) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (int, frac) = match digits.split_once('.') {
            Some((i, d)) => (i, Some(d)),
            None => (digits, None),
        };
        let grouped = group_digits(int);
        write!(f, "{sign}{}{grouped}", self.currency.symbol())?;
        if let Some(frac) = frac {
            write!(f, ".{frac}")?;
        }
        Ok(())
    }
}

/// Digits grouped by thousands: `1234567` → `1,234,567`.
pub fn group_digits(digits: &str) -> String {
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

impl Add for Money {
    type Output = Money;
    /// Panics on a currency mismatch, a programming error; use `checked_add` for input.
    fn add(self, rhs: Money) -> Money {
        self.checked_add(rhs)
            .expect("adding money of different currencies")
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        self + (-rhs)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money::new(-self.minor, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn displays_with_sign_and_grouping() {
        assert_eq!(
            Money::new(123_456_789, Currency::CNY).to_string(),
            "¥1,234,567.89"
        );
        assert_eq!(Money::new(-5, Currency::GBP).to_string(), "-£0.05");
        assert_eq!(
            Money::new(1500, Currency::parse("jpy").unwrap()).to_string(),
            "¥1,500"
        );
    }

    #[test]
    fn rejects_bad_currency_codes() {
        assert!(Currency::parse("RMB1").is_err());
        assert!(Currency::parse("¥").is_err());
    }

    #[test]
    fn adding_different_currencies_is_an_error() {
        let a = Money::new(1, Currency::CNY);
        let b = Money::new(1, Currency::USD);
        assert!(a.checked_add(b).is_err());
    }

    proptest! {
        #[test]
        fn decimal_string_round_trips(minor in -10_i64.pow(15)..10_i64.pow(15)) {
            let money = Money::new(minor, Currency::CNY);
            let text = money.to_decimal_string();
            let back: f64 = text.parse().unwrap();
            prop_assert!((back * 100.0 - minor as f64).abs() < 0.5);
            let digits: String = text.chars().filter(|c| c.is_ascii_digit() || *c == '-').collect();
            prop_assert_eq!(digits.parse::<i64>().unwrap(), minor);
        }
    }
}
