//! Runs the `annulus-probe` binary on the tiny scenario: its report parses into `ProbeReport`
//! and holds what was asked for, and bad input fails with a one-line message. No timing is
//! asserted; only counts and shapes.

#![allow(clippy::expect_used)]

use std::process::{Command, Output};

use annulus_benches::{PROBE_SCHEMA, ProbeReport};

const PROBE: &str = env!("CARGO_BIN_EXE_annulus-probe");

fn probe(args: &[&str]) -> Output {
    Command::new(PROBE).args(args).output().expect("the probe runs")
}

#[test]
fn report_on_the_tiny_scenario() {
    let args = ["--scenario", "tiny", "--diameter", "15", "--repeats", "2", "--warmup", "1"];
    let out = probe(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "probe failed: {stderr}");
    let report: ProbeReport =
        serde_json::from_slice(&out.stdout).expect("stdout is exactly one ProbeReport");
    assert_eq!(report.schema, PROBE_SCHEMA);
    assert_eq!(report.scenario, "tiny");
    assert_eq!((report.width, report.height), (240, 160));
    assert_eq!(report.diameter_px, Some(15.0));
    assert_eq!(report.repeats, 2);
    assert_eq!(report.wall_ns.len(), 2);
    assert_eq!(report.stages.len(), 2);
    assert!(report.stages.iter().all(|s| s.total_ns > 0), "stage timings were recorded");
    assert!(report.n_markers > 0, "the detector finds the tiny board's markers");
    assert!(report.alloc_cold.count > 0 && report.alloc_cold.bytes > 0, "cold calls allocate");
    if cfg!(target_os = "linux") {
        assert!(report.peak_rss_kib.is_some_and(|kib| kib > 0));
    }
}

#[test]
fn callgrind_mode_runs_the_measured_call() {
    let args = ["--scenario", "tiny", "--diameter", "15", "--repeats", "0", "--warmup", "0"];
    let out = probe(&[&args[..], &["--callgrind", "--inject-spin", "1000"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: ProbeReport = serde_json::from_slice(&out.stdout).expect("a report");
    assert!(report.wall_ns.is_empty() && report.stages.is_empty());
    assert!(report.n_markers > 0);
}

/// Failure is one line on stderr, nothing on stdout, a non-zero exit, and no panic.
fn assert_one_line_failure(out: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn unknown_scenario_is_a_one_line_error() {
    let out = probe(&["--scenario", "no_such_scenario"]);
    assert_one_line_failure(&out, "no scenario `no_such_scenario`");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tiny"), "the known names are listed: {stderr}");
}

#[test]
fn invalid_toml_is_a_one_line_error() {
    let dir = std::env::temp_dir().join(format!("annulus-probe-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("broken.toml");
    std::fs::write(&path, "schema = 1\nname = \n").expect("written");
    let out = probe(&["--scenario", path.to_str().expect("utf-8 path")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_one_line_failure(&out, "invalid scenario");
}
