//! Board poses: where the board sits in front of the camera, and the homography that follows.
//!
//! The rotation is `R = R_z(roll) · R_a(tilt)`, where `R_a` turns about the in-plane axis
//! `a = (cos φ, sin φ, 0)` with azimuth `φ` uniform in `[0°, 360°)`. With `R = I` the board faces
//! the camera squarely, its x and y axes along the image's. The translation puts the board
//! centre `c` at camera point `(ox · Z / fx, oy · Z / fy, Z)`, so it projects `(ox, oy)` pixels
//! from the principal point at depth `Z`. The board-to-undistorted-image homography is then
//! `H = K [r₁ r₂ t]` (Zhang, "A flexible new technique for camera calibration", 2000).

use annulus::{Camera, Homography};
use nalgebra::{Matrix3, Rotation3, Unit, Vector3};
use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::scenario::PoseRanges;
use crate::streams::{Purpose, stream_rng};

/// A board pose and the draws that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pose {
    /// Rotation from board-frame to camera-frame vectors, row-major.
    pub rotation_cam_from_board: [[f64; 3]; 3],
    /// Camera-frame position of the board origin (the centre of marker 0).
    pub translation_cam_from_board_mm: [f64; 3],
    /// Depth of the board centre.
    pub distance_mm: f64,
    /// Angle between the board normal and the optical axis.
    pub tilt_deg: f64,
    /// Direction of the tilt axis in the board plane, from board +x towards +y.
    pub tilt_azimuth_deg: f64,
    /// Rotation about the optical axis.
    pub roll_deg: f64,
    /// Where the board centre projects, relative to the principal point.
    pub offset_px: [f64; 2],
}

impl Pose {
    /// Draws the pose of image `image_index` from the scenario's pose stream.
    pub fn sample(
        ranges: &PoseRanges,
        camera: &Camera,
        center_board_mm: [f64; 2],
        seed: u64,
        image_index: u32,
    ) -> Self {
        let mut rng = stream_rng(seed, image_index, Purpose::Pose, 0);
        // Always draw every value in this order, so that poses do not depend on which ranges
        // happen to be fixed.
        let mut draw = || rng.random::<f64>();
        let distance_mm = ranges.distance_mm.lerp(draw());
        let tilt_deg = ranges.tilt_deg.lerp(draw());
        let tilt_azimuth_deg = 360.0 * draw();
        let roll_deg = ranges.roll_deg.lerp(draw());
        let offset_px = [ranges.offset_x_px.lerp(draw()), ranges.offset_y_px.lerp(draw())];
        Self::from_parameters(
            camera,
            center_board_mm,
            distance_mm,
            tilt_deg,
            tilt_azimuth_deg,
            roll_deg,
            offset_px,
        )
    }

    /// The pose with the given parameters (see the module docs for their meaning).
    pub fn from_parameters(
        camera: &Camera,
        center_board_mm: [f64; 2],
        distance_mm: f64,
        tilt_deg: f64,
        tilt_azimuth_deg: f64,
        roll_deg: f64,
        offset_px: [f64; 2],
    ) -> Self {
        let azimuth = tilt_azimuth_deg.to_radians();
        let axis = Unit::new_normalize(Vector3::new(azimuth.cos(), azimuth.sin(), 0.0));
        let tilt = Rotation3::from_axis_angle(&axis, tilt_deg.to_radians());
        let roll = Rotation3::from_axis_angle(&Vector3::z_axis(), roll_deg.to_radians());
        let r = (roll * tilt).into_inner();
        let center_cam = Vector3::new(
            offset_px[0] * distance_mm / camera.fx,
            offset_px[1] * distance_mm / camera.fy,
            distance_mm,
        );
        let t = center_cam - r * Vector3::new(center_board_mm[0], center_board_mm[1], 0.0);
        Self {
            rotation_cam_from_board: [0, 1, 2].map(|i| [r[(i, 0)], r[(i, 1)], r[(i, 2)]]),
            translation_cam_from_board_mm: [t.x, t.y, t.z],
            distance_mm,
            tilt_deg,
            tilt_azimuth_deg,
            roll_deg,
            offset_px,
        }
    }

    /// Camera-frame position of a board point.
    pub fn cam_from_board(&self, [x, y]: [f64; 2]) -> [f64; 3] {
        let r = &self.rotation_cam_from_board;
        let t = &self.translation_cam_from_board_mm;
        [0, 1, 2].map(|i| r[i][0] * x + r[i][1] * y + t[i])
    }

    /// The homography from board millimetres to undistorted image pixels, `K [r₁ r₂ t]`.
    pub fn img_from_board(&self, camera: &Camera) -> Homography {
        Homography::from_matrix(&self.projection_matrix(camera))
    }

    /// `K [r₁ r₂ t]` without normalisation: its third output coordinate is the depth of the
    /// board point, so its sign tells points in front of the camera from points behind.
    pub(crate) fn projection_matrix(&self, camera: &Camera) -> Matrix3<f64> {
        let k = Matrix3::new(camera.fx, 0.0, camera.cx, 0.0, camera.fy, camera.cy, 0.0, 0.0, 1.0);
        let r = &self.rotation_cam_from_board;
        let t = &self.translation_cam_from_board_mm;
        let rt =
            Matrix3::new(r[0][0], r[0][1], t[0], r[1][0], r[1][1], t[1], r[2][0], r[2][1], t[2]);
        k * rt
    }
}
