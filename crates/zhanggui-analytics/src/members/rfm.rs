//! RFM: each customer's recency, frequency and monetary value scored 1..=bins by rank
//! (quintiles by default; the most recent, most frequent and biggest spenders score
//! highest, ties share a score), and the eight segments Chinese operators use, from
//! whether each score is above the base's average score (重要价值客户: all three high, ...
//! 一般挽留客户: all three low).

use serde::{Deserialize, Serialize};

/// One customer's history up to the day the scores are for.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    pub buyer: String,
    /// Days since the last paid order.
    pub recency_days: i64,
    /// Paid orders.
    pub orders: i64,
    /// What they paid, in minor units.
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub amount: i64,
}

/// The eight segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// R, F and M high.
    ImportantValue,
    /// R and M high, F low.
    ImportantDevelop,
    /// F and M high, R low.
    ImportantKeep,
    /// M high, R and F low.
    ImportantWinBack,
    /// R and F high, M low.
    GeneralValue,
    /// R high, F and M low.
    GeneralDevelop,
    /// F high, R and M low.
    GeneralKeep,
    /// All three low.
    GeneralWinBack,
}

impl Segment {
    pub const ALL: [Segment; 8] = [
        Segment::ImportantValue,
        Segment::ImportantDevelop,
        Segment::ImportantKeep,
        Segment::ImportantWinBack,
        Segment::GeneralValue,
        Segment::GeneralDevelop,
        Segment::GeneralKeep,
        Segment::GeneralWinBack,
    ];

    /// The segment of high (true) or low recency, frequency and monetary scores.
    pub fn of(r: bool, f: bool, m: bool) -> Segment {
        match (r, f, m) {
            (true, true, true) => Segment::ImportantValue,
            (true, false, true) => Segment::ImportantDevelop,
            (false, true, true) => Segment::ImportantKeep,
            (false, false, true) => Segment::ImportantWinBack,
            (true, true, false) => Segment::GeneralValue,
            (true, false, false) => Segment::GeneralDevelop,
            (false, true, false) => Segment::GeneralKeep,
            (false, false, false) => Segment::GeneralWinBack,
        }
    }

    /// The name scripts see (as in JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::ImportantValue => "important_value",
            Segment::ImportantDevelop => "important_develop",
            Segment::ImportantKeep => "important_keep",
            Segment::ImportantWinBack => "important_win_back",
            Segment::GeneralValue => "general_value",
            Segment::GeneralDevelop => "general_develop",
            Segment::GeneralKeep => "general_keep",
            Segment::GeneralWinBack => "general_win_back",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Segment::ImportantValue => "重要价值客户",
            Segment::ImportantDevelop => "重要发展客户",
            Segment::ImportantKeep => "重要保持客户",
            Segment::ImportantWinBack => "重要挽留客户",
            Segment::GeneralValue => "一般价值客户",
            Segment::GeneralDevelop => "一般发展客户",
            Segment::GeneralKeep => "一般保持客户",
            Segment::GeneralWinBack => "一般挽留客户",
        }
    }
}

/// One customer's scores and segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scored {
    #[serde(flatten)]
    pub history: History,
    pub r: u32,
    pub f: u32,
    pub m: u32,
    pub segment: Segment,
}

/// A segment's size and revenue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentSummary {
    pub segment: Segment,
    pub zh: &'static str,
    pub customers: usize,
    pub share: f64,
    #[serde(serialize_with = "zhanggui_domain::money_json::minor")]
    pub amount: i64,
    pub amount_share: f64,
}

/// Scores 1..=bins by rank of `key` (higher key, higher score); equal keys share the score
/// of the first of them.
fn scores(keys: &[i64], bins: u32) -> Vec<u32> {
    let n = keys.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| keys[i]);
    let mut out = vec![0; n];
    let mut first_of_tie = 0;
    for (rank, &i) in order.iter().enumerate() {
        if rank == 0 || keys[i] != keys[order[rank - 1]] {
            first_of_tie = rank;
        }
        out[i] = 1 + (first_of_tie as u64 * u64::from(bins) / n as u64) as u32;
    }
    out
}

/// Scores every customer and names their segment.
pub fn score(histories: Vec<History>, bins: u32) -> Vec<Scored> {
    let bins = bins.max(2);
    // Fewer days since the last order is better: rank on the negated recency.
    let r = scores(
        &histories
            .iter()
            .map(|h| -h.recency_days)
            .collect::<Vec<_>>(),
        bins,
    );
    let f = scores(
        &histories.iter().map(|h| h.orders).collect::<Vec<_>>(),
        bins,
    );
    let m = scores(
        &histories.iter().map(|h| h.amount).collect::<Vec<_>>(),
        bins,
    );
    let mean = |s: &[u32]| s.iter().map(|v| f64::from(*v)).sum::<f64>() / s.len().max(1) as f64;
    let (mr, mf, mm) = (mean(&r), mean(&f), mean(&m));
    histories
        .into_iter()
        .enumerate()
        .map(|(i, history)| Scored {
            segment: Segment::of(
                f64::from(r[i]) > mr,
                f64::from(f[i]) > mf,
                f64::from(m[i]) > mm,
            ),
            history,
            r: r[i],
            f: f[i],
            m: m[i],
        })
        .collect()
}

/// Customers and revenue per segment, all eight listed.
pub fn summarize(scored: &[Scored]) -> Vec<SegmentSummary> {
    let customers = scored.len().max(1) as f64;
    let total: i64 = scored.iter().map(|s| s.history.amount).sum();
    Segment::ALL
        .iter()
        .map(|&segment| {
            let of: Vec<&Scored> = scored.iter().filter(|s| s.segment == segment).collect();
            let amount: i64 = of.iter().map(|s| s.history.amount).sum();
            SegmentSummary {
                segment,
                zh: segment.zh(),
                customers: of.len(),
                share: of.len() as f64 / customers,
                amount,
                amount_share: if total > 0 {
                    amount as f64 / total as f64
                } else {
                    0.0
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_by_rank_with_ties_sharing_a_score() {
        assert_eq!(scores(&[10, 20, 30, 40, 50], 5), [1, 2, 3, 4, 5]);
        assert_eq!(scores(&[7, 7, 7, 7], 5), [1, 1, 1, 1]);
        assert_eq!(scores(&[1, 2, 2, 3], 2), [1, 1, 1, 2]);
        assert_eq!(Segment::of(true, true, true).zh(), "重要价值客户");
        assert_eq!(Segment::of(false, false, true).zh(), "重要挽留客户");
        assert_eq!(Segment::of(false, false, false).zh(), "一般挽留客户");
        for s in Segment::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
