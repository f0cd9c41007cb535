//! End-to-end `cargo xtask validate` on the tiny scenario: the label's files, refusing to
//! overwrite, comparing with a baseline, and unknown labels and gates.

#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs the xtask binary with `args` and `--out perf_dir`.
fn xtask(perf_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--out")
        .arg(perf_dir)
        .output()
        .expect("xtask runs")
}

/// The tiny scenario's markers are about 15 px across, below the detector's automatic
/// minimum, so the prior is given.
fn validate(perf_dir: &Path, label: &str, extra: &[&str]) -> Output {
    let mut args = vec![
        "validate",
        "--label",
        label,
        "--gates",
        "tiny",
        "--n",
        "2",
        "--marker-diameter",
        "15",
    ];
    args.extend_from_slice(extra);
    xtask(perf_dir, &args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn validate_writes_a_label_refuses_to_overwrite_and_compares() {
    let temp = tempfile::tempdir().expect("temp dir");
    let perf = temp.path();

    let first = validate(perf, "baseline", &[]);
    assert!(first.status.success(), "first run failed: {}", text(&first.stderr));
    let label = perf.join("baseline");
    for file in ["accuracy-run.json", "summary.json", "accuracy-report.md", "report.html"] {
        assert!(label.join(file).is_file(), "{file} missing");
    }
    assert!(label.join("tiny/summary.json").is_file());
    assert!(label.join("tiny/scores/img_0001.json").is_file());
    assert!(label.join("tiny/detections/img_0000.json").is_file());
    let summary: serde_json::Value =
        serde_json::from_str(&read(&label.join("tiny/summary.json"))).expect("JSON");
    let score = &summary["runs"][0]["status"]["score"];
    let recall = score["aggregate"]["counts"]["n_correct_visible"].as_u64().expect("a count");
    assert!(recall > 0, "the detector found markers in the tiny scenario: {summary}");
    assert!(text(&first.stdout).contains("report.html"), "says where the report is");
    let cached = std::fs::read_dir(perf.join("cache")).expect("cache folder").count();
    assert_eq!(cached, 1, "one cache folder for one scenario");

    // The same label again is refused and leaves the results as they were.
    let before = read(&label.join("accuracy-run.json"));
    let again = validate(perf, "baseline", &[]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("--force"), "{}", text(&again.stderr));
    assert_eq!(read(&label.join("accuracy-run.json")), before, "nothing overwritten");

    // A second label compares with `baseline` by default; the same build raises no flag.
    let after = validate(perf, "after", &[]);
    assert!(after.status.success(), "{}", text(&after.stderr));
    let report = read(&perf.join("after/accuracy-report.md"));
    assert!(report.contains("baseline") && report.contains("after"), "{report}");
    let json: serde_json::Value =
        serde_json::from_str(&read(&perf.join("after/summary.json"))).expect("JSON");
    assert_eq!(json["comparison"]["verdict"], "pass", "identical runs: {json}");

    // --force replaces the label's results.
    let forced = validate(perf, "baseline", &["--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    assert!(perf.join("baseline/accuracy-run.json").is_file());
    let leftovers: Vec<String> = std::fs::read_dir(perf)
        .expect("perf dir")
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.starts_with(".staging"))
        .collect();
    assert!(leftovers.is_empty(), "no staging folder left behind: {leftovers:?}");
}

#[test]
fn unknown_labels_and_gates_are_refused_with_the_known_ones() {
    let temp = tempfile::tempdir().expect("temp dir");
    let perf = temp.path();
    let unknown = validate(perf, "x", &["--against", "nope"]);
    assert!(!unknown.status.success());
    let err = text(&unknown.stderr);
    assert!(err.contains("no label `nope`") && err.contains("none yet"), "{err}");

    let gate = xtask(perf, &["validate", "--label", "x", "--gates", "blur9"]);
    assert!(!gate.status.success());
    let err = text(&gate.stderr);
    assert!(err.contains("unknown gate `blur9`") && err.contains("blur3"), "{err}");

    let bad = xtask(perf, &["validate", "--label", "../escape", "--gates", "tiny"]);
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("invalid label"));
    assert!(!perf.join("x").exists(), "failed runs leave no label behind");
}
