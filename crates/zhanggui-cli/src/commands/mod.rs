//! One module per subcommand.

pub mod abtest;
pub mod ads;
pub mod copy;
pub mod costs;
pub mod demo;
pub mod diagnose;
pub mod import;
pub mod mapping;
pub mod members;
pub mod metric;
pub mod metrics;
pub mod migrate;
pub mod notify;
pub mod profit;
pub mod reconcile;
pub mod report;
pub mod review;
pub mod script;
pub mod segments;
pub mod serve;
pub mod shop;
pub mod summary;
pub mod task;
pub mod today;
pub mod user;
