//! Tests of the board-fit check that decides which homography the model refinement starts
//! from.

use super::{BOARD_FIT_RMS_PX, fits_board};
use crate::board::Board;
use crate::detect::found::Found;
use crate::detect::marker_fit::MarkerFit;
use crate::fit::EllipseFit;
use crate::geometry::{Conic, Ellipse, Homography};

/// A view of the board: 5 px per millimetre, shifted into the image.
fn view() -> Homography {
    Homography::from_rows([[5.0, 0.0, 40.0], [0.0, 5.0, 30.0], [0.0, 0.0, 1.0]])
}

/// Every marker of `board` found at its image under `view()` moved by `offset(xy_img)`,
/// identified as itself.
fn found_markers(board: &Board, offset: impl Fn([f64; 2]) -> [f64; 2]) -> Vec<Found> {
    let h = view();
    board
        .markers()
        .iter()
        .enumerate()
        .map(|(m, marker)| {
            let p = h.apply(marker.xy_board_mm).expect("finite view");
            let d = offset(p);
            let center = [p[0] + d[0], p[1] + d[1]];
            let ellipse = Ellipse {
                center_px: center,
                semi_major_px: 20.0,
                semi_minor_px: 20.0,
                angle_rad: 0.0,
            };
            let outer = EllipseFit {
                conic: Conic::circle(center, 20.0),
                ellipse,
                n_inliers: 64,
                rms_px: 0.1,
            };
            let fit =
                MarkerFit { outer, inner: None, polarity: 1.0, contrast: 100.0, support: 1.0 };
            let mut f = Found::new(fit, None, center);
            f.marker_idx = Some(m);
            f
        })
        .collect()
}

#[test]
fn centres_scattered_by_blur_still_fit_the_board() {
    let board = Board::builtin();
    // Half a pixel in alternating directions: more than σ = 3 px blur pulls edge centres.
    let found = found_markers(&board, |p| {
        let sign = if (p[0] + p[1]) as i64 % 2 == 0 { 1.0 } else { -1.0 };
        [0.5 * sign, -0.5 * sign]
    });
    assert!(fits_board(&board, &found, &view()));
}

#[test]
fn unmodelled_lens_distortion_does_not_fit_the_board() {
    let board = Board::builtin();
    // A barrel distortion about a point inside the board that moves the far markers by
    // pixels (checked below).
    let h = view();
    let middle = h.apply([100.0, 80.0]).expect("finite view");
    let found = found_markers(&board, |p| {
        let (dx, dy) = (p[0] - middle[0], p[1] - middle[1]);
        let k = -2e-6 * (dx * dx + dy * dy);
        [k * dx, k * dy]
    });
    let worst = found
        .iter()
        .map(|f| {
            let p = h.apply(board.markers()[f.marker_idx.unwrap()].xy_board_mm).unwrap();
            (p[0] - f.center_fit[0]).hypot(p[1] - f.center_fit[1])
        })
        .fold(0.0f64, f64::max);
    assert!(worst > 3.0 * BOARD_FIT_RMS_PX, "the test's distortion is too weak: {worst} px");
    assert!(!fits_board(&board, &found, &view()));
}

#[test]
fn no_identified_marker_fits_nothing() {
    let board = Board::builtin();
    let mut found = found_markers(&board, |_| [0.0, 0.0]);
    assert!(fits_board(&board, &found, &view()));
    for f in &mut found {
        f.marker_idx = None;
    }
    assert!(!fits_board(&board, &found, &view()));
}
