//! The analytics behind the pages, computed on the blocking pool and cached per scope
//! until data or settings change.

use std::sync::Arc;

use zhanggui_analytics::{diagnose, report, DiagnoseRequest, Diagnosis, Report, ReportRequest};
use zhanggui_storage::DuckStore;

use super::scope::Scope;
use crate::error::AppError;
use crate::state::AppState;

/// Computes `f` once per cache key and generation.
pub async fn cached<T, F>(state: &AppState, key: String, f: F) -> Result<Arc<T>, AppError>
where
    T: Send + Sync + 'static,
    F: FnOnce(&DuckStore) -> Result<T, AppError> + Send + 'static,
{
    if let Some(hit) = state.cache.get::<T>(&key) {
        return Ok(hit);
    }
    let generation = state.cache.generation();
    let value = Arc::new(state.db.read(f).await?);
    state.cache.put(key, generation, Arc::clone(&value));
    Ok(value)
}

/// The report of a scope: every metric against its comparison, and why sales moved.
pub async fn report_of(state: &AppState, scope: &Scope) -> Result<Arc<Report>, AppError> {
    let s = scope.clone();
    cached(state, scope.key("report"), move |store| {
        let request = ReportRequest {
            period: s.period.spec(store, &s.shop)?,
            compare: s.compare,
            anchor: None,
        };
        Ok(report(store, &s.shop, request)?)
    })
    .await
}

/// The diagnosis of a scope with the shop's own thresholds; its profit findings only for a
/// user who may see the shop's profit.
pub async fn diagnosis_of(state: &AppState, scope: &Scope) -> Result<Arc<Diagnosis>, AppError> {
    let all = full_diagnosis(state, scope).await?;
    if scope.sees_profit {
        return Ok(all);
    }
    let mut d = (*all).clone();
    d.findings
        .retain(|f| f.kind != zhanggui_analytics::diagnosis::Kind::Profit);
    Ok(Arc::new(d))
}

async fn full_diagnosis(state: &AppState, scope: &Scope) -> Result<Arc<Diagnosis>, AppError> {
    let s = scope.clone();
    cached(state, scope.key("diagnosis"), move |store| {
        let request = DiagnoseRequest {
            period: s.period.spec(store, &s.shop)?,
            compare: s.compare,
            anchor: None,
            thresholds: None,
        };
        Ok(diagnose(store, &s.shop, request)?)
    })
    .await
}
