//! Detector options: a serde value with documented defaults.
//!
//! Every field has a default, so `DetectConfig::default()` (or an empty TOML table) is a working
//! configuration. The only options most users set are the marker-diameter prior, which speeds up
//! the proposal stage, and the camera, which removes lens distortion before any fit.

use serde::{Deserialize, Serialize};

use crate::camera::Camera;
use crate::error::{Error, Result};

/// Default smallest outer marker diameter searched when no prior is given, in pixels. Below about
/// 20 px the code band's sectors are under 2.5 px long and decoding becomes unreliable, and
/// searching smaller scales would need a full-resolution voting pass.
pub const DEFAULT_MIN_MARKER_DIAMETER_PX: f64 = 20.0;

/// How the detector treats its input and what it reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetectConfig {
    /// Expected outer diameter of a marker in the image (outer edge of the outer ring), in
    /// pixels. `None` (the default) makes the detector find the scale itself in one
    /// multi-resolution pass over `min_marker_diameter_px ..= max_marker_diameter_px`.
    pub marker_diameter_px: Option<DiameterPrior>,
    /// Smallest outer diameter searched when there is no prior. Default
    /// [`DEFAULT_MIN_MARKER_DIAMETER_PX`].
    pub min_marker_diameter_px: f64,
    /// Largest outer diameter searched when there is no prior; `None` (the default) means half
    /// the shorter image side.
    pub max_marker_diameter_px: Option<f64>,
    /// The camera that took the images. With lens distortion given, edge points are undistorted
    /// before any fit; centres are still reported in image pixels and the homography is
    /// expressed in the undistorted frame. Default: none (fits in the raw image).
    pub camera: Option<Camera>,
    /// Search for board markers the first pass missed at the positions the homography
    /// predicts. Default `true`.
    pub complete_missing: bool,
    /// Record per-stage wall-clock timings in [`crate::Detection::timings`]. Default `false`;
    /// when off, no clock is read.
    pub timings: bool,
}

/// A prior on the marker's outer diameter in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(
    untagged,
    expecting = "a diameter in pixels (like 32.0) or a range [min, max] (like [24.0, 40.0])"
)]
pub enum DiameterPrior {
    /// About this diameter; markers within ±25 % of it are found (perspective and board tilt
    /// make diameters vary across one image).
    Nominal(f64),
    /// Any diameter in `[min, max]`.
    Range([f64; 2]),
}

/// Relative spread around a nominal diameter: covers the foreshortening of a board tilted by up
/// to about 40° and a depth range of ±25 % across the view.
pub const NOMINAL_DIAMETER_SPREAD: f64 = 0.25;

impl Default for DetectConfig {
    fn default() -> Self {
        Self {
            marker_diameter_px: None,
            min_marker_diameter_px: DEFAULT_MIN_MARKER_DIAMETER_PX,
            max_marker_diameter_px: None,
            camera: None,
            complete_missing: true,
            timings: false,
        }
    }
}

impl DetectConfig {
    /// Checks every field: diameters positive and finite, ranges ordered, camera valid.
    pub fn validate(&self) -> Result<()> {
        let positive = |field: &'static str, value: f64| {
            if value.is_finite() && value > 0.0 {
                Ok(())
            } else {
                Err(Error::NotPositive { field, value })
            }
        };
        match self.marker_diameter_px {
            Some(DiameterPrior::Nominal(d)) => positive("marker_diameter_px", d)?,
            Some(DiameterPrior::Range([lo, hi])) => {
                positive("marker_diameter_px[0]", lo)?;
                positive("marker_diameter_px[1]", hi)?;
                if hi < lo {
                    return Err(Error::OutOfRange {
                        field: "marker_diameter_px[1]",
                        value: hi,
                        expected: "at least marker_diameter_px[0]",
                    });
                }
            }
            None => {}
        }
        positive("min_marker_diameter_px", self.min_marker_diameter_px)?;
        if let Some(max) = self.max_marker_diameter_px {
            positive("max_marker_diameter_px", max)?;
            if max < self.min_marker_diameter_px {
                return Err(Error::OutOfRange {
                    field: "max_marker_diameter_px",
                    value: max,
                    expected: "at least min_marker_diameter_px",
                });
            }
        }
        if let Some(camera) = &self.camera {
            camera.validate()?;
        }
        Ok(())
    }

    /// The outer diameter range searched in an image of the given size, in pixels.
    pub fn diameter_range_px(&self, width: u32, height: u32) -> [f64; 2] {
        match self.marker_diameter_px {
            Some(DiameterPrior::Nominal(d)) => {
                [d * (1.0 - NOMINAL_DIAMETER_SPREAD), d * (1.0 + NOMINAL_DIAMETER_SPREAD)]
            }
            Some(DiameterPrior::Range(range)) => range,
            None => {
                let max = self
                    .max_marker_diameter_px
                    .unwrap_or(0.5 * f64::from(width.min(height)))
                    .max(self.min_marker_diameter_px);
                [self.min_marker_diameter_px, max]
            }
        }
    }
}
