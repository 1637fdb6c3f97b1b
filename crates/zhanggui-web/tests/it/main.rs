//! The web cockpit against a real DuckDB database and the real router.

mod api;
mod authorization;
mod desk;
mod fixture;
mod members;
mod openapi;
mod pages;
mod profit;
mod promotion;
