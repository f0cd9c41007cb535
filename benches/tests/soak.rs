//! Runs the `annulus-soak` binary on the tiny scenario: its report parses into `SoakReport`
//! and holds every image, every sample and the counts asked for, and bad input fails with a
//! one-line message. No memory figure is asserted beyond its presence: `cargo xtask soak`
//! judges those on the real image set.

#![allow(clippy::expect_used)]

use std::process::{Command, Output};

use annulus_benches::soak::{SOAK_SCHEMA, SoakReport};

const SOAK: &str = env!("CARGO_BIN_EXE_annulus-soak");

fn soak(args: &[&str]) -> Output {
    Command::new(SOAK).args(args).output().expect("the soak runs")
}

#[test]
fn report_on_the_tiny_scenario() {
    let args = [
        "--scenario",
        "tiny",
        "--diameter",
        "15",
        "--calls",
        "7",
        "--warmup-cycles",
        "1",
        "--sample-every",
        "3",
    ];
    let out = soak(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "soak failed: {stderr}");
    let report: SoakReport =
        serde_json::from_slice(&out.stdout).expect("stdout is exactly one SoakReport");
    assert_eq!(report.schema, SOAK_SCHEMA);
    assert_eq!((report.scenario.as_str(), report.width, report.height), ("tiny", 240, 160));
    assert_eq!(
        report.images,
        ["tiny#0", "tiny#1", "blank", "black", "noise", "checker"],
        "the scenario's images, then the degenerate ones"
    );
    assert_eq!(report.warmup_calls, 6, "one pass over six images");
    assert_eq!(report.calls, 7);
    let calls: Vec<u64> = report.samples.iter().map(|s| s.call).collect();
    assert_eq!(calls, [0, 3, 6, 7], "after the warm-up, every third call and the last");
    assert!(report.alloc_warmup.count > 0, "the first call on a fresh workspace allocates");
    assert!(report.identified > 0, "the tiny board's markers are found");
    assert!(report.elapsed_ns > 0);
    if cfg!(target_os = "linux") {
        assert!(report.samples.iter().all(|s| s.rss_kib > 0 && s.heap_live_bytes > 0));
    }
}

#[test]
fn bad_input_fails_with_one_line() {
    let out = soak(&["--scenario", "tiny", "--sample-every", "0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("annulus-soak: error: --sample-every"), "{stderr}");
}
