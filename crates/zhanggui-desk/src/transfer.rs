//! Batch export and import of the script library as CSV (UTF-8 with a BOM, for Excel) or
//! XLSX, with the columns
//!
//! `id, scope, department, owner, category, subcategory, title, text, shortcut, tags, images`
//!
//! (`tags` and `images` are lists separated by `|`). Exporting and importing gives back the
//! same library. An import never overwrites silently: a row whose script exists unchanged
//! is counted unchanged; one that would change an existing script (same id, or no id but
//! the same scope, owner, department, categories and title) is a conflict, applied only
//! when asked; a row repeating another is a duplicate; a row that breaks a rule (unknown
//! variable, missing title, ...) is rejected with its row number and reason.

use std::fmt;
use std::path::Path;

use zhanggui_storage::ScriptRecord;

use crate::library::check;

pub const COLUMNS: [&str; 11] = [
    "id",
    "scope",
    "department",
    "owner",
    "category",
    "subcategory",
    "title",
    "text",
    "shortcut",
    "tags",
    "images",
];

#[derive(Debug)]
pub struct TransferError(pub String);

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TransferError {}

fn cells(s: &ScriptRecord) -> [String; 11] {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        s.id.map(|i| i.to_string()).unwrap_or_default(),
        s.scope.clone(),
        opt(&s.department),
        opt(&s.owner),
        s.category.clone(),
        opt(&s.subcategory),
        s.title.clone(),
        s.body.clone(),
        opt(&s.shortcut),
        s.tags.join("|"),
        s.images.join("|"),
    ]
}

/// The library as CSV, with a BOM so that Excel reads the Chinese as UTF-8.
pub fn to_csv(scripts: &[ScriptRecord]) -> Result<String, TransferError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| TransferError(e.to_string());
    w.write_record(COLUMNS).map_err(fail)?;
    for s in scripts {
        w.write_record(cells(s)).map_err(fail)?;
    }
    let bytes = w.into_inner().map_err(|e| TransferError(e.to_string()))?;
    Ok(format!("\u{feff}{}", String::from_utf8_lossy(&bytes)))
}

/// The library as an Excel workbook.
pub fn to_xlsx(scripts: &[ScriptRecord]) -> Result<Vec<u8>, TransferError> {
    let fail = |e: rust_xlsxwriter::XlsxError| TransferError(e.to_string());
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("scripts").map_err(fail)?;
    for (c, h) in COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).map_err(fail)?;
    }
    for (r, s) in scripts.iter().enumerate() {
        for (c, v) in cells(s).iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, c as u16, v)
                .map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}

/// The rows of a CSV or XLSX file (by its extension), header first.
pub fn read_rows(path: &Path) -> Result<Vec<Vec<String>>, TransferError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let fail = |e: String| TransferError(format!("{}: {e}", path.display()));
    if ext == "xlsx" || ext == "xls" {
        use calamine::Reader;
        let mut book = calamine::open_workbook_auto(path).map_err(|e| fail(e.to_string()))?;
        let first = book
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| fail("the workbook has no sheet".into()))?;
        let range = book
            .worksheet_range(&first)
            .map_err(|e| fail(e.to_string()))?;
        return Ok(range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect());
    }
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    csv_rows(&text).map_err(|e| fail(e.0))
}

/// The rows of CSV text, header first.
pub fn csv_rows(text: &str) -> Result<Vec<Vec<String>>, TransferError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    reader
        .records()
        .map(|r| {
            r.map(|rec| rec.iter().map(str::to_owned).collect())
                .map_err(|e| TransferError(e.to_string()))
        })
        .collect()
}

/// One script read from a file, with its row number (the header is row 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub row: usize,
    pub script: ScriptRecord,
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct Plan {
    /// New scripts.
    pub insert: Vec<Incoming>,
    /// Rows that would change an existing script: (row, script id, what differs).
    pub conflicts: Vec<(Incoming, i64, String)>,
    /// Rows equal to an existing script: (row, script id).
    pub unchanged: Vec<(usize, i64)>,
    /// Rows repeating an earlier row of the file: (row, the earlier row).
    pub duplicates: Vec<(usize, usize)>,
    /// Rows that cannot be saved: (row, reason).
    pub rejected: Rejected,
}

/// Rows refused while reading: (row number, reason).
pub type Rejected = Vec<(usize, String)>;

/// Reads the rows of a file (header first) into scripts; a missing column is an error.
pub fn parse(rows: Vec<Vec<String>>) -> Result<(Vec<Incoming>, Rejected), TransferError> {
    let mut rows = rows.into_iter();
    let header: Vec<String> = rows
        .next()
        .ok_or_else(|| TransferError("the file is empty".into()))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    let at: Vec<usize> = COLUMNS
        .iter()
        .map(|c| {
            header.iter().position(|h| h == c).ok_or_else(|| {
                TransferError(format!(
                    "the file has no `{c}` column; the columns are {}",
                    COLUMNS.join(", ")
                ))
            })
        })
        .collect::<Result<_, _>>()?;
    let mut scripts = Vec::new();
    let mut rejected = Vec::new();
    for (i, r) in rows.enumerate() {
        let row = i + 2;
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |k: usize| {
            r.get(at[k])
                .map(|s| s.trim().to_owned())
                .unwrap_or_default()
        };
        let opt = |k: usize| Some(get(k)).filter(|s| !s.is_empty());
        let list = |k: usize| {
            get(k)
                .split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let id = match opt(0).map(|s| s.parse::<i64>()) {
            None => None,
            Some(Ok(id)) => Some(id),
            Some(Err(_)) => {
                rejected.push((row, format!("`{}` is not a script id", get(0))));
                continue;
            }
        };
        scripts.push(Incoming {
            row,
            script: ScriptRecord {
                id,
                scope: get(1),
                department: opt(2),
                owner: opt(3),
                category: get(4),
                subcategory: opt(5),
                title: get(6),
                body: r.get(at[7]).cloned().unwrap_or_default(),
                shortcut: opt(8),
                tags: list(9),
                images: list(10),
                version: 0,
                deleted: false,
                updated_at: None,
                updated_by: None,
            },
        });
    }
    Ok((scripts, rejected))
}

/// The fields that make a script what it is (not its id, version or history).
fn content(s: &ScriptRecord) -> [String; 10] {
    let c = cells(s);
    [
        c[1].clone(),
        c[2].clone(),
        c[3].clone(),
        c[4].clone(),
        c[5].clone(),
        c[6].clone(),
        c[7].clone(),
        c[8].clone(),
        c[9].clone(),
        c[10].clone(),
    ]
}

/// Where a script sits: scope, department, owner, categories and title.
fn place(s: &ScriptRecord) -> [String; 6] {
    let c = content(s);
    [
        c[0].clone(),
        c[1].clone(),
        c[2].clone(),
        c[3].clone(),
        c[4].clone(),
        c[5].clone(),
    ]
}

fn differences(old: &ScriptRecord, new: &ScriptRecord) -> String {
    let (a, b) = (content(old), content(new));
    let changed: Vec<&str> = a
        .iter()
        .zip(&b)
        .zip(&COLUMNS[1..])
        .filter(|((x, y), _)| x != y)
        .map(|(_, name)| *name)
        .collect();
    changed.join(", ")
}

/// What importing `incoming` into a library holding `existing` would do.
pub fn plan(existing: &[ScriptRecord], incoming: Vec<Incoming>, departments: &[String]) -> Plan {
    let mut p = Plan::default();
    let mut seen: Vec<(usize, [String; 10])> = Vec::new();
    for inc in incoming {
        if let Err(e) = check(&inc.script, departments) {
            p.rejected.push((inc.row, e.to_string()));
            continue;
        }
        let c = content(&inc.script);
        if let Some((earlier, _)) = seen.iter().find(|(_, x)| *x == c) {
            p.duplicates.push((inc.row, *earlier));
            continue;
        }
        seen.push((inc.row, c.clone()));
        let by_id = inc
            .script
            .id
            .and_then(|id| existing.iter().find(|e| e.id == Some(id)));
        let matched = by_id.or_else(|| {
            if inc.script.id.is_some() {
                return None;
            }
            existing.iter().find(|e| place(e) == place(&inc.script))
        });
        match matched {
            Some(e) if content(e) == c => p.unchanged.push((inc.row, e.id.unwrap_or_default())),
            Some(e) => {
                let what = differences(e, &inc.script);
                p.conflicts.push((inc, e.id.unwrap_or_default(), what));
            }
            None => p.insert.push(inc),
        }
    }
    p
}
