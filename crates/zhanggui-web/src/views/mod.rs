//! What the pages and the API show, computed once: each view is a plain value that the
//! API serialises as JSON and the page renders as HTML, so both always agree.

pub mod ad_split;
pub mod compute;
pub mod cost_upload;
pub mod desk;
pub mod desk_library;
pub mod diagnosis;
pub mod format;
pub mod members;
pub mod notify;
pub mod overview;
pub mod products;
pub mod profit;
pub mod profit_shops;
pub mod promotion;
pub mod scope;
pub mod sheets;
pub mod traffic;
pub mod uploaded_file;

/// Every day of a range as `YYYY-MM-DD`, the keys day-grouped measures use.
pub fn days_of(range: zhanggui_storage::DayRange) -> Vec<String> {
    range
        .from
        .iter_days()
        .take_while(|d| *d <= range.to)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .collect()
}
