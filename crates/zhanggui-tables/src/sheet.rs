//! Tables of results that print for people, as CSV for scripts and as Excel workbooks with
//! real number formats (one sheet per table).

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook};
use zhanggui_domain::metrics::Unit;
use zhanggui_domain::money::group_digits;
use zhanggui_domain::{Currency, Money};

/// How a number is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NumberFormat {
    /// A whole count.
    Count,
    /// Money, from minor units of a currency.
    Money(Currency),
    /// A fraction shown as a percentage.
    Percent,
    /// A change of a fraction, in percentage points.
    Points,
    /// A plain number with two decimals.
    Decimal,
    /// Seconds shown as hours.
    Hours,
    /// A p-value.
    PValue,
}

impl NumberFormat {
    /// The format of a metric's values.
    pub fn of_unit(unit: Unit, currency: Currency) -> NumberFormat {
        match unit {
            Unit::Count => NumberFormat::Count,
            Unit::Money => NumberFormat::Money(currency),
            Unit::Rate => NumberFormat::Percent,
            Unit::Ratio | Unit::Score => NumberFormat::Decimal,
            Unit::Duration => NumberFormat::Hours,
        }
    }

    /// The format of a change of a metric's values.
    pub fn of_change(unit: Unit, currency: Currency) -> NumberFormat {
        match unit {
            Unit::Rate => NumberFormat::Points,
            other => NumberFormat::of_unit(other, currency),
        }
    }

    /// The number as a person reads it.
    pub fn show(self, v: f64) -> String {
        match self {
            NumberFormat::Count => group_thousands(v.round() as i64),
            NumberFormat::Money(c) => Money::new(v.round() as i64, c).to_string(),
            NumberFormat::Percent => format!("{:.2}%", v * 100.0),
            NumberFormat::Points => format!("{:+.2} pt", v * 100.0),
            NumberFormat::Decimal => format!("{v:.2}"),
            NumberFormat::Hours => format!("{:.1} h", v / 3600.0),
            NumberFormat::PValue => {
                if v < 0.001 {
                    "<0.001".into()
                } else {
                    format!("{v:.3}")
                }
            }
        }
    }

    /// The number as stored in CSV and XLSX: money in major units, hours in hours.
    fn raw(self, v: f64) -> f64 {
        match self {
            NumberFormat::Money(c) => v / 10_f64.powi(c.exponent() as i32),
            NumberFormat::Hours => v / 3600.0,
            _ => v,
        }
    }

    fn excel(self) -> &'static str {
        match self {
            NumberFormat::Count => "#,##0",
            NumberFormat::Money(c) if c.exponent() == 0 => "#,##0",
            NumberFormat::Money(_) => "#,##0.00",
            NumberFormat::Percent | NumberFormat::Points => "0.00%",
            NumberFormat::Decimal | NumberFormat::Hours => "0.00",
            NumberFormat::PValue => "0.000",
        }
    }
}

fn group_thousands(n: i64) -> String {
    let grouped = group_digits(&n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64, NumberFormat),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn number(v: Option<f64>, f: NumberFormat) -> Cell {
        v.map_or(Cell::Empty, |v| Cell::Number(v, f))
    }

    /// The cell as a person reads it.
    pub fn shown(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(v, f) => f.show(*v),
            Cell::Empty => "-".into(),
        }
    }

    /// The cell as CSV stores it: money in major units, hours in hours.
    pub fn csv(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(v, f) => {
                let raw = f.raw(*v);
                if raw.fract() == 0.0 && raw.abs() < 1e15 {
                    format!("{}", raw as i64)
                } else {
                    format!("{raw}")
                }
            }
            Cell::Empty => String::new(),
        }
    }
}

/// A named table.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(name: &str, header: &[&str]) -> Sheet {
        Sheet {
            name: name.to_owned(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// The table for a terminal.
    pub fn render(&self) -> String {
        let header: Vec<&str> = self.header.iter().map(String::as_str).collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::shown).collect())
            .collect();
        crate::text::table(&header, &rows)
    }
}

/// Why a table could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("writing CSV: {0}")]
    Csv(String),
    #[error("writing the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("writing {path}: {reason}")]
    File { path: String, reason: String },
}

impl From<csv::Error> for SheetError {
    fn from(e: csv::Error) -> Self {
        SheetError::Csv(e.to_string())
    }
}

/// Sheets as CSV, one after another with a blank line between, each headed by its name.
pub fn to_csv(sheets: &[Sheet]) -> Result<String, SheetError> {
    let mut out = Vec::new();
    for (i, sheet) in sheets.iter().enumerate() {
        if i > 0 {
            out.push(b'\n');
        }
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        if sheets.len() > 1 {
            w.write_record([format!("# {}", sheet.name)])?;
        }
        w.write_record(&sheet.header)?;
        for row in &sheet.rows {
            w.write_record(row.iter().map(Cell::csv))?;
        }
        out.extend(w.into_inner().map_err(|e| SheetError::Csv(e.to_string()))?);
    }
    String::from_utf8(out).map_err(|e| SheetError::Csv(e.to_string()))
}

/// Writes sheets to an Excel workbook file, numbers as numbers with their formats.
pub fn write_xlsx(sheets: &[Sheet], path: &Path) -> Result<(), SheetError> {
    let bytes = to_xlsx(sheets)?;
    std::fs::write(path, bytes).map_err(|e| SheetError::File {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Sheets as the bytes of an Excel workbook, numbers as numbers with their formats.
pub fn to_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, SheetError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = book.add_worksheet();
        // Excel allows 31 characters and no []:*?/\ in a sheet name.
        let name: String = sheet
            .name
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        ws.set_name(&name)?;
        for (c, h) in sheet.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cell::Number(v, f) => {
                        let format = Format::new().set_num_format(f.excel());
                        ws.write_number_with_format(r, c, f.raw(*v), &format)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.autofit();
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_in_their_units() {
        let cny = Currency::parse("CNY").unwrap();
        assert_eq!(NumberFormat::Money(cny).show(123_456.0), "¥1,234.56");
        assert_eq!(NumberFormat::Percent.show(0.0235), "2.35%");
        assert_eq!(NumberFormat::Points.show(-0.006), "-0.60 pt");
        assert_eq!(NumberFormat::Count.show(1_234_567.0), "1,234,567");
        assert_eq!(NumberFormat::Hours.show(5_400.0), "1.5 h");
        assert_eq!(
            Cell::Number(123_456.0, NumberFormat::Money(cny)).csv(),
            "1234.56"
        );
    }
}
