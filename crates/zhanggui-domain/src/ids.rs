//! Identifiers and codes, parsed once at the boundary so that no raw string travels further.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("contains a control character")]
    Control,
}

/// The numeric key of a shop inside one database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShopId(pub i32);

impl fmt::Display for ShopId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The trimmed value, if it is a valid id.
fn checked(raw: &str, max: usize) -> Result<&str, IdError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(IdError::Empty);
    }
    // A byte count within the limit is a character count within it too.
    if value.len() > max && value.chars().count() > max {
        return Err(IdError::TooLong { max });
    }
    let control = if value.is_ascii() {
        value.bytes().any(|b| b.is_ascii_control())
    } else {
        value.chars().any(char::is_control)
    };
    if control {
        return Err(IdError::Control);
    }
    Ok(value)
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses a trimmed, non-empty value without control characters.
            pub fn parse(raw: &str) -> Result<Self, IdError> {
                checked(raw, $max).map(|v| Self(v.to_owned()))
            }

            /// As [`Self::parse`], keeping the string when it needs no trimming.
            pub fn from_string(raw: String) -> Result<Self, IdError> {
                let value = checked(&raw, $max)?;
                if value.len() == raw.len() {
                    Ok(Self(raw))
                } else {
                    Ok(Self(value.to_owned()))
                }
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(value: String) -> Result<Self, IdError> {
                Self::from_string(value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

text_id!(
    /// A shop's name, unique within one database; how users refer to a shop.
    ShopName,
    100
);
text_id!(
    /// The platform's order number (订单编号 / Name).
    OrderNo,
    64
);
text_id!(
    /// What tells the lines of one order apart: the sub-order number when the export has one,
    /// otherwise the line's position within its order in the file.
    LineKey,
    64
);
text_id!(
    /// A product or SKU code (商家编码, StockCode, Lineitem sku).
    ProductCode,
    200
);
text_id!(
    /// The buyer as the platform names them (买家会员名, e-mail, customer id).
    BuyerId,
    200
);
text_id!(
    /// The platform's refund or after-sale case number (退款编号, 售后单号).
    RefundNo,
    64
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_trimmed_and_must_not_be_empty() {
        assert_eq!(OrderNo::parse(" 123 ").unwrap().as_str(), "123");
        assert_eq!(OrderNo::parse("  "), Err(IdError::Empty));
        assert_eq!(OrderNo::parse("a\u{0}b"), Err(IdError::Control));
        assert!(ShopName::parse(&"x".repeat(101)).is_err());
    }
}
