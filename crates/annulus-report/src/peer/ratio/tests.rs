//! Tests of the medians and intervals: the published rank tables, the boundary at six samples,
//! small samples without an interval, a hand-computed paired ratio, and the errors.

use super::*;

#[test]
fn interval_ranks_match_the_published_tables() {
    // Conover, table A3 (and any binomial table): n = 6 → (1, 6), n = 10 → (2, 9),
    // n = 20 → (6, 15), n = 100 → (40, 61).
    let ranks = |n| ci_ranks(n).map(|(k, _)| (k, n + 1 - k));
    assert_eq!(ranks(6), Some((1, 6)));
    assert_eq!(ranks(10), Some((2, 9)));
    assert_eq!(ranks(20), Some((6, 15)));
    assert_eq!(ranks(100), Some((40, 61)));
}

#[test]
fn coverage_is_exact_and_at_least_95_percent() {
    // n = 6, k = 1: 1 − 2 · 2⁻⁶ = 0.96875. n = 10, k = 2: 1 − 2 · 11/1024 = 0.978515625.
    assert_eq!(ci_ranks(6), Some((1, 0.968_75)));
    assert_eq!(ci_ranks(10), Some((2, 0.978_515_625)));
    for n in MIN_SAMPLES_FOR_CI..200 {
        let (k, coverage) = ci_ranks(n).expect("an interval");
        assert!(coverage >= CONFIDENCE, "n = {n}");
        assert!(k <= n + 1 - k, "n = {n}: the ends cross");
    }
}

#[test]
fn the_exact_and_the_statrs_cdf_agree_where_they_meet() {
    for n in [6, 50, MAX_EXACT_N] {
        let binomial = Binomial::new(0.5, n as u64).expect("valid");
        for j in [0, n / 4, n / 2, n] {
            let exact = binomial_half_cdf(n, j).expect("a probability");
            let approx = binomial.cdf(j as u64);
            assert!((exact - approx).abs() < 1e-12, "n = {n}, j = {j}: {exact} vs {approx}");
        }
    }
    let beyond = binomial_half_cdf(MAX_EXACT_N + 1, MAX_EXACT_N.div_ceil(2)).expect("statrs");
    assert!((beyond - 0.5).abs() < 1e-9, "{beyond}");
}

#[test]
fn fewer_than_six_samples_have_no_interval() {
    // At n = 5 even the full range covers only 1 − 2 · 2⁻⁵ = 93.75 %.
    for n in 0..MIN_SAMPLES_FOR_CI {
        assert_eq!(ci_ranks(n), None, "n = {n}");
    }
    let five = TimeStats::from_samples_ns(&[50, 10, 40, 20, 30]).expect("a median");
    assert_eq!(
        five,
        TimeStats { n: 5, median_ns: 30, ci95_ns: None, ci95_coverage: None },
        "the median is there, the interval honestly absent"
    );
    let one = TimeStats::from_samples_ns(&[7]).expect("a median");
    assert_eq!((one.median_ns, one.ci95_ns), (7, None));
    assert_eq!(TimeStats::from_samples_ns(&[]), None);
}

#[test]
fn the_median_is_nearest_rank_and_agrees_with_the_scorer() {
    let even = TimeStats::from_samples_ns(&[4, 1, 3, 2]).expect("a median");
    assert_eq!(even.median_ns, 2, "the lower middle value");
    let values = [0.7, 0.1, 0.4, 0.9, 0.3, 0.5, 0.8, 0.2];
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let stats = OrderStats::of_sorted(&sorted).expect("a median");
    assert_eq!(Some(stats.median), annulus_score::percentile(&values, 50.0));
}

#[test]
fn six_samples_give_their_range_with_its_coverage() {
    let stats = TimeStats::from_samples_ns(&[60, 10, 30, 20, 50, 40]).expect("a median");
    assert_eq!(stats.median_ns, 30);
    assert_eq!(stats.ci95_ns, Some([10, 60]));
    assert_eq!(stats.ci95_coverage, Some(0.968_75));
}

#[test]
fn a_known_paired_ratio() {
    // Ten rounds; ringgrid takes 2, 3, ..., 11 ms and annulus 1 ms each round, so the ratios
    // are 2..=11: the median is the 5th (6) and the interval ranks 2 and 9 (3 and 10).
    let ringgrid_ns: Vec<u64> = (2..=11).map(|ms| ms * 1_000_000).collect();
    let annulus_ns = vec![1_000_000; 10];
    let ratio = TimeRatio::from_rounds(&ringgrid_ns, &annulus_ns).expect("paired").expect("some");
    assert_eq!(ratio.n_pairs, 10);
    assert_eq!(ratio.median, 6.0);
    assert_eq!(ratio.ci95, Some([3.0, 10.0]));
    assert_eq!(ratio.ci95_coverage, Some(0.978_515_625));
}

#[test]
fn ratios_pair_by_round_not_by_rank() {
    // Round 0 is slow for both (a busy machine), round 1 fast for both: the per-round ratios
    // are both exactly 2, though the ratio of the two medians would not be.
    let ratio = TimeRatio::from_rounds(&[200, 20], &[100, 10]).expect("paired").expect("some");
    assert_eq!((ratio.median, ratio.ci95, ratio.n_pairs), (2.0, None, 2));
}

#[test]
fn small_paired_samples_have_no_interval() {
    for n in 1..MIN_SAMPLES_FOR_CI {
        let ringgrid_ns = vec![300; n];
        let annulus_ns = vec![100; n];
        let ratio = TimeRatio::from_rounds(&ringgrid_ns, &annulus_ns).expect("ok").expect("some");
        assert_eq!((ratio.median, ratio.ci95, ratio.ci95_coverage), (3.0, None, None), "n = {n}");
    }
}

#[test]
fn unpaired_or_zero_samples_are_errors_and_missing_ones_give_no_ratio() {
    assert_eq!(
        TimeRatio::from_rounds(&[1, 2, 3], &[1, 2]),
        Err(ReportError::UnpairedRounds { n_numerator: 3, n_denominator: 2 })
    );
    assert_eq!(TimeRatio::from_rounds(&[1, 2], &[1, 0]), Err(ReportError::ZeroTime { round: 1 }));
    assert_eq!(TimeRatio::from_rounds(&[], &[1, 2]), Ok(None));
    assert_eq!(TimeRatio::from_rounds(&[1, 2], &[]), Ok(None));
    let message = ReportError::UnpairedRounds { n_numerator: 3, n_denominator: 2 }.to_string();
    assert!(message.contains("3 rounds in the numerator but 2 in the denominator"), "{message}");
}

#[test]
fn large_samples_do_not_underflow() {
    let samples: Vec<u64> = (0..5000u64).map(|i| (i * 7919) % 5000 + 1).collect();
    let stats = TimeStats::from_samples_ns(&samples).expect("a median");
    let [lo, hi] = stats.ci95_ns.expect("an interval");
    assert!(lo < stats.median_ns && stats.median_ns < hi, "{lo} {} {hi}", stats.median_ns);
    assert!(stats.ci95_coverage.is_some_and(|c| (CONFIDENCE..0.97).contains(&c)));
}
