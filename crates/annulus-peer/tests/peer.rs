//! The `run` measurement in-process on one small image of ringgrid's board: every detector
//! finds the markers, ringgrid's converted IDs and centres pass annulus's scorer, the frames
//! and the ellipse convention hold, and the report survives a JSON round trip (xtask reads it
//! back with the same types).

#![allow(clippy::expect_used, clippy::print_stdout)]

use annulus::{Format, ImageFrame};
use annulus_peer::report::{BoardSource, RunReport};
use annulus_peer::{DetectorKind, PeerBoard, RunOptions, ringgrid_default_board, run_scenario};
use annulus_score::{MatchParams, TruthMarker, match_detections};
use annulus_synth::{GroundTruth, Scenario, Synthesizer};

/// ringgrid's whole board at about 2.5 px/mm (markers about 27 px across) in a 640 × 512 view;
/// `distortion` adds a Brown–Conrady lens.
fn scenario(distortion: &str) -> Scenario {
    let text = format!(
        r#"
schema = 1
name = "peer_small"
description = "ringgrid's board, whole, markers about 27 px across."
board = "default"
count = 1
seed = 808

[image]
width = 640
height = 512

[camera]
fx = 1000.0
fy = 1000.0
cx = 319.5
cy = 255.5
{distortion}

[pose]
distance_mm = [400.0, 400.0]
tilt_deg = [15.0, 15.0]
roll_deg = [5.0, 5.0]
offset_x_px = [0.0, 0.0]
offset_y_px = [0.0, 0.0]

[blur]
sigma_px = 0.8

[noise]
sigma = 0.005
"#
    );
    Scenario::parse(&text, Format::Toml).expect("valid scenario")
}

fn truth_markers(truth: &GroundTruth) -> Vec<TruthMarker> {
    truth
        .markers
        .iter()
        .filter_map(|m| {
            Some(TruthMarker {
                id: m.id,
                visible: m.visible,
                center_img_px: m.center_img_px?,
                xy_board_mm: m.xy_board_mm,
            })
        })
        .collect()
}

fn run(distortion: &str, camera_given: bool) -> (RunReport, PeerBoard) {
    let board = PeerBoard::Ringgrid(Box::new(ringgrid_default_board().expect("converts")));
    // The scenario's own board is irrelevant: the run substitutes ringgrid's.
    let synth = Synthesizer::new(scenario(distortion), annulus::Board::builtin()).expect("valid");
    let options = RunOptions { n_images: 1, rounds: 2, camera_given };
    (run_scenario(&synth, &board, &options).expect("runs"), board)
}

/// Scores every detector of the report's one image; returns ringgrid's visible-marker recall.
fn check(report: &RunReport, board: &PeerBoard, camera_given: bool) -> f64 {
    assert_eq!(report.board_source, BoardSource::Ringgrid);
    assert_eq!(report.n_board_markers, 203);
    assert_eq!(report.ids_identical, Some(true));
    assert_eq!(report.detectors, DetectorKind::ALL);
    let image = &report.images[0];
    let truth = truth_markers(&image.truth);
    let n_visible = truth.iter().filter(|t| t.visible).count();
    assert!(n_visible > 150, "the board should be mostly in view: {n_visible}");
    let params = MatchParams { camera: Some(image.truth.camera), ..MatchParams::default() };
    let mut ringgrid_recall = 0.0;
    for run in &image.runs {
        let name = run.detector.name();
        assert_eq!(run.wall_ns.len(), 2, "{name}");
        assert_eq!(run.error, None, "{name}");
        let detection = run.detection.as_ref().expect("kept");
        assert_eq!(run.n_markers, detection.markers.len());
        let frame = if camera_given && image.truth.camera.distortion.is_some() {
            ImageFrame::Undistorted
        } else {
            ImageFrame::Image
        };
        assert_eq!(detection.fit_frame, frame, "{name}");
        let score = match_detections(detection, &truth, &params).expect("scores");
        let errors = score.center_errors_px();
        let worst = errors.iter().copied().fold(0.0, f64::max);
        let recall = score.counts.recall().unwrap_or(0.0);
        println!(
            "{name}: {} detected, {} correct of {n_visible} visible, {} wrong IDs, worst centre \
             error {worst:.3} px",
            score.counts.n_detected, score.counts.n_correct_visible, score.counts.n_wrong_id
        );
        assert_eq!(score.counts.n_wrong_id, 0, "{name}");
        assert!(recall > 0.9, "{name}: recall {recall}");
        assert!(worst < 1.0, "{name}: worst centre error {worst} px");
        if run.detector == DetectorKind::Ringgrid {
            ringgrid_recall = recall;
            check_ringgrid_conventions(&score.matches, detection, &image.truth, board);
        }
    }
    ringgrid_recall
}

/// ringgrid's centres carry no half-pixel offset, and its outer ellipse is the outer edge of
/// the outer ring, as `annulus::DetectedMarker::outer` means.
fn check_ringgrid_conventions(
    matches: &[annulus_score::MarkerMatch],
    detection: &annulus::Detection,
    truth: &GroundTruth,
    board: &PeerBoard,
) {
    let n = matches.len() as f64;
    let (sx, sy) = matches.iter().fold((0.0, 0.0), |(sx, sy), m| {
        let [ex, ey] = m.error_px();
        (sx + ex, sy + ey)
    });
    let bias = [sx / n, sy / n];
    println!("ringgrid mean centre error vector: [{:.4}, {:.4}] px", bias[0], bias[1]);
    assert!(bias[0].abs() < 0.1 && bias[1].abs() < 0.1, "a systematic offset: {bias:?}");

    let ring = board.board().marker_spec().outer_ring;
    let edge_over_centre_line = ring.outer_edge_mm() / ring.radius_mm;
    let mut ratios = Vec::new();
    for m in &detection.markers {
        let Some(id) = m.id else { continue };
        let Some(t) = truth.markers.get(id as usize).and_then(|t| t.outer_ellipse) else {
            continue;
        };
        ratios.push(m.outer.semi_major_px / (t.semi_major_px * edge_over_centre_line));
    }
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    println!("ringgrid outer semi-major / true outer edge: median {median:.4}");
    assert!((median - 1.0).abs() < 0.03, "ringgrid's outer ellipse is not the outer edge");
}

#[test]
fn ringgrid_and_annulus_find_the_board_and_pass_the_scorer() {
    let (report, board) = run("", false);
    let recall = check(&report, &board, false);
    assert!(recall > 0.95);
    // xtask reads the report back with these types.
    let json = serde_json::to_string(&report).expect("encodes");
    let back: RunReport = serde_json::from_str(&json).expect("decodes");
    assert_eq!(back, report);
}

#[test]
fn with_the_camera_both_work_in_the_undistorted_frame() {
    let lens = "distortion = { k1 = -0.15, k2 = 0.05, p1 = 0.001, p2 = -0.001 }";
    let (report, board) = run(lens, true);
    assert!(report.camera_given);
    check(&report, &board, true);
}
