//! Unit and property tests of the detector's stages on images drawn here, without the
//! generator crate: a marker is rasterised by 4 × 4 supersampling of an affine view.

use std::f64::consts::TAU;

use proptest::prelude::*;

use super::decode::{DecodeBuffers, decode};
use super::model::MarkerModel;
use super::sampler::{Frames, Sampler};
use crate::board::Board;
use crate::codebook::N_SECTORS;
use crate::error::DetectError;
use crate::geometry::Ellipse;
use crate::image::{ImageView, MAX_IMAGE_SIDE_PX};
use crate::{DetectConfig, Detector};

const PAPER: f64 = 230.0;
const INK: f64 = 25.0;

/// Draws marker `idx` of `board` centred in a `size × size` image, `px_per_mm` across, rolled by
/// `roll` radians and squashed along y by `squash` (a tilted view), ink and paper swapped when
/// `inverted`. Returns the pixels and the outer ellipse.
fn draw_marker(
    board: &Board,
    idx: usize,
    size: usize,
    px_per_mm: f64,
    roll: f64,
    squash: f64,
    inverted: bool,
) -> (Vec<u8>, Ellipse) {
    let spec = board.marker_spec();
    let word = board.markers()[idx].codeword.unwrap_or(0);
    let c = 0.5 * (size as f64 - 1.0);
    let (sr, cr) = roll.sin_cos();
    let reflectance = |x: f64, y: f64| -> bool {
        // Undo the view: image offset -> squashed -> rolled board frame, in mm.
        let (u, v) = ((x - c) / px_per_mm, (y - c) / (px_per_mm * squash));
        let (bx, by) = (cr * u + sr * v, -sr * u + cr * v);
        let r = bx.hypot(by);
        let within = |a: &crate::board::Annulus| r >= a.inner_edge_mm() && r < a.outer_edge_mm();
        if within(&spec.outer_ring) || within(&spec.inner_ring) {
            return true;
        }
        if within(&spec.code_band) {
            let sector = (by.atan2(bx).rem_euclid(TAU) / TAU * N_SECTORS as f64) as usize;
            return word >> (sector % N_SECTORS) & 1 == 1;
        }
        false
    };
    let mut pixels = vec![0u8; size * size];
    for y in 0..size {
        for x in 0..size {
            let mut dark = 0;
            for sy in 0..4 {
                for sx in 0..4 {
                    let (fx, fy) = (
                        x as f64 - 0.375 + 0.25 * f64::from(sx),
                        y as f64 - 0.375 + 0.25 * f64::from(sy),
                    );
                    dark += usize::from(reflectance(fx, fy));
                }
            }
            let ink_fraction = dark as f64 / 16.0;
            let (ink, paper) = if inverted { (PAPER, INK) } else { (INK, PAPER) };
            pixels[y * size + x] = (paper + ink_fraction * (ink - paper)).round() as u8;
        }
    }
    // The outer circle under x' = R(roll)ᵀ-squash map: axes px_per_mm·R and squash times that.
    let r_px = spec.outer_ring.outer_edge_mm() * px_per_mm;
    let outer = Ellipse {
        center_px: [c, c],
        semi_major_px: r_px,
        semi_minor_px: squash * r_px,
        angle_rad: 0.0,
    };
    (pixels, outer)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// decode(encode(id)) recovers the marker at any rotation and either polarity.
    #[test]
    fn decode_reads_every_rotation_and_polarity(
        idx in 0usize..195,
        roll in 0.0..TAU,
        squash in 0.8f64..=1.0,
        px_per_mm in 3.5f64..6.0,
        inverted: bool,
    ) {
        let board = Board::builtin();
        let model = MarkerModel::new(&board);
        let (pixels, outer) = draw_marker(&board, idx, 64, px_per_mm, roll, squash, inverted);
        let image = ImageView::packed(64, 64, &pixels).unwrap();
        let sampler = Sampler::new(image, Frames::new(None));
        let polarity = if inverted { -1.0 } else { 1.0 };
        let mut buf = DecodeBuffers::default();
        let read = decode(&sampler, &model, &outer, outer.center_px, polarity, (PAPER - INK) as f32, &mut buf);
        let hit = read.and_then(|r| r.hit);
        prop_assert_eq!(hit.map(|h| h.marker_idx), Some(idx), "read {:?}", read);
    }

    /// Any size, stride and content is either processed or refused with a typed error; nothing
    /// panics, and no board is ever seen in noise.
    #[test]
    fn arbitrary_images_never_panic(
        width in 0u32..80,
        height in 0u32..80,
        pad in 0usize..5,
        seed: u64,
    ) {
        let stride = width as usize + pad;
        let len = (stride * height as usize).saturating_sub(pad);
        let mut state = seed | 1;
        let data: Vec<u8> = (0..len).map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        }).collect();
        let detector = Detector::new(Board::builtin(), DetectConfig::default()).unwrap();
        match ImageView::new(width, height, stride, &data) {
            Ok(view) => {
                let found = detector.detect(&view).unwrap();
                prop_assert!(found.img_from_board.is_none());
            }
            Err(e) => prop_assert!(width == 0 || height == 0, "{e}"),
        }
    }
}

#[test]
fn a_single_drawn_marker_is_found_with_its_centre() {
    let board = Board::builtin();
    let (pixels, outer) = draw_marker(&board, 7, 96, 5.0, 0.3, 0.9, false);
    let image = ImageView::packed(96, 96, &pixels).unwrap();
    let detector = Detector::new(board, DetectConfig::default()).unwrap();
    let found = detector.detect(&image).unwrap();
    assert_eq!(found.markers.len(), 1, "{found:?}");
    let m = &found.markers[0];
    // One marker cannot anchor a homography, so its ID is reported as read.
    assert_eq!(m.id, Some(7));
    assert!(found.img_from_board.is_none());
    let err =
        (m.center_img_px[0] - outer.center_px[0]).hypot(m.center_img_px[1] - outer.center_px[1]);
    assert!(err < 0.05, "centre off by {err} px");
}

#[test]
fn bad_buffers_are_typed_errors() {
    let data = [0u8; 200];
    assert_eq!(
        ImageView::new(0, 10, 10, &data),
        Err(DetectError::EmptyImage { width: 0, height: 10 })
    );
    assert_eq!(
        ImageView::new(10, 10, 9, &data),
        Err(DetectError::StrideTooSmall { stride: 9, width: 10 })
    );
    assert!(matches!(
        ImageView::new(10, 11, 10, &data[..100]),
        Err(DetectError::BufferTooShort { needed: 110, .. })
    ));
    assert!(matches!(
        ImageView::new(MAX_IMAGE_SIDE_PX + 1, 1, MAX_IMAGE_SIDE_PX as usize + 1, &data),
        Err(DetectError::ImageTooLarge { .. })
    ));
    // The last row needs no padding.
    assert!(ImageView::new(10, 10, 12, &data[..118]).is_ok());
}

#[test]
fn blank_and_saturated_images_have_no_markers() {
    let detector = Detector::new(Board::builtin(), DetectConfig::default()).unwrap();
    for value in [0u8, 128, 255] {
        let data = vec![value; 320 * 240];
        let found = detector.detect(&ImageView::packed(320, 240, &data).unwrap()).unwrap();
        assert!(found.markers.is_empty());
        assert_eq!(found.stats.n_candidates, 0);
    }
}

#[test]
fn invalid_configs_are_refused_naming_the_field() {
    let bad = DetectConfig { min_marker_diameter_px: f64::NAN, ..DetectConfig::default() };
    let err = Detector::new(Board::builtin(), bad).unwrap_err().to_string();
    assert!(err.contains("min_marker_diameter_px"), "{err}");
    let text = "marker_diameter_px = [40.0, 20.0]";
    let config: DetectConfig = toml::from_str(text).unwrap();
    assert!(config.validate().unwrap_err().to_string().contains("marker_diameter_px[1]"));
    assert!(toml::from_str::<DetectConfig>("marker_diameter = 3").is_err());
}

#[test]
fn timings_are_recorded_only_when_asked() {
    let data = vec![128u8; 64 * 64];
    let image = ImageView::packed(64, 64, &data).unwrap();
    let off = Detector::new(Board::builtin(), DetectConfig::default()).unwrap();
    assert!(off.detect(&image).unwrap().timings.is_none());
    let on =
        Detector::new(Board::builtin(), DetectConfig { timings: true, ..DetectConfig::default() })
            .unwrap();
    assert!(on.detect(&image).unwrap().timings.is_some());
}

#[test]
fn pure_noise_has_no_markers() {
    let detector = Detector::new(Board::builtin(), DetectConfig::default()).unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let data: Vec<u8> = (0..320 * 240)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    let found = detector.detect(&ImageView::packed(320, 240, &data).unwrap()).unwrap();
    assert!(found.markers.is_empty(), "{:?}", found.markers);
}
