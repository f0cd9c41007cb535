//! annulus's camera as ringgrid's `CameraModel`.
//!
//! Both libraries use the pinhole model with Brown–Conrady distortion in OpenCV's form: on
//! normalised coordinates `(x, y)` with `r² = x² + y²`,
//! `x_d = x (1 + k1 r² + k2 r⁴ + k3 r⁶) + 2 p1 x y + p2 (r² + 2 x²)` and
//! `y_d = y (1 + k1 r² + k2 r⁴ + k3 r⁶) + p1 (r² + 2 y²) + 2 p2 x y`, then
//! `u = fx · x_d + cx`, `v = fy · y_d + cy`. The coefficients therefore copy field by field
//! (`k1`, `k2`, `p1`, `p2`, `k3` carry the same names in both), and so do the intrinsics.
//!
//! Pixel convention: annulus puts pixel centres at integer coordinates (see
//! [`annulus::geometry`]); ringgrid's intrinsics act on the same coordinates it samples images
//! at, which are integer pixel centres too (its printed targets and its image sampling both put
//! pixel `(i, j)`'s centre at `(i, j)`). `cx` and `cy` therefore copy unchanged; the
//! integration test confirms that ringgrid's centres carry no half-pixel bias against the
//! generator's truth.
//!
//! A camera without distortion becomes a `CameraModel` with all coefficients zero. The
//! conversion validates the annulus camera first, so a NaN or non-positive focal length is
//! refused here rather than silently producing ringgrid's `None` results later.

use annulus::Camera;
use ringgrid::{CameraIntrinsics, CameraModel, RadialTangentialDistortion};

use crate::error::PeerError;

/// The ringgrid camera model equal to `camera`.
pub fn ringgrid_camera(camera: &Camera) -> Result<CameraModel, PeerError> {
    camera.validate().map_err(PeerError::Config)?;
    let d = camera.distortion.unwrap_or_default();
    Ok(CameraModel {
        intrinsics: CameraIntrinsics { fx: camera.fx, fy: camera.fy, cx: camera.cx, cy: camera.cy },
        distortion: RadialTangentialDistortion { k1: d.k1, k2: d.k2, p1: d.p1, p2: d.p2, k3: d.k3 },
    })
}

#[cfg(test)]
mod tests {
    use annulus::BrownConrady;
    use ringgrid::PixelMapper;

    use super::*;

    fn camera() -> Camera {
        Camera {
            fx: 1000.0,
            fy: 1010.0,
            cx: 639.5,
            cy: 511.5,
            distortion: Some(BrownConrady { k1: -0.15, k2: 0.05, p1: 0.001, p2: -0.001, k3: 0.01 }),
        }
    }

    /// Points across a 1280 × 1024 image, corners included.
    const POINTS_PX: [[f64; 2]; 7] = [
        [0.0, 0.0],
        [1279.0, 0.0],
        [0.0, 1023.0],
        [1279.0, 1023.0],
        [639.5, 511.5],
        [100.25, 900.75],
        [1000.0, 200.0],
    ];

    #[test]
    fn both_models_distort_every_point_alike() {
        let ours = camera();
        let theirs = ringgrid_camera(&ours).expect("valid camera");
        for p in POINTS_PX {
            let a = ours.distort_px(p);
            let b = theirs.distort_pixel(p).expect("finite");
            let b_mapper = theirs.working_to_image_pixel(p).expect("finite");
            for (x, y) in [(a, b), (a, b_mapper)] {
                assert!((x[0] - y[0]).abs() < 1e-6 && (x[1] - y[1]).abs() < 1e-6, "{p:?}");
            }
        }
    }

    #[test]
    fn both_models_undistort_every_point_alike() {
        let ours = camera();
        let theirs = ringgrid_camera(&ours).expect("valid camera");
        for p in POINTS_PX {
            let a = ours.undistort_px(p).expect("inside the field of view");
            let b = theirs.image_to_working_pixel(p).expect("converges");
            assert!((a[0] - b[0]).abs() < 1e-6 && (a[1] - b[1]).abs() < 1e-6, "{p:?}: {a:?} {b:?}");
        }
    }

    #[test]
    fn a_pinhole_camera_has_zero_coefficients() {
        let pinhole = Camera::centered(1200.0, 1280, 1024);
        let model = ringgrid_camera(&pinhole).expect("valid");
        assert_eq!(model.distortion, RadialTangentialDistortion::default());
        assert_eq!(model.distort_pixel([10.0, 20.0]), Some([10.0, 20.0]));
    }

    #[test]
    fn an_invalid_camera_is_refused() {
        let bad = Camera { fx: f64::NAN, ..camera() };
        assert!(matches!(ringgrid_camera(&bad), Err(PeerError::Config(_))));
    }
}
