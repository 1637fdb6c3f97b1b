//! What the pages and the API show, computed once: each view is a plain value that the
//! API serialises as JSON and the page renders as HTML, so both always agree.

pub mod compute;
pub mod diagnosis;
pub mod format;
pub mod overview;
pub mod products;
pub mod scope;
pub mod sheets;
pub mod traffic;
