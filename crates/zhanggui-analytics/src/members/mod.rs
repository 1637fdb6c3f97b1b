//! Members (会员): models of a customer base. For now the BG/NBD and Pareto/NBD models of
//! repeat buying and dropping out, the Gamma-Gamma model of spend and lifetime value, all
//! fitted by maximum likelihood in Rust; RFM, cohorts and the commands come with the
//! members work.

pub mod base;
pub mod bgnbd;
pub mod cohorts;
pub mod member_day;
mod optimize;
pub mod pareto;
pub mod rfm;
mod special;
pub mod spend;
pub mod value;
pub mod winback;
