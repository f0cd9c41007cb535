//! Tests of the JSON summary: a pinned shape, a lossless round trip, and the fields that
//! `cargo xtask finalize` reads.

use super::*;
use crate::compare::compare;
use crate::comparison::{FlagLevel, Verdict};
use crate::fixtures::report_pair;
use crate::metrics::CENTER_ERROR_MEAN_PX;
use crate::thresholds::Thresholds;

#[test]
fn summary_of_a_failing_pair() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    insta::assert_snapshot!(json_summary(&c, &after, Some(&baseline)));
}

#[test]
fn the_summary_reads_back_and_answers_finalize() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let json = json_summary(&c, &after, Some(&baseline));
    let back: Summary = serde_json::from_str(&json).expect("readable");
    assert_eq!(back, Summary::new(&c, &after, Some(&baseline)));
    assert_eq!(back.schema_version, SCHEMA_VERSION);
    assert_eq!(back.comparison.verdict, Verdict::Fail);
    assert_eq!(back.comparison.flags[0].level, FlagLevel::Fail);
    let row = back.comparison.metric("blur3", CENTER_ERROR_MEAN_PX).expect("the blur3 mean");
    assert!(row.after.is_some_and(|a| a > 0.0));
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["comparison"]["verdict"], "fail");
    assert_eq!(value["baseline"]["provenance"]["commit"], "abc1234");
}

#[test]
fn without_a_baseline_the_baseline_is_null() {
    let (_, after) = report_pair();
    let c = compare(&after, None, &Thresholds::default());
    let value: serde_json::Value =
        serde_json::from_str(&json_summary(&c, &after, None)).expect("JSON");
    assert!(value["baseline"].is_null());
    assert_eq!(value["comparison"]["verdict"], "no_baseline");
}
