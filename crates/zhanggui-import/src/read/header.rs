//! Finding the header row below title lines, and naming its columns.

use super::Row;
use crate::values::clean;

/// The header of a table: column names as written, cleaned of wrapping and spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub names: Vec<String>,
    /// The header's 1-based row number in the file.
    pub row: u64,
}

impl Header {
    pub fn new(names: Vec<String>, row: u64) -> Self {
        Header { names, row }
    }

    /// The index of the first column with this name (exact, after cleaning).
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The index of the first column with any of these names.
    pub fn find(&self, names: &[&str]) -> Option<usize> {
        names.iter().find_map(|n| self.index_of(n))
    }
}

/// How many rows at the top of a file may be title lines.
pub(crate) const HEADER_SEARCH_ROWS: usize = 30;

/// Picks the header among the first rows: the first row naming at least two columns and at
/// least 60% as many as the widest row seen. Title lines (`订单报表 2019-05-15`) name one.
pub(crate) fn pick_header(rows: &[(u64, Row)]) -> Option<usize> {
    let filled = |r: &Row| r.iter().filter(|c| !clean(c).is_empty()).count();
    let widest = rows.iter().map(|(_, r)| filled(r)).max()?;
    rows.iter().position(|(_, r)| {
        let n = filled(r);
        n >= 2 && n * 10 >= widest * 6
    })
}

/// The cleaned names of a header row.
pub(crate) fn names_of(row: &Row) -> Vec<String> {
    row.iter().map(|c| clean(c).to_owned()).collect()
}

/// A totals row: its first filled cell says 合计 / 总计 / Total.
pub fn is_totals_row(row: &Row) -> bool {
    row.iter()
        .map(clean)
        .find(|c| !c.is_empty())
        .is_some_and(|c| {
            c.starts_with("合计")
                || c.starts_with("总计")
                || c.eq_ignore_ascii_case("total")
                || c.eq_ignore_ascii_case("totals")
                // Google Ads ends its reports with `Total: Account`, `Total: Campaigns`.
                || c.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("total:"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Row {
        Row::from(cells.to_vec())
    }

    #[test]
    fn title_lines_are_skipped() {
        let rows = vec![
            (1, row(&["订单报表", "", ""])),
            (2, row(&["导出时间 2019-05-15", "", ""])),
            (3, row(&["订单编号", "买家会员名", "订单状态"])),
            (4, row(&["1", "a", "交易成功"])),
        ];
        assert_eq!(pick_header(&rows), Some(2));
    }

    #[test]
    fn totals_rows_are_recognised() {
        assert!(is_totals_row(&row(&["合计", "", "1234"])));
        assert!(is_totals_row(&row(&["", "Total", "1234"])));
        assert!(!is_totals_row(&row(&["123", "合计"])));
    }
}
