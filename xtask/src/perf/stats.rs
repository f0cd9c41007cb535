//! Order statistics of timing samples: the median, the 95th percentile and a distribution-free
//! 95 % confidence interval of the median.
//!
//! Percentiles follow the project's nearest-rank definition (`annulus_score::percentile`): the
//! median of n values is the ⌈n/2⌉-th smallest, always one of the measured values. Timing
//! samples on a shared machine are skewed and carry outliers, so no distribution is assumed.
//!
//! # Confidence interval of the median
//! For n independent samples of a continuous distribution with median m, the number B of
//! samples below m is Binomial(n, ½). With the samples sorted, `x₍ⱼ₎ ≤ m < x₍ₖ₎` holds exactly
//! when `j ≤ B ≤ k − 1`, so `[x₍ⱼ₎, x₍ₖ₎]` covers m with probability `P(j ≤ B ≤ k − 1)`. The
//! interval takes the symmetric ranks `k = n + 1 − j` with the largest j whose coverage is still
//! at least 95 % (Conover, *Practical Nonparametric Statistics*, §3.2). Below six samples no such
//! j exists (even the full range covers only `1 − 2·2⁻ⁿ`, 93.75 % at n = 5), and the interval is
//! then the sample's range.

/// Coverage the median's interval must reach.
const CONFIDENCE: f64 = 0.95;

/// The nearest-rank median of `values`; `None` when empty.
pub fn median(values: &[f64]) -> Option<f64> {
    annulus_score::percentile(values, 50.0)
}

/// The nearest-rank 95th percentile of `values`; `None` when empty.
pub fn p95(values: &[f64]) -> Option<f64> {
    annulus_score::percentile(values, 95.0)
}

/// A 95 % confidence interval of the median of `values`, by order statistics (module docs);
/// the range of the values when there are too few for one; `None` when empty.
pub fn median_ci95(values: &[f64]) -> Option<[f64; 2]> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let (lo, hi) = median_ci_ranks(n)?;
    Some([sorted[lo - 1], sorted[hi - 1]])
}

/// The 1-based ranks `(j, n + 1 − j)` of the median's interval among `n` sorted samples.
fn median_ci_ranks(n: usize) -> Option<(usize, usize)> {
    if n == 0 {
        return None;
    }
    let cdf = binomial_half_cdf(n);
    // Coverage of ranks (j, n+1-j) is P(j ≤ B ≤ n − j) = 1 − 2·P(B ≤ j − 1) by symmetry.
    let mut best = 1;
    for j in 1..=n.div_ceil(2) {
        if 1.0 - 2.0 * cdf[j - 1] >= CONFIDENCE {
            best = j;
        } else {
            break;
        }
    }
    Some((best, n + 1 - best))
}

/// `P(B ≤ i)` for `i = 0..=n` and B ~ Binomial(n, ½), computed in log space so that large n
/// does not underflow `2⁻ⁿ`.
fn binomial_half_cdf(n: usize) -> Vec<f64> {
    let ln_half_n = -(n as f64) * std::f64::consts::LN_2;
    let mut ln_choose = 0.0_f64;
    let mut total = 0.0;
    let mut out = Vec::with_capacity(n + 1);
    for i in 0..=n {
        if i > 0 {
            ln_choose += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        total += (ln_choose + ln_half_n).exp();
        out.push(total.min(1.0));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95_are_nearest_rank() {
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.0));
        assert_eq!(median(&[5.0]), Some(5.0));
        let twenty: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!(p95(&twenty), Some(19.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn interval_ranks_match_the_binomial_tables() {
        // Published values (Conover, table A3): n = 10 → (2, 9), n = 20 → (6, 15),
        // n = 100 → (40, 61).
        assert_eq!(median_ci_ranks(10), Some((2, 9)));
        assert_eq!(median_ci_ranks(20), Some((6, 15)));
        assert_eq!(median_ci_ranks(100), Some((40, 61)));
        // Too few samples for 95 %: the whole range.
        assert_eq!(median_ci_ranks(5), Some((1, 5)));
        assert_eq!(median_ci_ranks(1), Some((1, 1)));
        assert_eq!(median_ci_ranks(0), None);
    }

    #[test]
    fn interval_contains_the_median_and_survives_large_samples() {
        let values: Vec<f64> = (0..5000).map(|i| f64::from((i * 7919) % 5000)).collect();
        let [lo, hi] = median_ci95(&values).unwrap();
        let m = median(&values).unwrap();
        assert!(lo <= m && m <= hi && lo < hi, "{lo} {m} {hi}");
        assert_eq!(median_ci95(&[3.0, 1.0]), Some([1.0, 3.0]));
    }

    #[test]
    fn cdf_ends_at_one() {
        let cdf = binomial_half_cdf(2000);
        assert!((cdf[2000] - 1.0).abs() < 1e-9);
        assert!((cdf[1000] - 0.5).abs() < 0.01);
    }
}
