//! Import: platform export files into zhanggui's normalised records, and into a store.
//!
//! The data flow is `read` (file → header + rows of text) → `presets` or `mapping` (which
//! column is which field) → `binding` with `values` (parse and validate each cell) →
//! normalised records → a storage `ImportSink`. Parsing never touches the database; the
//! store never sees a raw cell.

pub mod binding;
pub mod fields;
pub mod mapping;
pub mod pipeline;
mod plain;
pub mod presets;
pub mod read;
pub mod reject;
pub mod side;
pub mod values;

pub use fields::{Field, RowKind};
pub use mapping::Mapping;
pub use pipeline::{import_file, read_header, ImportError, ImportOptions, ImportOutcome, Progress};
