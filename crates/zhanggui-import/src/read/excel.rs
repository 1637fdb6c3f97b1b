//! XLSX and XLS workbooks through calamine: the first sheet whose header is accepted.

use std::io::{Cursor, Read};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use calamine::{Data, Reader};

use super::header::{names_of, pick_header, Header, HEADER_SEARCH_ROWS};
use super::{HeaderFilter, ReadError, Row, RowSource, SourceInfo, Table};

pub(super) fn open(
    path: &str,
    mut input: impl Read,
    accept: HeaderFilter<'_>,
) -> Result<Table, ReadError> {
    let mut bytes = Vec::new();
    input
        .read_to_end(&mut bytes)
        .map_err(|source| ReadError::Io {
            path: path.to_owned(),
            source,
        })?;
    let kind = if bytes.starts_with(b"PK") {
        "xlsx"
    } else {
        "xls"
    };
    let spreadsheet = |reason: String| ReadError::Spreadsheet {
        path: path.to_owned(),
        reason,
    };
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| spreadsheet(e.to_string()))?;
    let mut fallback: Option<Table> = None;
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| spreadsheet(format!("sheet {name}: {e}")))?;
        let mut rows: Vec<(u64, Row)> = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                let mut row = Row::new();
                for cell in cells {
                    row.push_field(&cell_text(cell));
                }
                (
                    i as u64 + 1 + range.start().map_or(0, |(r, _)| u64::from(r)),
                    row,
                )
            })
            .collect();
        let head: Vec<(u64, Row)> = rows.iter().take(HEADER_SEARCH_ROWS).cloned().collect();
        let Some(at) = pick_header(&head) else {
            continue;
        };
        let mut data = rows.split_off(at);
        let (header_row, header) = data.remove(0);
        data.reverse();
        let table = Table {
            header: Header::new(names_of(&header), header_row),
            info: SourceInfo {
                kind,
                encoding: None,
                delimiter: None,
                sheet: Some(name.clone()),
            },
            rows: Box::new(SheetRows { rows: data }),
            progress: Arc::new(AtomicU64::new(0)),
            size: 0,
        };
        if accept(&table.header) {
            return Ok(table);
        }
        fallback.get_or_insert(table);
    }
    fallback.ok_or_else(|| ReadError::NoHeader {
        path: path.to_owned(),
    })
}

/// A cell as the text an export would have written: whole numbers without `.0`, dates and
/// times as `YYYY-MM-DD HH:MM:SS`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_else(|| dt.as_f64().to_string()),
    }
}

struct SheetRows {
    /// Remaining rows, in reverse order.
    rows: Vec<(u64, Row)>,
}

impl RowSource for SheetRows {
    fn next_row(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError> {
        Ok(self.rows.pop().map(|(n, r)| {
            *row = r;
            n
        }))
    }
}
