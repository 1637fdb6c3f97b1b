//! Files beside the order exports: buyers' reviews (评价), logistics events (物流跟踪), cost
//! sheets (成本表), platform bills (账单), expense sheets (费用表) and ad spend sheets (推广花费).
//! Each is read by column names (several spellings each, from the platforms' exports and
//! common tools) that a `--map field=列名` can override, into the storage's records; a row
//! that cannot be read is reported with its number and reason, never silently dropped.

pub mod ad_reports;
pub mod ad_spend;
pub mod bills;
pub mod cost_import;
pub mod costs;
pub mod courier;
pub mod expenses;
pub mod logistics;
pub mod reviews;
pub mod test_units;

use std::collections::HashMap;
use std::path::Path;

use crate::read::{self, Header, Row};

/// A field of a side file: its name, the column names it may have, and whether a file
/// without it cannot be read.
pub struct FieldSpec {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub required: bool,
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RejectedRow {
    pub row: u64,
    pub reason: String,
}

/// Why a side file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum SideError {
    #[error(transparent)]
    Read(#[from] read::ReadError),
    #[error(
        "{path}: no column for {field} (looked for {looked}; name it with --map {field}=列名)"
    )]
    MissingColumn {
        path: String,
        field: &'static str,
        looked: String,
    },
    #[error("--map {0}: unknown field (fields: {1})")]
    UnknownField(String, String),
    #[error("--map {field}={column}: {path} has no column named {column}")]
    NoSuchColumn {
        path: String,
        field: String,
        column: String,
    },
}

/// The columns found for a file's fields.
pub struct Columns {
    at: HashMap<&'static str, usize>,
}

impl Columns {
    /// Finds each field's column: the `overrides` (field → column name) first, then the
    /// field's known spellings.
    pub fn find(
        path: &Path,
        header: &Header,
        specs: &[FieldSpec],
        overrides: &[(String, String)],
    ) -> Result<Columns, SideError> {
        let shown = path.display().to_string();
        let mut at = HashMap::new();
        for (field, column) in overrides {
            let spec = specs.iter().find(|s| s.name == field).ok_or_else(|| {
                SideError::UnknownField(
                    field.clone(),
                    specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", "),
                )
            })?;
            let i = header
                .index_of(column)
                .ok_or_else(|| SideError::NoSuchColumn {
                    path: shown.clone(),
                    field: field.clone(),
                    column: column.clone(),
                })?;
            at.insert(spec.name, i);
        }
        for spec in specs {
            if at.contains_key(spec.name) {
                continue;
            }
            match header.find(spec.columns) {
                Some(i) => {
                    at.insert(spec.name, i);
                }
                None if spec.required => {
                    return Err(SideError::MissingColumn {
                        path: shown,
                        field: spec.name,
                        looked: spec.columns.join(", "),
                    })
                }
                None => {}
            }
        }
        Ok(Columns { at })
    }

    /// Whether the file has a column for the field.
    pub fn has(&self, field: &str) -> bool {
        self.at.contains_key(field)
    }

    /// The field's value in a row, cleaned, `None` when its column is absent or empty.
    pub fn get<'r>(&self, row: &'r Row, field: &str) -> Option<&'r str> {
        let i = *self.at.get(field)?;
        crate::values::non_empty(row.get(i)?)
    }
}

/// Opens a side file, accepting the first header that names a column of every required
/// field.
pub(crate) fn open(
    path: &Path,
    specs: &[FieldSpec],
    overridden: &[(String, String)],
) -> Result<read::Table, SideError> {
    let accept = |h: &Header| {
        specs
            .iter()
            .filter(|s| s.required)
            .all(|s| h.find(s.columns).is_some() || overridden.iter().any(|(f, _)| f == s.name))
    };
    match read::open(path, &accept) {
        Ok(t) => Ok(t),
        // No header fits: open it as it is, so that the missing field is named.
        Err(read::ReadError::NoHeader { .. }) => Ok(read::open(path, &|_| true)?),
        Err(e) => Err(e.into()),
    }
}

/// Reads every row of a side file through `parse`: the rows it accepts, and the others with
/// their numbers and reasons.
pub(crate) fn read_rows<T>(
    path: &Path,
    specs: &[FieldSpec],
    overrides: &[(String, String)],
    parse: impl Fn(&Columns, &Row) -> Result<T, String>,
) -> Result<(Vec<T>, Vec<RejectedRow>), SideError> {
    let mut table = open(path, specs, overrides)?;
    let cols = Columns::find(path, &table.header, specs, overrides)?;
    let (mut read, mut rejected) = (Vec::new(), Vec::new());
    let mut row = Row::new();
    while let Some(number) = table.next_row(&mut row)? {
        match parse(&cols, &row) {
            Ok(v) => read.push(v),
            Err(reason) => rejected.push(RejectedRow {
                row: number,
                reason,
            }),
        }
    }
    Ok((read, rejected))
}

/// Parses `field=列名` pairs.
pub fn parse_overrides(pairs: &[String]) -> Result<Vec<(String, String)>, String> {
    pairs
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(f, c)| (f.trim().to_owned(), c.trim().to_owned()))
                .filter(|(f, c)| !f.is_empty() && !c.is_empty())
                .ok_or_else(|| format!("--map {p}: expected field=列名"))
        })
        .collect()
}

/// The kinds of sheet the profit model reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostSheet {
    /// 成本表: unit costs per product code.
    CostPrices,
    /// A platform bill or fee statement.
    Bill,
    /// 费用表: shipping, packaging, fee-rate and fixed-cost rules.
    Expenses,
    /// 推广花费: ad spend per day.
    AdSpend,
    CourierBill,
}

impl CostSheet {
    pub const ALL: [CostSheet; 5] = [
        CostSheet::CourierBill,
        CostSheet::Bill,
        CostSheet::Expenses,
        CostSheet::CostPrices,
        CostSheet::AdSpend,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CostSheet::CostPrices => "prices",
            CostSheet::Bill => "bill",
            CostSheet::Expenses => "expenses",
            CostSheet::AdSpend => "ad-spend",
            CostSheet::CourierBill => "courier",
        }
    }

    pub fn parse(s: &str) -> Option<CostSheet> {
        CostSheet::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a header is this kind of sheet's.
    fn fits(self, h: &Header) -> bool {
        let has = |specs: &[FieldSpec], name: &str| {
            specs
                .iter()
                .find(|s| s.name == name)
                .is_some_and(|s| h.find(s.columns).is_some())
        };
        match self {
            CostSheet::Bill => {
                let f = bills::FIELDS;
                has(f, "occurred_at")
                    && (has(f, "amount") || has(f, "income") || has(f, "expense"))
                    && (has(f, "line_id") || has(f, "kind"))
            }
            CostSheet::Expenses => {
                has(expenses::FIELDS, "name") && has(expenses::FIELDS, "category")
            }
            CostSheet::CostPrices => {
                has(costs::FIELDS, "product_code") && has(costs::FIELDS, "unit_cost")
            }
            CostSheet::AdSpend => has(ad_spend::FIELDS, "day") && has(ad_spend::FIELDS, "spend"),
            CostSheet::CourierBill => {
                has(courier::FIELDS, "tracking_no") && has(courier::FIELDS, "amount")
            }
        }
    }
}

/// Which kind of cost sheet a file is, from its header: a courier bill first (a tracking
/// number and an amount), then a bill (time, amount and a line number or type), an expense
/// sheet, a cost-price sheet, an ad spend sheet.
pub fn detect_cost_sheet(path: &Path) -> Result<Option<CostSheet>, SideError> {
    // A spreadsheet is searched for a sheet whose header fits; a text file's header is its
    // first row that names columns, tested here against each kind.
    for kind in CostSheet::ALL {
        match read::open(path, &|h: &Header| kind.fits(h)) {
            Ok(table) if kind.fits(&table.header) => return Ok(Some(kind)),
            Ok(_) | Err(read::ReadError::NoHeader { .. }) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(None)
}
