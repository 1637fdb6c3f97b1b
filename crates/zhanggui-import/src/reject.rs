//! Rejected rows: kept in memory for the summary (the first few) and written in full to a
//! reject CSV next to the input, so that nothing is dropped without a word.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One rejected cell of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub file: String,
    pub row: u64,
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// Collects rejections and writes them to `FILE.rejected.csv`.
pub struct RejectLog {
    file: String,
    writer: Option<csv::Writer<BufWriter<File>>>,
    path: Option<PathBuf>,
    /// The first rejections, for the screen.
    pub first: Vec<Rejection>,
    /// Rows rejected (a row with several bad cells counts once).
    pub rows: u64,
    /// Why the reject file could not be written, if it could not.
    pub write_error: Option<String>,
    input: PathBuf,
}

const KEPT_FOR_SCREEN: usize = 20;

impl RejectLog {
    pub fn new(input: &Path) -> Self {
        RejectLog {
            file: input.display().to_string(),
            writer: None,
            path: None,
            first: Vec::new(),
            rows: 0,
            write_error: None,
            input: input.to_path_buf(),
        }
    }

    /// Where rejects go: beside the input, or in the working directory when the input's
    /// folder cannot be written.
    fn open(&mut self) {
        let name = format!(
            "{}.rejected.csv",
            self.input
                .file_name()
                .map_or("import".into(), |n| n.to_string_lossy())
        );
        let beside = self.input.with_file_name(&name);
        for candidate in [beside, PathBuf::from(&name)] {
            match File::create(&candidate) {
                Ok(file) => {
                    // The header is written here; rows are serialised without another.
                    let mut writer = csv::WriterBuilder::new()
                        .has_headers(false)
                        .from_writer(BufWriter::new(file));
                    let _ = writer.write_record(["file", "row", "column", "value", "reason"]);
                    self.writer = Some(writer);
                    self.path = Some(candidate);
                    return;
                }
                Err(e) => self.write_error = Some(format!("{}: {e}", candidate.display())),
            }
        }
    }

    /// Records the problems of one row.
    pub fn reject(&mut self, row: u64, problems: Vec<crate::binding::Problem>) {
        self.rows += 1;
        if self.writer.is_none() && self.path.is_none() && self.write_error.is_none() {
            self.open();
        }
        for p in problems {
            let rejection = Rejection {
                file: self.file.clone(),
                row,
                column: p.column,
                value: p.value,
                reason: p.reason,
            };
            if let Some(w) = self.writer.as_mut() {
                if let Err(e) = w.serialize(&rejection) {
                    self.write_error = Some(e.to_string());
                }
            }
            if self.first.len() < KEPT_FOR_SCREEN {
                self.first.push(rejection);
            }
        }
    }

    /// Flushes the reject file; returns its path when one was written.
    pub fn close(mut self) -> (Option<PathBuf>, Vec<Rejection>, u64, Option<String>) {
        if let Some(mut w) = self.writer.take() {
            if let Err(e) = w.flush() {
                self.write_error = Some(e.to_string());
            }
        }
        if self.path.is_some() {
            self.write_error = None;
        }
        (self.path, self.first, self.rows, self.write_error)
    }
}
