//! ringgrid's `DetectionResult` as an [`annulus::Detection`], so that annulus's scorer judges
//! both detectors with the same code.
//!
//! # Mapping, field by field
//!
//! | annulus | from ringgrid | why |
//! |---|---|---|
//! | `width`, `height` | `image_size` | |
//! | `fit_frame` | `homography_frame`: `Image` → [`ImageFrame::Image`], `Working` → [`ImageFrame::Undistorted`] | ringgrid's ellipses and homography share the working frame; with a `CameraModel` mapper that is the ideal pinhole image with the same intrinsics, which is exactly annulus's undistorted frame |
//! | `markers[].id` | `id` through [`ConvertedBoard::id_of_ringgrid`] | a ringgrid ID that is not on the board (ringgrid decodes against its whole codebook) becomes [`OFF_BOARD_ID_BASE`] `+ id`, which no annulus board has, so the scorer counts a wrong ID rather than an unidentified marker |
//! | `markers[].center_img_px` | `center` | ringgrid documents `center` as raw image pixels with or without a mapper (`center_frame` is `Image`); should a result ever say `Working`, the centre is carried into the image through the camera |
//! | `markers[].xy_board_mm` | the annulus board's position of the mapped ID | the same point as ringgrid's `board_xy_mm` to 1e-4 mm, taken from the board annulus scores against |
//! | `markers[].confidence` | `confidence`, widened and clamped to `[0, 1]` | |
//! | `markers[].source` | [`IdSource::Decoded`] when identified, else [`IdSource::None`] | the slim result does not say whether an ID was decoded, corrected or completed (that is in ringgrid's opt-in diagnostics, which a timed call does not ask for) |
//! | `markers[].outer` | `ellipse_outer` | both fit the outer edge of the outer ring (ringgrid pads its centre-line radius by half the stroke width); a marker without one gets a zero-size ellipse at its centre |
//! | `markers[].inner` | `ellipse_inner` | both fit the inner edge of the inner ring |
//! | `img_from_board.matrix` | `homography` (row-major, board mm → `homography_frame` px) | both board frames coincide ([`crate::board`]) |
//! | `img_from_board.n_markers`, `rms_px` | computed here over the identified markers | ringgrid's slim result has no inlier count; the RMS is measured in the homography's frame, using `center_mapped` when the frame is `Working` |
//! | `stats` | all zero | the slim result says nothing about candidates, fits or rejections, and no count maps honestly |
//! | `timings` | `None` | callers time the whole call |
//!
//! Ellipse angles need no change: both libraries give the major axis's direction from +x
//! towards +y in `(-π/2, π/2]`. Markers are ordered as annulus orders them: identified ones
//! first by ID, then unidentified ones in ringgrid's order.

use annulus::detect::{BoardHomography, DetectStats, IdSource};
use annulus::{Camera, DetectedMarker, Detection, Ellipse, Homography, ImageFrame};
use ringgrid::{DetectionFrame, DetectionResult};

use crate::board::ConvertedBoard;

/// Added to a ringgrid ID that is not on the board to give it an annulus ID no board has.
pub const OFF_BOARD_ID_BASE: u32 = 1 << 31;

/// Converts `result` into annulus's result type; `camera` is the camera ringgrid was given (if
/// any), used only for a centre reported in the working frame.
pub fn convert_result(
    result: &DetectionResult,
    board: &ConvertedBoard,
    camera: Option<&Camera>,
) -> Detection {
    let fit_frame = image_frame(result.homography_frame);
    let mut markers: Vec<DetectedMarker> = result
        .detected_markers
        .iter()
        .map(|m| convert_marker(m, result.center_frame, board, camera))
        .collect();
    // Stable: unidentified markers keep ringgrid's order.
    markers.sort_by_key(|m| (m.id.is_none(), m.id));
    let img_from_board = result.homography.map(|rows| {
        let matrix = Homography::from_rows(rows);
        let (n_markers, rms_px) = homography_fit(&matrix, result, board);
        BoardHomography { matrix, frame: fit_frame, n_markers, rms_px }
    });
    Detection {
        width: result.image_size[0],
        height: result.image_size[1],
        fit_frame,
        markers,
        img_from_board,
        stats: DetectStats::default(),
        timings: None,
    }
}

/// annulus's name for one of ringgrid's frames.
pub fn image_frame(frame: DetectionFrame) -> ImageFrame {
    match frame {
        DetectionFrame::Image => ImageFrame::Image,
        DetectionFrame::Working => ImageFrame::Undistorted,
    }
}

fn convert_marker(
    m: &ringgrid::DetectedMarker,
    center_frame: DetectionFrame,
    board: &ConvertedBoard,
    camera: Option<&Camera>,
) -> DetectedMarker {
    let id = m.id.map(|rid| match board.annulus_id(rid) {
        Some(id) => id,
        None => OFF_BOARD_ID_BASE.saturating_add(u32::try_from(rid).unwrap_or(u32::MAX)),
    });
    let center_img_px = match (center_frame, camera) {
        (DetectionFrame::Working, Some(camera)) => camera.distort_px(m.center),
        _ => m.center,
    };
    let outer = m.ellipse_outer.as_ref().map_or(
        Ellipse {
            center_px: center_img_px,
            semi_major_px: 0.0,
            semi_minor_px: 0.0,
            angle_rad: 0.0,
        },
        convert_ellipse,
    );
    DetectedMarker {
        id,
        center_img_px,
        xy_board_mm: id.and_then(|id| board.board.marker_by_id(id)).map(|b| b.xy_board_mm),
        confidence: f64::from(m.confidence).clamp(0.0, 1.0),
        source: if id.is_some() { IdSource::Decoded } else { IdSource::None },
        outer,
        inner: m.ellipse_inner.as_ref().map(convert_ellipse),
    }
}

/// The same ellipse; the fields differ only in name.
fn convert_ellipse(e: &ringgrid::Ellipse) -> Ellipse {
    Ellipse { center_px: [e.cx, e.cy], semi_major_px: e.a, semi_minor_px: e.b, angle_rad: e.angle }
}

/// Identified markers on the board and the RMS distance between their mapped board centres and
/// their detected centres, in the homography's frame.
fn homography_fit(
    h: &Homography,
    result: &DetectionResult,
    board: &ConvertedBoard,
) -> (usize, f64) {
    let mut sum_sq = 0.0;
    let mut n = 0usize;
    for m in &result.detected_markers {
        let Some(marker) = m.id.and_then(|rid| board.annulus_id(rid)) else { continue };
        let Some(on_board) = board.board.marker_by_id(marker) else { continue };
        let detected = match result.homography_frame {
            DetectionFrame::Image => Some(m.center),
            DetectionFrame::Working => m.center_mapped,
        };
        if let (Some(d), Some(p)) = (detected, h.apply(on_board.xy_board_mm)) {
            sum_sq += (d[0] - p[0]).powi(2) + (d[1] - p[1]).powi(2);
            n += 1;
        }
    }
    let rms = if n > 0 { (sum_sq / n as f64).sqrt() } else { 0.0 };
    (n, rms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::ringgrid_default_board;

    /// A ringgrid marker built through its public fields (the struct is `non_exhaustive`).
    fn marker(id: Option<usize>, center: [f64; 2]) -> ringgrid::DetectedMarker {
        let mut m = ringgrid::DetectedMarker::default();
        m.id = id;
        m.center = center;
        m.confidence = 0.75;
        m.ellipse_outer =
            Some(ringgrid::Ellipse { cx: center[0], cy: center[1], a: 20.0, b: 18.0, angle: 0.3 });
        m
    }

    fn result() -> DetectionResult {
        let mut r = DetectionResult::empty(640, 480);
        r.detected_markers = vec![
            marker(None, [5.0, 5.0]),
            marker(Some(20), [300.0, 200.0]),
            marker(Some(3), [100.0, 50.0]),
            marker(Some(890), [400.0, 400.0]),
        ];
        // Board mm → px: scale 2, shift (10, 20).
        r.homography = Some([[2.0, 0.0, 10.0], [0.0, 2.0, 20.0], [0.0, 0.0, 1.0]]);
        r
    }

    #[test]
    fn ids_positions_and_order_follow_the_board() {
        let board = ringgrid_default_board().expect("converts");
        let det = convert_result(&result(), &board, None);
        assert_eq!((det.width, det.height, det.fit_frame), (640, 480, ImageFrame::Image));
        let ids: Vec<Option<u32>> = det.markers.iter().map(|m| m.id).collect();
        assert_eq!(ids, [Some(3), Some(20), Some(OFF_BOARD_ID_BASE + 890), None]);
        let m3 = &det.markers[0];
        assert_eq!(m3.center_img_px, [100.0, 50.0]);
        assert_eq!(m3.xy_board_mm, Some(board.board.markers()[3].xy_board_mm));
        assert_eq!(m3.source, IdSource::Decoded);
        assert!((m3.confidence - 0.75).abs() < 1e-7);
        assert_eq!(m3.outer.semi_major_px, 20.0);
        assert_eq!(m3.outer.angle_rad, 0.3);
        assert_eq!(det.markers[2].xy_board_mm, None, "an off-board ID has no position");
        assert_eq!(det.markers[3].source, IdSource::None);
        assert_eq!(det.stats, DetectStats::default());
    }

    #[test]
    fn the_homography_keeps_its_frame_and_is_measured_on_identified_markers() {
        let board = ringgrid_default_board().expect("converts");
        let mut r = result();
        // Put marker 3 exactly where the homography maps it: its residual is 0; marker 20's
        // is whatever its made-up centre gives.
        let [x, y] = board.board.markers()[3].xy_board_mm;
        r.detected_markers[2].center = [2.0 * x + 10.0, 2.0 * y + 20.0];
        let det = convert_result(&r, &board, None);
        let h = det.img_from_board.expect("homography");
        assert_eq!(h.frame, ImageFrame::Image);
        assert_eq!(h.n_markers, 2, "markers 3 and 20; the off-board ID has no board position");
        let [x20, y20] = board.board.markers()[20].xy_board_mm;
        let e20 = (300.0 - (2.0 * x20 + 10.0)).hypot(200.0 - (2.0 * y20 + 20.0));
        assert!((h.rms_px - (0.5 * e20 * e20).sqrt()).abs() < 1e-9);
    }

    #[test]
    fn a_working_frame_result_is_undistorted() {
        let board = ringgrid_default_board().expect("converts");
        let mut r = result();
        r.homography_frame = DetectionFrame::Working;
        r.center_frame = DetectionFrame::Working;
        let mut camera = Camera::centered(800.0, 640, 480);
        camera.distortion =
            Some(annulus::BrownConrady { k1: -0.2, k2: 0.0, p1: 0.0, p2: 0.0, k3: 0.0 });
        let det = convert_result(&r, &board, Some(&camera));
        assert_eq!(det.fit_frame, ImageFrame::Undistorted);
        assert_eq!(det.img_from_board.map(|h| h.frame), Some(ImageFrame::Undistorted));
        // A working-frame centre is moved into the image by the lens.
        assert_eq!(det.markers[0].center_img_px, camera.distort_px([100.0, 50.0]));
    }
}
