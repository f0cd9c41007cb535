//! Snapshot test of the terminal table.

use super::*;
use crate::compare::compare;
use crate::fixtures::report_pair;
use crate::thresholds::Thresholds;

#[test]
fn table_of_a_failing_pair() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    insta::assert_snapshot!(terminal_table(&c));
}

#[test]
fn table_without_a_baseline() {
    let (_, after) = report_pair();
    let c = compare(&after, None, &Thresholds::default());
    let table = terminal_table(&c);
    assert!(table.starts_with("Accuracy report: topic (no baseline)\n"));
    assert!(table.ends_with("verdict: NO BASELINE: nothing to compare with: the run's own checks passed, and it can serve as a baseline.\n"));
}
