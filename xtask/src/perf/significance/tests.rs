//! Tests of the significance statistics: hand-checked rank tests, exact interval ranks, coverage on seeded
//! data, and the two extremes (identical samples, clearly shifted samples).

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn median_of_odd_and_even_counts() {
    let median = |xs: &[f64]| median_ci(xs).map(|ci| ci.median);
    assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
    // Nearest rank: the second of four, not the mean of the middle two.
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.0));
    assert_eq!(median(&[7.0]), Some(7.0));
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[1.0, f64::NAN]), None);
    let values: Vec<f64> = (0..37).map(|i| f64::from((i * 17) % 37)).collect();
    for n in 1..values.len() {
        let expected = annulus_score::percentile(&values[..n], 50.0);
        assert_eq!(median(&values[..n]), expected, "the project's percentile, n = {n}");
    }
}

/// U by hand: x = 1, 2, 3 has ranks 1, 2, 3 among six values, so R = 6 and U = 6 − 3·4/2 = 0.
/// μ = 4.5 and σ² = 3·3·7/12 = 5.25 with no ties, so z = −(4.5 − ½)/√5.25 = −1.745743 and
/// p = 2·Φ(−1.745743) = 0.080856 (`scipy.stats.mannwhitneyu([1,2,3], [4,5,6],
/// method="asymptotic")` gives 0.0808556).
#[test]
fn mann_whitney_of_separated_triples() {
    let t = mann_whitney(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]).expect("finite samples");
    assert_eq!(t.u, 0.0);
    assert!(close(t.z, -1.745_743_121_9, 1e-9), "{t:?}");
    assert!(close(t.p_value, 0.080_855_598_4, 1e-9), "{t:?}");
    // Swapping the samples gives U' = n_x·n_y − U and the same p.
    let swapped = mann_whitney(&[4.0, 5.0, 6.0], &[1.0, 2.0, 3.0]).expect("finite samples");
    assert_eq!(swapped.u, 9.0);
    assert!(close(swapped.z, 1.745_743_121_9, 1e-9));
    assert!(close(swapped.p_value, t.p_value, 1e-15));
}

/// With ties, by hand: x = 1, 2, 2, 3 and y = 2, 3, 4, 5. Pooled and sorted, the three 2s share
/// ranks 2..4 (mid-rank 3) and the two 3s ranks 5..6 (5.5), so `R_x` = 1 + 3 + 3 + 5.5 = 12.5 and
/// U = 12.5 − 10 = 2.5 (count of pairs: 0 + ½ + ½ + 1½). The tie groups of 3 and 2 give
/// Σ(t³ − t) = 24 + 6 = 30, so σ² = 16/12·(9 − 30/56) = 11.285714, z = −(5.5 − ½)/σ = −1.488351
/// and p = 0.136658.
#[test]
fn mann_whitney_with_ties_uses_mid_ranks_and_the_tie_correction() {
    let t = mann_whitney(&[1.0, 2.0, 2.0, 3.0], &[2.0, 3.0, 4.0, 5.0]).expect("finite samples");
    assert_eq!(t.u, 2.5);
    assert!(close(t.z, -1.488_351_394_5, 1e-9), "{t:?}");
    assert!(close(t.p_value, 0.136_658_247_7, 1e-9), "{t:?}");
}

#[test]
fn mann_whitney_of_identical_samples_is_not_significant() {
    let samples = [10.0, 11.0, 12.5, 9.0, 10.2];
    let t = mann_whitney(&samples, &samples).expect("finite samples");
    assert_eq!(t.u, 12.5);
    assert_eq!(t.z, 0.0);
    assert_eq!(t.p_value, 1.0);
    let constant = mann_whitney(&[7.0; 4], &[7.0; 6]).expect("finite samples");
    assert_eq!((constant.z, constant.p_value), (0.0, 1.0));
    assert!(mann_whitney(&[], &[1.0]).is_none());
    assert!(mann_whitney(&[f64::INFINITY], &[1.0]).is_none());
}

/// For n = 100 the textbook interval of the median is `[x(40), x(61)]` (P(B ≤ 39) = 0.0176 for
/// B ~ Binomial(100, ½)), with coverage 1 − 2·0.0176 = 0.9648.
#[test]
fn median_interval_uses_the_binomial_order_statistics() {
    let samples: Vec<f64> = (1..=100).map(f64::from).collect();
    let ci = median_ci(&samples).expect("finite samples");
    assert_eq!((ci.n, ci.median, ci.lo, ci.hi), (100, 50.0, 40.0, 61.0));
    assert!(close(ci.coverage, 0.9648, 1e-4), "{ci:?}");

    // Six samples are the fewest for 95 %: [min, max] covers 1 − 2/64.
    let six = median_ci(&[6.0, 5.0, 4.0, 3.0, 2.0, 1.0]).expect("finite samples");
    assert_eq!((six.lo, six.hi), (1.0, 6.0));
    assert!(close(six.coverage, 1.0 - 2.0 / 64.0, 1e-12));
    // Five cannot reach it, and say so.
    let five = median_ci(&[1.0, 2.0, 3.0, 4.0, 5.0]).expect("finite samples");
    assert_eq!((five.median, five.lo, five.hi), (3.0, 1.0, 5.0));
    assert!(five.coverage < CONFIDENCE);
    assert!(median_ci(&[]).is_none());
}

/// Skewed "timings": a floor plus an exponential tail, like preempted benchmark iterations.
fn skewed(rng: &mut ChaCha8Rng, n: usize, floor: f64, scale: f64) -> Vec<f64> {
    (0..n).map(|_| floor - scale * (1.0 - rng.random::<f64>()).ln()).collect()
}

#[test]
fn median_interval_covers_the_true_median_about_95_percent_of_the_time() {
    // The median of floor + Exp(scale) is floor + scale·ln 2.
    let (floor, scale) = (10.0, 2.0);
    let truth = floor + scale * std::f64::consts::LN_2;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let trials = 2000;
    let covered = (0..trials)
        .filter(|_| {
            let ci = median_ci(&skewed(&mut rng, 40, floor, scale)).expect("finite");
            ci.lo <= truth && truth <= ci.hi
        })
        .count();
    let rate = covered as f64 / f64::from(trials);
    // The exact coverage for n = 40 is 0.9615; 2000 trials put the rate within ±0.013 of it
    // three standard errors out.
    assert!((0.945..=0.98).contains(&rate), "coverage {rate}");
}

#[test]
fn bootstrap_interval_of_the_ratio_covers_the_true_ratio() {
    let (floor, scale) = (10.0, 2.0);
    let true_ratio = 0.8; // the "after" distribution is the baseline scaled by 0.8
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let trials = 200;
    let covered = (0..trials)
        .filter(|_| {
            let base = skewed(&mut rng, 50, floor, scale);
            let after: Vec<f64> =
                skewed(&mut rng, 50, floor, scale).iter().map(|v| v * true_ratio).collect();
            let seed = rng.random::<u64>();
            let [lo, hi] = bootstrap_ratio_ci(&base, &after, 2000, seed).expect("finite");
            lo <= true_ratio && true_ratio <= hi
        })
        .count();
    let rate = covered as f64 / f64::from(trials);
    // The percentile bootstrap of a median is a little conservative or liberal depending on
    // the ties among resampled medians; anything far from 95 % would be a bug.
    assert!((0.88..=0.995).contains(&rate), "coverage {rate}");
}

#[test]
fn bootstrap_is_deterministic_and_centred_on_one_for_identical_samples() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let samples = skewed(&mut rng, 60, 5.0, 1.0);
    let a = bootstrap_ratio_ci(&samples, &samples, 1000, BOOTSTRAP_SEED).expect("finite");
    let b = bootstrap_ratio_ci(&samples, &samples, 1000, BOOTSTRAP_SEED).expect("finite");
    assert_eq!(a, b);
    assert!(a[0] < 1.0 && 1.0 < a[1], "{a:?}");
    assert!(bootstrap_ratio_ci(&samples, &[], 1000, 1).is_none());
    assert!(bootstrap_ratio_ci(&[0.0, 0.0], &[1.0], 10, 1).is_none());
}

#[test]
fn clearly_shifted_samples_are_significant_with_an_interval_excluding_one() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let base = skewed(&mut rng, 50, 10.0, 1.0);
    let after: Vec<f64> = skewed(&mut rng, 50, 10.0, 1.0).iter().map(|v| v * 0.75).collect();
    let t = mann_whitney(&after, &base).expect("finite");
    assert!(t.p_value < 1e-6, "{t:?}");
    assert!(t.z < 0.0, "after is faster: {t:?}");
    let [lo, hi] = bootstrap_ratio_ci(&base, &after, 2000, BOOTSTRAP_SEED).expect("finite");
    assert!(hi < 1.0 && lo > 0.6, "[{lo}, {hi}]");
}
