//! The accuracy gate's decisions on hand-built scores: a centre-mean rise, a centre bias, and
//! identical runs.

use annulus::ImageFrame;
use annulus_report::{GateStatus, LabelRun, Provenance};
use annulus_score::{
    Counts, FrameMap, GateScore, ImageScore, MarkerMatch, Quantity, QuantityFrames,
};

use super::*;

/// An image whose correct detections have error vectors `errors_px`.
fn image(errors_px: &[[f64; 2]]) -> ImageScore {
    let n = errors_px.len();
    ImageScore {
        counts: Counts {
            n_visible: n,
            n_detected: n,
            n_identified: n,
            n_correct: n,
            n_correct_visible: n,
            ..Counts::default()
        },
        detections: Vec::new(),
        matches: errors_px
            .iter()
            .zip(0..)
            .map(|(&e, id)| MarkerMatch {
                id,
                visible: true,
                detected_img_px: [10.0 + e[0], 20.0 + e[1]],
                truth_img_px: [10.0, 20.0],
            })
            .collect(),
        missed: Vec::new(),
        homography: None,
        frames: vec![QuantityFrames {
            quantity: Quantity::CenterError,
            detected: ImageFrame::Image,
            reference: ImageFrame::Image,
            compared_in: ImageFrame::Image,
            map: FrameMap::Identity,
        }],
    }
}

/// The CI accuracy record of gates `reference` and `blur3` with the given error vectors,
/// shifted by `shift_px` in x.
fn record(reference: &[[f64; 2]], blur3: &[[f64; 2]], shift_px: f64) -> CiAccuracy {
    let shifted = |errors: &[[f64; 2]]| -> Vec<[f64; 2]> {
        errors.iter().map(|e| [e[0] + shift_px, e[1]]).collect()
    };
    let mut gates = Vec::new();
    let mut center_bias = Vec::new();
    for (gate, errors) in [("reference", shifted(reference)), ("blur3", shifted(blur3))] {
        let scores = vec![(0, image(&errors))];
        let score = GateScore::new(gate, None, &scores).unwrap();
        center_bias.push(bias(gate, &scores).unwrap());
        gates.push(GateRun {
            gate: gate.to_owned(),
            mode: None,
            scenario: gate.to_owned(),
            scenario_hash: "5ca1ab1e".to_owned(),
            artifacts: Vec::new(),
            status: GateStatus::Scored { score },
        });
    }
    let run = LabelRun {
        label: "ci".to_owned(),
        provenance: Provenance {
            commit: None,
            dirty: false,
            created_utc: "2025-01-02T03:04:05Z".to_owned(),
            machine: "test".to_owned(),
            commands: Vec::new(),
            n_images: 1,
        },
        gates,
    };
    CiAccuracy { n_images: 1, run, center_bias }
}

/// Errors of length 0.05 px in four opposite directions: no bias, mean length 0.05.
const RING: [[f64; 2]; 4] = [[0.05, 0.0], [-0.05, 0.0], [0.0, 0.05], [0.0, -0.05]];

fn verdicts(rows: &[GateRow]) -> Vec<(&str, Verdict)> {
    rows.iter().map(|r| (r.gate.as_str(), r.verdict)).collect()
}

#[test]
fn identical_runs_pass_every_row() {
    let base = record(&RING, &RING, 0.0);
    let rows = rows(&base, &base.clone());
    assert!(rows.iter().all(|r| r.verdict == Verdict::Pass), "{:?}", verdicts(&rows));
    let names: Vec<&str> = rows.iter().map(|r| r.gate.as_str()).collect();
    assert_eq!(
        names,
        [
            "accuracy reference center_error_mean_px",
            "accuracy reference center_bias_px",
            "accuracy blur3 center_error_mean_px",
            "accuracy blur3 center_bias_px",
            "accuracy other FAIL flags"
        ]
    );
}

#[test]
fn a_bias_the_mean_length_misses_is_caught() {
    let base = record(&RING, &RING, 0.0);
    let biased = record(&RING, &RING, 0.02);
    let rows = rows(&base, &biased);
    let failed: Vec<&str> =
        rows.iter().filter(|r| r.verdict == Verdict::Fail).map(|r| r.gate.as_str()).collect();
    assert_eq!(failed, ["accuracy reference center_bias_px", "accuracy blur3 center_bias_px"]);
    let mean = &rows[0];
    assert_eq!(mean.verdict, Verdict::Pass, "the mean length rose by less than 0.01: {mean:?}");
    assert_eq!(rows[1].delta, "0.0200");
    assert!(rows[1].message.as_deref().unwrap().contains("moved by 0.0200 px"));
}

#[test]
fn the_bias_limit_itself_passes() {
    let base = record(&RING, &RING, 0.0);
    let at_limit = record(&RING, &RING, CENTER_BIAS_FAIL_PX);
    let rows = rows(&base, &at_limit);
    assert!(rows.iter().all(|r| r.verdict == Verdict::Pass), "{:?}", verdicts(&rows));
}

#[test]
fn a_centre_mean_rise_fails_on_either_gate() {
    let base = record(&RING, &RING, 0.0);
    let worse: Vec<[f64; 2]> = RING.iter().map(|e| [e[0] * 1.3, e[1] * 1.3]).collect();
    let rows = rows(&base, &record(&worse, &RING, 0.0));
    assert_eq!(rows[0].gate, "accuracy reference center_error_mean_px");
    assert_eq!(rows[0].verdict, Verdict::Fail, "+0.015 px on reference: {rows:?}");
    assert_eq!(rows[0].delta, "+0.0150");
    assert_eq!(rows[1].verdict, Verdict::Pass, "scaling keeps the bias at zero");
}

#[test]
fn a_changed_image_count_fails() {
    let base = record(&RING, &RING, 0.0);
    let more = CiAccuracy { n_images: 3, ..base.clone() };
    let rows = rows(&base, &more);
    assert_eq!(rows[0].verdict, Verdict::Fail);
    assert!(rows[0].message.as_deref().unwrap().contains("bless"));
}

#[test]
fn bias_is_the_mean_error_vector_of_visible_matches() {
    let mut score = image(&[[0.1, 0.0], [0.3, -0.2]]);
    score.matches.push(MarkerMatch {
        id: 9,
        visible: false,
        detected_img_px: [100.0, 0.0],
        truth_img_px: [0.0, 0.0],
    });
    let b = bias("g", &[(0, score)]).unwrap();
    assert_eq!(b.n, 2);
    assert!((b.bias_px[0] - 0.2).abs() < 1e-12 && (b.bias_px[1] + 0.1).abs() < 1e-12, "{b:?}");
    assert!(bias("g", &[]).is_none());
}
