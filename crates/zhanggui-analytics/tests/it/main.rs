//! Integration tests of the analytics crate: a real DuckDB store, hand-built fixtures.
