//! zhanggui analytics: what is computed from what was imported.
//!
//! The metric engine evaluates the dictionary's formulas over a store's measures
//! (`engine`, `series`, `report`); `why` splits a change of sales exactly into visitors,
//! conversion and order value; `stats` says whether a change is more than noise;
//! `period` names the periods operators compare; `diagnosis` runs the rules and ranks
//! findings by money at stake; `members` holds the customer-base models; `profit` is the profit model (`profit_shops` its P&L across shops in one currency), `roles` the products' roles from it, and `settlement` the orders no bill settled; `promotion` what ad plans earn, budget moves and creative tests; `today` compares the day so far with the same time
//! yesterday and a week ago; `doc` renders the dictionary.

pub mod diagnosis;
pub mod doc;
pub mod engine;
pub mod members;
pub mod period;
pub mod profit;
pub mod profit_shops;
pub mod promotion;
pub mod report;
pub mod roles;
pub mod series;
pub mod settlement;
pub mod stats;
pub mod today;
pub mod why;

pub use diagnosis::{diagnose, DiagnoseRequest, Diagnosis};
pub use period::{Compare, PeriodError, PeriodSpec};
pub use report::{report, Report, ReportError, ReportRequest};
pub use series::{series, Series};
pub use today::{today, Today};
