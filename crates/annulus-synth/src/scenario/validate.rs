//! Range checks for every scenario field. Limits are chosen so that anything accepted renders
//! correctly; values outside them are typos or would silently produce a broken image.

use super::{Range, SCENARIO_SCHEMA, Scenario};
use crate::error::{Result, SynthError};

/// Largest accepted image side: beyond 16 K pixels a typo is more likely than a real sensor, and
/// the renderer's buffers would need gigabytes.
pub const MAX_IMAGE_SIDE: u32 = 16_384;

/// Smallest image side that can show a marker at all.
const MIN_IMAGE_SIDE: u32 = 8;

/// Most images a scenario may ask for.
const MAX_COUNT: u32 = 1_000_000;

/// Steepest tilt accepted: beyond it the far side of a board approaches the horizon, where the
/// rendering of a plane becomes meaningless for calibration.
const MAX_TILT_DEG: f64 = 80.0;

/// Largest blur accepted, in pixels: the blur margin grows with it, and beyond this the
/// markers of any sensible scenario are gone.
const MAX_BLUR_SIGMA_PX: f64 = 50.0;

pub(super) fn validate(s: &Scenario) -> Result<()> {
    if s.schema != SCENARIO_SCHEMA {
        return Err(SynthError::SchemaVersion { found: s.schema, supported: SCENARIO_SCHEMA });
    }
    for (field, side) in [("image.width", s.image.width), ("image.height", s.image.height)] {
        if !(MIN_IMAGE_SIDE..=MAX_IMAGE_SIDE).contains(&side) {
            return Err(out_of_range(field, f64::from(side), "between 8 and 16384 pixels"));
        }
    }
    if !(1..=MAX_COUNT).contains(&s.count) {
        return Err(out_of_range("count", f64::from(s.count), "between 1 and 1000000"));
    }
    s.camera.validate()?;

    let pose = &s.pose;
    range("pose.distance_mm", pose.distance_mm, 1e-3, 1e7, "positive depths up to 10 km")?;
    range("pose.tilt_deg", pose.tilt_deg, 0.0, MAX_TILT_DEG, "tilts from 0 to 80 degrees")?;
    range("pose.roll_deg", pose.roll_deg, -1e4, 1e4, "finite angles")?;
    range("pose.offset_x_px", pose.offset_x_px, -1e6, 1e6, "finite offsets")?;
    range("pose.offset_y_px", pose.offset_y_px, -1e6, 1e6, "finite offsets")?;

    let blur = &s.blur;
    if !(blur.sigma_px.is_finite() && (0.0..=MAX_BLUR_SIGMA_PX).contains(&blur.sigma_px)) {
        return Err(out_of_range("blur.sigma_px", blur.sigma_px, "between 0 and 50 pixels"));
    }
    range("blur.axis_ratio", blur.axis_ratio, 0.1, 10.0, "ratios from 0.1 to 10")?;
    range("blur.angle_deg", blur.angle_deg, -1e4, 1e4, "finite angles")?;

    let light = &s.illumination;
    // Both factors must stay positive over the whole image, so each stays below 1.
    range("illumination.gradient", light.gradient, 0.0, 0.99, "from 0 to 0.99")?;
    range("illumination.vignetting", light.vignetting, 0.0, 0.99, "from 0 to 0.99")?;
    if !(s.noise.sigma.is_finite() && (0.0..=1.0).contains(&s.noise.sigma)) {
        return Err(out_of_range("noise.sigma", s.noise.sigma, "between 0 and 1 of full scale"));
    }
    let levels = [
        ("levels.paper", s.levels.paper),
        ("levels.ink", s.levels.ink),
        ("levels.surround", s.levels.surround),
    ];
    for (field, value) in levels {
        if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
            return Err(out_of_range(field, value, "between 0 and 1 of full scale"));
        }
    }
    if !(4..=64).contains(&s.render.supersampling) {
        return Err(out_of_range(
            "render.supersampling",
            f64::from(s.render.supersampling),
            "between 4 and 64 samples per axis",
        ));
    }
    Ok(())
}

fn range(field: &'static str, r: Range, min: f64, max: f64, expected: &'static str) -> Result<()> {
    if !(r.lo.is_finite() && r.hi.is_finite() && r.lo <= r.hi) {
        return Err(SynthError::BadRange { field, lo: r.lo, hi: r.hi });
    }
    if r.lo < min {
        return Err(out_of_range(field, r.lo, expected));
    }
    if r.hi > max {
        return Err(out_of_range(field, r.hi, expected));
    }
    Ok(())
}

fn out_of_range(field: &'static str, value: f64, expected: &'static str) -> SynthError {
    SynthError::OutOfRange { field, value, expected }
}
