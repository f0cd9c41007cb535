//! End-to-end `cargo xtask compare` and `finalize`: real accuracy results from `validate` on the
//! tiny scenario, and two hand-written `perf.json` files whose field names pin the file's shape
//! from the outside (the writer, `perf-baseline`, lives in another module).

#![allow(clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use serde_json::json;

fn xtask(perf_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .arg("--out")
        .arg(perf_dir)
        .output()
        .expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Twenty samples spread deterministically by ±1 % whose nearest-rank median (the tenth) is
/// `median_ms`.
fn samples(median_ms: f64) -> Vec<f64> {
    (0..20).map(|i| median_ms * 1e6 * (1.0 + (f64::from(i) - 9.0) / 950.0)).collect()
}

/// A `perf.json` with two benchmarks, one scenario and its instruction count.
fn perf_json(label: &str, detect_ms: f64, instructions: u64, warm_allocs: u64) -> String {
    let alloc = |count: u64| json!({ "count": count, "bytes": count * 64 });
    let benchmark = |id: &str, ms: f64| {
        json!({ "id": id, "samples_ns": samples(ms), "median_ns": ms * 1e6,
                "median_ci95_ns": [ms * 0.99e6, ms * 1.01e6] })
    };
    let value = json!({
        "schema": 1,
        "label": label,
        "provenance": {
            "commit": "abc1234", "dirty": label != "baseline",
            "created_utc": "2025-01-02T03:04:05Z", "machine": "test machine",
            "commands": [format!("cargo xtask perf-baseline --label {label}")], "quick": false
        },
        "benchmarks": [benchmark("detect_1280x1024", detect_ms), benchmark("stage_fit", 4.0)],
        "scenarios": [{
            "scenario": "perf_1280x1024",
            "stages": [{ "stage": "total", "median_ns": detect_ms * 1e6, "p95_ns": detect_ms * 1.1e6 }],
            "alloc_cold": alloc(900), "alloc_warm": alloc(warm_allocs), "peak_rss_kib": 51_200,
            "probe": {
                "schema": 1, "scenario": "perf_1280x1024", "image_index": 0, "width": 1280,
                "height": 1024, "diameter_px": null, "n_markers": 96, "repeats": 1,
                "alloc_cold": alloc(900), "alloc_warm": alloc(warm_allocs),
                "wall_ns": [12_000_000], "stages": [], "peak_rss_kib": 51_200
            }
        }],
        "instructions": [{ "scenario": "perf_1280x1024", "instructions": instructions }],
        "profile": null,
        "skipped": ["profile: perf not installed"]
    });
    serde_json::to_string_pretty(&value).expect("JSON")
}

fn validate(perf: &Path, label: &str) {
    let args =
        ["validate", "--label", label, "--gates", "tiny", "--n", "1", "--marker-diameter", "15"];
    let out = xtask(perf, &args);
    assert!(out.status.success(), "validate {label}: {}", text(&out.stderr));
}

#[test]
fn compare_and_finalize_from_the_command_line() {
    let temp = tempfile::tempdir().expect("temp dir");
    let perf = temp.path();
    for (label, ms, instructions, warm) in
        [("baseline", 12.10, 98_765_432, 14), ("after", 9.02, 80_000_001, 0)]
    {
        std::fs::create_dir_all(perf.join(label)).expect("label folder");
        std::fs::write(
            perf.join(label).join("perf.json"),
            perf_json(label, ms, instructions, warm),
        )
        .expect("written");
    }

    // Unknown labels are listed.
    let unknown = xtask(perf, &["compare", "--label", "after", "--against", "main"]);
    assert!(!unknown.status.success());
    let err = text(&unknown.stderr);
    assert!(err.contains("labels with benchmarks: after, baseline"), "{err}");

    // Finalize refuses without accuracy results and names the command.
    let early = xtask(perf, &["finalize", "--label", "after", "--against", "baseline"]);
    assert!(!early.status.success());
    let err = text(&early.stderr);
    assert!(err.contains("cargo xtask validate --label after --against baseline --out"), "{err}");

    let compared = xtask(perf, &["compare", "--label", "after", "--against", "baseline"]);
    assert!(compared.status.success(), "{}", text(&compared.stderr));
    let table = text(&compared.stdout);
    assert!(table.contains("detect_1280x1024") && table.contains("faster"), "{table}");
    assert!(table.contains("no significant change"), "stage_fit did not move: {table}");
    let report = read(&perf.join("after/benchmark-report.md"));
    assert!(report.contains("- detect_1280x1024: 12.10 ms → 9.02 ms (-25.5%), 95% CI"), "{report}");
    assert!(report.contains("- stage_fit: no significant change (4.00 ms → 4.00 ms"), "{report}");

    // Two validate runs of the same build: accuracy unchanged.
    validate(perf, "baseline");
    validate(perf, "after");
    let done = xtask(perf, &["finalize", "--label", "after", "--against", "baseline"]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    let message = read(&perf.join("after/commit-message.txt"));
    assert!(text(&done.stdout).contains(message.trim_end()));
    let lines: Vec<&str> = message.lines().collect();
    assert_eq!(lines[0], "perf(detect): detect_1280x1024 25.5% faster");
    assert_eq!(lines[2], "detect_1280x1024: 12.10 ms → 9.02 ms (-25.5%)");
    assert_eq!(lines[3], "1 other benchmark: no significant change");
    assert!(message.contains("\nWarm allocations perf_1280x1024: 14 → 0 (-14, -100.00%)\n"));
    // The same build twice: nothing moved, but validate notes that the blur3 gate (whose
    // thresholds matter) was not run, so accuracy is not called "unchanged".
    assert!(message.contains("\nAccuracy: NOTE — tiny centre error mean "), "{message}");
    assert!(lines.last().expect("a flag line").starts_with("  NOTE: blur3:"), "{message}");
    assert!(!message.contains("unchanged ("), "{message}");
    let final_report = read(&perf.join("after/final-report.md"));
    assert!(final_report.contains("Verdict: **PASS**"), "{final_report}");
    assert!(final_report.contains("`after` skipped a step: profile: perf not installed"));
}
