//! Members (会员): a shop's customer base. RFM scores and segments, cohorts and repurchase
//! rates, the BG/NBD and Pareto/NBD models of repeat buying and dropping out, the
//! Gamma-Gamma model of spend and lifetime value (all fitted by maximum likelihood in
//! Rust), saved segment filters, the win-back list and the member-day effect.

pub mod base;
pub mod bgnbd;
pub mod cohorts;
pub mod filter;
mod grouped;
pub mod member_day;
mod optimize;
pub mod pareto;
pub mod profile;
pub mod rfm;
mod special;
pub mod spend;
pub mod value;
pub mod winback;
