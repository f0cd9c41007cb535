//! Tests of the final report: the accuracy line never says "unchanged" after a flag, the
//! refusals, the commit message, and a pinned snapshot of `final-report.md`.

use annulus_report::FlagLevel;

use super::*;
use crate::perf::comparison::{InputDigests, compare};
use crate::perf::fixtures::{accuracy_summary, center_flag, perf_pair};

fn comparison() -> BenchComparison {
    let (baseline, after) = perf_pair();
    let digests =
        InputDigests { baseline_perf_sha256: "b".repeat(64), after_perf_sha256: "a".repeat(64) };
    compare(&baseline, &after, digests)
}

const VALIDATE: &str = "cargo xtask validate --label after --against baseline";

#[test]
fn unchanged_only_without_flags_and_without_a_delta() {
    let same = accuracy_summary(0.081, 0.081, Vec::new());
    assert_eq!(accuracy_lines(&same), "Accuracy: unchanged (blur3 centre error mean 0.0810 px)");
    let moved = accuracy_summary(0.081, 0.083, Vec::new());
    assert_eq!(
        accuracy_lines(&moved),
        "Accuracy: within thresholds (blur3 centre error mean 0.0810 → 0.0830 px (+0.0020))"
    );
}

#[test]
fn a_flag_is_never_called_unchanged() {
    let fail = accuracy_summary(0.081, 0.095, vec![center_flag(FlagLevel::Fail, 0.081, 0.095)]);
    let lines = accuracy_lines(&fail);
    assert!(!lines.contains("unchanged"), "{lines}");
    assert_eq!(
        lines.lines().next(),
        Some("Accuracy: FAIL — blur3 centre error mean 0.0810 → 0.0950 px (+0.0140)")
    );
    assert!(lines.contains("\n  FAIL: the mean centre error grew"), "{lines}");

    let escalate = accuracy_summary(0.081, 0.081, vec![center_flag(FlagLevel::Escalate, 0.0, 0.0)]);
    assert!(accuracy_lines(&escalate).starts_with("Accuracy: ESCALATE — blur3"));

    // A NOTE alone, with the headline metric not moving at all, is still not "unchanged".
    let note = accuracy_summary(0.081, 0.081, vec![center_flag(FlagLevel::Note, 0.0, 0.0)]);
    let lines = accuracy_lines(&note);
    assert!(lines.starts_with("Accuracy: NOTE — blur3 centre error mean 0.0810 px\n"), "{lines}");
    assert!(!lines.contains("unchanged"));
}

#[test]
fn refuses_accuracy_from_another_baseline_or_label() {
    let mut s = accuracy_summary(0.081, 0.081, Vec::new());
    assert!(check_accuracy(&s, "after", "baseline", VALIDATE).is_ok());
    let other = check_accuracy(&s, "after", "main", VALIDATE).expect_err("another baseline");
    assert!(other.to_string().contains("compared with `baseline`, not with `main`"), "{other}");
    assert!(other.to_string().contains(&format!("{VALIDATE} --force")), "{other}");
    assert!(check_accuracy(&s, "topic", "baseline", VALIDATE).is_err());
    s.comparison.baseline = None;
    let none = check_accuracy(&s, "after", "baseline", VALIDATE).expect_err("no baseline");
    assert!(none.to_string().contains("not compared with any baseline"), "{none}");
}

#[test]
fn the_commit_message_lists_significant_changes_and_says_so_for_noise() {
    let c = comparison();
    let message = commit_message(&c, &accuracy_summary(0.081, 0.081, Vec::new()), "detect", None);
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines[0], "perf(detect): stage_proposals_1280x1024 58.0% faster");
    assert_eq!(lines[1], "");
    assert!(lines[2].starts_with("detect_1280x1024: 12.10 ms → 9.02 ms (-25."), "{message}");
    assert!(lines[3].starts_with("detect_1920x1080: no significant change ("), "{message}");
    assert!(lines[4].starts_with("stage_proposals_1280x1024: 5.00 ms → 2.10 ms (-58."));
    assert!(lines[5].starts_with("stage_completion_1280x1024: too few samples to judge ("));
    assert_eq!(
        lines[6],
        "Instructions perf_1280x1024: 98,765,432 → 80,000,001 (-18,765,431, -19.00%)"
    );
    assert_eq!(lines.last(), Some(&"Accuracy: unchanged (blur3 centre error mean 0.0810 px)"));

    let custom = commit_message(
        &c,
        &accuracy_summary(0.081, 0.081, Vec::new()),
        "proposals",
        Some("vote on a coarser grid"),
    );
    assert!(custom.starts_with("perf(proposals): vote on a coarser grid\n\n"));
}

#[test]
fn the_default_summary_falls_back_to_instructions_then_to_no_change() {
    let mut c = comparison();
    for row in &mut c.benchmarks {
        row.verdict = BenchVerdict::NoSignificantChange;
    }
    assert_eq!(default_summary(&c), "19.00% fewer instructions on perf_1280x1024");
    c.instructions.clear();
    assert_eq!(default_summary(&c), "no significant speed change");
    let message = commit_message(&c, &accuracy_summary(0.081, 0.081, Vec::new()), "detect", None);
    assert!(message.contains("\n2 other benchmarks: no significant change\n"), "{message}");
    assert!(message.contains("\ndetect_1280x1024: no significant change (12.10 ms → 9.02 ms)\n"));
}

#[test]
fn the_default_summary_breaks_ties_in_report_order() {
    let mut c = comparison();
    c.benchmarks.truncate(1);
    let mut twin = c.benchmarks[0].clone();
    twin.id = "detect_1920x1080".to_owned();
    c.benchmarks.push(twin);
    assert_eq!(default_summary(&c), "detect_1280x1024 25.5% faster");
}

#[test]
fn final_report_markdown() {
    let c = comparison();
    let accuracy = accuracy_summary(0.081, 0.081, Vec::new());
    let message = commit_message(&c, &accuracy, "detect", None);
    insta::assert_snapshot!(markdown(&c, &accuracy, &message));
}

#[test]
fn final_report_with_a_failing_accuracy_gate() {
    let c = comparison();
    let accuracy = accuracy_summary(0.081, 0.095, vec![center_flag(FlagLevel::Fail, 0.081, 0.095)]);
    let message = commit_message(&c, &accuracy, "detect", Some("vote on a coarser grid"));
    let report = markdown(&c, &accuracy, &message);
    assert!(report.contains("Verdict: **FAIL**"), "{report}");
    assert!(report.contains("- **FAIL**: the mean centre error grew"));
    assert!(!report.contains("Accuracy: unchanged"));
}
