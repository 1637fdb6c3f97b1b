//! The zhanggui domain: the vocabulary every other crate speaks.
//!
//! Ids and codes, money in integer minor units, platforms, canonical order states, shops,
//! the normalised records that importers produce and stores keep, and the metric
//! dictionary. Nothing here does I/O; nothing here depends on another zhanggui crate.

pub mod ids;
pub mod metrics;
pub mod money;
pub mod money_json;
pub mod order_state;
pub mod platform;
pub mod records;
pub mod shop;

pub use ids::{BuyerId, IdError, LineKey, OrderNo, ProductCode, RefundNo, ShopId, ShopName};
pub use money::{Currency, Money, MoneyError};
pub use order_state::OrderState;
pub use platform::Platform;
pub use shop::{NewShop, Shop};
