//! Runs the `annulus-peer` binary: its reports parse into the library's types and hold what was
//! asked for (with the counting allocator really installed), and bad input fails with a
//! one-line message and a non-zero exit. No timing is asserted; only counts and shapes.

#![allow(clippy::expect_used)]

use std::process::{Command, Output};

use annulus_peer::report::{BoardSource, OneReport, PEER_SCHEMA, RunReport};
use annulus_peer::runner::DetectorKind;

const PEER: &str = env!("CARGO_BIN_EXE_annulus-peer");

fn peer(args: &[&str]) -> Output {
    Command::new(PEER).args(args).output().expect("the binary runs")
}

fn success(out: &Output) -> &[u8] {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "annulus-peer failed: {stderr}");
    &out.stdout
}

#[test]
fn run_on_annulus_board_reports_both_annulus_detectors() {
    let out = peer(&["run", "--scenario", "ci_640x512", "--board", "annulus", "--rounds", "2"]);
    let report: RunReport =
        serde_json::from_slice(success(&out)).expect("stdout is exactly one RunReport");
    assert_eq!(report.schema, PEER_SCHEMA);
    assert_eq!(report.board_source, BoardSource::Annulus);
    assert_eq!(report.detectors, [DetectorKind::Annulus, DetectorKind::AnnulusAuto]);
    assert_eq!((report.width, report.height, report.rounds), (640, 512, 2));
    assert_eq!((report.max_position_error_mm, report.ids_identical), (None, None));
    let image = &report.images[0];
    assert!(image.diameter_hint_px > 20.0);
    for run in &image.runs {
        assert_eq!(run.wall_ns.len(), 2);
        assert_eq!(run.position_in_round.len(), 2);
        assert!(run.alloc_cold.count > 0, "the allocator counts: cold calls allocate");
        assert_eq!(run.alloc_warm.map(|a| a.count), Some(0), "a warm workspace does not");
        assert!(run.n_markers > 0 && run.error.is_none());
        assert_eq!(run.detection.as_ref().map(|d| d.markers.len()), Some(run.n_markers));
    }
    // The order alternates: whoever went first in round 0 goes last in round 1.
    assert_eq!(image.runs[0].position_in_round, [0, 1]);
}

#[test]
fn one_measures_ringgrid_with_heap_and_rss() {
    let args = ["one", "--scenario", "ci_640x512", "--board", "ringgrid", "--detector", "ringgrid"];
    let report: OneReport =
        serde_json::from_slice(success(&peer(&args))).expect("stdout is exactly one OneReport");
    assert_eq!(report.detector, DetectorKind::Ringgrid);
    assert_eq!(report.board, "ringgrid_200mm_hex");
    assert!(report.n_markers > 0, "{report:?}");
    assert!(report.alloc.count > 0, "ringgrid allocates on every call");
    assert!(report.heap_peak_bytes > report.heap_live_before_bytes);
    assert_eq!(
        report.heap_peak_above_start_bytes,
        report.heap_peak_bytes - report.heap_live_before_bytes
    );
    if cfg!(target_os = "linux") {
        assert!(report.peak_rss_kib.is_some_and(|kib| kib > 0));
    }
    assert_eq!(report.stats, None, "ringgrid reports no candidate counts");
}

#[test]
fn one_reports_how_annulus_reached_its_markers() {
    let args =
        ["one", "--scenario", "ci_640x512", "--board", "ringgrid", "--detector", "annulus_auto"];
    let report: OneReport =
        serde_json::from_slice(success(&peer(&args))).expect("stdout is exactly one OneReport");
    let stats = report.stats.expect("annulus reports its candidate counts");
    assert!(report.n_markers > 0, "{report:?}");
    assert!(stats.n_decoded > 0, "{stats:?}");
    assert!(stats.n_candidates >= stats.n_fitted && stats.n_fitted >= stats.n_decoded);
    // Most markers are decoded from their own rings, not recovered by the completion search:
    // 26 of 114 are completed here, where 41 were while a fit that did not decode still hid
    // the candidates at its centre.
    assert!(4 * stats.n_completed < report.n_markers as u32, "{stats:?}");
}

fn one_line_error(out: &Output, expected: &str) {
    assert!(!out.status.success());
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let last = stderr.trim_end().lines().last().unwrap_or_default();
    assert!(last.starts_with("annulus-peer: error: "), "{stderr}");
    assert!(last.contains(expected), "{stderr}");
}

#[test]
fn ringgrid_on_the_annulus_board_is_refused() {
    let args = ["one", "--scenario", "ci_640x512", "--board", "annulus", "--detector", "ringgrid"];
    one_line_error(&peer(&args), "runs only on the ringgrid board");
}

#[test]
fn an_unknown_scenario_is_refused() {
    one_line_error(&peer(&["run", "--scenario", "no_such", "--board", "ringgrid"]), "no_such");
}
