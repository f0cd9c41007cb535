//! Tests of homographies and conics: round trips, Jacobians, imaged circles.

use proptest::prelude::*;

use crate::test_support::seeded;

use super::*;

/// A homography of the kind a camera produces: a tilted, rotated plane seen from a distance.
fn arb_homography() -> impl Strategy<Value = Homography> {
    (
        0.5f64..2.0,
        -3.2f64..3.2,
        -5e-4f64..5e-4,
        -5e-4f64..5e-4,
        -200.0f64..200.0,
        -200.0f64..200.0,
        0.7f64..1.3,
    )
        .prop_map(|(scale, angle, g, h, tx, ty, aspect)| {
            let (s, c) = angle.sin_cos();
            Homography::from_rows([
                [scale * c, -scale * s * aspect, tx],
                [scale * s, scale * c * aspect, ty],
                [g, h, 1.0],
            ])
        })
}

fn close(a: [f64; 2], b: [f64; 2], tol: f64) -> bool {
    (a[0] - b[0]).abs() <= tol && (a[1] - b[1]).abs() <= tol
}

#[test]
fn points_at_infinity_have_no_image() {
    let h = Homography::from_rows([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]);
    assert_eq!(h.apply([0.0, 5.0]), None);
    assert_eq!(Homography::IDENTITY.apply([f64::NAN, 1.0]), None);
    let singular = Homography::from_rows([[1.0, 2.0, 0.0], [2.0, 4.0, 0.0], [0.0, 0.0, 1.0]]);
    assert_eq!(singular.inverse(), None);
}

#[test]
fn circle_conic_is_the_circle() {
    let e = Conic::circle([3.0, -2.0], 5.0).to_ellipse().expect("an ellipse");
    assert!(close(e.center_px, [3.0, -2.0], 1e-12));
    assert!((e.semi_major_px - 5.0).abs() < 1e-12 && (e.semi_minor_px - 5.0).abs() < 1e-12);
}

#[test]
fn hyperbolas_and_empty_conics_are_not_ellipses() {
    let hyperbola =
        Conic { matrix: nalgebra::Matrix3::new(1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, -1.0) };
    assert_eq!(hyperbola.to_ellipse(), None);
    let empty =
        Conic { matrix: nalgebra::Matrix3::new(1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0) };
    assert_eq!(empty.to_ellipse(), None);
}

#[test]
fn axis_aligned_ellipses_report_the_right_axis() {
    for (a, b, angle) in [(4.0, 2.0, 0.0), (2.0, 4.0, std::f64::consts::FRAC_PI_2)] {
        // x²/a² + y²/b² = 1 with a < b puts the major axis along y.
        let m = nalgebra::Matrix3::new(
            1.0 / (a * a),
            0.0,
            0.0,
            0.0,
            1.0 / (b * b),
            0.0,
            0.0,
            0.0,
            -1.0,
        );
        let e = Conic { matrix: m }.to_ellipse().expect("an ellipse");
        assert!((e.angle_rad - angle).abs() < 1e-12, "{e:?}");
        assert!((e.semi_major_px - a.max(b)).abs() < 1e-12);
    }
}

#[test]
fn the_image_of_a_circle_centre_is_not_the_ellipse_centre_under_tilt() {
    // Strong perspective: the ellipse centre shifts away from the projected centre, which is
    // the bias that the detector's projective centre must remove.
    let h = Homography::from_rows([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.02, 0.0, 1.0]]);
    let e = Conic::circle([10.0, 0.0], 4.0)
        .mapped_by(&h)
        .and_then(|c| c.to_ellipse())
        .expect("ellipse");
    let projected = h.apply([10.0, 0.0]).expect("finite");
    assert!((e.center_px[0] - projected[0]).abs() > 0.01, "{e:?} vs {projected:?}");
}

proptest! {
    #![proptest_config(seeded(256))]

    #[test]
    fn homography_round_trips(h in arb_homography(), x in -100.0f64..100.0, y in -100.0f64..100.0) {
        let inv = h.inverse().expect("invertible");
        let there = h.apply([x, y]).expect("finite");
        let back = inv.apply(there).expect("finite");
        prop_assert!(close(back, [x, y], 1e-9), "{:?} -> {:?} -> {:?}", [x, y], there, back);
        let id = inv.after(&h);
        prop_assert!(close(id.apply([x, y]).expect("finite"), [x, y], 1e-9));
    }

    #[test]
    fn jacobian_matches_finite_differences(h in arb_homography(), x in -100.0f64..100.0, y in -100.0f64..100.0) {
        let j = h.jacobian([x, y]).expect("finite");
        let step = 1e-5;
        for (axis, d) in [(0, [step, 0.0]), (1, [0.0, step])] {
            let plus = h.apply([x + d[0], y + d[1]]).expect("finite");
            let minus = h.apply([x - d[0], y - d[1]]).expect("finite");
            for row in 0..2 {
                let numeric = (plus[row] - minus[row]) / (2.0 * step);
                prop_assert!((numeric - j[row][axis]).abs() < 1e-6 * (1.0 + numeric.abs()));
            }
        }
    }

    #[test]
    fn ellipse_conic_round_trip(cx in -500.0f64..500.0, cy in -500.0f64..500.0, a in 1.0f64..100.0,
                                ratio in 0.1f64..0.999, angle in -1.5f64..1.5) {
        let e = Ellipse { center_px: [cx, cy], semi_major_px: a, semi_minor_px: a * ratio, angle_rad: angle };
        let back = e.to_conic().to_ellipse().expect("an ellipse");
        prop_assert!(close(back.center_px, e.center_px, 1e-7));
        prop_assert!((back.semi_major_px - e.semi_major_px).abs() < 1e-7);
        prop_assert!((back.semi_minor_px - e.semi_minor_px).abs() < 1e-7);
        prop_assert!((back.angle_rad - e.angle_rad).abs() < 1e-6);
        for t in [0.0, 1.0, 2.5, 4.0] {
            prop_assert!(e.to_conic().eval(e.point_at(t)).abs() < 1e-9);
        }
    }

    #[test]
    fn mapped_circle_passes_through_mapped_points(h in arb_homography(), cx in -50.0f64..50.0,
                                                  cy in -50.0f64..50.0, r in 1.0f64..20.0) {
        let image = Conic::circle([cx, cy], r).mapped_by(&h).expect("invertible");
        let ellipse = image.to_ellipse().expect("a circle near the centre maps to an ellipse");
        let scale = ellipse.semi_major_px;
        for k in 0..12 {
            let t = f64::from(k) * std::f64::consts::TAU / 12.0;
            let p = h.apply([cx + r * t.cos(), cy + r * t.sin()]).expect("finite");
            // Compare in distance terms: the ellipse through p at its own scale.
            let residual = image.eval(p).abs() / image.matrix.norm();
            prop_assert!(residual < 1e-9 * (1.0 + scale * scale), "residual {residual}");
        }
    }
}
