//! The web cockpit against a real DuckDB database and the real router.

mod api;
mod authorization;
mod fixture;
mod openapi;
mod pages;
