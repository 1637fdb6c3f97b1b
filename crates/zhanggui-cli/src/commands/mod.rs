//! One module per subcommand.

pub mod demo;
pub mod import;
pub mod mapping;
pub mod migrate;
pub mod shop;
pub mod summary;
