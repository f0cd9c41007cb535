//! Tests of number formatting: fixed decimals, signed deltas, a bare zero, the dash, and the
//! peer report's counts, sizes, times and ratios at their boundaries.

use super::*;

#[test]
fn values_have_four_decimals_and_counts_none() {
    assert_eq!(value(Some(0.123_456), "px"), "0.1235");
    assert_eq!(value(Some(1.0), "ratio"), "1.0000");
    assert_eq!(value(Some(12.0), "markers"), "12");
    assert_eq!(value(None, "px"), "–");
}

#[test]
fn deltas_are_signed_and_zero_is_bare() {
    assert_eq!(delta(Some(0.0012), "px"), "+0.0012");
    assert_eq!(delta(Some(-0.003), "px"), "-0.0030");
    assert_eq!(delta(Some(0.0), "px"), "0");
    assert_eq!(delta(Some(-0.0), "ratio"), "0");
    assert_eq!(delta(Some(3.0), "markers"), "+3");
    assert_eq!(delta(Some(-1.0), "images"), "-1");
    assert_eq!(delta(None, "px"), "–");
}

#[test]
fn float_noise_of_a_boundary_delta_prints_as_the_boundary() {
    assert_eq!(delta(Some(0.11 - 0.10), "px"), "+0.0100");
}

#[test]
fn sentences_carry_the_unit_except_for_rates() {
    assert_eq!(with_unit(Some(0.5), "px"), "0.5000 px");
    assert_eq!(with_unit(Some(0.5), "ratio"), "0.5000");
    assert_eq!(with_unit(Some(2.0), "markers"), "2 markers");
    assert_eq!(with_unit(None, "px"), "–");
}

#[test]
fn counts_have_separators_every_three_digits() {
    assert_eq!(count(0), "0");
    assert_eq!(count(999), "999");
    assert_eq!(count(1_000), "1,000");
    assert_eq!(count(999_999), "999,999");
    assert_eq!(count(1_000_000), "1,000,000");
    assert_eq!(count(2_745_681_194), "2,745,681,194");
    assert_eq!(count(u64::MAX), "18,446,744,073,709,551,615");
}

#[test]
fn sizes_change_unit_where_the_printed_value_reaches_1024() {
    assert_eq!(bytes(0), "0 B");
    assert_eq!(bytes(1023), "1023 B");
    assert_eq!(bytes(1024), "1.0 KiB");
    assert_eq!(bytes(1536), "1.5 KiB");
    assert_eq!(bytes(1024 * 1024 - 52), "1023.9 KiB");
    assert_eq!(bytes(1024 * 1024 - 1), "1.0 MiB", "1023.999 KiB would print as 1024.0 KiB");
    assert_eq!(bytes(14_784_921), "14.1 MiB");
    assert_eq!(bytes(1 << 30), "1.0 GiB");
    assert_eq!(bytes(u64::MAX), "16777216.0 TiB", "the largest unit takes what is left");
}

#[test]
fn times_are_milliseconds_with_two_decimals() {
    assert_eq!(ms(0), "0.00 ms");
    assert_eq!(ms(4_999), "0.00 ms");
    assert_eq!(ms(5_001), "0.01 ms");
    assert_eq!(ms(236_044_000), "236.04 ms");
    assert_eq!(ms(1_000_000_000), "1000.00 ms");
    assert_eq!(ms_number(236_044_000), "236.04");
}

#[test]
fn ratios_have_two_decimals_and_a_times_sign() {
    assert_eq!(times(3.0), "3.00×");
    assert_eq!(times(0.125), "0.12×", "half to even on the exact binary value");
    assert_eq!(times(0.375), "0.38×");
    assert_eq!(times(12.3456), "12.35×");
}
