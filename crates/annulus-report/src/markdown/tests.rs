//! Snapshot tests of the Markdown report, with and without a baseline, and of its escaping.

use super::*;
use crate::compare::compare;
use crate::fixtures::report_pair;
use crate::thresholds::Thresholds;

#[test]
fn report_of_a_failing_pair() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    insta::assert_snapshot!(markdown(&c, &after, Some(&baseline)));
}

#[test]
fn report_without_a_baseline() {
    let (_, after) = report_pair();
    let c = compare(&after, None, &Thresholds::default());
    insta::assert_snapshot!(markdown(&c, &after, None));
}

#[test]
fn text_from_the_runs_cannot_break_the_markup() {
    let (baseline, mut after) = report_pair();
    after.provenance.machine = "a | b *c* `d` <e>".to_owned();
    after.provenance.commands.push("echo ``` done".to_owned());
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let md = markdown(&c, &after, Some(&baseline));
    assert!(md.contains("| a \\| b \\*c\\* \\`d\\` \\<e> |"), "{md}");
    assert!(md.contains("````text\n"), "a fence longer than the command's backticks");
}

#[test]
fn the_report_ends_with_the_verdict_and_its_meaning() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let md = markdown(&c, &after, Some(&baseline));
    assert!(md.ends_with(
        "## Verdict\n\n**FAIL**: needs algorithm review: the change must not land as it is.\n"
    ));
}
