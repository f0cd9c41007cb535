//! Fuzz target `score_json`: ground truth and detections read from arbitrary JSON and scored.
//!
//! The input is `truth JSON`, a NUL byte, then `detection JSON`; without a NUL the whole input
//! is tried as either. Ground truth is `annulus_synth::GroundTruth` (the generator's
//! `gt_NNNN.json`) and a detection is `annulus::Detection` (`annulus detect --out`), both read
//! with `serde_json` as every reader in the workspace does: the scorer itself does no I/O and
//! takes its own `TruthMarker` values. When both halves parse, the detection is scored as the
//! scorer's accuracy tests do: truth converted to `TruthMarker`s, the truth's camera and frame
//! in the `MatchParams`, then one image pooled into a `GateScore`.
//!
//! Checks: parsing and scoring return typed errors and never panic; the counts add up; the
//! scores serialise.

#![no_main]

use annulus::Detection;
use annulus_score::{GateScore, ImageScore, MatchParams, TruthMarker, match_detections};
use annulus_synth::GroundTruth;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let (truth_bytes, detection_bytes) = match bytes.iter().position(|&b| b == 0) {
        Some(nul) => (&bytes[..nul], &bytes[nul + 1..]),
        None => (bytes, bytes),
    };
    let truth = serde_json::from_slice::<GroundTruth>(truth_bytes);
    let detection = serde_json::from_slice::<Detection>(detection_bytes);
    if let Ok(truth) = &truth {
        let json = serde_json::to_string(truth).unwrap_or_else(|e| panic!("truth to JSON: {e}"));
        assert_eq!(serde_json::from_str::<GroundTruth>(&json).ok().as_ref(), Some(truth));
    }
    if let Ok(detection) = &detection {
        let json = serde_json::to_string(detection).unwrap_or_else(|e| panic!("to JSON: {e}"));
        assert_eq!(serde_json::from_str::<Detection>(&json).ok().as_ref(), Some(detection));
    }
    if let (Ok(truth), Ok(detection)) = (truth, detection) {
        score(&truth, &detection);
    }
});

/// Scores `detection` against `truth` and pools it as a one-image gate.
fn score(truth: &GroundTruth, detection: &Detection) {
    let markers: Vec<TruthMarker> = truth
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
        .collect();
    let params = MatchParams {
        camera: Some(truth.camera),
        truth_frame: truth.frames.center_img_px,
        ..MatchParams::default()
    };
    let Ok(image) = match_detections(detection, &markers, &params) else { return };
    check_counts(&image, detection, &markers);
    let _ = serde_json::to_string(&image).unwrap_or_else(|e| panic!("score to JSON: {e}"));
    // The same image twice, as a gate would pool two frames of one scenario.
    let images = [(0, image.clone()), (1, image)];
    if let Ok(gate) = GateScore::new("fuzz", Some("json"), &images) {
        assert_eq!(gate.aggregate.n_images, 2);
        assert!(gate.center_errors_px.is_sorted_by(|a, b| a.total_cmp(b).is_le()));
        let _ = serde_json::to_string(&gate).unwrap_or_else(|e| panic!("gate to JSON: {e}"));
    }
}

/// The counts describe every detection and every visible true marker exactly once.
fn check_counts(image: &ImageScore, detection: &Detection, truth: &[TruthMarker]) {
    let c = &image.counts;
    assert_eq!(c.n_detected, detection.markers.len());
    assert_eq!(c.n_correct + c.n_duplicate + c.n_wrong_id + c.n_unidentified, c.n_detected);
    assert_eq!(c.n_visible, truth.iter().filter(|t| t.visible).count());
    assert_eq!(c.n_correct_visible + c.n_missed, c.n_visible);
    assert!(c.n_correct_visible <= c.n_correct);
    assert_eq!(image.detections.len(), c.n_detected);
    assert_eq!(image.matches.len(), c.n_correct);
    for rate in [c.precision(), c.recall(), c.decode_rate()].into_iter().flatten() {
        assert!((0.0..=1.0).contains(&rate), "rate {rate} in {c:?}");
    }
}
