//! Fuzzes the readers: any bytes, as any kind of file, must be read or refused, never panic.
//!
//!     cargo install cargo-fuzz
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run read_any_file
#![no_main]

use libfuzzer_sys::fuzz_target;
use zhanggui_import::read::{self, Row};

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("input");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if let Ok(mut table) = read::open(&path, &|_| true) {
        let mut row = Row::new();
        while let Ok(Some(_)) = table.next_row(&mut row) {}
    }
});
