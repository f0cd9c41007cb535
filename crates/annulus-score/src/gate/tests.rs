//! Tests of a gate's score: rows follow the images, errors are pooled and sorted.

use annulus::ImageFrame;

use super::*;
use crate::frames::of_image;
use crate::matching::MarkerMatch;

fn scored(errors: &[f64], n_visible: usize) -> ImageScore {
    let matches: Vec<MarkerMatch> = errors
        .iter()
        .enumerate()
        .map(|(i, &e)| MarkerMatch {
            id: i as u32,
            visible: true,
            detected_img_px: [e, 0.0],
            truth_img_px: [0.0, 0.0],
        })
        .collect();
    let n = matches.len();
    ImageScore {
        counts: Counts {
            n_visible,
            n_detected: n,
            n_identified: n,
            n_correct: n,
            n_correct_visible: n,
            n_missed: n_visible - n,
            ..Counts::default()
        },
        detections: Vec::new(),
        matches,
        missed: Vec::new(),
        homography: None,
        frames: of_image(None),
    }
}

#[test]
fn rows_follow_the_images_and_errors_are_pooled_sorted() {
    let gate =
        GateScore::new("blur3", None, &[(4, scored(&[0.3, 0.1], 2)), (7, scored(&[0.2], 4))])
            .expect("same frames");
    assert_eq!(gate.key(), "blur3");
    assert_eq!(gate.center_errors_px, [0.1, 0.2, 0.3]);
    assert_eq!(gate.aggregate.n_images, 2);
    assert_eq!(gate.aggregate.counts.recall(), Some(0.5));
    let indices: Vec<u32> = gate.images.iter().map(|r| r.index).collect();
    assert_eq!(indices, [4, 7]);
    assert_eq!(gate.images[1].recall, Some(0.25));
    assert_eq!(gate.images[0].center_error_px.map(|e| e.n), Some(2));
    assert_eq!(gate.images[0].homography_self_px, None);
    assert_eq!(gate.aggregate.frames[0].compared_in, ImageFrame::Image);
}

#[test]
fn a_mode_is_part_of_the_key() {
    let gate = GateScore::new("distortion", Some("true_camera"), &[]).expect("empty pools");
    assert_eq!(gate.key(), "distortion/true_camera");
    assert!(gate.center_errors_px.is_empty());
    assert_eq!(gate.aggregate.center_error_px, None);
}

#[test]
fn a_gate_score_survives_json() {
    let gate = GateScore::new("reference", None, &[(0, scored(&[0.01], 1))]).expect("valid");
    let json = serde_json::to_string(&gate).expect("serialisable");
    let back: GateScore = serde_json::from_str(&json).expect("readable");
    assert_eq!(back, gate);
}
