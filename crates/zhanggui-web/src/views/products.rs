//! Products: the table of every product with its sales, traffic and conversion against
//! the compared period, and a product's own page (its days, its numbers, its findings).

use std::sync::Arc;

use serde::Serialize;
use zhanggui_analytics::diagnosis::Finding;
use zhanggui_analytics::engine::{evaluate, MetricValue};
use zhanggui_analytics::report::Kpi;
use zhanggui_domain::metrics::{metric, MetricDef};
use zhanggui_domain::Currency;
use zhanggui_storage::{DayRange, GroupBy, MeasureRow, MeasureTable, ProductDay, Store};

use super::compute::{cached, diagnosis_of, report_of};
use super::format::KpiCard;
use super::scope::Scope;
use crate::error::AppError;
use crate::state::AppState;

/// The metrics of the product table, in column order.
pub const COLUMNS: [&str; 7] = [
    "paid_amount",
    "visitors",
    "pay_conversion",
    "paid_buyers",
    "paid_units",
    "uv_value",
    "refund_rate",
];

#[derive(Debug, Serialize)]
pub struct ProductList {
    pub period: DayRange,
    pub compared_with: DayRange,
    pub columns: Vec<&'static MetricDef>,
    pub products: Vec<ProductRow>,
}

#[derive(Debug, Serialize)]
pub struct ProductRow {
    pub code: String,
    pub title: Option<String>,
    /// The values of `columns`, in order.
    pub values: Vec<MetricValue>,
    /// 支付金额 in the compared period.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor_f64_opt")]
    pub paid_amount_before: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct ProductPage {
    pub code: String,
    pub title: Option<String>,
    pub period: DayRange,
    pub compared_with: DayRange,
    pub kpis: Vec<KpiCard>,
    pub days: Vec<ProductDay>,
    pub compared_days: Vec<ProductDay>,
    pub findings: Vec<Finding>,
}

fn defs() -> Vec<&'static MetricDef> {
    COLUMNS.iter().filter_map(|id| metric(id)).collect()
}

fn values(row: Option<&MeasureRow>, table: &MeasureTable) -> Vec<MetricValue> {
    defs()
        .iter()
        .map(|d| evaluate(d, row, &table.missing))
        .collect()
}

pub async fn products(state: &AppState, scope: &Scope) -> Result<Arc<ProductList>, AppError> {
    let report = report_of(state, scope).await?;
    let (period, compared) = (report.period, report.compared_with);
    let shop = scope.shop.clone();
    cached(state, scope.key("products"), move |store| {
        let now = store.measures(&shop, period, GroupBy::Product)?;
        let before = store.measures(&shop, compared, GroupBy::Product)?;
        let paid = metric("paid_amount")
            .ok_or_else(|| AppError::Internal("paid_amount is not in the dictionary".into()))?;
        let mut products: Vec<ProductRow> = now
            .rows
            .iter()
            .map(|row| ProductRow {
                code: row.group.clone(),
                title: row.label.clone(),
                values: values(Some(row), &now),
                paid_amount_before: evaluate(paid, before.row(&row.group), &before.missing).value,
            })
            .collect();
        products.sort_by(|a, b| {
            let v = |r: &ProductRow| r.values[0].value.unwrap_or(0.0);
            v(b).total_cmp(&v(a)).then_with(|| a.code.cmp(&b.code))
        });
        Ok(ProductList {
            period,
            compared_with: compared,
            columns: defs(),
            products,
        })
    })
    .await
}

pub async fn product(state: &AppState, scope: &Scope, code: &str) -> Result<ProductPage, AppError> {
    let report = report_of(state, scope).await?;
    let diagnosis = diagnosis_of(state, scope).await?;
    let (period, compared) = (report.period, report.compared_with);
    let shop = scope.shop.clone();
    let code = code.to_owned();
    let findings: Vec<Finding> = diagnosis
        .findings
        .iter()
        .filter(|f| f.subject.as_deref() == Some(code.as_str()))
        .cloned()
        .collect();
    state
        .db
        .read(move |store| {
            let now = store.measures(&shop, period, GroupBy::Product)?;
            let before = store.measures(&shop, compared, GroupBy::Product)?;
            let row = now.row(&code);
            let days = store.product_days(&shop, &code, period)?;
            if row.is_none() && before.row(&code).is_none() && days.is_empty() {
                return Err(AppError::NotFound(format!(
                    "product {code} has no sales or visits in these periods"
                )));
            }
            let kpis = kpis(row, &now, before.row(&code), &before, shop.currency);
            Ok(ProductPage {
                title: row
                    .and_then(|r| r.label.clone())
                    .or_else(|| before.row(&code).and_then(|r| r.label.clone())),
                code: code.clone(),
                period,
                compared_with: compared,
                kpis,
                compared_days: store.product_days(&shop, &code, compared)?,
                days,
                findings,
            })
        })
        .await
}

fn kpis(
    row: Option<&MeasureRow>,
    now: &MeasureTable,
    before_row: Option<&MeasureRow>,
    before: &MeasureTable,
    currency: Currency,
) -> Vec<KpiCard> {
    defs()
        .into_iter()
        .map(|d| {
            let current = evaluate(d, row, &now.missing);
            let previous = evaluate(d, before_row, &before.missing);
            let change = current.value.zip(previous.value).map(|(a, b)| a - b);
            let change_ratio = current
                .value
                .zip(previous.value)
                .filter(|(_, b)| b.abs() > f64::EPSILON)
                .map(|(a, b)| (a - b) / b);
            KpiCard::of(
                &Kpi {
                    id: d.id,
                    zh: d.zh,
                    en: d.en,
                    unit: d.unit,
                    higher_is_better: d.higher_is_better,
                    current,
                    previous,
                    change,
                    change_ratio,
                    peer_average: None,
                    peer_excellent: None,
                },
                currency,
            )
        })
        .collect()
}
