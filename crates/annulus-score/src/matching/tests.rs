//! Matching edge cases: exact hits, the gate, duplicates, wrong and missing IDs, empty
//! detections, homographies present, absent and in the wrong frame, and refused inputs.

use annulus::detect::{BoardHomography, DetectStats, IdSource};
use annulus::{BrownConrady, DetectedMarker, Ellipse, Homography, ImageFrame};

use super::*;
use crate::frames::{FrameMap, Quantity};

/// Board millimetres to image pixels in every test: 10 px per mm, origin at (100, 100).
fn img_from_board() -> Homography {
    Homography::from_rows([[10.0, 0.0, 100.0], [0.0, 10.0, 100.0], [0.0, 0.0, 1.0]])
}

fn board_xy(id: u32) -> [f64; 2] {
    [10.0 * f64::from(id), 0.0]
}

fn image_xy(id: u32) -> [f64; 2] {
    img_from_board().apply(board_xy(id)).expect("finite")
}

/// Markers 0, 1 and 2 wholly visible, 100 px apart; marker 3 cut by the image border.
fn truth() -> Vec<TruthMarker> {
    (0..4)
        .map(|id| TruthMarker {
            id,
            visible: id < 3,
            center_img_px: image_xy(id),
            xy_board_mm: board_xy(id),
        })
        .collect()
}

fn marker(id: Option<u32>, center_img_px: [f64; 2]) -> DetectedMarker {
    DetectedMarker {
        id,
        center_img_px,
        xy_board_mm: id.map(board_xy),
        confidence: 1.0,
        source: if id.is_some() { IdSource::Decoded } else { IdSource::None },
        outer: Ellipse {
            center_px: center_img_px,
            semi_major_px: 16.0,
            semi_minor_px: 16.0,
            angle_rad: 0.0,
        },
        inner: None,
    }
}

/// A detection of `markers` with the homography `h` in `frame`, if given.
fn detection(markers: Vec<DetectedMarker>, h: Option<(Homography, ImageFrame)>) -> Detection {
    Detection {
        width: 640,
        height: 480,
        fit_frame: h.map_or(ImageFrame::Image, |(_, frame)| frame),
        markers,
        img_from_board: h.map(|(matrix, frame)| BoardHomography {
            matrix,
            frame,
            n_markers: 4,
            rms_px: 0.0,
        }),
        stats: DetectStats::default(),
        timings: None,
    }
}

fn offset([x, y]: [f64; 2], dx: f64, dy: f64) -> [f64; 2] {
    [x + dx, y + dy]
}

fn score(d: &Detection) -> ImageScore {
    match_detections(d, &truth(), &MatchParams::default()).expect("valid inputs")
}

fn outcomes(s: &ImageScore) -> Vec<Outcome> {
    s.detections.iter().map(|d| d.outcome).collect()
}

#[test]
fn a_perfect_detection_scores_perfectly() {
    let d = detection((0..4).map(|id| marker(Some(id), image_xy(id))).collect(), None);
    let s = score(&d);
    assert_eq!(outcomes(&s), [Outcome::Correct; 4]);
    let c = s.counts;
    assert_eq!((c.n_visible, c.n_detected, c.n_correct, c.n_correct_visible), (3, 4, 4, 3));
    assert_eq!((c.precision(), c.recall(), c.decode_rate()), (Some(1.0), Some(1.0), Some(1.0)));
    assert!(s.missed.is_empty());
    let center = s.center_error_px().expect("matches");
    assert_eq!((center.n, center.max), (3, 0.0), "the cut-off marker 3 is not in centre errors");
}

#[test]
fn centre_error_is_euclidean_in_image_pixels() {
    let d = detection(vec![marker(Some(1), offset(image_xy(1), 3.0, -4.0))], None);
    let s = score(&d);
    assert_eq!(s.matches[0].error_px(), [3.0, -4.0]);
    assert_eq!(s.center_errors_px(), [5.0]);
}

#[test]
fn the_right_id_outside_the_gate_is_a_wrong_id_and_the_marker_is_missed() {
    let inside = detection(vec![marker(Some(0), offset(image_xy(0), DEFAULT_GATE_PX, 0.0))], None);
    assert_eq!(outcomes(&score(&inside)), [Outcome::Correct], "the gate is closed");
    let outside = detection(vec![marker(Some(0), offset(image_xy(0), 8.01, 0.0))], None);
    let s = score(&outside);
    assert_eq!(outcomes(&s), [Outcome::WrongId { at: None }]);
    assert_eq!(s.missed, [0, 1, 2]);
    assert_eq!((s.counts.n_wrong_id, s.counts.precision()), (1, Some(0.0)));
}

#[test]
fn an_id_on_another_markers_centre_is_wrong() {
    let d = detection(
        vec![
            marker(Some(1), image_xy(0)),
            marker(Some(999), image_xy(2)),
            marker(Some(1), image_xy(1)),
        ],
        None,
    );
    let s = score(&d);
    assert_eq!(
        outcomes(&s),
        [Outcome::WrongId { at: Some(0) }, Outcome::WrongId { at: Some(2) }, Outcome::Correct]
    );
    assert_eq!(s.missed, [0, 2]);
    let c = s.counts;
    assert_eq!((c.n_identified, c.n_wrong_id, c.n_correct), (3, 2, 1));
    assert_eq!(c.precision(), Some(1.0 / 3.0));
}

#[test]
fn with_overlapping_gates_the_nearest_centre_decides() {
    // A 60 px gate covers markers 0 and 1 (100 px apart) from their midpoint region.
    let params = MatchParams { gate_px: 60.0, ..MatchParams::default() };
    let near_zero = offset(image_xy(0), 45.0, 0.0);
    let d = detection(vec![marker(Some(1), near_zero)], None);
    let s = match_detections(&d, &truth(), &params).expect("valid");
    assert_eq!(outcomes(&s), [Outcome::WrongId { at: Some(0) }]);
}

#[test]
fn duplicates_keep_the_nearest_and_count_against_precision() {
    let d = detection(
        vec![
            marker(Some(0), offset(image_xy(0), 2.0, 0.0)),
            marker(Some(0), offset(image_xy(0), 0.5, 0.0)),
            marker(Some(0), offset(image_xy(0), 0.0, 1.0)),
            marker(Some(1), image_xy(1)),
            marker(Some(1), image_xy(1)),
        ],
        None,
    );
    let s = score(&d);
    assert_eq!(
        outcomes(&s),
        [
            Outcome::Duplicate,
            Outcome::Correct,
            Outcome::Duplicate,
            Outcome::Correct,
            Outcome::Duplicate
        ],
        "the nearest wins; of equals, the first"
    );
    let c = s.counts;
    assert_eq!((c.n_correct, c.n_duplicate, c.n_correct_visible), (2, 3, 2));
    assert_eq!(c.precision(), Some(0.4));
    assert_eq!(c.recall(), Some(2.0 / 3.0));
    assert_eq!(s.center_errors_px(), [0.5, 0.0]);
}

#[test]
fn unidentified_detections_lower_the_decode_rate_not_precision() {
    let d = detection(
        vec![marker(Some(0), image_xy(0)), marker(None, image_xy(2)), marker(None, [500.0, 400.0])],
        None,
    );
    let s = score(&d);
    assert_eq!(
        outcomes(&s),
        [
            Outcome::Correct,
            Outcome::Unidentified { at: Some(2) },
            Outcome::Unidentified { at: None }
        ]
    );
    let c = s.counts;
    assert_eq!((c.n_unidentified, c.n_identified), (2, 1));
    assert_eq!((c.precision(), c.decode_rate()), (Some(1.0), Some(1.0 / 3.0)));
    assert_eq!(s.missed, [1, 2]);
}

#[test]
fn a_correct_detection_of_a_cut_off_marker_counts_for_precision_only() {
    let d = detection(vec![marker(Some(3), offset(image_xy(3), 1.0, 0.0))], None);
    let s = score(&d);
    assert_eq!(outcomes(&s), [Outcome::Correct]);
    let c = s.counts;
    assert_eq!(
        (c.n_correct, c.n_correct_visible, c.precision(), c.recall()),
        (1, 0, Some(1.0), Some(0.0))
    );
    assert_eq!(s.center_error_px(), None);
}

#[test]
fn an_empty_detection_misses_everything_and_has_no_rates_of_its_own() {
    let s = score(&detection(Vec::new(), None));
    assert!(s.detections.is_empty() && s.matches.is_empty());
    assert_eq!(s.missed, [0, 1, 2]);
    let c = s.counts;
    assert_eq!((c.precision(), c.recall(), c.decode_rate()), (None, Some(0.0), None));
    assert_eq!(s.center_error_px(), None);
    assert_eq!(s.homography, None);

    let no_truth = match_detections(&detection(Vec::new(), None), &[], &MatchParams::default());
    assert_eq!(no_truth.expect("valid").counts.recall(), None);
}

#[test]
fn a_non_finite_detected_centre_sits_nowhere() {
    let d = detection(vec![marker(Some(0), [f64::NAN, 100.0])], None);
    assert_eq!(outcomes(&score(&d)), [Outcome::WrongId { at: None }]);
}

#[test]
fn without_a_homography_there_are_no_homography_errors() {
    let d = detection(vec![marker(Some(0), image_xy(0))], None);
    assert_eq!(score(&d).homography, None);
}

#[test]
fn image_frame_homography_errors_against_self_and_truth() {
    let d = detection(
        vec![
            marker(Some(0), offset(image_xy(0), 0.3, 0.4)),
            marker(Some(1), image_xy(1)),
            marker(None, image_xy(2)),
        ],
        Some((img_from_board(), ImageFrame::Image)),
    );
    let h = score(&d).homography.expect("a homography");
    assert_eq!(h.frame, ImageFrame::Image);
    let self_ids: Vec<u32> = h.self_residuals.iter().map(|r| r.id).collect();
    assert_eq!(self_ids, [0, 1], "identified detections only");
    assert!((h.self_residuals[0].error_px[0] + 0.3).abs() < 1e-12, "mapped minus reported");
    assert!((h.self_residuals[0].error_px[1] + 0.4).abs() < 1e-12);
    assert!((h.self_px().expect("two").max - 0.5).abs() < 1e-12);
    let truth_ids: Vec<u32> = h.truth_residuals.iter().map(|r| r.id).collect();
    assert_eq!(truth_ids, [0, 1, 2], "every visible true marker, found or not");
    assert_eq!(h.truth_px().expect("three").max, 0.0);
}

#[test]
fn a_wrong_homography_shows_in_the_truth_error() {
    let shifted = Homography::from_rows([[10.0, 0.0, 102.0], [0.0, 10.0, 100.0], [0.0, 0.0, 1.0]]);
    let d = detection(Vec::new(), Some((shifted, ImageFrame::Image)));
    let h = score(&d).homography.expect("a homography");
    assert!(h.truth_residuals.iter().all(|r| r.error_px == [2.0, 0.0]));
}

fn lens() -> Camera {
    Camera {
        fx: 500.0,
        fy: 500.0,
        cx: 319.5,
        cy: 239.5,
        distortion: Some(BrownConrady { k1: -0.2, k2: 0.05, p1: 0.001, p2: -0.001, k3: 0.0 }),
    }
}

#[test]
fn an_undistorted_homography_needs_the_camera() {
    let d = detection(Vec::new(), Some((img_from_board(), ImageFrame::Undistorted)));
    let refused = match_detections(&d, &truth(), &MatchParams::default());
    assert_eq!(refused, Err(ScoreError::CameraRequired { frame: ImageFrame::Undistorted }));
}

#[test]
fn an_undistorted_homography_is_mapped_through_the_lens() {
    // Truth as a distorting camera sees it: the undistorted projection, then the lens.
    let camera = lens();
    let truth: Vec<TruthMarker> = truth()
        .into_iter()
        .map(|t| TruthMarker { center_img_px: camera.distort_px(image_xy(t.id)), ..t })
        .collect();
    let markers = truth.iter().map(|t| marker(Some(t.id), t.center_img_px)).collect();
    let d = detection(markers, Some((img_from_board(), ImageFrame::Undistorted)));
    let params = MatchParams { camera: Some(camera), ..MatchParams::default() };
    let s = match_detections(&d, &truth, &params).expect("camera given");
    let lens_mapped: Vec<FrameMap> = s.frames[1..].iter().map(|f| f.map).collect();
    assert_eq!(lens_mapped, [FrameMap::LensModel; 2], "both residuals record the lens map");
    let h = s.homography.expect("a homography");
    assert_eq!(h.frame, ImageFrame::Undistorted);
    assert!(h.self_px().expect("four").max < 1e-9);
    assert!(h.truth_px().expect("three").max < 1e-9);

    // The same points compared without the lens would be off by the distortion.
    let far = camera.distort_px(image_xy(2));
    assert!(dist(far, image_xy(2)) > 1.0, "the lens moves marker 2 by more than a pixel");
}

#[test]
fn an_image_frame_homography_ignores_the_camera() {
    let d = detection(Vec::new(), Some((img_from_board(), ImageFrame::Image)));
    let params = MatchParams { camera: Some(lens()), ..MatchParams::default() };
    let h = match_detections(&d, &truth(), &params).expect("valid").homography.expect("some");
    assert_eq!(h.truth_px().expect("three").max, 0.0);
}

#[test]
fn points_sent_to_infinity_are_counted_not_scored() {
    // Maps the line x = 10 mm (marker 1) to infinity.
    let h = Homography::from_rows([[10.0, 0.0, 100.0], [0.0, 10.0, 100.0], [0.1, 0.0, -1.0]]);
    let d = detection(vec![marker(Some(1), image_xy(1))], Some((h, ImageFrame::Image)));
    let errors = score(&d).homography.expect("a homography");
    assert_eq!((errors.n_self_unmapped, errors.self_residuals.len()), (1, 0));
    assert_eq!((errors.n_truth_unmapped, errors.truth_residuals.len()), (1, 2));
}

#[test]
fn bad_inputs_are_refused() {
    let d = detection(Vec::new(), None);
    for gate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let params = MatchParams { gate_px: gate, ..MatchParams::default() };
        assert!(matches!(
            match_detections(&d, &truth(), &params),
            Err(ScoreError::InvalidGate { .. })
        ));
    }
    let bad_camera = Camera { fx: 0.0, ..lens() };
    let params = MatchParams { camera: Some(bad_camera), ..MatchParams::default() };
    assert!(matches!(match_detections(&d, &truth(), &params), Err(ScoreError::InvalidCamera(_))));

    let mut repeated = truth();
    repeated[2].id = 0;
    assert_eq!(
        match_detections(&d, &repeated, &MatchParams::default()),
        Err(ScoreError::DuplicateTruthId { id: 0 })
    );
    let mut nan = truth();
    nan[1].center_img_px[0] = f64::NAN;
    assert!(matches!(
        match_detections(&d, &nan, &MatchParams::default()),
        Err(ScoreError::NonFiniteTruth { id: 1, .. })
    ));
}

#[test]
fn truth_outside_the_image_frame_is_refused_not_converted() {
    let d = detection(vec![marker(Some(0), image_xy(0))], None);
    let params = MatchParams { truth_frame: ImageFrame::Undistorted, ..MatchParams::default() };
    assert_eq!(
        match_detections(&d, &truth(), &params),
        Err(ScoreError::TruthFrame { frame: ImageFrame::Undistorted })
    );
}

#[test]
fn frames_are_recorded_per_quantity() {
    let d = detection(vec![marker(Some(0), image_xy(0))], None);
    let s = score(&d);
    assert_eq!(s.frames.len(), 1, "no homography, only the centre error");
    assert_eq!(s.frames[0].quantity, Quantity::CenterError);
    assert_eq!(s.frames[0].detected, ImageFrame::Image);
    assert_eq!(s.frames[0].map, FrameMap::Identity);
}
