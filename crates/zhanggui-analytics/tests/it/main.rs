//! Integration tests of the analytics crate: a real DuckDB store, hand-built fixtures, and
//! the expected numbers computed naively from the fixture.

mod fixture;
mod metrics;
