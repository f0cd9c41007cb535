//! Whether two sets of benchmark samples differ: the median with a distribution-free
//! confidence interval, the Mann–Whitney U test, and a seeded bootstrap interval of the ratio of
//! two medians.
//!
//! | quantity | method |
//! |---|---|
//! | median | nearest rank, as everywhere in the project (`annulus_score::percentile`): the ⌈n/2⌉-th smallest sample, always a measured value; the same number `perf.json` records as `median_ns` |
//! | 95 % CI of a median | order statistics: `[x(k), x(n−k+1)]` with the largest `k` for which `P(B < k) ≤ 2.5 %`, `B ~ Binomial(n, ½)`; coverage is at least 95 % whatever the distribution (with fewer than 6 samples no such `k` exists and the interval is `[min, max]`, with its lower coverage recorded) |
//! | two-sided test | Mann–Whitney U with mid-ranks for ties, normal approximation with the tie-corrected variance and a continuity correction of ½ (what `scipy.stats.mannwhitneyu(method="asymptotic")` does) |
//! | 95 % CI of the ratio of medians | percentile bootstrap: both samples resampled independently with replacement [`BOOTSTRAP_RESAMPLES`] times from a ChaCha8 generator seeded with [`BOOTSTRAP_SEED`], so the same samples always give the same interval |
//!
//! Times of repeated benchmark iterations are skewed (a long right tail from preemption on a
//! shared machine) and far from normal, which is why every method here is rank- or
//! resampling-based rather than a t-test on means. Samples are assumed independent; criterion's
//! samples of one run are close to that, but two runs taken at different times share no
//! conditions, which no test on their samples can see (see `docs/performance/troubleshooting.md`).

#[cfg(test)]
mod tests;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Binomial, ContinuousCDF, DiscreteCDF, Normal};

/// The confidence level of every interval: the conventional 95 %.
pub const CONFIDENCE: f64 = 0.95;

/// The significance level of the rank test, two-sided; matches [`CONFIDENCE`] so that a change
/// called significant has both a 95 % interval excluding zero and `p < 0.05`.
pub const ALPHA: f64 = 1.0 - CONFIDENCE;

/// Bootstrap resamples. With 10 000 the Monte-Carlo error of a 2.5 % percentile endpoint is about
/// ±0.16 percentage points of probability (√(0.025·0.975/10 000)), small beside the one decimal
/// the reports print, and a comparison of twenty 100-sample benchmarks still takes well under a
/// second in the release build.
pub const BOOTSTRAP_RESAMPLES: usize = 10_000;

/// The bootstrap's seed: fixed, so that the same two `perf.json` files always give the same
/// report, byte for byte.
pub const BOOTSTRAP_SEED: u64 = 0x0061_6e6e_756c_7573; // "annulus" in ASCII

/// The median of `samples` and its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MedianCi {
    /// Number of samples.
    pub n: usize,
    /// The median.
    pub median: f64,
    /// Lower end of the interval: an order statistic of the samples.
    pub lo: f64,
    /// Upper end of the interval: an order statistic of the samples.
    pub hi: f64,
    /// The interval's exact coverage for a continuous distribution: at least [`CONFIDENCE`]
    /// from 6 samples on, less below that.
    pub coverage: f64,
}

/// The outcome of a two-sided Mann–Whitney U test of `x` against `y`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RankTest {
    /// U of the first sample: the number of pairs `(x_i, y_j)` with `x_i > y_j`, ties counting
    /// one half. Ranges over `0 ..= n_x·n_y`; `n_x·n_y / 2` when the samples are alike.
    pub u: f64,
    /// The standardised statistic, continuity-corrected; negative when `x` tends to be smaller.
    pub z: f64,
    /// The two-sided p-value from the normal approximation, in `[0, 1]`.
    pub p_value: f64,
}

/// The median of `samples` with its distribution-free 95 % interval (see the module doc);
/// `None` when empty or when a sample is not finite.
pub fn median_ci(samples: &[f64]) -> Option<MedianCi> {
    let sorted = sorted_finite(samples)?;
    let n = sorted.len();
    let binomial = Binomial::new(0.5, n as u64).ok()?;
    // P(B ≤ k − 1) is the chance that fewer than k samples fall below the true median, i.e. that
    // the k-th smallest lies above it; the same holds at the other end by symmetry.
    let tail = |k: usize| binomial.cdf(k as u64 - 1);
    let half_alpha = ALPHA / 2.0;
    let mut k = 1;
    while k < n / 2 && tail(k + 1) <= half_alpha {
        k += 1;
    }
    Some(MedianCi {
        n,
        median: median_of_sorted(&sorted),
        lo: sorted[k - 1],
        hi: sorted[n - k],
        coverage: 1.0 - 2.0 * tail(k),
    })
}

/// The two-sided Mann–Whitney U test of `x` against `y` (see the module doc); `None` when a
/// sample is empty or not finite. Samples that are all equal give `p = 1`.
pub fn mann_whitney(x: &[f64], y: &[f64]) -> Option<RankTest> {
    if x.is_empty() || y.is_empty() || x.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    let (n_x, n_y) = (x.len() as f64, y.len() as f64);
    let n = n_x + n_y;
    let mut pooled: Vec<(f64, bool)> =
        x.iter().map(|&v| (v, true)).chain(y.iter().map(|&v| (v, false))).collect();
    pooled.sort_by(|a, b| a.0.total_cmp(&b.0));

    let mut rank_sum_x = 0.0;
    let mut tie_term = 0.0;
    let mut start = 0;
    while start < pooled.len() {
        let end = start + pooled[start..].iter().take_while(|p| p.0 == pooled[start].0).count();
        // Ranks are 1-based: the group occupies ranks start+1 ..= end, whose mean is the mid-rank.
        let mid_rank = (start + 1 + end) as f64 / 2.0;
        let in_x = pooled[start..end].iter().filter(|p| p.1).count() as f64;
        rank_sum_x += mid_rank * in_x;
        let t = (end - start) as f64;
        tie_term += t * t * t - t;
        start = end;
    }
    let u = rank_sum_x - n_x * (n_x + 1.0) / 2.0;
    let mean = n_x * n_y / 2.0;
    let variance = n_x * n_y / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
    if variance <= 0.0 {
        // Every value is the same: nothing tells the samples apart.
        return Some(RankTest { u, z: 0.0, p_value: 1.0 });
    }
    let distance = ((u - mean).abs() - CONTINUITY).max(0.0);
    let z = distance.copysign(u - mean) / variance.sqrt();
    let p_value = (2.0 * Normal::standard().sf(z.abs())).min(1.0);
    Some(RankTest { u, z, p_value })
}

/// The continuity correction of the normal approximation to U, which moves in steps of ½ or 1.
const CONTINUITY: f64 = 0.5;

/// The percentile-bootstrap 95 % interval of `median(after) / median(baseline)` (see the module
/// doc), as `[lo, hi]`; `None` when a sample is empty or not finite, or a resampled baseline
/// median is not positive. Deterministic: the generator is seeded with `seed`.
pub fn bootstrap_ratio_ci(
    baseline: &[f64],
    after: &[f64],
    resamples: usize,
    seed: u64,
) -> Option<[f64; 2]> {
    if resamples == 0 {
        return None;
    }
    let baseline = sorted_finite(baseline)?;
    let after = sorted_finite(after)?;
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut scratch = Vec::with_capacity(baseline.len().max(after.len()));
    let mut ratios = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let m_base = resampled_median(&baseline, &mut rng, &mut scratch);
        let m_after = resampled_median(&after, &mut rng, &mut scratch);
        if m_base <= 0.0 {
            return None;
        }
        ratios.push(m_after / m_base);
    }
    ratios.sort_by(f64::total_cmp);
    let tail = ALPHA / 2.0;
    // Nearest-rank percentiles: the ⌊B·2.5 %⌋-th and ⌈B·97.5 %⌉-th values (0-based and 1-based
    // respectively), each one of the bootstrap ratios.
    let lo = ((resamples as f64 * tail).floor() as usize).min(resamples - 1);
    let hi = ((resamples as f64 * (1.0 - tail)).ceil() as usize).clamp(1, resamples) - 1;
    Some([ratios[lo], ratios[hi]])
}

/// The median of a resample of `sorted` with replacement, drawn into `scratch`.
fn resampled_median(sorted: &[f64], rng: &mut ChaCha8Rng, scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    scratch.extend((0..sorted.len()).map(|_| sorted[rng.random_range(0..sorted.len())]));
    let index = median_index(scratch.len());
    *scratch.select_nth_unstable_by(index, f64::total_cmp).1
}

/// The 0-based index of the nearest-rank median among `n ≥ 1` sorted values: rank ⌈n/2⌉.
fn median_index(n: usize) -> usize {
    n.div_ceil(2).max(1) - 1
}

/// `samples` sorted ascending; `None` when empty or when a value is not finite.
fn sorted_finite(samples: &[f64]) -> Option<Vec<f64>> {
    if samples.is_empty() || samples.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(sorted)
}

/// The nearest-rank median of non-empty sorted values.
fn median_of_sorted(sorted: &[f64]) -> f64 {
    sorted[median_index(sorted.len())]
}
