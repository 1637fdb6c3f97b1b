//! One file, end to end: read → bind (preset or mapping) → parse and validate each row →
//! stage normalised records → merge in one transaction → data-quality checks.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use zhanggui_domain::records::Record;
use zhanggui_domain::{LineKey, Shop};
use zhanggui_storage::{Entity, EntityCounts, MergeReport, QualityFinding, Store, StoreError};

use crate::binding::{Binding, Problem, ShopContext};
use crate::fields::{Field, RowKind};
use crate::mapping::{Mapping, MappingError};
use crate::presets;
use crate::read::{self, ReadError, Row, SourceInfo};
use crate::reject::{RejectLog, Rejection};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// A preset id, instead of detecting one from the header.
    pub format: Option<String>,
    /// A column mapping file, instead of a preset.
    pub mapping: Option<PathBuf>,
    /// Any rejected row fails the whole file and nothing is written.
    pub strict: bool,
    /// Do everything, then roll back.
    pub dry_run: bool,
    /// Leave the data-quality checks to the caller: an import of several files (an order
    /// report and its line report) runs them once, after the last file, so that they speak
    /// of what the files brought together rather than of the first file alone.
    pub defer_checks: bool,
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub file: String,
    pub format: String,
    pub kind: &'static str,
    pub encoding: Option<&'static str>,
    pub sheet: Option<String>,
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub rejected: u64,
    /// Rows that repeated a key seen earlier in the same file.
    pub repeated_in_file: u64,
    pub merge: MergeReport,
    pub rejections: Vec<Rejection>,
    pub reject_file: Option<PathBuf>,
    pub reject_file_error: Option<String>,
    /// The data-quality checks after this file (empty when the caller runs them after
    /// several files: [`ImportOptions::defer_checks`]).
    pub quality: Vec<QualityFinding>,
    pub dry_run: bool,
    /// Where the time went, in milliseconds.
    pub timings: Timings,
}

/// Milliseconds spent reading and staging rows, merging them, and checking quality.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Timings {
    pub read_ms: u64,
    pub merge_ms: u64,
    pub checks_ms: u64,
}

/// Why a file was not imported. In every case nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{path}: zhanggui does not recognise this file's columns ({columns}).\nWhat each format needs:\n{explanation}\nFor any other file, write a column mapping: zhanggui mapping new {path}")]
    Unrecognised {
        path: String,
        columns: String,
        explanation: String,
    },
    #[error("unknown format `{0}`; known formats: {1}")]
    UnknownFormat(String, String),
    #[error("{path}: the file does not fit the format {format}: it has no column for {missing}")]
    FormatMismatch {
        path: String,
        format: String,
        missing: String,
    },
    #[error(transparent)]
    Mapping(#[from] MappingError),
    #[error("{0}")]
    Strict(Box<StrictFailure>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A file refused under `--strict`: how many rows were rejected, and the first of them.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {rejected} row(s) rejected and --strict is on, so nothing was imported; first: row {}, column {}, value `{}`: {}", first.row, first.column, first.value, first.reason)]
pub struct StrictFailure {
    pub path: String,
    pub rejected: u64,
    pub first: Rejection,
    pub rejections: Vec<Rejection>,
}

/// Progress of one file: bytes consumed of the file's size.
pub trait Progress {
    fn update(&self, bytes: u64, size: u64, rows: u64);
}

impl Progress for () {
    fn update(&self, _: u64, _: u64, _: u64) {}
}

/// Imports one file into one shop.
pub fn import_file(
    store: &dyn Store,
    shop: &Shop,
    path: &Path,
    options: &ImportOptions,
    progress: &dyn Progress,
) -> Result<ImportOutcome, ImportError> {
    let shown = path.display().to_string();
    let mapping = options.mapping.as_deref().map(Mapping::load).transpose()?;
    let preset = match &options.format {
        Some(id) => Some(presets::by_id(id).ok_or_else(|| {
            ImportError::UnknownFormat(id.clone(), presets::PRESETS.map(|p| p.id).join(", "))
        })?),
        None => None,
    };
    let accept = |header: &read::Header| match (&mapping, preset) {
        (Some(m), _) => m.accepts(header),
        (None, Some(p)) => p.bind(header).is_ok(),
        (None, None) => presets::detect(header).is_some(),
    };
    let layout = mapping.as_ref().map(Mapping::layout).unwrap_or_default();
    let mut table = read::open_with(path, &accept, layout)?;
    if let Some(m) = &mapping {
        for (name, parts) in m.joins(&table.header) {
            table.add_joined(name, parts);
        }
    }
    let binding = bind(&shown, &table.header, mapping.as_ref(), preset)?;
    let ctx = ShopContext {
        timezone: shop.timezone,
        exponent: shop.currency.exponent(),
    };
    let file_name = path
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    let started = std::time::Instant::now();
    let mut sink = store.begin_import(shop, &file_name, &binding.format)?;
    if numbers_lines(&binding) {
        sink.line_keys_unique()?;
    }
    let mut rejects = RejectLog::new(path);
    let bytes = table.progress.clone();
    let info = table.info.clone();
    let size = table.size;
    // Reading and parsing run on their own thread, staging on this one: the two halves of
    // the work overlap. Staged records go back to the reading thread, which made them, to
    // be freed there and their vector reused.
    let parsed = std::thread::scope(|scope| -> Result<u64, ImportError> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(4);
        let (spent_tx, spent_rx) = std::sync::mpsc::channel::<Vec<(u64, Record)>>();
        let binding = &binding;
        let reader = scope.spawn(move || parse_rows(&mut table, binding, &ctx, &tx, &spent_rx));
        let mut rows_read = 0u64;
        let mut failure = None;
        for batch in rx.iter() {
            rows_read += batch.rows;
            progress.update(
                bytes.load(std::sync::atomic::Ordering::Relaxed),
                size,
                rows_read,
            );
            for (number, record) in &batch.records {
                if let Err(e) = sink.append(*number, record) {
                    failure = Some(ImportError::Store(e));
                    break;
                }
            }
            let _ = spent_tx.send(batch.records);
            for (number, problems) in batch.rejected {
                rejects.reject(number, problems);
            }
            if failure.is_some() || (options.strict && rejects.rows > 0) {
                break;
            }
        }
        drop(rx);
        let read_result = reader.join().unwrap_or_else(|_| {
            Err(ReadError::Row {
                path: path.display().to_string(),
                row: 0,
                reason: "the reader stopped unexpectedly".into(),
            })
        });
        if let Some(failure) = failure {
            return Err(failure);
        }
        if options.strict && rejects.rows > 0 {
            return Ok(rows_read);
        }
        read_result?;
        Ok(rows_read)
    });
    let rows_read = match parsed {
        Ok(rows) => rows,
        Err(e) => {
            sink.abort()?;
            return Err(e);
        }
    };
    if options.strict && rejects.rows > 0 {
        sink.abort()?;
        let (_, first, rejected, _) = rejects.close();
        let f = first.first().cloned().unwrap_or(Rejection {
            file: shown.clone(),
            row: 0,
            column: String::new(),
            value: String::new(),
            reason: String::new(),
        });
        return Err(ImportError::Strict(Box::new(StrictFailure {
            path: shown,
            rejected,
            first: f,
            rejections: first,
        })));
    }
    progress.update(size, size, rows_read);
    let (reject_file, rejections, rejected, reject_file_error) = rejects.close();
    let read_done = std::time::Instant::now();
    let merge = sink.finish(rows_read, rejected, !options.dry_run)?;
    let merge_done = std::time::Instant::now();
    let quality = if options.dry_run || options.defer_checks {
        Vec::new()
    } else {
        store.quality_checks(shop)?
    };
    let ms = |from: std::time::Instant, to: std::time::Instant| (to - from).as_millis() as u64;
    let timings = Timings {
        read_ms: ms(started, read_done),
        merge_ms: ms(read_done, merge_done),
        checks_ms: ms(merge_done, std::time::Instant::now()),
    };
    let primary = match binding.kind {
        RowKind::Orders => Entity::Orders,
        RowKind::OrderLines => Entity::OrderLines,
        RowKind::ProductDays => Entity::ProductDays,
        RowKind::Refunds => Entity::Refunds,
        RowKind::SourceDays => {
            if merge.get(Entity::SourceDays).is_some() {
                Entity::SourceDays
            } else {
                Entity::Benchmarks
            }
        }
    };
    let counts = merge.get(primary).unwrap_or(EntityCounts::default());
    Ok(ImportOutcome {
        file: shown,
        format: binding.format.clone(),
        kind: binding.kind.as_str(),
        encoding: info.encoding,
        sheet: info.sheet.clone(),
        rows_read,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged: counts.unchanged,
        rejected,
        repeated_in_file: counts.repeated_in_file,
        merge,
        rejections,
        reject_file,
        reject_file_error,
        quality,
        dry_run: options.dry_run,
        timings,
    })
}

/// Rows parsed on the reader thread, handed to the staging thread.
struct Batch {
    rows: u64,
    records: Vec<(u64, Record)>,
    rejected: Vec<(u64, Vec<Problem>)>,
}

const BATCH_ROWS: u64 = 8_192;

/// Reads and parses every row, sending batches until the file ends or the receiver stops
/// listening; the staged records of earlier batches come back on `spent`.
fn parse_rows(
    table: &mut read::Table,
    binding: &Binding,
    ctx: &ShopContext,
    tx: &std::sync::mpsc::SyncSender<Batch>,
    spent: &std::sync::mpsc::Receiver<Vec<(u64, Record)>>,
) -> Result<(), ReadError> {
    let mut numbering = LineNumbering::new(binding);
    let mut row = Row::new();
    let mut records = Vec::with_capacity(4);
    let new_batch = || Batch {
        rows: 0,
        records: match spent.try_recv() {
            Ok(mut used) => {
                used.clear();
                used
            }
            Err(_) => Vec::with_capacity(BATCH_ROWS as usize),
        },
        rejected: Vec::new(),
    };
    let mut batch = new_batch();
    while let Some(number) = table.next_row(&mut row)? {
        batch.rows += 1;
        records.clear();
        match binding.parse_row(&row, ctx, &mut records) {
            Ok(()) => {
                for mut record in records.drain(..) {
                    numbering.number(&mut record);
                    batch.records.push((number, record));
                }
            }
            Err(problems) => batch.rejected.push((number, problems)),
        }
        if batch.rows == BATCH_ROWS && tx.send(std::mem::replace(&mut batch, new_batch())).is_err()
        {
            return Ok(());
        }
    }
    let _ = tx.send(batch);
    Ok(())
}

/// Reads only the header of a file, as the readers see it.
pub fn read_header(path: &Path) -> Result<(read::Header, SourceInfo), ReadError> {
    let table = read::open(path, &|h| presets::detect(h).is_some())?;
    Ok((table.header, table.info))
}

fn bind(
    path: &str,
    header: &read::Header,
    mapping: Option<&Mapping>,
    preset: Option<&'static presets::Preset>,
) -> Result<Binding, ImportError> {
    if let Some(mapping) = mapping {
        return Ok(mapping.bind(header)?);
    }
    let preset = match preset {
        Some(p) => p,
        None => presets::detect(header).ok_or_else(|| ImportError::Unrecognised {
            path: path.to_owned(),
            columns: header
                .names
                .iter()
                .filter(|n| !n.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join(", "),
            explanation: presets::explain_mismatch(header),
        })?,
    };
    preset
        .bind(header)
        .map_err(|missing| ImportError::FormatMismatch {
            path: path.to_owned(),
            format: preset.id.to_owned(),
            missing: missing
                .iter()
                .map(|f| preset.names_for(*f).join(" or "))
                .collect::<Vec<_>>()
                .join(", "),
        })
}

/// Whether the reader numbers the file's lines itself: a line file without line ids.
fn numbers_lines(binding: &Binding) -> bool {
    binding.kind == RowKind::OrderLines && binding.column(Field::LineKey).is_none()
}

/// Numbers the lines of each order in file order when the file has no line ids.
struct LineNumbering {
    active: bool,
    next: HashMap<String, u32>,
}

impl LineNumbering {
    fn new(binding: &Binding) -> Self {
        LineNumbering {
            active: numbers_lines(binding),
            next: HashMap::new(),
        }
    }

    fn number(&mut self, record: &mut Record) {
        if !self.active {
            return;
        }
        if let Record::Line(line, _) = record {
            if line.line_key.is_some() {
                return;
            }
            let Some(order) = line.order_no.as_ref() else {
                return;
            };
            let n = match self.next.get_mut(order.as_str()) {
                Some(n) => n,
                None => self.next.entry(order.as_str().to_owned()).or_insert(0),
            };
            *n += 1;
            line.line_key = LineKey::parse(&n.to_string()).ok();
        }
    }
}
