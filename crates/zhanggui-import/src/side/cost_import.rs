//! Importing one cost sheet of any kind (cost prices, a bill, an expense sheet, ad spend, a courier bill)
//! into a shop: told from its header unless named, read, saved; what was read, what saving
//! changed and each row rejected with its reason. The CLI's `costs import` and the cockpit's
//! upload form both go through here.

use std::path::Path;

use zhanggui_domain::Shop;
use zhanggui_storage::{CostStore, CostsSaved, StoreError};

use super::ad_spend::read_ad_spend;
use super::bills::read_bill;
use super::costs::read_costs;
use super::courier::read_courier_bill;
use super::expenses::read_expenses;
use super::{detect_cost_sheet, CostSheet, RejectedRow, SideError};

/// What importing a cost sheet did.
#[derive(Debug)]
pub struct CostImport {
    pub kind: CostSheet,
    pub read: usize,
    pub saved: CostsSaved,
    pub rejected: Vec<RejectedRow>,
}

#[derive(Debug, thiserror::Error)]
pub enum CostImportError {
    #[error(
        "{0}: not a cost sheet, bill, expense sheet, ad spend sheet or courier bill by its \
         header; name the kind (prices, bill, expenses, ad-spend, courier) and the columns \
         (field=列名)"
    )]
    Unrecognised(String),
    #[error(transparent)]
    Side(#[from] SideError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Reads `path` as `kind` (or the kind its header shows) and saves it into `shop`.
pub fn import_cost_sheet(
    store: &dyn CostStore,
    shop: &Shop,
    kind: Option<CostSheet>,
    path: &Path,
    overrides: &[(String, String)],
) -> Result<CostImport, CostImportError> {
    let kind = match kind {
        Some(k) => k,
        None => detect_cost_sheet(path)?
            .ok_or_else(|| CostImportError::Unrecognised(path.display().to_string()))?,
    };
    let exponent = shop.currency.exponent();
    let (read, saved, rejected) = match kind {
        CostSheet::CostPrices => {
            let read = read_costs(path, exponent, overrides)?;
            let saved = store.save_cost_prices(shop, &read.prices)?;
            (read.prices.len(), saved, read.rejected)
        }
        CostSheet::Bill => {
            let read = read_bill(path, exponent, overrides)?;
            let saved = store.save_bill_lines(shop, &read.lines)?;
            (read.lines.len(), saved, read.rejected)
        }
        CostSheet::Expenses => {
            let read = read_expenses(path, exponent, overrides)?;
            let saved = store.save_expense_rules(shop, &read.rules)?;
            (read.rules.len(), saved, read.rejected)
        }
        CostSheet::AdSpend => {
            let read = read_ad_spend(path, exponent, overrides)?;
            let saved = store.save_ad_spend(shop, &read.days)?;
            (read.days.len(), saved, read.rejected)
        }
        CostSheet::CourierBill => {
            let read = read_courier_bill(path, exponent, overrides)?;
            let saved = store.save_courier_charges(shop, &read.charges)?;
            (read.charges.len(), saved, read.rejected)
        }
    };
    Ok(CostImport {
        kind,
        read,
        saved,
        rejected,
    })
}
