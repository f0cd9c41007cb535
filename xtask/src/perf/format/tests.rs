//! Tests of the perf reports' number formatting: the headline line and the unit choice.

use super::*;

#[test]
fn the_headline_line_of_the_issue() {
    assert_eq!(
        change_line("detect_1280x1024", 12.10e6, 9.02e6),
        "detect_1280x1024: 12.10 ms → 9.02 ms (-25.5%)"
    );
    assert_eq!(change_line("stage_fit", 2.0e6, 2.06e6), "stage_fit: 2.00 ms → 2.06 ms (+3.0%)");
}

#[test]
fn each_duration_picks_the_largest_unit_that_keeps_it_at_least_one() {
    assert_eq!(duration(850.0), "850.00 ns");
    assert_eq!(duration(994.0), "994.00 ns");
    assert_eq!(duration(1_000.0), "1.00 µs");
    assert_eq!(duration(950_000.0), "950.00 µs");
    assert_eq!(duration(1_500_000.0), "1.50 ms");
    assert_eq!(duration(12_100_000.0), "12.10 ms");
    assert_eq!(duration(1.5e9), "1.50 s");
    assert_eq!(duration(125e9), "125.00 s");
    assert_eq!(duration(0.0), "0.00 ns");
    // Judged after rounding: no `1000.00 µs`.
    assert_eq!(duration(999.0), "1.00 µs");
    assert_eq!(duration(999_996.0), "1.00 ms");
    assert_eq!(duration(999_994.0), "1.00 ms");
    assert_eq!(duration(994_000.0), "994.00 µs");
    // Both sides of a line pick their own unit.
    assert_eq!(change_line("x", 950e3, 1.05e6), "x: 950.00 µs → 1.05 ms (+10.5%)");
}

#[test]
fn percentages_are_signed_and_zero_has_no_sign() {
    assert_eq!(percent(-25.454, 1), "-25.5%");
    assert_eq!(percent(3.0, 1), "+3.0%");
    assert_eq!(percent(0.0, 1), "0.0%");
    assert_eq!(percent(-0.04, 1), "0.0%");
    assert_eq!(percent(-0.0, 2), "0.00%");
    assert_eq!(percent_change(100.0, 89.08, 2), "-10.92%");
    assert_eq!(percent_interval([0.729, 0.761]), "[-27.1%, -23.9%]");
    assert_eq!(percent_interval([0.98, 1.012]), "[-2.0%, +1.2%]");
}

#[test]
fn p_values_and_counts() {
    assert_eq!(p_value(0.041_23), "p = 0.0412");
    assert_eq!(p_value(0.000_05), "p < 0.0001");
    assert_eq!(p_value(1.0), "p = 1.0000");
    assert_eq!(count(0), "0");
    assert_eq!(count(999), "999");
    assert_eq!(count(1_000), "1,000");
    assert_eq!(count(1_234_567_890), "1,234,567,890");
    assert_eq!(count_delta(10, 7), "-3");
    assert_eq!(count_delta(7, 1031), "+1,024");
    assert_eq!(count_delta(5, 5), "0");
    assert_eq!(count_change(1_000, 900), "1,000 → 900 (-100, -10.00%)");
    assert_eq!(count_change(0, 12), "0 → 12 (+12)");
    assert_eq!(count_change(4, 4), "4 → 4 (0)");
}
