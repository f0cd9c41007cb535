//! Tests of the fits: recovery of known ellipses, homographies and projected centres under
//! noise and outliers, and `None` (never a panic) on degenerate input. Every random draw is
//! seeded: proptest runs from a fixed seed, and noise comes from the module's `SplitMix64`.

use nalgebra::Matrix3;
use proptest::prelude::*;

use super::rng::SplitMix64;
use super::*;
use crate::geometry::{Conic, Ellipse, Homography};
use crate::test_support::seeded;

/// Standard deviation of the simulated edge noise, in pixels.
const SIGMA_PX: f64 = 0.05;

/// A standard normal draw by the Box–Muller transform.
fn gauss(rng: &mut SplitMix64) -> f64 {
    let u = 1.0 - rng.unit_f64();
    let v = rng.unit_f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// `n` points of `e` spread evenly over the parameter arc `[start, start + span]`, each moved
/// by isotropic Gaussian noise of deviation `sigma`.
fn arc_points(
    e: &Ellipse,
    start: f64,
    span: f64,
    n: usize,
    sigma: f64,
    rng: &mut SplitMix64,
) -> Vec<[f64; 2]> {
    (0..n)
        .map(|k| {
            let t = start + span * k as f64 / (n - 1) as f64;
            let [x, y] = e.point_at(t);
            [x + sigma * gauss(rng), y + sigma * gauss(rng)]
        })
        .collect()
}

/// Largest of the centre distance and the two axis errors, in pixels.
fn ellipse_error(fit: &Ellipse, truth: &Ellipse) -> (f64, f64) {
    let center =
        (fit.center_px[0] - truth.center_px[0]).hypot(fit.center_px[1] - truth.center_px[1]);
    let axes = (fit.semi_major_px - truth.semi_major_px)
        .abs()
        .max((fit.semi_minor_px - truth.semi_minor_px).abs());
    (center, axes)
}

/// The map from board millimetres to image pixels of a pinhole camera with focal length `f`
/// and principal point `pp`, looking at the board from distance `d` along its axis, the board
/// tilted by `tilt` about an in-plane axis at angle `axis`, rolled by `roll`, and the camera
/// shifted by `shift` (mm) parallel to the image plane.
fn camera_homography(
    f: f64,
    pp: [f64; 2],
    tilt: f64,
    axis: f64,
    roll: f64,
    d: f64,
    shift: [f64; 2],
) -> Homography {
    use nalgebra::{Rotation3, Unit, Vector3};
    let tilt_axis = Unit::new_normalize(Vector3::new(axis.cos(), axis.sin(), 0.0));
    let r = Rotation3::from_axis_angle(&Vector3::z_axis(), roll)
        * Rotation3::from_axis_angle(&tilt_axis, tilt);
    let r = r.matrix();
    let k = Matrix3::new(f, 0.0, pp[0], 0.0, f, pp[1], 0.0, 0.0, 1.0);
    let rt = Matrix3::from_columns(&[
        r.column(0).into_owned(),
        r.column(1).into_owned(),
        Vector3::new(shift[0], shift[1], d),
    ]);
    Homography::from_matrix(&(k * rt))
}

/// A camera looking at a marker of outer radius `r1_mm` so that it appears `radius_px` large,
/// with tilt up to 60° and the principal point anywhere in a 20 000 px image.
fn arb_view() -> impl Strategy<Value = (Homography, f64)> {
    (
        (1000.0f64..5000.0, 0.0f64..20000.0, 0.0f64..20000.0),
        (0.0f64..60f64.to_radians(), -3.2f64..3.2, -3.2f64..3.2),
        (5.0f64..200.0, 1.0f64..20.0, -0.3f64..0.3, -0.3f64..0.3),
    )
        .prop_map(|((f, px, py), (tilt, axis, roll), (radius_px, r1_mm, sx, sy))| {
            let d = f * r1_mm / radius_px;
            (camera_homography(f, [px, py], tilt, axis, roll, d, [sx * d, sy * d]), r1_mm)
        })
}

/// The angle between two homogeneous lines, as the norm of the cross product of unit vectors.
fn line_mismatch(a: [f64; 3], b: [f64; 3]) -> f64 {
    let (a, b) = (Vector3::from(a), Vector3::from(b));
    a.normalize().cross(&b.normalize()).norm()
}

#[test]
fn rng_is_deterministic_and_samples_distinct_indices() {
    let (mut a, mut b) = (SplitMix64::new(7), SplitMix64::new(7));
    for _ in 0..100 {
        assert_eq!(a.next_u64(), b.next_u64());
        let s = a.distinct::<5>(6).expect("6 >= 5");
        let _ = b.distinct::<5>(6);
        for (i, x) in s.iter().enumerate() {
            assert!(*x < 6 && !s[..i].contains(x), "{s:?}");
        }
    }
    assert_eq!(a.distinct::<5>(4), None);
}

#[test]
fn sampson_distance_of_a_circle_is_the_radial_distance_to_first_order() {
    let circle = Conic::circle([10_000.0, 5_000.0], 50.0);
    for d in [0.0, 0.1, -0.5, 2.0] {
        let p = [10_000.0 + 50.0 + d, 5_000.0];
        let s = sampson_distance(&circle, p);
        // For a circle, |r² − R²| / 2r = |d| (2R + d) / 2(R + d), exact up to that factor.
        let expected = d.abs() * (100.0 + d) / (2.0 * (50.0 + d));
        assert!((s - expected).abs() < 1e-9, "d = {d}: {s} vs {expected}");
    }
    assert!(sampson_distance(&circle, [f64::NAN, 0.0]).is_nan());
}

#[test]
fn direct_fit_is_exact_on_exact_points() {
    let truth = Ellipse {
        center_px: [19_000.0, 17_500.0],
        semi_major_px: 40.0,
        semi_minor_px: 12.0,
        angle_rad: 0.7,
    };
    for n in [5, 6, 50] {
        let points: Vec<_> = (0..n).map(|k| truth.point_at(1.3 * f64::from(k))).collect();
        let fit = fit_conic_direct(&points, None).and_then(|c| c.to_ellipse()).expect("ellipse");
        let (center, axes) = ellipse_error(&fit, &truth);
        assert!(center < 1e-6 && axes < 1e-6, "n = {n}: {fit:?}");
    }
}

#[test]
fn robust_fit_rejects_thirty_percent_outliers() {
    let truth = Ellipse {
        center_px: [3_200.0, 1_800.0],
        semi_major_px: 60.0,
        semi_minor_px: 35.0,
        angle_rad: -0.4,
    };
    let mut rng = SplitMix64::new(11);
    let n_in = 140;
    let mut points = arc_points(&truth, 0.0, std::f64::consts::TAU, n_in, SIGMA_PX, &mut rng);
    let true_conic = truth.to_conic();
    while points.len() < 200 {
        // Clutter in the bounding box, at least 3 px from the curve.
        let p =
            [3_200.0 + 140.0 * (rng.unit_f64() - 0.5), 1_800.0 + 140.0 * (rng.unit_f64() - 0.5)];
        if sampson_distance(&true_conic, p) > 3.0 {
            points.push(p);
        }
    }
    let mut scratch = FitScratch::default();
    let fit =
        fit_ellipse_robust(&points, &RobustEllipseParams::default(), &mut scratch).expect("a fit");
    let (center, axes) = ellipse_error(&fit.ellipse, &truth);
    assert!(center < 0.02 && axes < 0.02, "centre {center} px, axes {axes} px");
    assert!(fit.rms_px < 2.0 * SIGMA_PX, "rms {}", fit.rms_px);
    assert_eq!(fit.n_inliers, n_in);
    assert!(scratch.inliers[..n_in].iter().all(|&i| i));
    assert!(scratch.inliers[n_in..].iter().all(|&i| !i));
    // A second call reuses the scratch and gives the same answer.
    let again = fit_ellipse_robust(&points, &RobustEllipseParams::default(), &mut scratch);
    assert_eq!(again, Some(fit));
}

#[test]
fn homography_is_exact_from_four_and_from_many_points() {
    let h = camera_homography(3000.0, [18_000.0, 9_000.0], 0.9, 0.3, 0.2, 600.0, [40.0, -30.0]);
    let square = [[-50.0, -50.0], [50.0, -50.0], [50.0, 50.0], [-50.0, 50.0]];
    let grid: Vec<[f64; 2]> = (0..100)
        .map(|k| [f64::from(k % 10) * 20.0 - 90.0, f64::from(k / 10) * 20.0 - 90.0])
        .collect();
    for src in [&square[..], &grid[..]] {
        let dst: Vec<_> = src.iter().map(|&p| h.apply(p).expect("finite")).collect();
        let fit = fit_homography(src, &dst, None).expect("a homography");
        for &p in &grid {
            let (a, b) = (fit.apply(p).expect("finite"), h.apply(p).expect("finite"));
            assert!((a[0] - b[0]).hypot(a[1] - b[1]) < 1e-6, "{a:?} vs {b:?}");
        }
    }
}

#[test]
fn homography_ransac_rejects_forty_percent_outliers() {
    let h = camera_homography(2000.0, [1_000.0, 800.0], 0.8, 1.1, -0.5, 500.0, [-20.0, 10.0]);
    let mut rng = SplitMix64::new(5);
    let src: Vec<[f64; 2]> = (0..100)
        .map(|k| [f64::from(k % 10) * 20.0 - 90.0, f64::from(k / 10) * 20.0 - 90.0])
        .collect();
    let mut dst: Vec<[f64; 2]> = src.iter().map(|&p| h.apply(p).expect("finite")).collect();
    let is_outlier: Vec<bool> = (0..src.len()).map(|k| k % 5 < 2).collect();
    for (q, &out) in dst.iter_mut().zip(&is_outlier) {
        if out {
            // Move outliers 20 to 200 px in a random direction.
            let (r, t) = (20.0 + 180.0 * rng.unit_f64(), std::f64::consts::TAU * rng.unit_f64());
            *q = [q[0] + r * t.cos(), q[1] + r * t.sin()];
        } else {
            *q = [q[0] + 0.1 * gauss(&mut rng), q[1] + 0.1 * gauss(&mut rng)];
        }
    }
    let mut scratch = FitScratch::default();
    let fit =
        fit_homography_ransac(&src, &dst, &RansacParams::default(), &mut scratch).expect("a fit");
    assert_eq!(fit.n_inliers, 60);
    let marks: Vec<bool> = scratch.inliers.iter().map(|&i| !i).collect();
    assert_eq!(marks, is_outlier);
    let worst = src
        .iter()
        .map(|&p| {
            let (a, b) = (fit.homography.apply(p).expect("finite"), h.apply(p).expect("finite"));
            (a[0] - b[0]).hypot(a[1] - b[1])
        })
        .fold(0.0, f64::max);
    // The noise is 0.1 px per coordinate; the fit from 60 inliers is within twice that.
    assert!(worst < 0.2, "worst transfer error {worst} px");
    assert!(fit.rms_px < 0.2, "rms {}", fit.rms_px);
    // The result is the least-squares fit on exactly the true inliers.
    let weights: Vec<f64> = is_outlier.iter().map(|&o| if o { 0.0 } else { 1.0 }).collect();
    let reference = fit_homography(&src, &dst, Some(&weights)).expect("a fit");
    for &p in &src {
        let (a, b) =
            (fit.homography.apply(p).expect("finite"), reference.apply(p).expect("finite"));
        assert!((a[0] - b[0]).hypot(a[1] - b[1]) < 1e-9);
    }
}

#[test]
fn degenerate_input_gives_none() {
    let nan = [f64::NAN, 1.0];
    let line: Vec<[f64; 2]> = (0..20).map(|k| [f64::from(k), 2.0 * f64::from(k) + 1.0]).collect();
    let same = vec![[3.0, 4.0]; 20];
    let circle: Vec<[f64; 2]> = (0..20)
        .map(|k| {
            Ellipse {
                center_px: [0.0, 0.0],
                semi_major_px: 10.0,
                semi_minor_px: 10.0,
                angle_rad: 0.0,
            }
            .point_at(f64::from(k))
        })
        .collect();
    let mut with_nan = circle.clone();
    with_nan[3] = nan;
    let mut scratch = FitScratch::default();
    let robust = RobustEllipseParams::default();
    for points in [&[][..], &circle[..4], &line, &same, &with_nan] {
        assert_eq!(fit_conic_direct(points, None), None);
    }
    assert_eq!(fit_conic_direct(&circle, Some(&[1.0; 3])), None, "weights of the wrong length");
    assert_eq!(fit_conic_direct(&circle, Some(&[-1.0; 20])), None, "negative weights");
    for points in [&[][..], &circle[..4], &line, &same] {
        assert_eq!(fit_ellipse_robust(points, &robust, &mut scratch), None);
        assert!(scratch.inliers.iter().all(|&i| !i));
    }
    // A NaN among good points is an outlier to the robust fit, not a failure.
    let fit = fit_ellipse_robust(&with_nan, &robust, &mut scratch).expect("a fit");
    assert_eq!(fit.n_inliers, 19);
    assert!(!scratch.inliers[3]);
    let bad_threshold = RobustEllipseParams { inlier_threshold_px: f64::NAN, ..robust };
    assert_eq!(fit_ellipse_robust(&circle, &bad_threshold, &mut scratch), None);

    let ransac = RansacParams::default();
    let shifted: Vec<[f64; 2]> = line.iter().map(|p| [p[0] + 1.0, p[1]]).collect();
    for (src, dst) in [
        (&[][..], &[][..]),
        (&circle[..3], &circle[..3]),
        (&line[..], &shifted[..]),
        (&same[..], &circle[..]),
        (&circle[..], &circle[..19]),
    ] {
        assert_eq!(fit_homography(src, dst, None), None);
        assert_eq!(fit_homography_ransac(src, dst, &ransac, &mut scratch), None);
    }
    assert_eq!(fit_homography(&with_nan, &circle, None), None);
    let zero = Homography::from_rows([[0.0; 3]; 3]);
    assert_eq!(vanishing_line_of(&zero), None);
    let c = Conic::circle([1.0, 2.0], 3.0);
    assert_eq!(projective_center(&c, &c), None, "coincident conics");
    assert_eq!(vanishing_line(&c, &Conic { matrix: c.matrix * 2.0 }), None);
    assert_eq!(pole(&c, [f64::NAN, 0.0, 1.0]), None);
    let nan_conic = Conic { matrix: Matrix3::from_element(f64::NAN) };
    assert_eq!(projective_center(&nan_conic, &c), None);
    assert_eq!(pole(&Conic { matrix: Matrix3::zeros() }, [0.0, 0.0, 1.0]), None);
}

proptest! {
    #![proptest_config(seeded(256))]

    #[test]
    fn direct_fit_recovers_a_sampled_ellipse(
        cx in 0.0f64..20000.0, cy in 0.0f64..20000.0,
        a in 5.0f64..100.0, ratio in 0.2f64..1.0, angle in -1.5f64..1.5,
        start in 0.0f64..6.3, span_deg in 180.0f64..360.0, seed in any::<u64>(),
    ) {
        let truth = Ellipse {
            center_px: [cx, cy], semi_major_px: a, semi_minor_px: (a * ratio).max(5.0),
            angle_rad: angle,
        };
        // About one point per pixel of arc, as an edge detector gives.
        let n = ((a * span_deg.to_radians()) as usize).max(20);
        let points = arc_points(&truth, start, span_deg.to_radians(), n, SIGMA_PX, &mut SplitMix64::new(seed));
        let fit = fit_conic_direct(&points, None).and_then(|c| c.to_ellipse());
        prop_assert!(fit.is_some());
        let fit = fit.expect("checked");
        let (center, axes) = ellipse_error(&fit, &truth);
        prop_assert!(center < 10.0 * SIGMA_PX && axes < 10.0 * SIGMA_PX,
                     "centre {center} px, axes {axes} px: {fit:?} vs {truth:?}");
    }

    #[test]
    fn concentric_circles_give_the_projected_centre(
        (h, r1) in arb_view(), k in 0.3f64..0.85, ox in -2.0f64..2.0, oy in -2.0f64..2.0,
    ) {
        let center_mm = [ox * r1, oy * r1];
        let outer = Conic::circle(center_mm, r1).mapped_by(&h).expect("invertible");
        let inner = Conic::circle(center_mm, k * r1).mapped_by(&h).expect("invertible");
        let truth = h.apply(center_mm).expect("in front of the camera");
        let close = |p: Option<[f64; 2]>| p.is_some_and(|p| (p[0] - truth[0]).hypot(p[1] - truth[1]) < 1e-6);
        let center = projective_center(&outer, &inner);
        prop_assert!(close(center), "{center:?} vs {truth:?}");
        let horizon = vanishing_line_of(&h).expect("a line");
        let from_pole = pole(&outer, horizon);
        prop_assert!(close(from_pole), "{from_pole:?} vs {truth:?}");
        let line = vanishing_line(&outer, &inner).expect("a line");
        prop_assert!(line_mismatch(line, horizon) < 1e-9, "{line:?} vs {horizon:?}");
    }

    #[test]
    fn fits_never_panic(points in prop::collection::vec(
        (prop::num::f64::ANY, prop::num::f64::ANY).prop_map(|(x, y)| [x, y]), 0..12)) {
        let mut scratch = FitScratch::default();
        let _ = fit_conic_direct(&points, None);
        let _ = fit_ellipse_robust(&points, &RobustEllipseParams::default(), &mut scratch);
        prop_assert_eq!(scratch.inliers.len(), points.len());
        let half = points.len() / 2;
        let _ = fit_homography(&points[..half], &points[half..2 * half], None);
        let _ = fit_homography_ransac(&points[..half], &points[half..2 * half], &RansacParams::default(), &mut scratch);
        if let [a, b, c, d, e, f, g, ..] = points[..] {
            let m = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| Conic {
                matrix: Matrix3::new(p[0], p[1], q[0], p[1], q[1], r[0], q[0], r[0], r[1]),
            };
            let (outer, inner) = (m(a, b, c), m(d, e, f));
            let _ = projective_center(&outer, &inner);
            let _ = vanishing_line(&outer, &inner);
            let _ = pole(&outer, [g[0], g[1], 1.0]);
        }
    }

    #[test]
    fn fitted_concentric_rings_give_the_projected_centre(
        (h, r1) in arb_view(), k in 0.3f64..0.85, ox in -2.0f64..2.0, oy in -2.0f64..2.0,
        seed in any::<u64>(),
    ) {
        let center_mm = [ox * r1, oy * r1];
        let mut rng = SplitMix64::new(seed);
        let mut scratch = FitScratch::default();
        let mut fit_ring = |r: f64| {
            let circle = Ellipse { center_px: center_mm, semi_major_px: r, semi_minor_px: r, angle_rad: 0.0 };
            let image_at = |t: f64| h.apply(circle.point_at(t)).expect("in front of the camera");
            // About one edge point per pixel of the ring's image.
            let step = std::f64::consts::TAU / 256.0;
            let length: f64 = (0..256).map(|i| {
                let (a, b) = (image_at(step * f64::from(i)), image_at(step * f64::from(i + 1)));
                (a[0] - b[0]).hypot(a[1] - b[1])
            }).sum();
            let n = (length as usize).max(20);
            let points: Vec<[f64; 2]> = (0..n).map(|i| {
                let p = image_at(std::f64::consts::TAU * i as f64 / n as f64);
                [p[0] + SIGMA_PX * gauss(&mut rng), p[1] + SIGMA_PX * gauss(&mut rng)]
            }).collect();
            fit_ellipse_robust(&points, &RobustEllipseParams::default(), &mut scratch).map(|f| f.conic)
        };
        let (outer, inner) = (fit_ring(r1), fit_ring(k * r1));
        prop_assert!(outer.is_some() && inner.is_some());
        let (outer, inner) = (outer.expect("checked"), inner.expect("checked"));
        let truth = h.apply(center_mm).expect("in front of the camera");
        let center = projective_center(&outer, &inner).expect("a centre");
        let error = (center[0] - truth[0]).hypot(center[1] - truth[1]);
        prop_assert!(error < 5.0 * SIGMA_PX, "error {error} px");
    }
}

#[test]
fn ransac_stops_once_a_clean_sample_is_likely_enough() {
    use super::ellipse::samples_needed;
    // 95 % inliers: a 5-point sample is clean with probability 0.774, so three samples miss
    // with probability 0.226³ ≈ 1.2 %, and the fourth reaches 99 %.
    let n = samples_needed(0.95, 0.99);
    assert!((3.0..4.0).contains(&n), "{n}");
    // 70 % inliers is the case the 24-sample cap was sized for: about 25 samples.
    let n = samples_needed(0.7, 0.99);
    assert!((24.0..26.0).contains(&n), "{n}");
    assert_eq!(samples_needed(1.0, 0.99), 0.0, "all inliers: the first sample will do");
    for never in
        [samples_needed(0.0, 0.99), samples_needed(0.9, 1.0), samples_needed(0.9, f64::NAN)]
    {
        assert_eq!(never, f64::INFINITY);
    }
}

#[test]
fn stopping_ransac_early_finds_the_ellipse_every_sample_finds() {
    let truth = Ellipse {
        center_px: [410.0, 305.0],
        semi_major_px: 24.0,
        semi_minor_px: 17.0,
        angle_rad: 0.7,
    };
    let mut rng = SplitMix64::new(29);
    let mut points = arc_points(&truth, 0.0, std::f64::consts::TAU, 96, SIGMA_PX, &mut rng);
    // A few edges of a neighbouring ring or the code band, as a real ray set has.
    for k in 0..6 {
        let angle = f64::from(k) * 1.1;
        points.push([410.0 + 31.0 * angle.cos(), 305.0 + 31.0 * angle.sin()]);
    }
    let mut scratch = FitScratch::default();
    let early = RobustEllipseParams::default();
    let every = RobustEllipseParams { ransac_confidence: 1.0, ..early };
    let a = fit_ellipse_robust(&points, &early, &mut scratch).expect("a fit");
    let b = fit_ellipse_robust(&points, &every, &mut scratch).expect("a fit");
    assert_eq!(a.n_inliers, b.n_inliers);
    let (center, axes) = ellipse_error(&a.ellipse, &b.ellipse);
    assert!(center < 1e-6 && axes < 1e-6, "centre {center} px, axes {axes} px apart");
    let (center, _) = ellipse_error(&a.ellipse, &truth);
    assert!(center < 0.02, "centre {center} px from the truth");
}

proptest! {
    #![proptest_config(seeded(128))]

    /// The scatter blocks summed as moments are the sums of the monomials' outer products, to
    /// rounding, with and without weights (zero weights skip their point, which may then be
    /// anything).
    #[test]
    fn moment_scatter_equals_the_outer_products(
        points in prop::collection::vec((-500.0f64..500.0, -500.0f64..500.0), 5..40),
        weights in prop::collection::vec(prop_oneof![Just(0.0f64), 0.0f64..2.0], 40),
        weighted in any::<bool>(),
    ) {
        let points: Vec<[f64; 2]> = points.into_iter().map(|(x, y)| [x, y]).collect();
        let weights = weighted.then(|| &weights[..points.len()]);
        let Some(norm) = Normalizer::new(&points, weights, 5) else { return Ok(()) };
        let (s1, s2, s3) = ellipse::scatter_blocks(&points, weights, &norm);
        let (mut r1, mut r2, mut r3) = (Matrix3::zeros(), Matrix3::zeros(), Matrix3::zeros());
        for (i, &p) in points.iter().enumerate() {
            let w = weights.map_or(1.0, |w| w[i]);
            let [x, y] = norm.apply(p);
            let quad = Vector3::new(x * x, x * y, y * y);
            let lin = Vector3::new(x, y, 1.0);
            r1 += quad * quad.transpose() * w;
            r2 += quad * lin.transpose() * w;
            r3 += lin * lin.transpose() * w;
        }
        for (got, want) in [(s1, r1), (s2, r2), (s3, r3)] {
            let scale = want.norm().max(1.0);
            prop_assert!((got - want).norm() <= 1e-12 * scale, "{got} vs {want}");
        }
    }
}
