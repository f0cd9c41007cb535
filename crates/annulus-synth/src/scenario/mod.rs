//! Scenarios: data files that describe a family of synthetic images.
//!
//! A scenario names a board, an image size, a camera, ranges for the board pose, and the
//! degradations (blur, illumination, noise). Image `i` of a scenario with seed `s` draws its
//! pose, blur, illumination and noise from four independent seeded streams (see
//! the `streams` module), so two scenarios that share a seed and pose ranges share their poses
//! exactly, whatever their other settings. Ranges are written `[lo, hi]` and sampled uniformly
//! unless a field says otherwise; a fixed value is `[v, v]`.

mod validate;

#[cfg(test)]
mod tests;

use annulus::{Camera, Format};
use serde::{Deserialize, Serialize};

use crate::error::{Result, SynthError};

/// The scenario format version this build reads.
pub const SCENARIO_SCHEMA: u32 = 1;

/// Supersampling used when a scenario does not say: 16 × 16 samples per pixel that an edge
/// crosses, which puts the coverage error below a tenth of an 8-bit step.
pub const DEFAULT_SUPERSAMPLING: u32 = 16;

/// A family of synthetic images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version; must be [`SCENARIO_SCHEMA`].
    pub schema: u32,
    /// Short name, recorded in every ground-truth file.
    pub name: String,
    /// What the scenario is for, in a sentence.
    #[serde(default)]
    pub description: String,
    /// The board to render: `"default"` for the built-in board, or a path to a board spec
    /// (TOML or JSON), relative to the scenario file.
    #[serde(default = "default_board")]
    pub board: String,
    /// Number of images.
    pub count: u32,
    /// Base seed; image `i` derives all its randomness from `(seed, i)`.
    pub seed: u64,
    /// Image size in pixels.
    pub image: ImageSize,
    /// Intrinsics and optional lens distortion.
    pub camera: Camera,
    /// Ranges of the board pose.
    pub pose: PoseRanges,
    /// Optical blur.
    #[serde(default)]
    pub blur: BlurSpec,
    /// Uneven lighting.
    #[serde(default)]
    pub illumination: IlluminationSpec,
    /// Sensor noise.
    #[serde(default)]
    pub noise: NoiseSpec,
    /// Reflectances of paper, ink and the surroundings.
    #[serde(default)]
    pub levels: Levels,
    /// Rendering quality.
    #[serde(default)]
    pub render: RenderSpec,
}

/// Image dimensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSize {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A closed interval `[lo, hi]`, written as a two-element array.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(from = "[f64; 2]", into = "[f64; 2]")]
pub struct Range {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// How the board is placed in front of the camera.
///
/// The camera looks at the board centre (the centre of the marker bounding box). The board is
/// first tilted by `tilt_deg` about an in-plane axis whose direction is drawn uniformly from all
/// directions, then rotated by `roll_deg` about the optical axis, then placed so that its centre
/// is at depth `distance_mm` and projects `offset_*_px` away from the principal point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoseRanges {
    /// Depth of the board centre along the optical axis.
    pub distance_mm: Range,
    /// Angle between the board normal and the optical axis.
    pub tilt_deg: Range,
    /// In-plane rotation about the optical axis.
    pub roll_deg: Range,
    /// Horizontal shift of the board centre's image from the principal point.
    pub offset_x_px: Range,
    /// Vertical shift of the board centre's image from the principal point.
    pub offset_y_px: Range,
}

/// Anisotropic Gaussian blur.
///
/// The two principal standard deviations are `sigma_px · √ratio` and `sigma_px / √ratio`, so
/// `sigma_px` is their geometric mean and a ratio and its inverse describe the same shape turned
/// by 90°. The ratio is drawn log-uniformly from `axis_ratio`, the angle of the first axis
/// uniformly from `angle_deg`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlurSpec {
    /// Geometric mean of the two standard deviations, in pixels; 0 disables blur.
    pub sigma_px: f64,
    /// Range of the ratio between the two standard deviations.
    #[serde(default = "unit_range")]
    pub axis_ratio: Range,
    /// Range of the first axis' direction, from +x towards +y.
    #[serde(default = "half_turn_deg")]
    pub angle_deg: Range,
}

/// Smooth multiplicative lighting: a linear gradient in a random direction and radial
/// vignetting, both relative to the image centre and its half diagonal `d`:
/// `gain = (1 + g · ⟨u, p − c⟩ / d) · (1 − v · |p − c|² / d²)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IlluminationSpec {
    /// Range of `g`: relative brightness change from the centre to the corner along `u`.
    #[serde(default = "zero_range")]
    pub gradient: Range,
    /// Range of `v`: relative darkening in the corners.
    #[serde(default = "zero_range")]
    pub vignetting: Range,
}

/// Additive Gaussian noise, in units of full scale (1.0 = 255 grey levels).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoiseSpec {
    /// Standard deviation; 0 disables noise.
    pub sigma: f64,
}

/// Reflectances in `[0, 1]` of full scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    /// White paper.
    pub paper: f64,
    /// Printed ink.
    pub ink: f64,
    /// Everything beyond the page edge.
    pub surround: f64,
}

/// Rendering quality.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenderSpec {
    /// Samples per axis in pixels that a region boundary crosses (4 to 64).
    pub supersampling: u32,
}

impl Scenario {
    /// Parses and validates a scenario written in `format`.
    pub fn parse(text: &str, format: Format) -> Result<Self> {
        let scenario: Self = format.deserialize(text).map_err(|e| match e {
            annulus::Error::Parse { format, message } => SynthError::Parse { format, message },
            other => SynthError::Model(other),
        })?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Checks every field; see the messages of [`SynthError`].
    pub fn validate(&self) -> Result<()> {
        validate::validate(self)
    }

    /// Whether the scenario renders the built-in board.
    pub fn uses_builtin_board(&self) -> bool {
        self.board == BUILTIN_BOARD
    }
}

/// The value of [`Scenario::board`] that selects the built-in board.
pub const BUILTIN_BOARD: &str = "default";

impl Range {
    /// A degenerate range holding one value.
    pub fn fixed(value: f64) -> Self {
        Self { lo: value, hi: value }
    }

    /// The point at fraction `u ∈ [0, 1)` of the way from `lo` to `hi`.
    pub fn lerp(&self, u: f64) -> f64 {
        self.lo + (self.hi - self.lo) * u
    }

    /// The point at fraction `u` on a logarithmic scale (both ends must be positive).
    pub fn log_lerp(&self, u: f64) -> f64 {
        (self.lo.ln() + (self.hi.ln() - self.lo.ln()) * u).exp()
    }
}

impl From<[f64; 2]> for Range {
    fn from([lo, hi]: [f64; 2]) -> Self {
        Self { lo, hi }
    }
}

impl From<Range> for [f64; 2] {
    fn from(r: Range) -> Self {
        [r.lo, r.hi]
    }
}

impl Default for BlurSpec {
    fn default() -> Self {
        Self { sigma_px: 0.0, axis_ratio: unit_range(), angle_deg: half_turn_deg() }
    }
}

impl Default for IlluminationSpec {
    fn default() -> Self {
        Self { gradient: zero_range(), vignetting: zero_range() }
    }
}

impl Default for Levels {
    /// Matte paper and laser toner under even light, on a mid-grey desk.
    fn default() -> Self {
        Self { paper: 0.9, ink: 0.1, surround: 0.4 }
    }
}

impl Default for RenderSpec {
    fn default() -> Self {
        Self { supersampling: DEFAULT_SUPERSAMPLING }
    }
}

fn default_board() -> String {
    BUILTIN_BOARD.to_owned()
}

fn unit_range() -> Range {
    Range::fixed(1.0)
}

fn zero_range() -> Range {
    Range::fixed(0.0)
}

fn half_turn_deg() -> Range {
    Range { lo: 0.0, hi: 180.0 }
}
