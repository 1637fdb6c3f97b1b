//! Delimited text: encoding and delimiter detection, then the csv crate's parser.

use std::io::{Cursor, Read};
use std::sync::atomic::AtomicU64;
use std::sync::Arc;

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::header::{names_of, pick_header, Header, HEADER_SEARCH_ROWS};
use super::{read_up_to, HeaderFilter, Layout, ReadError, Row, RowSource, SourceInfo, Table};

const SNIFF_BYTES: usize = 64 * 1024;

/// Which encoding the first bytes speak: a BOM decides; otherwise valid UTF-8 is UTF-8 and
/// anything else is read as GB18030 (the superset of GBK that Taobao exports use).
pub(crate) fn detect_encoding(prefix: &[u8]) -> &'static Encoding {
    if prefix.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return UTF_8;
    }
    if prefix.starts_with(&[0xFF, 0xFE]) {
        return UTF_16LE;
    }
    if prefix.starts_with(&[0xFE, 0xFF]) {
        return UTF_16BE;
    }
    match std::str::from_utf8(prefix) {
        Ok(_) => UTF_8,
        // A multi-byte character cut by the end of the sample is still UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => GB18030,
    }
}

/// The delimiter that splits the first lines into the most columns.
pub(crate) fn detect_delimiter(sample: &str) -> u8 {
    let lines: Vec<&str> = sample.lines().take(HEADER_SEARCH_ROWS).collect();
    let mut best = (b',', 0usize);
    for delim in [b',', b'\t', b';', b'|'] {
        let widest = lines
            .iter()
            .map(|l| l.bytes().filter(|b| *b == delim).count())
            .max()
            .unwrap_or(0);
        if widest > best.1 {
            best = (delim, widest);
        }
    }
    best.0
}

pub(super) fn open(
    path: &str,
    mut input: Box<dyn Read + Send>,
    _accept: HeaderFilter<'_>,
    layout: Layout,
) -> Result<Table, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut prefix = vec![0u8; SNIFF_BYTES];
    let n = read_up_to(&mut input, &mut prefix).map_err(io)?;
    prefix.truncate(n);
    if prefix.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty {
            path: path.to_owned(),
        });
    }
    if prefix.contains(&0) && detect_encoding(&prefix) == UTF_8 {
        return Err(ReadError::Spreadsheet {
            path: path.to_owned(),
            reason: "it is a binary file, not text, XLSX or XLS".into(),
        });
    }
    let encoding = detect_encoding(&prefix);
    let (sample, _, _) = encoding.decode(&prefix);
    let delimiter = detect_delimiter(&sample);
    let whole = Cursor::new(prefix).chain(input);
    let decoded: Box<dyn Read + Send> = if encoding == UTF_8 {
        let mut whole = whole;
        let mut bom = [0u8; 3];
        let got = read_up_to(&mut whole, &mut bom).map_err(io)?;
        if bom[..got] == [0xEF, 0xBB, 0xBF] {
            Box::new(whole)
        } else {
            Box::new(Cursor::new(bom[..got].to_vec()).chain(whole))
        }
    } else {
        Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding))
                .bom_override(true)
                .build(whole),
        )
    };
    let info = SourceInfo {
        kind: "csv",
        encoding: Some(encoding.name()),
        delimiter: Some(if layout.whitespace {
            ' '
        } else {
            delimiter as char
        }),
        sheet: None,
    };
    if layout.whitespace || !layout.header {
        let mut source: Box<dyn RowSource> = if layout.whitespace {
            Box::new(SpacedRows {
                lines: std::io::BufReader::with_capacity(256 * 1024, decoded),
                line: 0,
                text: String::new(),
            })
        } else {
            Box::new(CsvRows {
                path: path.to_owned(),
                reader: csv_reader(delimiter, decoded),
                buffered: Vec::new(),
            })
        };
        let (header, first) = positional(path, source.as_mut())?;
        return Ok(Table {
            header,
            info,
            rows: Box::new(Prepend {
                first: Some(first),
                rest: source,
            }),
            progress: Arc::new(AtomicU64::new(0)),
            size: 0,
        });
    }
    let reader = csv_reader(delimiter, decoded);
    let mut source = CsvRows {
        path: path.to_owned(),
        reader,
        buffered: Vec::new(),
    };
    let mut first = Vec::new();
    for _ in 0..HEADER_SEARCH_ROWS {
        let mut row = Row::new();
        match source.read(&mut row)? {
            Some(n) => first.push((n, row)),
            None => break,
        }
    }
    let Some(at) = pick_header(&first) else {
        return Err(ReadError::NoHeader {
            path: path.to_owned(),
        });
    };
    let mut rest = first.split_off(at);
    let (header_row, header) = rest.remove(0);
    rest.reverse();
    source.buffered = rest;
    Ok(Table {
        header: Header::new(names_of(&header), header_row),
        info: SourceInfo {
            kind: "csv",
            encoding: Some(encoding.name()),
            delimiter: Some(delimiter as char),
            sheet: None,
        },
        rows: Box::new(source),
        progress: Arc::new(AtomicU64::new(0)),
        size: 0,
    })
}

fn csv_reader(delimiter: u8, decoded: Box<dyn Read + Send>) -> csv::Reader<Box<dyn Read + Send>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(256 * 1024)
        .from_reader(decoded)
}

/// A file without a header: its columns are named 1, 2, 3 ... after the first row's width,
/// and that row is data.
fn positional(path: &str, source: &mut dyn RowSource) -> Result<(Header, (u64, Row)), ReadError> {
    let mut row = Row::new();
    match source.next_row(&mut row)? {
        Some(n) => {
            let names = (1..=row.len()).map(|i| i.to_string()).collect();
            Ok((Header::new(names, 0), (n, row)))
        }
        None => Err(ReadError::Empty {
            path: path.to_owned(),
        }),
    }
}

/// The first row, read to name the columns, then the rest.
struct Prepend {
    first: Option<(u64, Row)>,
    rest: Box<dyn RowSource>,
}

impl RowSource for Prepend {
    fn next_row(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError> {
        if let Some((n, first)) = self.first.take() {
            *row = first;
            return Ok(Some(n));
        }
        self.rest.next_row(row)
    }
}

/// Lines whose columns are separated by runs of spaces or tabs.
struct SpacedRows<R: std::io::BufRead + Send> {
    lines: R,
    line: u64,
    text: String,
}

impl<R: std::io::BufRead + Send> RowSource for SpacedRows<R> {
    fn next_row(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError> {
        loop {
            self.text.clear();
            let n = self
                .lines
                .read_line(&mut self.text)
                .map_err(|e| ReadError::Row {
                    path: String::new(),
                    row: self.line + 1,
                    reason: e.to_string(),
                })?;
            if n == 0 {
                return Ok(None);
            }
            self.line += 1;
            if self.text.trim().is_empty() {
                continue;
            }
            row.clear();
            for field in self.text.split_whitespace() {
                row.push_field(field);
            }
            return Ok(Some(self.line));
        }
    }
}

struct CsvRows {
    path: String,
    reader: csv::Reader<Box<dyn Read + Send>>,
    /// Rows read while looking for the header, in reverse order.
    buffered: Vec<(u64, Row)>,
}

impl CsvRows {
    fn read(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError> {
        match self.reader.read_record(row) {
            Ok(true) => Ok(Some(row.position().map_or(0, |p| p.line()))),
            Ok(false) => Ok(None),
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let reason = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => {
                        "the text is not valid in the file's encoding (UTF-8): save the file \
                         again as UTF-8 or GBK"
                            .to_owned()
                    }
                    _ => e.to_string(),
                };
                Err(ReadError::Row {
                    path: self.path.clone(),
                    row: line,
                    reason,
                })
            }
        }
    }
}

impl RowSource for CsvRows {
    fn next_row(&mut self, row: &mut Row) -> Result<Option<u64>, ReadError> {
        if let Some((n, buffered)) = self.buffered.pop() {
            *row = buffered;
            return Ok(Some(n));
        }
        self.read(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        let (gbk, _, _) = GB18030.encode("订单编号,买家会员名\n");
        assert_eq!(detect_encoding(&gbk), GB18030);
        assert_eq!(detect_encoding("订单编号".as_bytes()), UTF_8);
        assert_eq!(detect_encoding(b"\xEF\xBB\xBFa,b"), UTF_8);
        // A character cut in half by the end of the sample.
        assert_eq!(detect_encoding(&"订单".as_bytes()[..4]), UTF_8);
    }

    #[test]
    fn delimiters_are_detected() {
        assert_eq!(detect_delimiter("a\tb\tc\n1\t2\t3"), b'\t');
        assert_eq!(detect_delimiter("title\na,b,c\n1,2,3"), b',');
    }
}
