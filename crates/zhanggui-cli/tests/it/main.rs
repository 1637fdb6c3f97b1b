//! Integration tests of the `zhanggui` binary: real files, a real DuckDB database in a
//! temporary directory, the real command line. One test binary, so the link happens once.

mod bad_files;
mod basics;
mod browser;
mod cdnow;
mod demo;
mod members;
mod notify;
mod online_retail;
mod pg_server;
mod platforms;
mod profit;
mod profit_model;
mod promotion;
mod refunds;
mod reports;
mod reviews;
mod scripts;
mod shopify;
mod support;
mod taobao;
mod tasks;
mod users;
mod xlsx;
