//! Tests of how large a patch the model refinement fits: the region sized by the blur it
//! allows, measured along the marker's narrowest image radius, the image radii of a pose, and
//! the bounding box the region's pixels are gathered from.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use super::fit_pixels::FitPixels;
use super::fit_region::{Layout, fit_region_radii, gather, region_box, run_ends};
use super::marker_render::{MarkerPose, PatchFrame, Pattern, inverse2};
use super::model::MarkerModel;
use super::paper_ring::PaperRing;
use super::sampler::Frames;
use super::sampler::Sampler;
use crate::board::Board;
use crate::image::ImageView;

fn pattern() -> Pattern {
    Pattern::new(&MarkerModel::new(&Board::builtin()), Some(0b1011_0010_1100_0101))
}

/// A pose of `px_per_mm` along x and `squash` times that along y, rolled by `roll` radians.
fn pose(px_per_mm: f64, squash: f64, roll: f64, persp: [f64; 2]) -> MarkerPose {
    let (s, c) = roll.sin_cos();
    let linear =
        [[px_per_mm * c, -px_per_mm * squash * s], [px_per_mm * s, px_per_mm * squash * c]];
    MarkerPose { center: [100.0, 80.0], linear, persp }
}

#[test]
fn the_region_holds_the_blurred_edge_and_a_pixel_of_paper() {
    let pattern = pattern();
    let frontal = pose(4.0, 1.0, 0.3, [0.0; 2]);
    let radius_px = 4.0 * pattern.radius;
    // Sharp: the outer edge, 3.5 σ of blur and one pixel.
    let sigma = 1.2;
    let expected = 1.0 + (3.5 * sigma + 1.0) / radius_px;
    let got = fit_region_radii(pattern, &frontal, sigma);
    assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
    assert!(got < pattern.region_radii, "a sharp marker needs less than the widest region");
    // Blurred by a third of the radius: the widest region, no more.
    assert_eq!(fit_region_radii(pattern, &frontal, radius_px / 3.0), pattern.region_radii);
    // Tilted to half the width across: the margin holds across the narrow axis.
    let tilted = pose(4.0, 0.5, 0.3, [0.0; 2]);
    let expected = 1.0 + (3.5 * sigma + 1.0) / (0.5 * radius_px);
    let got = fit_region_radii(pattern, &tilted, sigma);
    assert!((got - expected).abs() < 1e-12, "{got} vs {expected}");
    // A degenerate pose gets the widest region rather than a NaN.
    let flat = MarkerPose { center: [0.0; 2], linear: [[0.0; 2]; 2], persp: [0.0; 2] };
    assert_eq!(fit_region_radii(pattern, &flat, sigma), pattern.region_radii);
}

proptest! {
    #![proptest_config(Config { cases: 256, rng_seed: RngSeed::Fixed(0x0E61_0000), ..Config::default() })]

    #[test]
    fn the_narrowest_radius_is_at_most_the_widest(
        px_per_mm in 0.5f64..20.0,
        squash in 0.05f64..1.0,
        roll in -3.2f64..3.2,
        vx in -0.01f64..0.01,
        vy in -0.01f64..0.01,
    ) {
        let p = pose(px_per_mm, squash, roll, [vx, vy]);
        let r = pattern().radius;
        let (narrow, wide) = (p.smallest_radius_px(r), p.radius_px(r));
        prop_assert!(narrow > 0.0 && narrow <= wide, "{narrow} vs {wide}");
        // Without perspective they are the singular values times the radius.
        let affine = pose(px_per_mm, squash, roll, [0.0; 2]);
        let narrow = affine.smallest_radius_px(r);
        prop_assert!((narrow - px_per_mm * squash * r).abs() <= 1e-9 * px_per_mm * r);
    }
}

proptest! {
    #![proptest_config(Config { cases: 128, rng_seed: RngSeed::Fixed(0x0E61_0001), ..Config::default() })]

    #[test]
    fn the_region_box_holds_every_pixel_of_the_region(
        px_per_mm in 1.0f64..6.0,
        squash in 0.3f64..1.0,
        roll in -3.2f64..3.2,
        vx in -0.02f64..0.02,
        vy in -0.02f64..0.02,
        frac in [0.0f64..1.0, 0.0f64..1.0],
    ) {
        let mut p = pose(px_per_mm, squash, roll, [vx, vy]);
        p.center = [100.0 + frac[0], 80.0 + frac[1]];
        let region_mm = 1.5 * pattern().radius;
        let n = 128usize;
        let frame = PatchFrame::new(&Frames::new(None), p.center, 0.5 * n as f64).unwrap();
        let jf_inv = inverse2(frame.jacobian()).unwrap();
        let origin = [p.center[0].round() as i64 - 64, p.center[1].round() as i64 - 64];
        let [cols, rows] = region_box(&p, jf_inv, region_mm, p.center, origin, n);
        let inv = p.inverse_linear().unwrap();
        for j in 0..n {
            for i in 0..n {
                let pos = [(origin[0] + i as i64) as f64, (origin[1] + j as i64) as f64];
                let Some(q) = p.board_offset(frame.fit_point(pos), &inv) else { continue };
                if q[0].hypot(q[1]) <= region_mm {
                    prop_assert!(cols.contains(&i) && rows.contains(&j),
                        "cell ({i}, {j}) of the region is outside {cols:?} x {rows:?}");
                }
            }
        }
        // The box is a box around the region, not the whole patch.
        prop_assert!(cols.len() < n && rows.len() < n, "{cols:?} x {rows:?}");
    }
}

proptest! {
    #![proptest_config(Config { cases: 128, rng_seed: RngSeed::Fixed(0x0E61_0002), ..Config::default() })]

    /// `fit_region::gather` tests only the two ends of each row's run of region cells and
    /// takes every cell between them: the region (the image of a disc on the board) must be
    /// convex, so that its cells on a row are one run, under perspective and lens distortion.
    #[test]
    fn the_region_on_each_row_is_one_run(
        px_per_mm in 1.0f64..6.0,
        squash in 0.3f64..1.0,
        roll in -3.2f64..3.2,
        vx in -0.04f64..0.04,
        vy in -0.04f64..0.04,
        at in [40.0f64..1240.0, 40.0f64..980.0],
        lens in any::<bool>(),
    ) {
        use crate::camera::{BrownConrady, Camera};
        // The `distortion` scenario's lens: image corners move by about 60 px.
        let distortion = BrownConrady { k1: -0.15, k2: 0.05, p1: 0.001, p2: -0.001, k3: 0.0 };
        let camera =
            Camera { fx: 1000.0, fy: 1000.0, cx: 639.5, cy: 511.5, distortion: Some(distortion) };
        let frames = Frames::new(lens.then_some(camera));
        let mut p = pose(px_per_mm, squash, roll, [vx, vy]);
        p.center = frames.to_fit(at).unwrap();
        let region_mm = 1.8 * pattern().radius;
        let n = 128usize;
        let frame = PatchFrame::new(&frames, at, 0.5 * n as f64).unwrap();
        let origin = [at[0].round() as i64 - 64, at[1].round() as i64 - 64];
        let inv = p.inverse_linear().unwrap();
        let mut n_region = 0;
        for j in 0..n {
            let inside: Vec<usize> = (0..n)
                .filter(|&i| {
                    let pos = [(origin[0] + i as i64) as f64, (origin[1] + j as i64) as f64];
                    p.board_offset(frame.fit_point(pos), &inv)
                        .is_some_and(|q| q[0] * q[0] + q[1] * q[1] <= region_mm * region_mm)
                })
                .collect();
            if let (Some(first), Some(last)) = (inside.first(), inside.last()) {
                prop_assert_eq!(last - first + 1, inside.len(), "row {} has a gap", j);
            }
            n_region += inside.len();
        }
        prop_assert!(n_region > 20, "the region has {} cells", n_region);
    }
}

proptest! {
    #![proptest_config(Config { cases: 512, rng_seed: RngSeed::Fixed(0x0E61_0003), ..Config::default() })]

    /// Walking from guessed ends finds the ends a scan from each side finds, wherever the
    /// guesses are, for a run anywhere in the range or no run at all.
    #[test]
    fn a_run_s_ends_are_found_from_any_guess(
        start in -20i64..20,
        len in 0i64..40,
        run in (0i64..60, 0i64..30),
        empty in any::<bool>(),
        guess in [-30i64..90, -30i64..90],
    ) {
        let range = start..start + len;
        let (run_first, run_len) = (start + run.0, run.1);
        let inside = |x: i64| !empty && x >= run_first && x < run_first + run_len;
        let scan_first = range.clone().find(|&x| inside(x));
        let scan_last = range.clone().rev().find(|&x| inside(x));
        let want = scan_first.zip(scan_last);
        prop_assert_eq!(run_ends(range, guess, inside), want);
    }
}

proptest! {
    #![proptest_config(Config { cases: 48, rng_seed: RngSeed::Fixed(0x0E61_0004), ..Config::default() })]

    /// Every pixel within the region's radius on the board and inside the image is fitted
    /// once, and every one between it and the ring's radius is in the paper ring once, with
    /// its grey value: checked against a test of every pixel of a wide box, near the image's
    /// border too.
    #[test]
    fn the_region_and_the_paper_ring_share_out_the_pixels(
        px_per_mm in 1.0f64..4.0,
        squash in 0.4f64..1.0,
        roll in -3.2f64..3.2,
        vx in -0.02f64..0.02,
        vy in -0.02f64..0.02,
        at in [20.0f64..140.0, 20.0f64..100.0],
    ) {
        let (width, height) = (160usize, 120usize);
        let grey: Vec<u8> = (0..width * height).map(|k| (k * 37 % 251) as u8).collect();
        let image = ImageView::packed(width as u32, height as u32, &grey).unwrap();
        let sampler = Sampler::new(image, Frames::new(None));
        let mut p = pose(px_per_mm, squash, roll, [vx, vy]);
        p.center = at;
        let r = pattern().radius;
        let (region_mm, ring_mm) = (1.2 * r, 1.5 * r);
        let n = 96usize;
        let frame = PatchFrame::new(&Frames::new(None), at, 0.5 * n as f64).unwrap();
        let jf_inv = inverse2(frame.jacobian()).unwrap();
        let origin = [at[0].round() as i64 - 48, at[1].round() as i64 - 48];
        let inv_l = p.inverse_linear().unwrap();
        let radius_px = p.radius_px(r);
        let layout =
            Layout { start: &p, frame: &frame, inv_l, jf_inv, center_img: at, origin, n, radius_px };
        let (mut pixels, mut ring) = (FitPixels::default(), PaperRing::default());
        let got = gather(&sampler, &layout, [region_mm, ring_mm], &mut pixels, &mut ring);
        let got = got.expect("the patch holds the region");

        let (mut want_pixels, mut want_ring, mut n_region) = (Vec::new(), PaperRing::default(), 0);
        for y in origin[1] - 48..origin[1] + n as i64 + 48 {
            for x in origin[0] - 48..origin[0] + n as i64 + 48 {
                let Some(q) = p.board_offset(frame.fit_point([x as f64, y as f64]), &inv_l) else {
                    continue;
                };
                let d_sq = q[0] * q[0] + q[1] * q[1];
                let value = sampler.pixel(x, y);
                if d_sq <= region_mm * region_mm {
                    n_region += 1;
                    if let Some(v) = value {
                        let cell = ((y - origin[1]) as usize) * n + (x - origin[0]) as usize;
                        want_pixels.push((cell, v));
                    }
                } else if d_sq <= ring_mm * ring_mm
                    && let Some(v) = value
                {
                    let rho = [(x as f64 - at[0]) / radius_px, (y as f64 - at[1]) / radius_px];
                    want_ring.add(rho, f64::from(v));
                }
            }
        }
        let mut got_pixels: Vec<(usize, f32)> = pixels.live().collect();
        got_pixels.sort_by_key(|&(cell, _)| cell);
        want_pixels.sort_by_key(|&(cell, _)| cell);
        prop_assert_eq!(got.n_region, n_region);
        prop_assert_eq!(got_pixels, want_pixels);
        prop_assert_eq!(ring.len(), want_ring.len());
        // The same pixels, summed row by row rather than in raster order.
        let (a, b) = (ring.terms(150.0, [0.1, -0.05]), want_ring.terms(150.0, [0.1, -0.05]));
        prop_assert!((a.cost - b.cost).abs() <= 1e-9 * b.cost.max(1.0), "{} vs {}", a.cost, b.cost);
        prop_assert!((a.jtj - b.jtj).amax() <= 1e-9 * b.jtj.amax().max(1.0));
    }
}
