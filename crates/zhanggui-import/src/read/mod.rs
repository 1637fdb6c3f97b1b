//! Readers: any export file as a header and a stream of rows of text.
//!
//! The file kind is told by its first bytes, never its name: gzip is unpacked on the fly,
//! XLSX and XLS go through calamine, everything else is delimited text whose encoding
//! (UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK/GB18030) and delimiter (comma, tab,
//! semicolon) are detected from its first 64 KiB. Title lines above the header and a totals
//! row (`合计`) below the data are skipped.

mod excel;
mod header;
mod text;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

pub use csv::StringRecord as Row;
pub use header::{is_totals_row, Header};

/// Why a file could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot open {path}: {source}")]
    Open {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is empty")]
    Empty { path: String },
    #[error("{path}: no header row found in its first rows (a header names at least two columns)")]
    NoHeader { path: String },
    #[error("{path}: not a readable spreadsheet: {reason}")]
    Spreadsheet { path: String, reason: String },
    #[error("{path}, row {row}: {reason}")]
    Row {
        path: String,
        row: u64,
        reason: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// What the reader found out about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// `csv`, `csv.gz`, `xlsx`, `xls`.
    pub kind: &'static str,
    /// The detected text encoding (`UTF-8`, `GB18030`, ...); `None` for spreadsheets.
    pub encoding: Option<&'static str>,
    pub delimiter: Option<char>,
    /// The sheet read, for spreadsheets.
    pub sheet: Option<String>,
}

/// An open file: its header and its remaining rows.
pub struct Table {
    pub header: Header,
    pub info: SourceInfo,
    rows: Box<dyn RowSource>,
    /// Bytes of the file consumed so far, for progress.
    pub progress: Arc<AtomicU64>,
    /// The file's size in bytes.
    pub size: u64,
}

/// Something that yields rows with their 1-based row numbers in the file.
pub(crate) trait RowSource: Send {
    fn next_row(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError>;
}

impl Table {
    /// Reads the next data row into `row`, returning its row number in the file; totals
    /// rows and empty rows are skipped.
    pub fn next_row(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError> {
        loop {
            let Some(number) = self.rows.next_row(row)? else {
                return Ok(None);
            };
            if row.iter().all(|c| c.trim().is_empty()) || is_totals_row(row) {
                continue;
            }
            return Ok(Some(number));
        }
    }

    pub fn bytes_read(&self) -> u64 {
        self.progress.load(Ordering::Relaxed)
    }

    /// Adds a column named `name` whose value is the values of `parts` joined with `-`
    /// (a key made of several columns, e.g. customer and day).
    pub fn add_joined(&mut self, name: String, parts: Vec<usize>) {
        self.header.names.push(name);
        let inner = std::mem::replace(&mut self.rows, Box::new(NoRows));
        self.rows = Box::new(Joined { inner, parts });
    }
}

struct NoRows;

impl RowSource for NoRows {
    fn next_row(&mut self, _: &mut Row) -> Result<Option<u64>, ReadError> {
        Ok(None)
    }
}

/// Rows with a joined column appended.
struct Joined {
    inner: Box<dyn RowSource>,
    parts: Vec<usize>,
}

impl RowSource for Joined {
    fn next_row(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError> {
        let n = self.inner.next_row(row)?;
        if n.is_some() {
            let joined: Vec<&str> = self
                .parts
                .iter()
                .map(|i| row.get(*i).unwrap_or("").trim())
                .collect();
            let joined = joined.join("-");
            row.push_field(&joined);
        }
        Ok(n)
    }
}

/// Chooses among several header candidates (e.g. the sheets of a workbook): the first for
/// which this returns true wins.
pub type HeaderFilter<'a> = &'a dyn Fn(&Header) -> bool;

/// How a text file is laid out when it cannot be told from the file (a column mapping
/// says so): whether its first row names the columns, and whether runs of spaces separate
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The first row names the columns; without it they are named 1, 2, 3 ... by position.
    pub header: bool,
    /// Columns are separated by runs of spaces or tabs (fixed-width text dumps).
    pub whitespace: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            header: true,
            whitespace: false,
        }
    }
}

/// Opens a file of any supported kind.
pub fn open(path: &Path, accept: HeaderFilter<'_>) -> Result<Table, ReadError> {
    open_with(path, accept, Layout::default())
}

/// Opens a file whose text layout is given (spreadsheets ignore it).
pub fn open_with(
    path: &Path,
    accept: HeaderFilter<'_>,
    layout: Layout,
) -> Result<Table, ReadError> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|source| ReadError::Open {
        path: shown.clone(),
        source,
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = Arc::new(AtomicU64::new(0));
    let mut counted = BufReader::with_capacity(
        256 * 1024,
        CountingReader {
            inner: file,
            count: progress.clone(),
        },
    );
    let mut magic = [0u8; 8];
    let n = read_up_to(&mut counted, &mut magic).map_err(|source| ReadError::Io {
        path: shown.clone(),
        source,
    })?;
    if n == 0 {
        return Err(ReadError::Empty { path: shown });
    }
    let magic = &magic[..n];
    let rest = std::io::Cursor::new(magic.to_vec()).chain(counted);
    if magic.starts_with(&[0x1f, 0x8b]) {
        let gz = flate2::read::MultiGzDecoder::new(rest);
        let mut table = text::open(&shown, Box::new(gz), accept, layout)?;
        table.info.kind = "csv.gz";
        return Ok(finish(table, progress, size));
    }
    if magic.starts_with(b"PK\x03\x04") || magic.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        let table = excel::open(&shown, rest, accept)?;
        return Ok(finish(table, progress, size));
    }
    let table = text::open(&shown, Box::new(rest), accept, layout)?;
    Ok(finish(table, progress, size))
}

fn finish(mut table: Table, progress: Arc<AtomicU64>, size: u64) -> Table {
    table.progress = progress;
    table.size = size;
    table
}

fn read_up_to(reader: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

struct CountingReader<R> {
    inner: R,
    count: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_headerless_file_of_spaced_columns_is_read_by_position_with_a_joined_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cdnow.txt");
        std::fs::write(
            &path,
            " 00004 0001 19970101  2   29.33\n\n 00004 0001 19970118  2   29.73\n",
        )
        .unwrap();
        let layout = Layout {
            header: false,
            whitespace: true,
        };
        let mut table = open_with(&path, &|_| true, layout).unwrap();
        assert_eq!(table.header.names, ["1", "2", "3", "4", "5"]);
        table.add_joined("2+3".into(), vec![1, 2]);
        assert_eq!(table.header.index_of("2+3"), Some(5));
        let mut row = Row::new();
        let mut rows = Vec::new();
        while let Some(n) = table.next_row(&mut row).unwrap() {
            rows.push((n, row.iter().map(str::to_owned).collect::<Vec<_>>()));
        }
        assert_eq!(rows.len(), 2, "the blank line is skipped");
        assert_eq!(rows[0].0, 1, "the first line is data");
        assert_eq!(
            rows[0].1,
            ["00004", "0001", "19970101", "2", "29.33", "0001-19970101"]
        );
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1[5], "0001-19970118");
    }

    fn read_all(bytes: &[u8]) -> Result<(Header, Vec<Vec<String>>), ReadError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input");
        std::fs::write(&path, bytes).unwrap();
        let mut table = open(&path, &|_| true)?;
        let mut rows = Vec::new();
        let mut row = Row::new();
        while table.next_row(&mut row)?.is_some() {
            rows.push(row.iter().map(str::to_owned).collect());
        }
        Ok((table.header, rows))
    }

    #[test]
    fn gbk_with_title_lines_and_a_totals_row() {
        let text = "订单报表\n导出时间:2019-05-15\n订单编号\t买家会员名\t买家实际支付金额\n1\t张三\t10.00\n2\t李四\t20.00\n合计\t\t30.00\n";
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        let (header, rows) = read_all(&bytes).unwrap();
        assert_eq!(header.names, ["订单编号", "买家会员名", "买家实际支付金额"]);
        assert_eq!(header.row, 3);
        assert_eq!(rows, [["1", "张三", "10.00"], ["2", "李四", "20.00"]]);
    }

    #[test]
    fn utf8_bom_and_gzip() {
        let text = "\u{feff}a,b\n1,2\n";
        let (header, rows) = read_all(text.as_bytes()).unwrap();
        assert_eq!(header.names, ["a", "b"]);
        assert_eq!(rows.len(), 1);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, text.as_bytes()).unwrap();
        let (header, rows) = read_all(&gz.finish().unwrap()).unwrap();
        assert_eq!(header.names, ["a", "b"]);
        assert_eq!(rows, [["1", "2"]]);
    }

    #[test]
    fn utf16_with_bom_as_excel_saves_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "名称\t数量\n杯子\t3\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (header, rows) = read_all(&bytes).unwrap();
        assert_eq!(header.names, ["名称", "数量"]);
        assert_eq!(rows, [["杯子", "3"]]);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn no_input_makes_a_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = read_all(&bytes);
        }

        #[test]
        fn no_text_makes_a_reader_panic(text in "[a-z0-9,;\t\"\n 订单合计=']{0,400}") {
            let _ = read_all(text.as_bytes());
        }
    }
}
