//! Promotion: the period's ad report by plan (each against its break-even ROI, the budget
//! moves, the split by goal), each plan's daily click-through rate, and the shop's
//! creative tests read out; an ad report uploaded from the 推广 page.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::Serialize;
use zhanggui_analytics::promotion::{ads_report, read_tests, AdsReport, AdsRequest, TestReadout};
use zhanggui_domain::Shop;
use zhanggui_import::side::ad_reports::{import_ad_report, AdImport, AdImportError, AdReportError};
use zhanggui_storage::{AdBy, AdStore};
use zhanggui_tables::promotion::verdict_text;

use super::compute::cached;
use super::profit::range_of;
use super::scope::Scope;
use super::uploaded_file::UploadedFile;
use crate::error::AppError;
use crate::state::AppState;

/// A test with its verdict in words.
#[derive(Debug, Serialize)]
pub struct TestView {
    #[serde(flatten)]
    pub read: TestReadout,
    pub verdict_text: String,
}

/// One plan's click-through rate per day of the period.
#[derive(Debug, Serialize)]
pub struct PlanTrend {
    pub tool: String,
    pub campaign: String,
    /// (day, impressions, clicks, CTR) for each day the plan ran.
    pub days: Vec<(NaiveDate, i64, i64, Option<f64>)>,
}

/// What the 推广 page and `/api/v1/ads` show.
#[derive(Debug, Serialize)]
pub struct AdsView {
    pub report: AdsReport,
    pub trends: Vec<PlanTrend>,
    pub tests: Vec<TestView>,
}

/// The report of a scope's period, by `by` (plans on the page), with the plans' CTR by day
/// and the tests.
pub async fn ads_view(state: &AppState, scope: &Scope, by: AdBy) -> Result<Arc<AdsView>, AppError> {
    let s = scope.clone();
    let key = scope.key(&format!(
        "ads:{}",
        zhanggui_analytics::promotion::report::by_name(by)
    ));
    cached(state, key, move |store| {
        let range = range_of(store, &s)?;
        let report = ads_report(
            store,
            &s.shop,
            AdsRequest {
                range,
                by,
                margin: None,
                rules: Default::default(),
                goals: Default::default(),
                targets: Default::default(),
            },
        )?;
        let mut trends: BTreeMap<(String, String), PlanTrend> = BTreeMap::new();
        for t in store.ad_totals(&s.shop, range, AdBy::CampaignDay)? {
            let (Some(day), impressions, clicks) = (t.day, t.impressions, t.clicks) else {
                continue;
            };
            let (impressions, clicks) = (impressions.unwrap_or(0), clicks.unwrap_or(0));
            let ctr = (impressions > 0).then(|| clicks as f64 / impressions as f64);
            trends
                .entry((t.tool.clone(), t.campaign.clone()))
                .or_insert_with(|| PlanTrend {
                    tool: t.tool.clone(),
                    campaign: t.campaign.clone(),
                    days: Vec::new(),
                })
                .days
                .push((day, impressions, clicks, ctr));
        }
        let mut trends: Vec<PlanTrend> = trends.into_values().collect();
        for t in &mut trends {
            t.days.sort_by_key(|d| d.0);
            t.days.dedup_by_key(|d| d.0);
        }
        let tests = read_tests(store, &s.shop)?
            .into_iter()
            .map(|read| TestView {
                verdict_text: verdict_text(&read.readout),
                read,
            })
            .collect();
        Ok(AdsView {
            report,
            trends,
            tests,
        })
    })
    .await
}

/// Imports an uploaded ad report (the tool told from its header) into `shop`; the cached
/// figures are dropped when anything was saved.
pub async fn import_ads(
    state: &AppState,
    shop: &Shop,
    bytes: Vec<u8>,
) -> Result<AdImport, AppError> {
    let file = UploadedFile::save(state, "ads", &bytes)?;
    let path = file.path().to_path_buf();
    let (s, p) = (shop.clone(), path.clone());
    let result = state
        .db
        .read(move |store| {
            import_ad_report(store, &s, &p, None, None, &[]).map_err(|e| match e {
                AdImportError::Store(e) => e.into(),
                AdImportError::Read(AdReportError::UnknownTool(_)) => AppError::BadRequest(
                    "which tool's report this is cannot be told from its columns (直通车, \
                     京东快车, 多多搜索, 巨量千川, Google Ads and Meta Ads are); import it with \
                     zhanggui ads import --tool NAME"
                        .into(),
                ),
                other => AppError::BadRequest(other.to_string()),
            })
        })
        .await;
    drop(file);
    if result.is_ok() {
        state.cache.invalidate();
    }
    result
}
