//! Likelihoods over many customers, made fast: customers with the same history are counted
//! once with a weight (a shop's histories are whole days, so a million buyers share far
//! fewer histories), and the sum over histories is split across the machine's cores.

use std::collections::HashMap;
use std::hash::Hash;

/// Distinct items with how many times each occurred, in first-seen order.
pub fn group<T: Copy, K: Eq + Hash>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(T, f64)> {
    let mut index: HashMap<K, usize> = HashMap::with_capacity(items.len() / 4);
    let mut out: Vec<(T, f64)> = Vec::new();
    for item in items {
        let slot = *index.entry(key(item)).or_insert_with(|| {
            out.push((*item, 0.0));
            out.len() - 1
        });
        out[slot].1 += 1.0;
    }
    out
}

/// Below this many rows one thread is faster than starting more.
const PARALLEL_FROM: usize = 50_000;

/// Σ over `rows` of `term`, a fixed-size vector each (a value and its gradient), split over
/// the available cores when the rows are many.
pub fn sum_over<R: Sync, const N: usize>(
    rows: &[R],
    term: &(dyn Fn(&[R]) -> [f64; N] + Sync),
) -> [f64; N] {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if rows.len() < PARALLEL_FROM || threads < 2 {
        return term(rows);
    }
    let chunk = rows.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let parts: Vec<_> = rows
            .chunks(chunk)
            .map(|part| scope.spawn(move || term(part)))
            .collect();
        let mut total = [0.0; N];
        for part in parts {
            let sums = part.join().unwrap_or([f64::NAN; N]);
            for (t, s) in total.iter_mut().zip(sums) {
                *t += s;
            }
        }
        total
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_count_repeats_and_sums_split_like_one_sum() {
        let g = group(&[3, 1, 3, 3, 2, 1], |v| *v);
        assert_eq!(g, vec![(3, 3.0), (1, 2.0), (2, 1.0)]);
        let rows: Vec<f64> = (0..200_000).map(f64::from).collect();
        let sum = |part: &[f64]| [part.iter().sum::<f64>(), part.len() as f64];
        assert_eq!(sum_over(&rows, &sum), [19_999_900_000.0, 200_000.0]);
    }
}
