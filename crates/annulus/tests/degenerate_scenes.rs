//! Issue 8, "Robustness": scenes in which a board cannot be (wholly) seen. Each returns a
//! detection without error, with zero markers where nothing is there to find (blank, saturated
//! and noise images at a full 1280 x 1024, a board seen edge-on) and with exactly the markers
//! that can be seen, under their own IDs, where part of the board is hidden (shifted half out
//! of the frame, half covered by a uniform patch).
//!
//! Scenes with a board are rendered by `annulus-synth` (a dev-dependency: the library itself
//! knows nothing of it) and then altered here where the generator has no such setting. Every
//! random number comes from a fixed seed. How long these calls take is measured by hand, not
//! asserted: timing tests are not allowed in this repository.
//!
//! Three tests pin fixed detector defects (issue 8): thousands of candidates proposed on white
//! noise, ghost markers on a board seen nearly (not quite) edge-on, and wrong IDs on boards
//! tilted by 60 to 80 degrees. The noise test asserts a deterministic proxy for the time taken,
//! the number of candidates proposed, never the time itself.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use annulus::{Board, DetectConfig, Detection, Detector, Format, ImageView};
use annulus_synth::{GroundTruth, Scenario, Synthesizer};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 1024;

/// Distance within which a reported centre counts as the true marker's, in pixels: half the
/// nearest-neighbour spacing of the markers in these scenes (about 64 px) and far above the
/// detector's error, so a marker reported under a wrong ID cannot hide in it.
const GATE_PX: f64 = 8.0;

/// Most candidates a full-size noise image may propose: under half the built-in board's 195
/// markers, so that rejecting them all costs less than detecting a board.
const MAX_NOISE_CANDIDATES: u32 = 150;

/// The detector every test uses: the built-in board, default options (no diameter prior, so
/// the full multi-resolution scale search runs).
fn detector() -> Detector {
    Detector::new(Board::builtin(), DetectConfig::default()).expect("the defaults are valid")
}

fn detect(pixels: &[u8]) -> Detection {
    let view = ImageView::packed(WIDTH, HEIGHT, pixels).expect("a 1280 x 1024 image");
    detector().detect(&view).expect("detection of a valid image never fails")
}

/// The `reference` gate's camera and light blur at a fixed pose: tilt, roll and the board
/// centre's offset from the image centre (pixels) as given.
fn render(tilt_deg: f64, roll_deg: f64, offset_px: [f64; 2]) -> (Vec<u8>, GroundTruth) {
    let text = format!(
        "schema = 1\nname = \"degenerate\"\ncount = 1\nseed = 8\n\
         [image]\nwidth = {WIDTH}\nheight = {HEIGHT}\n\
         [camera]\nfx = 1200.0\nfy = 1200.0\ncx = 639.5\ncy = 511.5\n\
         [pose]\ndistance_mm = [300.0, 300.0]\ntilt_deg = [{tilt_deg:?}, {tilt_deg:?}]\n\
         roll_deg = [{roll_deg:?}, {roll_deg:?}]\n\
         offset_x_px = [{x:?}, {x:?}]\noffset_y_px = [{y:?}, {y:?}]\n\
         [blur]\nsigma_px = 0.8\n[noise]\nsigma = 0.01\n",
        x = offset_px[0],
        y = offset_px[1],
    );
    let scenario = Scenario::parse(&text, Format::Toml).expect("a valid scenario");
    let synth = Synthesizer::new(scenario, Board::builtin()).expect("a valid scenario");
    let rendered = synth.render(0).expect("renders");
    (rendered.image.pixels, rendered.truth)
}

/// How a detection's markers compare with the truth.
#[derive(Debug, Default)]
struct Judged {
    /// IDs reported within [`GATE_PX`] of their true centre.
    correct: Vec<u32>,
    /// Markers reported under an ID whose true centre is farther than [`GATE_PX`] (or not on the
    /// board), as `(id, reported centre)`.
    wrong: Vec<(u32, [f64; 2])>,
    /// Reported centres of markers without an ID.
    unidentified: Vec<[f64; 2]>,
}

fn judge(detection: &Detection, truth: &GroundTruth) -> Judged {
    let mut judged = Judged::default();
    for marker in &detection.markers {
        let center = marker.center_img_px;
        let Some(id) = marker.id else {
            judged.unidentified.push(center);
            continue;
        };
        let true_center = truth.markers.iter().find(|t| t.id == id).and_then(|t| t.center_img_px);
        match true_center {
            Some(t) if (t[0] - center[0]).hypot(t[1] - center[1]) <= GATE_PX => {
                judged.correct.push(id);
            }
            _ => judged.wrong.push((id, center)),
        }
    }
    judged
}

/// Seeded 64-bit generator (`SplitMix64`), enough for test noise.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A `radius`-wide box filter along rows then columns, clamped at the borders.
fn box_blur(pixels: &[u8], radius: usize) -> Vec<u8> {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let pass = |src: &[u8], step: usize, len: usize, lines: usize, stride: usize| {
        let mut out = vec![0u8; src.len()];
        for line in 0..lines {
            for i in 0..len {
                let lo = i.saturating_sub(radius);
                let hi = (i + radius).min(len - 1);
                let sum: u32 = (lo..=hi).map(|j| u32::from(src[line * stride + j * step])).sum();
                out[line * stride + i * step] = (sum / (hi - lo + 1) as u32) as u8;
            }
        }
        out
    };
    let rows = pass(pixels, 1, w, h, w);
    // Columns: element `i` of column `x` is at `x + i * w`; "line" `x` starts at `x`.
    pass(&rows, w, h, w, 1)
}

#[test]
fn blank_and_saturated_full_size_images_have_no_markers() {
    for level in [0u8, 1, 128, 254, 255] {
        let detection = detect(&vec![level; (WIDTH * HEIGHT) as usize]);
        assert!(detection.markers.is_empty(), "level {level}: {:?}", detection.markers);
        assert!(detection.img_from_board.is_none(), "level {level}");
    }
}

#[test]
fn full_size_noise_has_no_markers() {
    let mut rng = SplitMix(2026);
    let white: Vec<u8> = (0..WIDTH * HEIGHT).map(|_| (rng.next() >> 56) as u8).collect();
    // Blurred noise has blobs and edges at every scale the detector searches.
    let scenes = [
        ("white", white.clone()),
        ("blurred r=2", box_blur(&white, 2)),
        ("blurred r=6", box_blur(&white, 6)),
    ];
    for (name, pixels) in scenes {
        let detection = detect(&pixels);
        assert!(detection.markers.is_empty(), "{name} noise: {:?}", detection.markers);
        // Every candidate costs a marker fit, so the candidate count stands for the time taken:
        // white noise used to propose 9,599 (10 times a normal scene's time); the frontal board
        // proposes 195. Votes on noise land at random and no peak stands out of them.
        assert!(
            detection.stats.n_candidates <= MAX_NOISE_CANDIDATES,
            "{name} noise: {} candidates",
            detection.stats.n_candidates
        );
    }
}

/// The board seen edge-on: a frontal view squashed vertically by `k` with area averaging, which
/// is the orthographic image of the board tilted by `acos(1 / k)` about the horizontal axis,
/// placed on the surround's grey level.
fn edge_on(frontal: &[u8], k: usize) -> Vec<u8> {
    let (w, h) = (WIDTH as usize, HEIGHT as usize);
    let mut out = vec![frontal[0]; w * h];
    let rows = h / k;
    let top = (h - rows) / 2;
    for r in 0..rows {
        for x in 0..w {
            let sum: usize = (0..k).map(|i| usize::from(frontal[(r * k + i) * w + x])).sum();
            out[(top + r) * w + x] = ((sum + k / 2) / k) as u8;
        }
    }
    out
}

#[test]
fn a_board_seen_edge_on_has_no_markers() {
    let (frontal, truth) = render(0.0, 0.0, [0.0, 0.0]);
    // The frontal view itself is found whole: the squashing, not the scene, removes the markers.
    let judged = judge(&detect(&frontal), &truth);
    assert_eq!(judged.correct.len(), 195, "{judged:?}");
    // k = 35, 57, 100: tilts of 88.4, 89.0 and 89.4 degrees.
    for k in [35, 57, 100] {
        let detection = detect(&edge_on(&frontal, k));
        let tilt = (1.0 / k as f64).acos().to_degrees();
        assert!(detection.markers.is_empty(), "tilt {tilt:.1}: {:?}", detection.markers);
    }
}

/// Issue 8: from about 75 to 87 degrees the squashed rings give ellipse fits that pass every
/// check but decoding, and were reported as unidentified markers (1 to 76 of them, none at a
/// real marker, confidence 0.09 to 0.13, no inner ring). Without a homography, a marker is now
/// reported only when its inner ring was fitted.
#[test]
fn a_board_seen_nearly_edge_on_has_no_markers() {
    let (frontal, _) = render(0.0, 0.0, [0.0, 0.0]);
    // k = 4, 6, 8, 12, 19: tilts of 75.5, 80.4, 82.8, 85.2 and 87.0 degrees.
    for k in [4, 6, 8, 12, 19] {
        let detection = detect(&edge_on(&frontal, k));
        let tilt = (1.0 / k as f64).acos().to_degrees();
        let centres: Vec<[f64; 2]> = detection.markers.iter().map(|m| m.center_img_px).collect();
        assert!(centres.is_empty(), "tilt {tilt:.1}: {centres:?}");
    }
}

/// Issue 8: in perspective at 60 to 80 degrees (80 is the steepest the generator renders),
/// completion put an ID on another marker's inner ring or on a fit 8 to 15 px off its marker,
/// and at 80 degrees a lone marker decoded to a wrong word. Placement and completion now gate on
/// the board and check each axis of the fit against the predicted ellipse.
#[test]
fn steeply_tilted_boards_give_no_wrong_ids() {
    for tilt in [60.0, 70.0, 80.0] {
        for roll in [0.0, 45.0, 90.0] {
            let (pixels, truth) = render(tilt, roll, [0.0, 0.0]);
            let judged = judge(&detect(&pixels), &truth);
            assert!(judged.wrong.is_empty(), "tilt {tilt}, roll {roll}: {:?}", judged.wrong);
        }
    }
}

#[test]
fn a_board_half_out_of_the_frame_gives_the_markers_in_view() {
    // The board's markers span about 960 px here: its centre on the image's right edge puts
    // the right half of the board out of the frame.
    let (pixels, truth) = render(15.0, 10.0, [640.0, 0.0]);
    let visible: Vec<u32> = truth.markers.iter().filter(|m| m.visible).map(|m| m.id).collect();
    assert!((60..140).contains(&visible.len()), "{} markers in view", visible.len());
    let detection = detect(&pixels);
    let judged = judge(&detection, &truth);
    assert!(judged.wrong.is_empty() && judged.unidentified.is_empty(), "{judged:?}");
    let missed: Vec<&u32> = visible.iter().filter(|id| !judged.correct.contains(id)).collect();
    assert!(missed.is_empty(), "markers in view not found: {missed:?}");
    // A marker cut by the image edge may be reported too (the model fit measures the part in
    // view), but then only with its centre in the image and as accurately as any other.
    for marker in &detection.markers {
        let Some(t) = truth.markers.iter().find(|t| Some(t.id) == marker.id) else { continue };
        if t.visible {
            continue;
        }
        let (found, true_center) = (marker.center_img_px, t.center_img_px.unwrap());
        let error = (true_center[0] - found[0]).hypot(true_center[1] - found[1]);
        assert!(error < 0.1, "marker {}, cut by the edge, is {error:.3} px off", t.id);
        assert!(found[0] <= f64::from(WIDTH) - 0.5, "marker {} at {found:?}", t.id);
    }
}

#[test]
fn a_board_half_covered_gives_only_the_uncovered_markers() {
    let board = Board::builtin();
    let (mut pixels, truth) = render(20.0, 15.0, [0.0, 0.0]);
    // Cover rows 7 and up with a uniform grey: the board line halfway between rows 6 and 7
    // clears both rows' outer edges by about 3 mm, and its image is a straight line (there is no
    // lens distortion here).
    let row_y = |row: u32| board.markers().iter().find(|m| m.row == row).unwrap().xy_board_mm[1];
    let split_y = 0.5 * (row_y(6) + row_y(7));
    let below = row_y(7) > row_y(6);
    let board_from_img = truth.img_from_board.inverse().expect("invertible");
    for y in 0..HEIGHT as usize {
        for x in 0..WIDTH as usize {
            let covered = board_from_img
                .apply([x as f64, y as f64])
                .is_some_and(|[_, by]| (by > split_y) == below);
            if covered {
                pixels[y * WIDTH as usize + x] = 128;
            }
        }
    }
    let is_covered = |id: u32| board.marker_by_id(id).is_some_and(|m| m.row >= 7);
    let uncovered: Vec<u32> =
        truth.markers.iter().filter(|m| m.visible && !is_covered(m.id)).map(|m| m.id).collect();
    assert!((80..120).contains(&uncovered.len()), "{} uncovered", uncovered.len());

    let judged = judge(&detect(&pixels), &truth);
    assert!(judged.wrong.is_empty() && judged.unidentified.is_empty(), "{judged:?}");
    let covered: Vec<&u32> = judged.correct.iter().filter(|&&id| is_covered(id)).collect();
    assert!(covered.is_empty(), "covered markers reported: {covered:?}");
    let missed: Vec<&u32> = uncovered.iter().filter(|id| !judged.correct.contains(id)).collect();
    assert!(missed.is_empty(), "uncovered markers not found: {missed:?}");
}
