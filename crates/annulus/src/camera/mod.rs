//! Camera model: pinhole intrinsics with optional Brown–Conrady lens distortion.
//!
//! Camera frame: x right, y down, z forward along the optical axis (OpenCV's convention), in
//! millimetres. A point `(X, Y, Z)` with `Z > 0` has normalised coordinates `(X/Z, Y/Z)`; the
//! lens distorts those ([`BrownConrady`]), and the intrinsics turn them into pixels:
//! `u = fx · x + cx`, `v = fy · y + cy` (pixel centres at integers, see [`crate::geometry`]).
//! The *undistorted* image is what the same intrinsics give without the distortion step.

mod distortion;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Format, Result};

pub use distortion::BrownConrady;

/// Pinhole intrinsics and optional lens distortion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Camera {
    /// Focal length along x, in pixels.
    pub fx: f64,
    /// Focal length along y, in pixels.
    pub fy: f64,
    /// Principal point x, in pixels (`(width - 1) / 2` for a centred optical axis).
    pub cx: f64,
    /// Principal point y, in pixels.
    pub cy: f64,
    /// Lens distortion; absent means an ideal pinhole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distortion: Option<BrownConrady>,
}

impl Camera {
    /// A distortion-free camera with square pixels and the principal point at the centre of a
    /// `width × height` image.
    pub fn centered(focal_px: f64, width: u32, height: u32) -> Self {
        Self {
            fx: focal_px,
            fy: focal_px,
            cx: 0.5 * (f64::from(width) - 1.0),
            cy: 0.5 * (f64::from(height) - 1.0),
            distortion: None,
        }
    }

    /// Parses and validates a camera written in `format`.
    pub fn parse(text: &str, format: Format) -> Result<Self> {
        let camera: Self = format.deserialize(text)?;
        camera.validate()?;
        Ok(camera)
    }

    /// Checks that every parameter is finite and the focal lengths positive.
    pub fn validate(&self) -> Result<()> {
        for (field, value) in [("camera.fx", self.fx), ("camera.fy", self.fy)] {
            if !(value.is_finite() && value > 0.0) {
                return Err(Error::NotPositive { field, value });
            }
        }
        for (field, value) in [("camera.cx", self.cx), ("camera.cy", self.cy)] {
            if !value.is_finite() {
                return Err(Error::OutOfRange { field, value, expected: "a finite number" });
            }
        }
        self.distortion.as_ref().map_or(Ok(()), BrownConrady::validate)
    }

    /// Projects a camera-frame point to undistorted pixels; `None` behind or on the camera
    /// plane.
    pub fn project_undistorted(&self, [x, y, z]: [f64; 3]) -> Option<[f64; 2]> {
        (z > 0.0).then(|| self.pixel_from_normalized([x / z, y / z]))
    }

    /// Projects a camera-frame point to image pixels, distortion included.
    pub fn project(&self, xyz_cam_mm: [f64; 3]) -> Option<[f64; 2]> {
        self.project_undistorted(xyz_cam_mm).map(|p| self.distort_px(p))
    }

    /// Maps an undistorted pixel to the image pixel where the lens puts it.
    pub fn distort_px(&self, undistorted_px: [f64; 2]) -> [f64; 2] {
        match &self.distortion {
            None => undistorted_px,
            Some(d) => {
                self.pixel_from_normalized(d.distort(self.normalized_from_pixel(undistorted_px)))
            }
        }
    }

    /// Maps an image pixel back to the undistorted pixel it came from.
    ///
    /// Fails where the distortion model folds over (far outside the calibrated field of view),
    /// because there the inverse is not unique.
    pub fn undistort_px(&self, image_px: [f64; 2]) -> Result<[f64; 2]> {
        match &self.distortion {
            None => Ok(image_px),
            Some(d) => d
                .undistort(self.normalized_from_pixel(image_px))
                .map(|n| self.pixel_from_normalized(n))
                .ok_or(Error::Undistort { x: image_px[0], y: image_px[1] }),
        }
    }

    /// Normalised coordinates of a pixel.
    pub fn normalized_from_pixel(&self, [u, v]: [f64; 2]) -> [f64; 2] {
        [(u - self.cx) / self.fx, (v - self.cy) / self.fy]
    }

    /// Pixel of normalised coordinates.
    pub fn pixel_from_normalized(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        [self.fx * x + self.cx, self.fy * y + self.cy]
    }
}
