//! Tests of the camera model: projection, distortion round trips, validation.

use proptest::prelude::*;

use crate::test_support::seeded;

use super::*;

fn lens() -> BrownConrady {
    BrownConrady { k1: -0.15, k2: 0.05, p1: 0.001, p2: -0.001, k3: 0.0 }
}

fn camera() -> Camera {
    Camera { distortion: Some(lens()), ..Camera::centered(1000.0, 1280, 1024) }
}

#[test]
fn optical_axis_lands_on_the_principal_point() {
    let c = camera();
    assert_eq!(c.project([0.0, 0.0, 500.0]), Some([639.5, 511.5]));
    assert_eq!(c.project([0.0, 0.0, -1.0]), None);
}

#[test]
fn distortion_moves_corners_inwards_for_negative_k1() {
    let c = camera();
    let corner = [0.0, 0.0];
    let distorted = c.distort_px(corner);
    assert!(distorted[0] > 0.0 && distorted[1] > 0.0, "{distorted:?}");
}

#[test]
fn validation_names_the_bad_parameter() {
    let bad = Camera { fy: -1.0, ..camera() };
    assert_eq!(bad.validate(), Err(Error::NotPositive { field: "camera.fy", value: -1.0 }));
    let bad = Camera { cx: f64::INFINITY, ..camera() };
    assert!(matches!(bad.validate(), Err(Error::OutOfRange { field: "camera.cx", .. })));
    let bad = Camera { distortion: Some(BrownConrady { k2: f64::NAN, ..lens() }), ..camera() };
    assert!(matches!(bad.validate(), Err(Error::OutOfRange { field: "camera.distortion.k2", .. })));
}

#[test]
fn parses_toml_and_rejects_unknown_fields() {
    let text = "fx = 1000.0\nfy = 1000.0\ncx = 639.5\ncy = 511.5\n[distortion]\nk1 = -0.15\n";
    let c = Camera::parse(text, Format::Toml).expect("valid");
    assert_eq!(c.distortion.map(|d| d.k1), Some(-0.15));
    let typo = text.replace("k1", "kl");
    let e = Camera::parse(&typo, Format::Toml).unwrap_err();
    assert!(e.to_string().contains("kl"), "{e}");
}

#[test]
fn undistortion_refuses_where_the_model_folds() {
    // With a strongly negative k1 the radial map turns back on itself beyond r ≈ 1.
    let c =
        Camera { distortion: Some(BrownConrady { k1: -0.5, ..Default::default() }), ..camera() };
    assert!(c.undistort_px([639.5 + 5000.0, 511.5]).is_err());
}

proptest! {
    #![proptest_config(seeded(256))]

    #[test]
    fn distortion_round_trips_inside_the_image(u in -50.0f64..1330.0, v in -50.0f64..1074.0) {
        let c = camera();
        let undistorted = c.undistort_px([u, v]).expect("invertible in the field of view");
        let again = c.distort_px(undistorted);
        prop_assert!((again[0] - u).abs() < 1e-9 && (again[1] - v).abs() < 1e-9);
    }

    #[test]
    fn distortion_jacobian_matches_finite_differences(x in -0.7f64..0.7, y in -0.6f64..0.6) {
        let d = BrownConrady { k3: 0.01, ..lens() };
        let j = d.jacobian([x, y]);
        let h = 1e-6;
        for axis in 0..2 {
            let mut plus = [x, y];
            let mut minus = [x, y];
            plus[axis] += h;
            minus[axis] -= h;
            let (p, m) = (d.distort(plus), d.distort(minus));
            for row in 0..2 {
                prop_assert!(((p[row] - m[row]) / (2.0 * h) - j[row][axis]).abs() < 1e-7);
            }
        }
    }
}
