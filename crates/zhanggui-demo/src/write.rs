//! Writing export files the way platforms do: GBK or UTF-8 with a BOM, ids wrapped so Excel
//! leaves them alone, title lines above the header.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use encoding_rs::GBK;

use crate::DemoError;

/// A CSV file being written in a platform's encoding.
pub struct CsvOut {
    path: PathBuf,
    file: BufWriter<File>,
    buffer: String,
    gbk: bool,
}

impl CsvOut {
    /// `gbk` writes GBK (as Taobao's order exports are); otherwise UTF-8 with a BOM.
    pub fn create(path: &Path, gbk: bool, title: Option<&str>) -> Result<Self, DemoError> {
        let file = File::create(path).map_err(|e| DemoError::write(path, e))?;
        let mut out = CsvOut {
            path: path.to_path_buf(),
            file: BufWriter::with_capacity(1 << 20, file),
            buffer: String::with_capacity(1 << 17),
            gbk,
        };
        if !gbk {
            out.raw(b"\xEF\xBB\xBF")?;
        }
        if let Some(title) = title {
            out.row(&[title])?;
        }
        Ok(out)
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<(), DemoError> {
        self.file
            .write_all(bytes)
            .map_err(|e| DemoError::write(&self.path, e))
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), DemoError> {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.buffer.push(',');
            }
            let cell = cell.as_ref();
            if cell.contains([',', '"', '\n', '\r']) {
                self.buffer.push('"');
                self.buffer.push_str(&cell.replace('"', "\"\""));
                self.buffer.push('"');
            } else {
                self.buffer.push_str(cell);
            }
        }
        self.buffer.push('\n');
        if self.buffer.len() > 1 << 16 {
            self.drain()?;
        }
        Ok(())
    }

    fn drain(&mut self) -> Result<(), DemoError> {
        let text = std::mem::take(&mut self.buffer);
        if self.gbk {
            let (bytes, _, _) = GBK.encode(&text);
            self.raw(&bytes)
        } else {
            self.raw(text.as_bytes())
        }
    }

    pub fn finish(mut self) -> Result<PathBuf, DemoError> {
        self.drain()?;
        self.file
            .flush()
            .map_err(|e| DemoError::write(&self.path, e))?;
        Ok(self.path)
    }
}

/// An id as Taobao writes it so that Excel keeps every digit: `="1930679858170647"`.
pub fn wrapped(id: impl std::fmt::Display) -> String {
    format!("=\"{id}\"")
}

/// Minor units as a plain decimal: 5990 → `59.90`.
pub fn amount(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}
