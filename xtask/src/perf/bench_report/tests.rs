//! Tests of the benchmark report: pinned snapshots of the Markdown and the terminal table from
//! the fixture pair, and the wording of each kind of line.

use super::*;
use crate::perf::comparison::{InputDigests, compare};
use crate::perf::fixtures::perf_pair;

fn comparison() -> BenchComparison {
    let (baseline, after) = perf_pair();
    let digests =
        InputDigests { baseline_perf_sha256: "b".repeat(64), after_perf_sha256: "a".repeat(64) };
    compare(&baseline, &after, digests)
}

#[test]
fn benchmark_report_markdown() {
    insta::assert_snapshot!(markdown(&comparison()));
}

#[test]
fn terminal_table() {
    insta::assert_snapshot!(terminal(&comparison()));
}

#[test]
fn a_significant_change_leads_with_the_headline() {
    let c = comparison();
    let line = summary_line(&c.benchmarks[0]);
    assert!(line.starts_with("detect_1280x1024: 12.10 ms → 9.02 ms (-25."), "{line}");
    assert!(line.contains("95% CI [") && line.contains("p < 0.0001") && line.ends_with(": faster"));
    assert_eq!(commit_line(&c.benchmarks[0]), line.split(", 95%").next().unwrap_or_default());
}

#[test]
fn noise_leads_with_no_significant_change() {
    let c = comparison();
    let line = summary_line(&c.benchmarks[1]);
    assert!(line.starts_with("detect_1920x1080: no significant change (20."), "{line}");
    let commit = commit_line(&c.benchmarks[1]);
    assert!(commit.starts_with("detect_1920x1080: no significant change ("), "{commit}");
    assert!(!commit.contains('%'), "no percentage for noise: {commit}");
    let few = summary_line(&c.benchmarks[3]);
    assert!(few.contains("too few samples to judge") && few.contains("n = 3 and 3"), "{few}");
}
