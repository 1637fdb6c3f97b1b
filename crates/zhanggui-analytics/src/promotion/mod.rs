//! Promotion (推广): what each ad plan earns, where to move the budget, and creative tests.
//!
//! `plans` computes the campaign metrics and judges each plan against its break-even ROI
//! with the uncertainty its counts carry; `budget` suggests moves between plans and shows
//! the split across tools by goal; `report` puts them together for a shop and period;
//! `abtest` reads creative and image tests out, `readouts` a stored test with its arms'
//! counts re-read from the ad reports; `pull` estimates paid traffic's pull on free
//! traffic; `intervals` holds the intervals on counts they share.

pub mod abtest;
pub mod budget;
pub mod intervals;
pub mod plans;
pub mod pull;
pub mod readouts;
pub mod report;

pub use abtest::{read_out, sample_size, ArmCounts, Readout, TestMetric, Verdict};
pub use budget::{BudgetMove, Goal, MoveRules, ToolShare};
pub use plans::{PlanJudgement, PlanMetrics, Standing};
pub use pull::{Pull, PullVerdict, TrafficDay};
pub use readouts::{read_test, read_tests, TestReadout};
pub use report::{ads_report, AdsReport, AdsRequest};
