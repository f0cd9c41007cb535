//! The vectorised rasteriser against the one-pixel-at-a-time, double-precision reference it
//! replaced (kept here): the same coverage within [`COVERAGE_TOLERANCE`], for random poses,
//! perspectives, codes and lenses.

use std::ops::Range;

use proptest::prelude::*;

use crate::test_support::seeded;
use rustfft::num_complex::Complex32;

use super::{Columns, Reach, rasterise, rasterise_rows};
use crate::board::Board;
use crate::camera::{BrownConrady, Camera};
use crate::codebook::{N_SECTORS, sector_of};
use crate::detect::marker_render::{
    BOUNDARY_NORMALS, MIN_DENOMINATOR, MarkerPose, PatchFrame, Pattern, mat_mul, pixel_cdf,
    sector_fraction,
};
use crate::detect::model::MarkerModel;
use crate::detect::sampler::Frames;

/// The rasteriser the vectorised one replaced, one pixel at a time in double precision with
/// [`coverage`]: the same contract as [`rasterise`].
fn rasterise_reference(
    pose: &MarkerPose,
    pattern: &Pattern,
    frame: &PatchFrame,
    origin: [i64; 2],
    n: usize,
    grid: &mut [Complex32],
) -> Option<Range<usize>> {
    grid.iter_mut().for_each(|z| *z = Complex32::default());
    let Reach { inv, du, r_max_sq, cols, rows, .. } = Reach::new(pose, pattern, frame, origin, n)?;
    let v = pose.persp;
    for j in rows.clone() {
        let row = &mut grid[j * n..(j + 1) * n];
        for i in cols.clone() {
            let p = [(origin[0] + i as i64) as f64, (origin[1] + j as i64) as f64];
            let x = frame.fit_point(p);
            let d = [x[0] - pose.center[0], x[1] - pose.center[1]];
            let u = [inv[0][0] * d[0] + inv[0][1] * d[1], inv[1][0] * d[0] + inv[1][1] * d[1]];
            let den = 1.0 - (v[0] * u[0] + v[1] * u[1]);
            if den <= MIN_DENOMINATOR {
                continue;
            }
            let q = [u[0] / den, u[1] / den];
            let r_sq = q[0] * q[0] + q[1] * q[1];
            if r_sq > r_max_sq || r_sq < 1e-18 {
                continue;
            }
            // ∂q/∂u = (I·den + u vᵀ)/den², then ∂q/∂(image) = ∂q/∂u · du.
            let den2 = den * den;
            let dq_du = [
                [(den + u[0] * v[0]) / den2, u[0] * v[1] / den2],
                [u[1] * v[0] / den2, (den + u[1] * v[1]) / den2],
            ];
            let jq = mat_mul(dq_du, du);
            row[i].re = coverage(pattern, q, r_sq.sqrt(), &jq) as f32;
        }
    }
    (!rows.is_empty() && !cols.is_empty()).then_some(rows)
}

/// Ink fraction of the pixel whose centre maps to `q` (radius `r`), with `jq = ∂q/∂(image)`.
fn coverage(pattern: &Pattern, q: [f64; 2], r: f64, jq: &[[f64; 2]; 2]) -> f64 {
    // Gradient of r in the image: jqᵀ (q / r).
    let (qx, qy) = (q[0] / r, q[1] / r);
    let grad = [jq[0][0] * qx + jq[1][0] * qy, jq[0][1] * qx + jq[1][1] * qy];
    let g = (grad[0] * grad[0] + grad[1] * grad[1]).sqrt();
    if g.is_nan() || g <= 0.0 {
        return 0.0;
    }
    let (a, b) = (grad[0].abs() / g, grad[1].abs() / g);
    let disc = |rho: f64| pixel_cdf((rho - r) / g, a, b);
    let mut ink = 0.0;
    for [lo, hi] in pattern.rings {
        ink += disc(hi) - disc(lo);
    }
    if pattern.word != 0 {
        let radial = disc(pattern.band[1]) - disc(pattern.band[0]);
        if radial > 0.0 {
            ink += radial * sector_fraction(pattern, q, jq);
        }
    }
    ink.clamp(0.0, 1.0)
}

/// Largest difference allowed between the two rasterisers, in ink fraction. The vectorised
/// one works in single precision on offsets of a few tens of pixels from each chunk's start,
/// so an edge's distance from a pixel centre carries a relative error of about 1e-7 of the
/// marker's radius in pixels (a few tens): some millionths of a pixel, and the coverage of an
/// edge pixel moves by as much. Measured: at most 5.1e-6 over these cases.
const COVERAGE_TOLERANCE: f32 = 2e-5;

/// Renders with both rasterisers, asserts the same rows and the same coverage in every cell, and
/// returns how many cells are partly ink (edge pixels, where the two could differ). The
/// vectorised one must also give the same bits with its row spans as over the whole bounding
/// box.
fn assert_same(
    pose: &MarkerPose,
    pattern: &Pattern,
    frame: &PatchFrame,
    origin: [i64; 2],
    n: usize,
) -> usize {
    let mut fast = vec![Complex32::new(7.0, 7.0); n * n];
    let mut slow = vec![Complex32::new(-7.0, -7.0); n * n];
    let got = rasterise(pose, pattern, frame, origin, n, &mut fast);
    let want = rasterise_reference(pose, pattern, frame, origin, n, &mut slow);
    assert_eq!(got, want);
    let mut boxed = vec![Complex32::new(3.0, 3.0); n * n];
    let boxed_rows =
        rasterise_rows(pose, pattern, frame, origin, n, &mut boxed, Columns::BoundingBox);
    assert_eq!(got, boxed_rows);
    for (idx, (f, b)) in fast.iter().zip(&boxed).enumerate() {
        let same = f.re.to_bits() == b.re.to_bits() && f.im.to_bits() == b.im.to_bits();
        assert!(same, "cell {idx}: {f} with row spans, {b} over the bounding box");
    }
    for (idx, (f, s)) in fast.iter().zip(&slow).enumerate() {
        let diff = (f.re - s.re).abs();
        assert!(diff <= COVERAGE_TOLERANCE && f.im == 0.0, "cell {idx}: {f} against {s}");
    }
    fast.iter().filter(|z| z.re > 0.0 && z.re < 1.0).count()
}

/// The `distortion` scenario's lens: image corners move by about 60 px.
fn lens_frames() -> Frames {
    let distortion = BrownConrady { k1: -0.15, k2: 0.05, p1: 0.001, p2: -0.001, k3: 0.0 };
    Frames::new(Some(Camera {
        fx: 1000.0,
        fy: 1000.0,
        cx: 639.5,
        cy: 511.5,
        distortion: Some(distortion),
    }))
}

proptest! {
    #![proptest_config(seeded(64))]

    #[test]
    fn vectorised_coverage_is_the_reference_within_tolerance(
        marker_idx in 0usize..100,
        uncoded in any::<bool>(),
        scale in 1.0f64..6.0,
        roll in 0.0f64..std::f64::consts::TAU,
        squash in 0.4f64..1.0,
        persp in prop::array::uniform2(-0.02f64..0.02),
        center_img in prop::array::uniform2(20.0f64..1200.0),
        offset in prop::array::uniform2(-3.0f64..3.0),
        lens in any::<bool>(),
    ) {
        let board = Board::builtin();
        let model = MarkerModel::new(&board);
        let word = if uncoded { None } else { board.markers()[marker_idx].codeword };
        let pattern = Pattern::new(&model, word);
        let frames = if lens { lens_frames() } else { Frames::new(None) };
        let n = 96;
        let frame = PatchFrame::new(&frames, center_img, 0.5 * n as f64).unwrap();
        let (s, c) = roll.sin_cos();
        let linear = [[scale * c, -scale * squash * s], [scale * s, scale * squash * c]];
        // The pose's centre in the fit frame, a few pixels off the patch's centre.
        let shifted = [center_img[0] + offset[0], center_img[1] + offset[1]];
        let center = frames.to_fit(shifted).unwrap();
        let pose = MarkerPose { center, linear, persp };
        let origin = [center_img[0].round() as i64 - 48, center_img[1].round() as i64 - 48];
        prop_assert!(assert_same(&pose, &pattern, &frame, origin, n) > 0);
    }
}

proptest! {
    #![proptest_config(seeded(64))]

    /// The row spans under strong perspective and shear too, where the bounding box is
    /// furthest from the ellipse.
    #[test]
    fn row_spans_lose_no_ink_under_strong_perspective(
        marker_idx in 0usize..100,
        scale in 1.0f64..6.0,
        roll in 0.0f64..std::f64::consts::TAU,
        squash in 0.2f64..1.0,
        shear in -0.8f64..0.8,
        persp in prop::array::uniform2(-0.04f64..0.04),
        lens in any::<bool>(),
    ) {
        let board = Board::builtin();
        let model = MarkerModel::new(&board);
        let pattern = Pattern::new(&model, board.markers()[marker_idx].codeword);
        let frames = if lens { lens_frames() } else { Frames::new(None) };
        let (n, center_img) = (128, [300.0, 700.0]);
        let frame = PatchFrame::new(&frames, center_img, 0.5 * n as f64).unwrap();
        let (s, c) = roll.sin_cos();
        let linear = [
            [scale * c, scale * (shear * c - squash * s)],
            [scale * s, scale * (shear * s + squash * c)],
        ];
        let center = frames.to_fit(center_img).unwrap();
        let pose = MarkerPose { center, linear, persp };
        let origin = [center_img[0] as i64 - 64, center_img[1] as i64 - 64];
        let mut spans = vec![Complex32::default(); n * n];
        let mut boxed = vec![Complex32::default(); n * n];
        let got = rasterise_rows(&pose, &pattern, &frame, origin, n, &mut spans, Columns::PerRow);
        let want =
            rasterise_rows(&pose, &pattern, &frame, origin, n, &mut boxed, Columns::BoundingBox);
        prop_assert_eq!(got, want);
        let differ = spans.iter().zip(&boxed).filter(|(a, b)| a.re.to_bits() != b.re.to_bits());
        prop_assert_eq!(differ.count(), 0);
    }
}

/// A round marker's row spans cover clearly less than its bounding box: the spans are not
/// the box in disguise.
#[test]
fn row_spans_of_a_round_marker_are_narrower_than_its_box() {
    let board = Board::builtin();
    let model = MarkerModel::new(&board);
    let pattern = Pattern::new(&model, board.markers()[3].codeword);
    let frames = Frames::new(None);
    let center_img = [64.0, 64.0];
    let frame = PatchFrame::new(&frames, center_img, 64.0).unwrap();
    let center = frames.to_fit(center_img).unwrap();
    let pose = MarkerPose { center, linear: [[6.0, 0.0], [0.0, 6.0]], persp: [0.0; 2] };
    let reach = Reach::new(&pose, &pattern, &frame, [0, 0], 128).unwrap();
    let boxed = reach.rows.len() * reach.cols.len();
    let spanned: usize = reach.rows.clone().map(|j| reach.row_span(j as f64, 0).len()).sum();
    // A disc fills π/4 of its box; the margins take some of the rest back.
    assert!(spanned * 10 < boxed * 9, "{spanned} of {boxed} cells");
}

#[test]
fn a_marker_beyond_the_patch_leaves_it_empty_in_both() {
    let board = Board::builtin();
    let model = MarkerModel::new(&board);
    let pattern = Pattern::new(&model, board.markers()[3].codeword);
    let frame = PatchFrame::new(&Frames::new(None), [32.0, 32.0], 32.0).unwrap();
    let pose =
        MarkerPose { center: [500.0, 32.0], linear: [[4.0, 0.0], [0.0, 4.0]], persp: [0.0; 2] };
    assert_eq!(assert_same(&pose, &pattern, &frame, [0, 0], 64), 0);
}

/// The sector fraction before its shortcut for pixels clear of a boundary: both boundaries
/// through `pixel_cdf`, always.
fn sector_fraction_reference(pattern: &Pattern, q: [f64; 2], jq: &[[f64; 2]; 2]) -> f64 {
    let k = sector_of(q[0], q[1]);
    let n = N_SECTORS;
    let dark = |sector: usize| f64::from((pattern.word >> (sector % n)) & 1);
    let here = dark(k);
    let beyond = |b: usize| -> Option<(f64, f64, f64)> {
        let m = BOUNDARY_NORMALS[b % n];
        let s = m[0] * q[0] + m[1] * q[1];
        let grad = [jq[0][0] * m[0] + jq[1][0] * m[1], jq[0][1] * m[0] + jq[1][1] * m[1]];
        let g = (grad[0] * grad[0] + grad[1] * grad[1]).sqrt();
        (g > 0.0).then(|| (s / g, grad[0].abs() / g, grad[1].abs() / g))
    };
    let mut fraction = here;
    let below = dark(k + n - 1);
    if below != here
        && let Some((s, a, b)) = beyond(k)
    {
        fraction += (below - here) * pixel_cdf(-s, a, b);
    }
    let above = dark(k + 1);
    if above != here
        && let Some((s, a, b)) = beyond(k + 1)
    {
        fraction += (above - here) * (1.0 - pixel_cdf(-s, a, b));
    }
    fraction
}

proptest! {
    #![proptest_config(seeded(4096))]

    /// The shortcut changes no bit: pixel centres from a hundredth of a pixel to several pixels
    /// from a boundary (both sides of the √½ limit), every code word, sheared and degenerate
    /// pixel maps.
    #[test]
    fn sector_fraction_is_its_reference_bit_for_bit(
        word in any::<u16>(),
        boundary in 0usize..N_SECTORS,
        off_rad in -0.3f64..0.3,
        radius_mm in 0.5f64..20.0,
        jq in prop::array::uniform2(prop::array::uniform2(-3.0f64..3.0)),
        degenerate in 0u8..8,
    ) {
        let pattern = Pattern {
            rings: [[1.0, 2.0], [8.0, 10.0]],
            band: [3.0, 7.0],
            word,
            radius: 10.0,
            region_radii: 1.5,
        };
        let angle = boundary as f64 * std::f64::consts::TAU / N_SECTORS as f64 + off_rad;
        let q = [radius_mm * angle.cos(), radius_mm * angle.sin()];
        // A zero pixel map (no normal) and one of rank one (a normal along one axis only).
        let jq = match degenerate {
            0 => [[0.0; 2]; 2],
            1 => [[jq[0][0], 0.0], [jq[1][0], 0.0]],
            _ => jq,
        };
        let got = sector_fraction(&pattern, q, &jq);
        let want = sector_fraction_reference(&pattern, q, &jq);
        prop_assert_eq!(got.to_bits(), want.to_bits(), "q {:?} jq {:?}", q, jq);
    }
}
