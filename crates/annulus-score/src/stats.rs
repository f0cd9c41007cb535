//! Summary statistics of error samples: the mean and nearest-rank percentiles.
//!
//! # Percentile definition
//! Nearest rank: the p-th percentile of n values is the smallest of the values with at least
//! p % of the values less than or equal to it. With the values sorted, `x₁ ≤ … ≤ xₙ`, it is
//! `x_k` for `k = max(1, ⌈p · n / 100⌉)`. It is always one of the values, never an
//! interpolation between two, so p50 of `[1, 2, 3, 4]` is 2, p95 of twenty values is the 19th,
//! and p100 is the maximum. Nearest rank is chosen because it makes a statement that can be
//! checked by counting: "95 % of markers are within p95".

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

/// The nearest-rank `p`-th percentile of `values` (definition in the [module docs](self)).
///
/// `None` when `values` is empty or `p` is outside `[0, 100]`. The values need not be sorted;
/// they should be finite (a NaN sorts above every number).
pub fn percentile(values: &[f64], p: f64) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    percentile_of_sorted(&sorted, p)
}

/// [`percentile`] of values already sorted ascending.
fn percentile_of_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=100.0).contains(&p) {
        return None;
    }
    let n = sorted.len();
    // `p · n` is formed before dividing so that integer percentiles of integer counts give exact
    // ranks: `7 · 100 / 100` is exactly 7, whereas `0.07 · 100` is 7.000000000000001 and would
    // round up to rank 8.
    let rank = (p * n as f64 / 100.0).ceil() as usize;
    sorted.get(rank.clamp(1, n) - 1).copied()
}

/// Mean, median, 95th percentile and maximum of a sample of errors, in the sample's unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ErrorStats {
    /// Number of values.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Nearest-rank median.
    pub p50: f64,
    /// Nearest-rank 95th percentile.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

impl ErrorStats {
    /// Statistics of `values` (finite, in any order); `None` when there are none.
    pub fn of(values: &[f64]) -> Option<Self> {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        Some(Self {
            n,
            mean: sorted.iter().sum::<f64>() / n as f64,
            p50: percentile_of_sorted(&sorted, 50.0)?,
            p95: percentile_of_sorted(&sorted, 95.0)?,
            max: *sorted.last()?,
        })
    }
}
