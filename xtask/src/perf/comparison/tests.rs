//! Tests of the benchmark comparison: verdicts need both the interval and the test, identical
//! runs give no change, the fixture's story comes out as told, and the result is deterministic.

use super::*;
use crate::perf::fixtures::{perf_pair, samples};

fn digests() -> InputDigests {
    InputDigests { baseline_perf_sha256: "b".to_owned(), after_perf_sha256: "a".to_owned() }
}

#[test]
fn identical_samples_are_no_significant_change() {
    let s = samples(1, 100, 12e6);
    let row = benchmark_row("detect_1280x1024", Some(&s), Some(&s));
    assert_eq!(row.verdict, BenchVerdict::NoSignificantChange);
    let change = row.change.expect("both sides have samples");
    assert_eq!(change.ratio, 1.0);
    assert_eq!(change.p_value, 1.0);
    assert!(change.ratio_ci95[0] < 1.0 && change.ratio_ci95[1] > 1.0, "{change:?}");
}

#[test]
fn two_runs_of_the_same_distribution_are_no_significant_change() {
    // Different seeds, same distribution: the "two runs of one build" case.
    let row = benchmark_row("x", Some(&samples(2, 100, 20e6)), Some(&samples(12, 100, 20e6)));
    assert_eq!(row.verdict, BenchVerdict::NoSignificantChange, "{row:?}");
}

#[test]
fn clearly_shifted_samples_are_faster_or_slower() {
    let (base, fast) = (samples(1, 100, 12.1e6), samples(11, 100, 9.02e6));
    let faster = benchmark_row("x", Some(&base), Some(&fast));
    assert_eq!(faster.verdict, BenchVerdict::Faster);
    let pct = faster.percent().expect("a change");
    assert!((-27.0..-24.0).contains(&pct), "{pct}");
    let slower = benchmark_row("x", Some(&fast), Some(&base));
    assert_eq!(slower.verdict, BenchVerdict::Slower);
}

#[test]
fn a_verdict_needs_both_the_interval_and_the_test() {
    let change = |lo, hi, p_value| Change { ratio: 0.9, ratio_ci95: [lo, hi], u: 0.0, p_value };
    assert_eq!(verdict(&change(0.85, 0.95, 0.01)), BenchVerdict::Faster);
    assert_eq!(verdict(&change(1.02, 1.10, 0.01)), BenchVerdict::Slower);
    // The interval excludes 1 but the test is not significant.
    assert_eq!(verdict(&change(0.85, 0.95, 0.2)), BenchVerdict::NoSignificantChange);
    // Significant test, interval straddling 1.
    assert_eq!(verdict(&change(0.85, 1.01, 0.01)), BenchVerdict::NoSignificantChange);
    // Exactly at the level is not below it.
    assert_eq!(verdict(&change(0.85, 0.95, ALPHA)), BenchVerdict::NoSignificantChange);
}

#[test]
fn missing_sides_and_small_samples_have_their_own_verdicts() {
    let s = samples(1, 10, 1e6);
    assert_eq!(benchmark_row("x", None, Some(&s)).verdict, BenchVerdict::OnlyInAfter);
    assert_eq!(benchmark_row("x", Some(&s), None).verdict, BenchVerdict::OnlyInBaseline);
    let few = benchmark_row("x", Some(&s[..4]), Some(&s));
    assert_eq!(few.verdict, BenchVerdict::TooFewSamples);
    assert!(few.change.is_none());
    assert!(few.baseline.is_some(), "the median is still shown");
}

#[test]
fn the_fixture_pair_tells_its_story() {
    let (baseline, after) = perf_pair();
    let c = compare(&baseline, &after, digests());
    let verdicts: Vec<(&str, BenchVerdict)> =
        c.benchmarks.iter().map(|r| (r.id.as_str(), r.verdict)).collect();
    assert_eq!(
        verdicts,
        [
            ("detect_1280x1024", BenchVerdict::Faster),
            ("detect_1920x1080", BenchVerdict::NoSignificantChange),
            ("stage_proposals_1280x1024", BenchVerdict::Faster),
            ("stage_completion_1280x1024", BenchVerdict::TooFewSamples),
        ]
    );
    assert_eq!(c.instructions[0].baseline, Some(98_765_432));
    assert_eq!(c.instructions[0].after, Some(80_000_001));
    assert_eq!(c.scenarios.len(), 2);
    // Same machine, and `after` is dirty: nothing to warn about.
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    assert_eq!(c, compare(&baseline, &after, digests()), "deterministic");
}

#[test]
fn warnings_name_what_weakens_the_comparison() {
    let (baseline, mut after) = perf_pair();
    after.provenance.machine = "another machine".to_owned();
    after.provenance.quick = true;
    after.skipped.push("callgrind: valgrind not found".to_owned());
    let c = compare(&baseline, &after, digests());
    assert_eq!(c.warnings.len(), 3, "{:?}", c.warnings);
    assert!(c.warnings[0].contains("different machines"));
    assert!(c.warnings[1].contains("--quick"));
    assert!(c.warnings[2].contains("valgrind not found"));

    let same = compare(&baseline, &baseline, digests());
    assert!(same.warnings.iter().any(|w| w.contains("same clean commit")), "{:?}", same.warnings);
    assert!(same.benchmarks.iter().all(|r| !r.verdict.is_significant()));
}

#[test]
fn benchmarks_of_either_label_are_kept_in_order() {
    let (mut baseline, mut after) = perf_pair();
    baseline.benchmarks.remove(1);
    after.benchmarks.remove(0);
    let ids: Vec<String> =
        compare(&baseline, &after, digests()).benchmarks.into_iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        [
            "detect_1280x1024",
            "stage_proposals_1280x1024",
            "stage_completion_1280x1024",
            "detect_1920x1080"
        ]
    );
}
