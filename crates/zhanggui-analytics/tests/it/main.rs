//! Integration tests of the analytics crate: a real DuckDB store, hand-built fixtures, and
//! the expected numbers computed naively from the fixture.

mod cdnow;
mod fixture;
mod metrics;
mod rfm;
mod segments;
mod simulate;
mod spend;
