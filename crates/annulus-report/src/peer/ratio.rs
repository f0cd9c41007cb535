//! Medians of timing samples and of paired time ratios, each with a distribution-free 95 %
//! confidence interval from order statistics.
//!
//! # Definitions
//! - **Median**: nearest rank, as everywhere in the project (`annulus_score::percentile`): the
//!   ⌈n/2⌉-th smallest of n values, always one of the measured values (the lower middle one
//!   when n is even).
//! - **95 % interval of a median**: with the values sorted, `x₍₁₎ ≤ … ≤ x₍ₙ₎`, the number B of
//!   values below the true median m is Binomial(n, ½) for independent draws from a continuous
//!   distribution, so `[x₍ₖ₎, x₍ₙ₊₁₋ₖ₎]` covers m with probability `1 − 2·P(B ≤ k − 1)`. The
//!   interval takes the largest k whose coverage is still at least 95 %, i.e. with
//!   `P(B ≤ k − 1) ≤ 2.5 %` (Conover, *Practical Nonparametric Statistics*, §3.2); its exact
//!   coverage is recorded with it (computed in integers up to 120 samples, with statrs'
//!   binomial distribution beyond). No distribution is assumed: timings on a shared machine are
//!   skewed and carry outliers.
//! - **Too few samples**: even the full range `[x₍₁₎, x₍ₙ₎]` covers the median with probability
//!   only `1 − 2⁻⁽ⁿ⁻¹⁾`, 93.75 % at n = 5, so below [`MIN_SAMPLES_FOR_CI`] = 6 there is no 95 %
//!   interval and none is given (`ci95` is `None`): the report says so instead of passing off
//!   the range as one.
//! - **Paired time ratio**: two detectors timed on the same image in the same round give one
//!   ratio `numerator_ns[i] / denominator_ns[i]` per round; [`TimeRatio`] is the median of
//!   those ratios with the interval above. Pairing cancels whatever both detectors share within
//!   a round (the machine's load, the CPU's clock), which separate medians of the two samples
//!   would not; the interval assumes rounds are independent of each other.
//!
//! The same statistic lives in xtask twice (`perf/stats.rs`, `perf/significance.rs`, which
//! differ below six samples, where they return the range): xtask depends on this crate, so both
//! could use [`TimeStats`] instead.

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, DiscreteCDF};

use crate::error::ReportError;

/// The confidence level of every interval.
pub const CONFIDENCE: f64 = 0.95;

/// The fewest samples for which an order-statistic interval reaches [`CONFIDENCE`].
pub const MIN_SAMPLES_FOR_CI: usize = 6;

/// The median time of one detector's calls, with its 95 % interval, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeStats {
    /// Number of samples.
    pub n: usize,
    /// The nearest-rank median, one of the samples.
    pub median_ns: u64,
    /// The 95 % interval of the median, two of the samples; `None` below
    /// [`MIN_SAMPLES_FOR_CI`] samples.
    pub ci95_ns: Option<[u64; 2]>,
    /// The interval's exact coverage, at least [`CONFIDENCE`]; `None` without an interval.
    pub ci95_coverage: Option<f64>,
}

/// The median of paired per-round time ratios, with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeRatio {
    /// Number of rounds paired.
    pub n_pairs: usize,
    /// The nearest-rank median of the per-round ratios.
    pub median: f64,
    /// The 95 % interval of the median, two of the ratios; `None` below
    /// [`MIN_SAMPLES_FOR_CI`] pairs.
    pub ci95: Option<[f64; 2]>,
    /// The interval's exact coverage, at least [`CONFIDENCE`]; `None` without an interval.
    pub ci95_coverage: Option<f64>,
}

impl TimeStats {
    /// The median and interval of `samples_ns`, in any order; `None` when there are none.
    pub fn from_samples_ns(samples_ns: &[u64]) -> Option<Self> {
        let mut sorted = samples_ns.to_vec();
        sorted.sort_unstable();
        let stats = OrderStats::of_sorted(&sorted)?;
        Some(Self {
            n: sorted.len(),
            median_ns: stats.median,
            ci95_ns: stats.ci95.map(|(interval, _)| interval),
            ci95_coverage: stats.ci95.map(|(_, coverage)| coverage),
        })
    }
}

impl TimeRatio {
    /// The median of `numerator_ns[i] / denominator_ns[i]` over rounds i, with its interval
    /// (module docs).
    ///
    /// `Ok(None)` when either side has no samples (a detector that did not run has nothing to
    /// pair). Fails when both have samples but not as many, or when a denominator sample is 0.
    pub fn from_rounds(
        numerator_ns: &[u64],
        denominator_ns: &[u64],
    ) -> Result<Option<Self>, ReportError> {
        if numerator_ns.is_empty() || denominator_ns.is_empty() {
            return Ok(None);
        }
        if numerator_ns.len() != denominator_ns.len() {
            return Err(ReportError::UnpairedRounds {
                n_numerator: numerator_ns.len(),
                n_denominator: denominator_ns.len(),
            });
        }
        let mut ratios = Vec::with_capacity(numerator_ns.len());
        for (round, (&num, &den)) in numerator_ns.iter().zip(denominator_ns).enumerate() {
            if den == 0 {
                return Err(ReportError::ZeroTime { round });
            }
            // Nanosecond counts below 2⁵³ (104 days) convert exactly.
            ratios.push(num as f64 / den as f64);
        }
        ratios.sort_by(f64::total_cmp);
        let Some(stats) = OrderStats::of_sorted(&ratios) else { return Ok(None) };
        Ok(Some(Self {
            n_pairs: ratios.len(),
            median: stats.median,
            ci95: stats.ci95.map(|(interval, _)| interval),
            ci95_coverage: stats.ci95.map(|(_, coverage)| coverage),
        }))
    }
}

/// The median of sorted values and, when there are enough, its interval with its coverage.
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrderStats<T> {
    median: T,
    ci95: Option<([T; 2], f64)>,
}

impl<T: Copy> OrderStats<T> {
    /// The order statistics of `sorted` (ascending); `None` when empty.
    fn of_sorted(sorted: &[T]) -> Option<Self> {
        let n = sorted.len();
        let median = *sorted.get(n.div_ceil(2).checked_sub(1)?)?;
        let ci95 = match ci_ranks(n) {
            Some((k, coverage)) => Some(([*sorted.get(k - 1)?, *sorted.get(n - k)?], coverage)),
            None => None,
        };
        Some(Self { median, ci95 })
    }
}

/// The rank k (1-based) of the lower end of the median's 95 % interval among `n` sorted
/// values, the upper end being rank `n + 1 − k`, with the interval's coverage; `None` when no
/// k reaches [`CONFIDENCE`] (fewer than [`MIN_SAMPLES_FOR_CI`] values).
pub(crate) fn ci_ranks(n: usize) -> Option<(usize, f64)> {
    let half_alpha = (1.0 - CONFIDENCE) / 2.0;
    let mut best = None;
    // The ends must not cross: k ≤ n + 1 − k.
    for k in 1..=n.div_ceil(2) {
        // P(B ≤ k − 1): the chance that fewer than k values fall below the true median, i.e.
        // that the k-th smallest lies above it. By symmetry the upper end misses as often.
        let miss = binomial_half_cdf(n, k - 1)?;
        if miss > half_alpha {
            break;
        }
        best = Some((k, 1.0 - 2.0 * miss));
    }
    best
}

/// The largest n whose binomial sums [`binomial_half_cdf`] adds up in integers: each step
/// multiplies a coefficient below 2ⁿ by at most n before dividing, so `2ⁿ · n` must fit in
/// `u128`.
const MAX_EXACT_N: usize = 120;

/// `P(B ≤ j)` for B ~ Binomial(n, ½). Up to [`MAX_EXACT_N`] it is the integer
/// `Σ_{i ≤ j} C(n, i)` over `2ⁿ`, rounded once, so that small samples get their coverage
/// exactly (0.96875 at n = 6, not 0.96874999…); beyond, statrs' regularised incomplete beta
/// function, within a few ulps. `None` only if statrs refuses the parameters.
fn binomial_half_cdf(n: usize, j: usize) -> Option<f64> {
    if n <= MAX_EXACT_N {
        let (mut coefficient, mut sum) = (1_u128, 1_u128);
        for i in 1..=j.min(n) {
            // C(n, i) = C(n, i − 1) · (n − i + 1) / i, exact in integers.
            coefficient = coefficient * (n - i + 1) as u128 / i as u128;
            sum += coefficient;
        }
        // Both conversions are exact or rounded once: 2ⁿ is a power of two, and the quotient
        // by it only shifts the exponent.
        let two_to_n = (0..n).fold(1.0_f64, |p, _| p * 2.0);
        return Some(sum as f64 / two_to_n);
    }
    let binomial = Binomial::new(0.5, u64::try_from(n).ok()?).ok()?;
    Some(binomial.cdf(u64::try_from(j).ok()?))
}
