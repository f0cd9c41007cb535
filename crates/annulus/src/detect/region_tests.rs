//! Tests of how large a patch the model refinement fits: the region sized by the blur it
//! allows, measured along the marker's narrowest image radius, the image radii of a pose, and
//! the bounding box the region's pixels are gathered from.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use super::fit_region::{fit_region_radii, region_box};
use super::marker_render::{MarkerPose, PatchFrame, Pattern, inverse2};
use super::model::MarkerModel;
use super::sampler::Frames;
use crate::board::Board;

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

    /// `refine_model::prepare` tests only the two ends of each row's run of region cells and
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
