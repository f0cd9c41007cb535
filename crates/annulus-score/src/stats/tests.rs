//! Tests of the percentile definition and the error summary.

use super::*;

#[test]
fn nearest_rank_on_one_to_ten() {
    let values: Vec<f64> = (1..=10).map(f64::from).collect();
    for (p, expected) in [
        (0.0, 1.0),
        (10.0, 1.0),
        (10.5, 2.0),
        (50.0, 5.0),
        (50.1, 6.0),
        (90.0, 9.0),
        (95.0, 10.0),
        (100.0, 10.0),
    ] {
        assert_eq!(percentile(&values, p), Some(expected), "p{p}");
    }
}

#[test]
fn nearest_rank_never_interpolates() {
    assert_eq!(percentile(&[1.0, 2.0, 3.0, 4.0], 50.0), Some(2.0));
    assert_eq!(percentile(&[4.0, 1.0, 3.0, 2.0], 50.0), Some(2.0), "input order is irrelevant");
    assert_eq!(percentile(&[7.5], 1.0), Some(7.5));
}

#[test]
fn p95_of_twenty_is_the_nineteenth() {
    let values: Vec<f64> = (1..=20).rev().map(f64::from).collect();
    assert_eq!(percentile(&values, 95.0), Some(19.0));
}

/// The definition itself, checked by counting: the result is one of the values, at least p % of
/// the values are at most it, and for every smaller value fewer than p % are. Integers keep the
/// counting exact.
#[test]
fn result_is_the_smallest_value_with_at_least_p_percent_at_or_below_it() {
    for n in 1..=40u32 {
        // Distinct values in a scrambled order (7 is coprime to 41, so this is a permutation).
        let values: Vec<f64> = (0..n).map(|i| f64::from((i * 7) % 41)).collect();
        let at_or_below = |v: f64| values.iter().filter(|&&x| x <= v).count() as u32;
        for p in 0..=100u32 {
            let result = percentile(&values, f64::from(p));
            let r = result.unwrap_or_else(|| panic!("n {n} p {p}: no result"));
            assert!(values.contains(&r), "n {n} p {p}: {r} is not one of the values");
            assert!(at_or_below(r) * 100 >= p * n, "n {n} p {p}: too few at or below {r}");
            for &v in values.iter().filter(|&&v| v < r) {
                assert!(at_or_below(v) * 100 < p * n, "n {n} p {p}: {v} < {r} also qualifies");
            }
        }
    }
}

#[test]
fn no_percentile_of_nothing_or_outside_zero_to_hundred() {
    assert_eq!(percentile(&[], 50.0), None);
    assert_eq!(percentile(&[1.0], -0.1), None);
    assert_eq!(percentile(&[1.0], 100.1), None);
    assert_eq!(percentile(&[1.0], f64::NAN), None);
}

#[test]
fn error_stats_summarise_a_sample() {
    let stats = ErrorStats::of(&[3.0, 1.0, 2.0, 10.0]).expect("non-empty");
    assert_eq!(stats, ErrorStats { n: 4, mean: 4.0, p50: 2.0, p95: 10.0, max: 10.0 });
    assert_eq!(ErrorStats::of(&[]), None);
}
