//! The demo store: a deterministic generator of the files two real shops would export.
//!
//! A Taobao shop (CNY, Asia/Shanghai) and a Shopify shop (USD, America/New_York) sell a
//! catalogue of products with roles (traffic drivers, profit items, image items) over 13
//! months, with weekly and yearly seasonality, 618 and 双11 peaks, repeat customers with
//! realistic gaps between purchases, unpaid and refunded orders, traffic sources and peer
//! benchmarks. The output is export files (a GBK 订单报表 and 宝贝报表, a product-per-day
//! CSV, a traffic-source XLSX, a Shopify orders CSV) for the real importers to load: the
//! demo exercises the same path a user's files take. The same seed gives the same files.

mod ads;
mod bill;
mod calendar;
mod catalog;
pub mod costs;
mod customers;
mod desk;
mod expenses;
mod generate;
mod paid_pull;
mod problems;
mod write;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use ads::{DemoTest, LOSING_CAMPAIGN, LOSING_PLAN, TEST_NAME};
pub use catalog::Role;
pub use generate::generate;
pub use paid_pull::{BURST_SOURCE, PLANTED_PULL, PULLED_SOURCE};
pub use problems::HALVED_SOURCE;

/// The demo's starter reply-script library (话术库): 89 scripts over six first-level and
/// 25 second-level categories, public and department (售前, 售后) ones, in the
/// library's export format (docs/desk.md).
pub const STARTER_SCRIPTS: &str = include_str!("../data/scripts.csv");

/// What to generate.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    pub seed: u64,
    /// About how many order lines, over both shops.
    pub order_lines: u64,
    pub first_day: NaiveDate,
    pub days: u32,
}

impl DemoConfig {
    /// 13 months ending 2025-11-30, so that two 双11 and one 618 fall inside.
    pub fn new(seed: u64, order_lines: u64) -> Self {
        DemoConfig {
            seed,
            order_lines,
            first_day: NaiveDate::from_ymd_opt(2024, 11, 1).expect("valid date"),
            days: 395,
        }
    }
}

/// One demo shop and the files it exported, in the order to import them.
#[derive(Debug, Clone)]
pub struct DemoShop {
    pub name: &'static str,
    pub platform: &'static str,
    pub currency: &'static str,
    pub timezone: &'static str,
    pub files: Vec<PathBuf>,
    /// The shop's review export (评价), for `zhanggui review import`.
    pub reviews: Option<PathBuf>,
    /// The shop's logistics tracking export (物流跟踪), for `zhanggui task tracking`.
    pub tracking: Option<PathBuf>,
    /// The shop's cost sheet (成本表), for `zhanggui costs import`, and what it plants.
    pub costs: Option<(PathBuf, costs::PlantedCosts)>,
    /// The shop's Alipay bill (支付宝账务明细) and expense sheet (费用表), for `zhanggui
    /// costs import`.
    pub cost_sheets: Vec<PathBuf>,
    /// The shop's ad reports (直通车, Google Ads), for `zhanggui ads import`.
    pub ad_reports: Vec<PathBuf>,
    /// Settings the shop is given (the Shopify shop's ad margin).
    pub settings: Vec<(&'static str, &'static str)>,
    /// The creative tests defined over its ad reports.
    pub tests: Vec<DemoTest>,
}

/// What was generated.
#[derive(Debug, Clone)]
pub struct DemoOutput {
    pub shops: Vec<DemoShop>,
    pub order_lines: u64,
    pub orders: u64,
    /// The problems planted for the diagnosis to find.
    pub planted: Vec<PlantedProblem>,
}

/// A problem the demo planted: which shop, what, about which product or source, from when.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlantedProblem {
    pub shop: &'static str,
    /// `conversion_collapse`, `presale`, `source_traffic_halved`, `refund_spike`,
    /// `money_losing_product`, `unsettled_order`, `losing_ad_plan` or `winning_creative`.
    pub kind: &'static str,
    /// The product code or the source name, if it is about one.
    pub subject: Option<String>,
    pub from: NaiveDate,
}

/// Why the demo could not be written.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot write {path}: {reason}")]
    Write { path: String, reason: String },
}

impl DemoError {
    fn write(path: &Path, reason: impl ToString) -> Self {
        DemoError::Write {
            path: path.display().to_string(),
            reason: reason.to_string(),
        }
    }
}
