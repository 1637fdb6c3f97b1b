//! The result tables every zhanggui front end shows. A table is built once from an
//! analytics result (`report`, `diagnosis`, `profit`, `promotion`) and then printed for a terminal (`text`),
//! served as HTML by the web cockpit, or exported to CSV and Excel (`sheet`), so the
//! numbers are the same wherever they are read.

pub mod diagnosis;
pub mod members;
pub mod profit;
pub mod promotion;
pub mod report;
pub mod sheet;
pub mod text;

pub use sheet::{to_csv, to_xlsx, write_xlsx, Cell, NumberFormat, Sheet, SheetError};
