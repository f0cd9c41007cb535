//! The one place the comparison's thresholds live, with the reason for each value.
//!
//! | check | gate | metric | rule | level |
//! |---|---|---|---|---|
//! | centre accuracy | [`Thresholds::flagged_gate`] | `center_error_mean_px` | delta > [`Thresholds::center_mean_fail_px`] | FAIL |
//! | homography self | [`Thresholds::flagged_gate`] | `homography_self_mean_px` | delta > [`Thresholds::homography_mean_escalate_px`] | ESCALATE |
//! | homography truth | [`Thresholds::flagged_gate`] | `homography_truth_mean_px` | delta > [`Thresholds::homography_mean_escalate_px`] | ESCALATE |
//! | rates | every gate | `precision`, `recall` | delta < 0 (always shown) | NOTE |
//! | frames | every gate | each quantity's frames | any difference between the runs, or compared outside the image frame | FAIL |
//!
//! "delta > t" is strict: a delta of exactly `t` passes. Deltas are differences of floats, so
//! `0.11 − 0.10` is `0.010000000000000009`; every rule therefore compares with
//! [`Thresholds::boundary_tolerance`] of slack, which is far below any difference that matters
//! and far above rounding noise.
//!
//! A value the baseline had and the run no longer has (say, no correct detection left, so no
//! centre error) trips its rule as if it had grown without bound: the run lost the measurement.

use serde::{Deserialize, Serialize};

/// The gate the numeric thresholds apply to.
///
/// `blur3` is the hardest shipped scenario for centre accuracy, so it is where a regression
/// of the fit shows first and most clearly; the other gates are reported without thresholds.
pub const DEFAULT_FLAGGED_GATE: &str = "blur3";

/// The largest tolerated rise of the flagged gate's mean centre error, in image pixels.
///
/// The detector's centre targets are 0.02 to 0.1 px, so a rise of 0.01 px is 10 % to 50 % of
/// the budget: anything more means the fit changed and needs an algorithm review.
pub const DEFAULT_CENTER_MEAN_FAIL_PX: f64 = 0.01;

/// The largest tolerated rise of the flagged gate's mean homography residual (self or truth),
/// in image pixels.
///
/// The homography pools every marker, so it is steadier than single centres and follows them;
/// twice the centre threshold leaves room for the centre changes that are accepted, while a
/// larger rise means the board fit itself got worse and someone should look.
pub const DEFAULT_HOMOGRAPHY_MEAN_ESCALATE_PX: f64 = 0.02;

/// Slack on every threshold comparison, in the metric's unit (pixels or a fraction).
///
/// Subtracting two errors of a few pixels leaves rounding errors below 1e-14; 1e-9 absorbs them
/// with five orders of magnitude to spare, while the smallest change a report shows (1e-4, its
/// last decimal) is still five orders of magnitude larger.
pub const DEFAULT_BOUNDARY_TOLERANCE: f64 = 1e-9;

/// The thresholds of a comparison. [`Default`] gives the values of the issue, documented on the
/// `DEFAULT_*` constants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// The gate (name, any mode) the numeric thresholds apply to. Default
    /// [`DEFAULT_FLAGGED_GATE`].
    pub flagged_gate: String,
    /// A rise of the mean centre error above this, in pixels, is a FAIL. Default
    /// [`DEFAULT_CENTER_MEAN_FAIL_PX`].
    pub center_mean_fail_px: f64,
    /// A rise of either mean homography residual above this, in pixels, is an ESCALATE.
    /// Default [`DEFAULT_HOMOGRAPHY_MEAN_ESCALATE_PX`].
    pub homography_mean_escalate_px: f64,
    /// Slack on every comparison, in the metric's unit. Default
    /// [`DEFAULT_BOUNDARY_TOLERANCE`].
    pub boundary_tolerance: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            flagged_gate: DEFAULT_FLAGGED_GATE.to_owned(),
            center_mean_fail_px: DEFAULT_CENTER_MEAN_FAIL_PX,
            homography_mean_escalate_px: DEFAULT_HOMOGRAPHY_MEAN_ESCALATE_PX,
            boundary_tolerance: DEFAULT_BOUNDARY_TOLERANCE,
        }
    }
}

impl Thresholds {
    /// Whether `delta` exceeds `limit` by more than the tolerance: `delta > limit` for real
    /// changes, and never for a delta that is `limit` up to rounding.
    pub fn exceeds(&self, delta: f64, limit: f64) -> bool {
        delta > limit + self.boundary_tolerance
    }

    /// Whether `delta` is a drop larger than rounding noise.
    pub fn dropped(&self, delta: f64) -> bool {
        delta < -self.boundary_tolerance
    }
}
