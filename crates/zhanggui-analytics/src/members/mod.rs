//! Members (会员): models of a customer base. For now the BG/NBD model of repeat buying
//! and dropping out, fitted by maximum likelihood in Rust; RFM, cohorts, Gamma-Gamma spend
//! and the commands come with the members work.

pub mod bgnbd;
mod optimize;
mod special;
