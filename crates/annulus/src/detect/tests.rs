//! Unit and property tests of the detector's stages on images drawn here, without the
//! generator crate: a marker is rasterised by 4 × 4 supersampling of an affine view.

use std::f64::consts::TAU;

use proptest::prelude::*;

use crate::test_support::seeded;

use super::decode::{DecodeBuffers, decode};
use super::fft::Fft2;
use super::marker_render::{MarkerPose, PatchFrame, Pattern, pixel_cdf};
use super::model::MarkerModel;
use super::raster::rasterise;
use super::refine_model::{RefineBuffers, refine};
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
pub(super) fn draw_marker(
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

/// `len` bytes of seeded xorshift noise.
pub(super) fn noise_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

proptest! {
    #![proptest_config(seeded(64))]

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
        let data = noise_bytes(seed, len);
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

/// Found by fuzzing (`fuzz/regressions/detect/refine-patch-oom`, its pixels repeated to fill
/// the image as the `detect` target does): a degenerate local homography predicted a marker
/// hundreds of times its size, and the refinement asked for gigabytes of patch. The call must
/// return, and no patch may be wider than twice the image.
#[test]
fn a_degenerate_local_homography_does_not_size_a_huge_patch() {
    let seed = include_bytes!("testdata/refine-patch-oom.gray");
    let (width, height) = (256u32, 192u32);
    let pixels: Vec<u8> = seed.iter().copied().cycle().take((width * height) as usize).collect();
    let image = ImageView::packed(width, height, &pixels).unwrap();
    let detector = Detector::new(Board::builtin(), DetectConfig::default()).unwrap();
    let mut ws = crate::Workspace::new();
    detector.detect_with(&mut ws, &image).unwrap();
    let largest = ws.refine.largest_patch();
    assert!(largest <= 2 * width as usize, "a patch of {largest} px for a {width} px image");
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

// ---------------------------------------------------------------------------------------------
// Model refinement: the transform, the pixel coverage, and the fit.

/// Whether the board point `q` (millimetres from the centre) of a marker printing `word` is
/// ink, straight from the spec.
fn ink_at(board: &Board, word: u16, q: [f64; 2]) -> bool {
    let spec = board.marker_spec();
    let r = q[0].hypot(q[1]);
    let within = |a: &crate::board::Annulus| r >= a.inner_edge_mm() && r < a.outer_edge_mm();
    if within(&spec.outer_ring) || within(&spec.inner_ring) {
        return true;
    }
    if within(&spec.code_band) {
        let sector = (q[1].atan2(q[0]).rem_euclid(TAU) / TAU * N_SECTORS as f64) as usize;
        return word >> (sector % N_SECTORS) & 1 == 1;
    }
    false
}

/// A tilted, rolled pose with perspective, centred at `center`, about 4 px per millimetre.
pub(super) fn test_pose(center: [f64; 2]) -> MarkerPose {
    let (s, c) = 0.7f64.sin_cos();
    // Roll by 0.7 rad after squashing y by 0.85.
    let linear = [[4.1 * c, -4.1 * 0.85 * s], [4.1 * s, 4.1 * 0.85 * c]];
    MarkerPose { center, linear, persp: [0.004, -0.006] }
}

/// Ink coverage of image pixel `(x, y)` by `n × n` point samples.
fn supersampled(board: &Board, word: u16, pose: &MarkerPose, x: f64, y: f64, n: usize) -> f64 {
    let inv = pose.inverse_linear().unwrap();
    let mut ink = 0;
    for sy in 0..n {
        for sx in 0..n {
            let p =
                [x - 0.5 + (sx as f64 + 0.5) / n as f64, y - 0.5 + (sy as f64 + 0.5) / n as f64];
            let q = pose.board_offset(p, &inv).unwrap();
            ink += usize::from(ink_at(board, word, q));
        }
    }
    ink as f64 / (n * n) as f64
}

/// Draws marker `idx` under `pose` in a `size²` image, area-integrated by 12 × 12 samples,
/// blurred by a Gaussian of covariance `cov` (direct convolution), plus `noise` (grey levels,
/// deterministic pseudo-random).
pub(super) fn draw_blurred(
    board: &Board,
    idx: usize,
    pose: &MarkerPose,
    size: usize,
    cov: [f64; 3],
    noise: f64,
) -> Vec<u8> {
    let word = board.markers()[idx].codeword.unwrap_or(0);
    let mut ink = vec![0.0; size * size];
    for y in 0..size {
        for x in 0..size {
            let d = (x as f64 - pose.center[0]).hypot(y as f64 - pose.center[1]);
            if d < 22.0 {
                ink[y * size + x] = supersampled(board, word, pose, x as f64, y as f64, 12);
            }
        }
    }
    let [xx, xy, yy] = cov;
    let det = xx * yy - xy * xy;
    let reach = 4.0 * xx.max(yy).sqrt();
    let k = reach.ceil() as i64;
    let mut kernel = Vec::new();
    for dy in -k..=k {
        for dx in -k..=k {
            let (fx, fy) = (dx as f64, dy as f64);
            let quad = (yy * fx * fx - 2.0 * xy * fx * fy + xx * fy * fy) / det;
            kernel.push((dx, dy, (-0.5 * quad).exp()));
        }
    }
    let total: f64 = kernel.iter().map(|k| k.2).sum();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut pixels = vec![0u8; size * size];
    for y in 0..size as i64 {
        for x in 0..size as i64 {
            let mut b = 0.0;
            for &(dx, dy, w) in &kernel {
                let (sx, sy) = (x + dx, y + dy);
                if sx >= 0 && sy >= 0 && sx < size as i64 && sy < size as i64 {
                    b += w * ink[sy as usize * size + sx as usize];
                }
            }
            // A sum of four uniforms: roughly Gaussian, unit variance.
            let mut z = -2.0;
            for _ in 0..4 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                z += (state >> 11) as f64 / (1u64 << 53) as f64;
            }
            let value = PAPER - (PAPER - INK) * b / total + noise * z * 3f64.sqrt();
            pixels[y as usize * size + x as usize] = value.round().clamp(0.0, 255.0) as u8;
        }
    }
    pixels
}

#[test]
fn the_transform_inverts_and_skips_zero_rows() {
    use rustfft::num_complex::Complex32;
    for n in [36, 48, 64] {
        let mut fft = Fft2::default();
        assert!(fft.prepare(n));
        let input: Vec<Complex32> = (0..n * n)
            .map(|k| {
                let (x, y) = (k % n, k / n);
                let inside = (5..n - 7).contains(&y);
                Complex32::new(if inside { ((x * 7 + y * 3) % 11) as f32 } else { 0.0 }, 0.0)
            })
            .collect();
        let mut grid = input.clone();
        fft.forward(&mut grid, 5..n - 7);
        // The DC term is the sum.
        let sum: f32 = input.iter().map(|z| z.re).sum();
        assert!((grid[0].re - sum).abs() < 1e-3 * sum);
        fft.inverse(&mut grid, 0..n);
        let scale = (n * n) as f32;
        for (a, b) in grid.iter().zip(&input) {
            assert!((a.re / scale - b.re).abs() < 1e-3 && (a.im / scale).abs() < 1e-3);
        }
    }
}

#[test]
fn pixel_coverage_of_a_straight_edge_is_exact() {
    for angle in [0.0, 0.2, 0.6, 0.785, 1.3, 2.0] {
        let (a, b) = (f64::cos(angle), f64::sin(angle));
        for t in [-0.8, -0.6, -0.3, -0.05, 0.0, 0.1, 0.4, 0.7] {
            let n = 400usize;
            let mut inside = 0usize;
            for i in 0..n {
                for j in 0..n {
                    let (x, y) =
                        ((i as f64 + 0.5) / n as f64 - 0.5, (j as f64 + 0.5) / n as f64 - 0.5);
                    inside += usize::from(a * x + b * y < t);
                }
            }
            let expected = inside as f64 / (n * n) as f64;
            let got = pixel_cdf(t, a.abs(), b.abs());
            assert!((got - expected).abs() < 3e-3, "angle {angle} t {t}: {got} vs {expected}");
        }
    }
}

#[test]
fn rendered_coverage_matches_supersampling() {
    let board = Board::builtin();
    let model = MarkerModel::new(&board);
    let idx = 23;
    let word = board.markers()[idx].codeword.unwrap();
    let pose = test_pose([31.3, 30.6]);
    let pattern = Pattern::new(&model, Some(word));
    let frame = PatchFrame::new(&Frames::new(None), [32.0, 32.0], 32.0).unwrap();
    let n = 64;
    let mut grid = vec![rustfft::num_complex::Complex32::default(); n * n];
    let rows = rasterise(&pose, &pattern, &frame, [0, 0], n, &mut grid).unwrap();
    assert!(rows.start > 5 && rows.end < n - 5, "{rows:?}");
    let (mut sum, mut max) = (0.0f64, 0.0f64);
    for y in 0..n {
        for x in 0..n {
            let want = supersampled(&board, word, &pose, x as f64, y as f64, 32);
            let diff = (f64::from(grid[y * n + x].re) - want).abs();
            sum += diff;
            max = max.max(diff);
        }
    }
    // Corners of sectors are approximated; everywhere else the coverage is exact to the
    // supersampling's own resolution.
    let mean = sum / (n * n) as f64;
    assert!(mean < 1e-3, "mean difference {mean}");
    assert!(max < 0.06, "largest difference {max}");
}

#[test]
fn refinement_recovers_the_centre_under_anisotropic_blur() {
    let board = Board::builtin();
    let model = MarkerModel::new(&board);
    let idx = 41;
    let truth = test_pose([40.37, 39.81]);
    // σ = 3.4 px along 30°, 1.9 px across.
    let (s, c) = 0.52f64.sin_cos();
    let (va, vb) = (3.4f64 * 3.4, 1.9f64 * 1.9);
    let cov = [va * c * c + vb * s * s, (va - vb) * c * s, va * s * s + vb * c * c];
    let size = 80;
    let pixels = draw_blurred(&board, idx, &truth, size, cov, 4.0);
    let image = ImageView::packed(size as u32, size as u32, &pixels).unwrap();
    let sampler = Sampler::new(image, Frames::new(None));
    let pattern = Pattern::new(&model, board.markers()[idx].codeword);
    // Start where an edge fit under this blur leaves it: half a pixel off, scale 3 % off.
    let mut start = truth;
    start.center = [truth.center[0] + 0.45, truth.center[1] - 0.3];
    start.linear = truth.linear.map(|row| row.map(|v| 1.03 * v));
    let mut buf = RefineBuffers::default();
    let pose = refine(&sampler, pattern, 1.0, start, &mut buf).expect("refines");
    let err = (pose.center[0] - truth.center[0]).hypot(pose.center[1] - truth.center[1]);
    assert!(err < 0.03, "centre off by {err} px");
    let blur = buf.last_blur().unwrap();
    for (got, want) in blur.iter().zip(cov) {
        assert!((got - want).abs() < 0.1 * va, "blur {blur:?} vs {cov:?}");
    }
    // A new image starts afresh: the same start gives the same result, whatever came before.
    buf.start_image();
    assert_eq!(refine(&sampler, pattern, 1.0, start, &mut buf), Some(pose));
}

#[test]
fn refinement_refuses_a_marker_off_the_image() {
    let board = Board::builtin();
    let model = MarkerModel::new(&board);
    let pixels = vec![200u8; 64 * 64];
    let image = ImageView::packed(64, 64, &pixels).unwrap();
    let sampler = Sampler::new(image, Frames::new(None));
    let pattern = Pattern::new(&model, board.markers()[3].codeword);
    let mut buf = RefineBuffers::default();
    assert!(refine(&sampler, pattern, 1.0, test_pose([-8.0, 30.0]), &mut buf).is_none());
    // A blank patch has no marker to fit: no step improves, or the contrast is not there.
    assert!(refine(&sampler, pattern, 1.0, test_pose([32.0, 32.0]), &mut buf).is_none());
}

#[test]
fn the_patch_expansion_follows_lens_distortion() {
    use crate::camera::{BrownConrady, Camera};
    // The `distortion` scenario's lens: image corners move by about 60 px.
    let distortion = BrownConrady { k1: -0.15, k2: 0.05, p1: 0.001, p2: -0.001, k3: 0.0 };
    let camera =
        Camera { fx: 1000.0, fy: 1000.0, cx: 639.5, cy: 511.5, distortion: Some(distortion) };
    let frames = Frames::new(Some(camera));
    // Within 30 px of the centre: a marker 32 px across and its blurred surround.
    let mut worst = 0.0f64;
    for origin in [[640.0, 512.0], [300.0, 200.0], [60.0, 60.0], [1220.0, 960.0]] {
        let frame = PatchFrame::new(&frames, origin, 40.0).unwrap();
        for dy in (-30..=30).step_by(5) {
            for dx in (-30..=30).step_by(5) {
                if dx * dx + dy * dy > 30 * 30 {
                    continue;
                }
                let p = [origin[0] + f64::from(dx), origin[1] + f64::from(dy)];
                let exact = frames.to_fit(p).unwrap();
                let got = frame.fit_point(p);
                worst = worst.max((got[0] - exact[0]).hypot(got[1] - exact[1]));
            }
        }
    }
    assert!(worst < 6e-3, "expansion off by {worst} px");
}

#[test]
fn refinement_measures_a_marker_cut_by_the_image_border() {
    let board = Board::builtin();
    let model = MarkerModel::new(&board);
    let idx = 77;
    let truth = test_pose([36.2, 40.6]);
    let (size, cut) = (80, 24);
    let full = draw_blurred(&board, idx, &truth, size, [6.0, 1.0, 4.0], 3.0);
    // Drop the left `cut` columns: the marker's centre ends 12 px from the border.
    let width = size - cut;
    let pixels: Vec<u8> = full.chunks_exact(size).flat_map(|row| row[cut..].to_vec()).collect();
    let image = ImageView::packed(width as u32, size as u32, &pixels).unwrap();
    let sampler = Sampler::new(image, Frames::new(None));
    let pattern = Pattern::new(&model, board.markers()[idx].codeword);
    let center = [truth.center[0] - cut as f64, truth.center[1]];
    let mut start = truth;
    start.center = [center[0] - 0.4, center[1] + 0.35];
    let mut buf = RefineBuffers::default();
    let pose = refine(&sampler, pattern, 1.0, start, &mut buf).expect("refines");
    let err = (pose.center[0] - center[0]).hypot(pose.center[1] - center[1]);
    assert!(err < 0.02, "centre off by {err} px");
}

#[test]
fn a_board_read_as_printed_never_matches_an_inverted_word() {
    use crate::board::{CodePolarity, CodingSpec};
    // 0x000f and 0xfff0 are each other's complements up to rotation: readable only because
    // the band's polarity is fixed.
    let words = vec![0x000f, 0xfff0, 0x0017];
    let mut spec = Board::builtin().spec().clone();
    spec.lattice.rows = 1;
    spec.lattice.cols = 3;
    spec.coding = CodingSpec::Coded {
        codebook: None,
        first_id: 0,
        codewords: Some(words.clone()),
        polarity: CodePolarity::AsPrinted,
    };
    let model = MarkerModel::new(&Board::from_spec(spec).expect("valid"));
    for (idx, &word) in words.iter().enumerate() {
        for k in 0..N_SECTORS as u32 {
            let hit = model.lookup(crate::codebook::rotate(word, k)).expect("every rotation reads");
            assert_eq!((hit.marker_idx, hit.rotation, hit.inverted), (idx, k, false));
        }
    }
    // 0x0017's complement is no word's rotation, and inverted reads are not in the table.
    assert_eq!(model.lookup(!0x0017), None);
}
