//! Storage for zhanggui: the traits every backend implements, the embedded DuckDB backend,
//! and the PostgreSQL backend's schema (`pg`).
//!
//! Callers see only the traits and the plain types here, never a `duckdb::` type, so that a
//! PostgreSQL backend can stand behind the same seam. Every read and write names its shop.

pub mod accounts;
pub mod copy;
pub mod costs;
mod error;
mod measures;
mod migrations;
mod model;
pub mod notify;
pub mod promotion;
pub mod reviews;
pub mod scripts;

pub mod duck;
pub mod pg;

pub use accounts::AccountStore;
pub use costs::{
    AdSpendDay, BillKind, BillLine, CostPrice, CostStore, CostsSaved, CourierCharge, ExpenseBasis,
    ExpenseCategory, ExpenseRule, OrderFee, ProfitBy, ProfitInputs, ProfitParts, Unallocated,
    Unsettled,
};
pub use duck::{AppliedMigration, DuckStore, FactsRefresh};
pub use error::StoreError;
pub use measures::{DataSpan, DayRange, GroupBy, MeasureRow, MeasureTable, PeerFigure};
pub use model::{
    CohortCell, CohortRepeat, CustomerHistory, CustomerProfile, Entity, EntityCounts, FirstOrderBy,
    ImportRecord, MergeReport, ProductDay, QualityFinding, QualityKind, SavedSegment, ShopSummary,
};
pub use notify::{Delivery, NotifyRule, NotifyStore};
pub use pg::{is_postgres_url, PgStore};
pub use promotion::{AbArm, AbTest, AdBy, AdRow, AdStore, AdTotals, PaidFreeDay};
pub use reviews::{
    LastTracking, LogisticsEvent, ReviewAction, ReviewRecord, ReviewStore, ReviewsSaved,
};
pub use scripts::{
    FollowUpOrder, KnowledgeRecord, OrderForScript, ScriptRecord, ScriptStore, ScriptUse, TaskState,
};

use zhanggui_domain::records::Record;
use zhanggui_domain::{NewShop, Shop, ShopName};

/// A database of shops and everything imported into them.
pub trait Store {
    /// Creates a shop; its name must be new.
    fn add_shop(&self, shop: &NewShop) -> Result<Shop, StoreError>;
    /// Every shop, by id.
    fn shops(&self) -> Result<Vec<Shop>, StoreError>;
    /// The shop with this name, if any.
    fn shop_by_name(&self, name: &ShopName) -> Result<Option<Shop>, StoreError>;
    /// Starts loading one file into one shop: nothing is visible until `finish` commits.
    fn begin_import<'a>(
        &'a self,
        shop: &Shop,
        file_name: &str,
        format: &str,
    ) -> Result<Box<dyn ImportSink + 'a>, StoreError>;
    /// Counts and date range per shop.
    fn summary(&self) -> Result<Vec<ShopSummary>, StoreError>;
    /// Data-quality checks over one shop's orders.
    fn quality_checks(&self, shop: &Shop) -> Result<Vec<QualityFinding>, StoreError>;
    /// The days a shop has orders and day reports for.
    fn data_span(&self, shop: &Shop) -> Result<DataSpan, StoreError>;
    /// The measures of the metric dictionary over a range of the shop's days, grouped one
    /// way; what the data cannot give is listed as missing, with the reason.
    fn measures(
        &self,
        shop: &Shop,
        range: DayRange,
        by: GroupBy,
    ) -> Result<MeasureTable, StoreError>;
    /// The order measures of one shop-local day up to a time of day (today so far).
    fn measures_until(
        &self,
        shop: &Shop,
        day: chrono::NaiveDate,
        until: chrono::NaiveTime,
    ) -> Result<MeasureTable, StoreError>;
    /// A shop's settings (diagnosis thresholds, ...), by key.
    fn settings(
        &self,
        shop: &Shop,
    ) -> Result<std::collections::BTreeMap<String, String>, StoreError>;
    /// Sets one setting of a shop; `None` removes it.
    fn set_setting(&self, shop: &Shop, key: &str, value: Option<&str>) -> Result<(), StoreError>;
    /// Peer benchmarks (同行同层) over a range, for the metrics the reports carry them for.
    fn peer_figures(&self, shop: &Shop, range: DayRange) -> Result<Vec<PeerFigure>, StoreError>;
    /// One product day by day: its visitors (from the product reports) and what its paid
    /// lines brought (from the orders).
    fn product_days(
        &self,
        shop: &Shop,
        product: &str,
        range: DayRange,
    ) -> Result<Vec<ProductDay>, StoreError>;
    /// The files imported into a shop, newest first.
    fn imports(&self, shop: &Shop) -> Result<Vec<ImportRecord>, StoreError>;
    /// Brings what is derived from a shop's orders up to date with its last import (reports
    /// otherwise do it on first use).
    fn refresh(&self, shop: &Shop) -> Result<(), StoreError>;
    /// Cohorts by first-purchase month up to the end of `until`: buyers and revenue per
    /// month after the first, and repeat purchase within 30 and 90 days.
    fn cohorts(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
    ) -> Result<(Vec<CohortCell>, Vec<CohortRepeat>), StoreError>;
    /// Every identified buyer's paid orders up to the end of `until` (shop-local), by buyer.
    fn customer_histories(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
    ) -> Result<Vec<CustomerHistory>, StoreError>;
    /// Repeat purchase within 30 and 90 days of the first paid order, by what that order
    /// held (category or product), most first buyers first.
    fn first_order_repeats(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
        by: FirstOrderBy,
    ) -> Result<Vec<CohortRepeat>, StoreError>;
    /// Every identified buyer's region and the categories they bought, up to `until`.
    fn customer_profiles(
        &self,
        shop: &Shop,
        until: chrono::NaiveDate,
    ) -> Result<Vec<CustomerProfile>, StoreError>;
    /// Saves a named segment of a shop, replacing one of the same name.
    fn save_segment(
        &self,
        shop: &Shop,
        name: &str,
        filter_json: &str,
        saved_by: Option<&str>,
    ) -> Result<(), StoreError>;
    /// A shop's saved segments, by name.
    fn segments(&self, shop: &Shop) -> Result<Vec<SavedSegment>, StoreError>;
    /// Removes a saved segment; false when there was none of that name.
    fn delete_segment(&self, shop: &Shop, name: &str) -> Result<bool, StoreError>;
}

/// Receives one file's normalised records and merges them in one transaction.
pub trait ImportSink {
    /// Stages one record; `file_row` is its 1-based row number in the file. The record is
    /// borrowed: the caller frees it where it was made (freeing on another thread is dear).
    fn append(&mut self, file_row: u64, record: &Record) -> Result<(), StoreError>;
    /// Said before the first record when the caller numbered the lines itself, so that no
    /// two lines it appends share a key: the sink may then write a shop's first lines
    /// without staging them to combine repeats.
    fn line_keys_unique(&mut self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Merges what was staged: upserts keyed by shop and natural key, fields the file left
    /// empty keep their stored values. With `commit` false everything is rolled back and the
    /// report says what would have happened.
    fn finish(
        self: Box<Self>,
        rows_read: u64,
        rejected: u64,
        commit: bool,
    ) -> Result<MergeReport, StoreError>;
    /// Abandons the import: nothing is written.
    fn abort(self: Box<Self>) -> Result<(), StoreError>;
}
