//! Tests of `compare` and `finalize` on a perf folder in a temporary directory: the files each
//! writes and leaves alone, unknown labels, the refusal without accuracy results, reusing or
//! redoing a stale comparison, and replacing changed files only with `force`.

use std::path::Path;

use annulus_report::FlagLevel;

use super::*;
use crate::files::write_json;
use crate::perf::fixtures::{accuracy_summary, center_flag, perf_pair};

const VALIDATE: &str = "cargo xtask validate --label after --against baseline";

/// A perf folder with both labels' `perf.json`, and a file of validate's in `after`.
fn perf_folder() -> tempfile::TempDir {
    let temp = tempfile::tempdir().expect("temp dir");
    let (baseline, after) = perf_pair();
    write_json(&temp.path().join("baseline").join(PERF_FILE), &baseline).expect("written");
    write_json(&temp.path().join("after").join(PERF_FILE), &after).expect("written");
    std::fs::write(temp.path().join("after/accuracy-report.md"), "validate's").expect("written");
    temp
}

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn compare_writes_its_two_files_into_the_after_label_only() {
    let temp = perf_folder();
    let perf = temp.path();
    let before_baseline = files(&perf.join("baseline"));
    compare::compare_labels(perf, "after", "baseline", false).expect("compared");
    assert_eq!(
        files(&perf.join("after")),
        ["accuracy-report.md", COMPARISON_FILE, REPORT_FILE, PERF_FILE]
    );
    assert_eq!(files(&perf.join("baseline")), before_baseline);
    assert_eq!(read(&perf.join("after/accuracy-report.md")), "validate's");
    let report = read(&perf.join("after").join(REPORT_FILE));
    assert!(report.contains("\n- detect_1280x1024: 12.10 ms → 9.02 ms (-25.5%), 95% CI"));
    // The same inputs give the same bytes, so a rerun needs no force.
    compare::compare_labels(perf, "after", "baseline", false).expect("compared again");
    assert_eq!(read(&perf.join("after").join(REPORT_FILE)), report);

    // A comparison of other inputs is replaced only with force.
    let (_, mut after) = perf_pair();
    after.provenance.created_utc = "2025-02-03T04:05:06Z".to_owned();
    write_json(&perf.join("after").join(PERF_FILE), &after).expect("written");
    let refused = compare::compare_labels(perf, "after", "baseline", false).expect_err("refused");
    let text = refused.to_string();
    assert!(text.contains(compare::REFUSED_WHAT) && text.contains("--force"), "{text}");
    assert!(text.contains(&format!("({REPORT_FILE}, {COMPARISON_FILE})")), "{text}");
    assert_eq!(read(&perf.join("after").join(REPORT_FILE)), report, "left as it was");
    compare::compare_labels(perf, "after", "baseline", true).expect("forced");
    assert!(read(&perf.join("after").join(REPORT_FILE)).contains("2025-02-03T04:05:06Z"));
    assert!(!files(perf).iter().any(|f| f.starts_with(".staging")), "no staging folder left");
}

#[test]
fn an_unknown_label_lists_the_labels_with_benchmarks() {
    let temp = perf_folder();
    std::fs::create_dir_all(temp.path().join("accuracy-only")).expect("created");
    let error = compare::compare_labels(temp.path(), "after", "main", false).expect_err("unknown");
    let text = error.to_string();
    assert!(text.contains("no label `main` with benchmarks"), "{text}");
    assert!(text.contains("labels with benchmarks: after, baseline."), "{text}");
    assert!(compare::compare_labels(temp.path(), "../after", "baseline", false).is_err());
}

#[test]
fn finalize_refuses_without_accuracy_results_and_names_the_command() {
    let temp = perf_folder();
    let error = finalize(temp.path(), "after", "baseline", "detect", None, VALIDATE, false)
        .expect_err("no summary.json");
    let text = error.to_string();
    assert!(text.contains("no accuracy results for `after`"), "{text}");
    assert!(text.contains(&format!("Run `{VALIDATE}` first")), "{text}");
    assert!(!temp.path().join("after").join(FINAL_REPORT_FILE).exists());
    assert!(!temp.path().join("after").join(COMMIT_MESSAGE_FILE).exists());
}

#[test]
fn finalize_refuses_accuracy_compared_with_another_baseline() {
    let temp = perf_folder();
    let mut summary = accuracy_summary(0.081, 0.081, Vec::new());
    summary.comparison.baseline = Some("main".to_owned());
    write_json(&temp.path().join("after").join(ACCURACY_FILE), &summary).expect("written");
    let error = finalize(temp.path(), "after", "baseline", "detect", None, VALIDATE, false)
        .expect_err("another baseline");
    assert!(error.to_string().contains("compared with `main`, not with `baseline`"), "{error}");
}

#[test]
fn finalize_writes_the_message_and_reuses_or_redoes_the_comparison() {
    let temp = perf_folder();
    let perf = temp.path();
    let flags = vec![center_flag(FlagLevel::Fail, 0.081, 0.095)];
    write_json(&perf.join("after").join(ACCURACY_FILE), &accuracy_summary(0.081, 0.095, flags))
        .expect("written");

    // No comparison yet: compare runs first.
    let run = |area: &str, summary: Option<&str>, force: bool| {
        finalize(perf, "after", "baseline", area, summary, VALIDATE, force)
    };
    let first = run("detect", None, false).expect("finalized");
    assert!(first.warnings.iter().any(|w| w.contains("ran compare first")), "{:?}", first.warnings);
    assert_eq!(first.verdict, Verdict::Fail);
    let message = read(&perf.join("after").join(COMMIT_MESSAGE_FILE));
    assert_eq!(message, first.message);
    assert!(message.starts_with("perf(detect): stage_proposals_1280x1024 58.0% faster\n\n"));
    assert!(message.contains("\nAccuracy: FAIL — blur3 centre error mean 0.0810 → 0.0950 px"));
    let report = read(&perf.join("after").join(FINAL_REPORT_FILE));
    assert!(report.contains(&message));

    // The same again writes the same bytes: no force needed.
    assert_eq!(run("detect", None, false).expect("again").message, message);

    // Current: reused without a word. A message that would change (other options here; an
    // edit by hand alike) is replaced only with force.
    std::fs::write(perf.join("after").join(COMMIT_MESSAGE_FILE), "edited by hand").expect("w");
    let refused = run("io", Some("x"), false).expect_err("would change the message").to_string();
    assert!(refused.contains(COMMIT_MESSAGE_FILE) && refused.contains("--force"), "{refused}");
    assert_eq!(read(&perf.join("after").join(COMMIT_MESSAGE_FILE)), "edited by hand");
    let second = run("io", Some("x"), true).expect("forced");
    assert!(second.warnings.is_empty(), "{:?}", second.warnings);
    assert!(second.message.starts_with("perf(io): x\n"));

    // A new perf.json for `after` makes it stale: compared again, which changes the files.
    let (_, mut after) = perf_pair();
    after.provenance.created_utc = "2025-02-03T04:05:06Z".to_owned();
    write_json(&perf.join("after").join(PERF_FILE), &after).expect("written");
    assert!(run("detect", None, false).is_err(), "the comparison would change");
    let third = run("detect", None, true).expect("forced");
    assert!(third.warnings.iter().any(|w| w.contains("older perf.json")), "{:?}", third.warnings);
    assert!(read(&perf.join("after").join(REPORT_FILE)).contains("2025-02-03T04:05:06Z"));
}

#[test]
fn finalize_checks_its_options() {
    let temp = perf_folder();
    write_json(
        &temp.path().join("after").join(ACCURACY_FILE),
        &accuracy_summary(0.081, 0.081, Vec::new()),
    )
    .expect("written");
    let run = |area: &str, summary: Option<&str>| {
        finalize(temp.path(), "after", "baseline", area, summary, VALIDATE, true)
    };
    assert!(run("detect", None).is_ok());
    assert!(run("two words", None).is_err());
    assert!(run("", None).is_err());
    assert!(run("detect", Some("line\nbreak")).is_err());
    assert_eq!(
        validate_command("after", "baseline", Some(Path::new("/tmp/perf"))),
        "cargo xtask validate --label after --against baseline --out /tmp/perf"
    );
}
