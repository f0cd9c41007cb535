//! What the detector returns: markers with IDs and projective centres, the board homography,
//! and counts of what was tried and why candidates were dropped.
//!
//! Frames: `center_img_px` is always in the raw image. Ellipses and the homography are in the
//! frame the fits ran in, named by [`Detection::fit_frame`]: the undistorted frame when the
//! configuration has a camera with lens distortion, the image frame otherwise.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::geometry::{Ellipse, Homography, ImageFrame};

/// The result of one `detect` call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// The frame ellipses and the homography are expressed in.
    pub fit_frame: ImageFrame,
    /// Detected markers, identified ones first in ID order, then unidentified ones.
    pub markers: Vec<DetectedMarker>,
    /// The board-to-image homography, when at least four identified markers anchor it.
    pub img_from_board: Option<BoardHomography>,
    /// What the pipeline tried and dropped.
    pub stats: DetectStats,
    /// Per-stage wall-clock times, when the configuration asked for them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timings: Option<StageTimings>,
}

/// One detected marker.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DetectedMarker {
    /// The marker's board ID; `None` when it could be neither decoded nor placed on the board.
    pub id: Option<u32>,
    /// The image of the marker's centre (the projective centre, not the ellipse centre), in raw
    /// image pixels.
    pub center_img_px: [f64; 2],
    /// The marker's centre on the board, when it is identified.
    pub xy_board_mm: Option<[f64; 2]>,
    /// Confidence in `[0, 1]`: the product of edge support, fit quality and identification
    /// certainty.
    pub confidence: f64,
    /// How the ID was obtained.
    pub source: IdSource,
    /// The fitted outer edge of the outer ring, in [`Detection::fit_frame`].
    pub outer: Ellipse,
    /// The fitted inner edge of the inner ring, in [`Detection::fit_frame`], when found.
    pub inner: Option<Ellipse>,
}

/// How a marker's ID was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdSource {
    /// Read from the code band and confirmed by the board geometry.
    Decoded,
    /// Read from the code band, contradicted by the geometry, and replaced by the ID the
    /// homography places there.
    Corrected,
    /// Found by the completion search at a position the homography predicted; the code band
    /// was not readable or agreed.
    Completed,
    /// Not identified.
    None,
}

/// The homography from board millimetres to image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoardHomography {
    /// The map `xy_board_mm → px` in [`BoardHomography::frame`].
    pub matrix: Homography,
    /// The frame of the pixels it maps to.
    pub frame: ImageFrame,
    /// Markers it was fitted to.
    pub n_markers: usize,
    /// Root-mean-square distance between the mapped board centres and the detected centres, in
    /// pixels of `frame`.
    pub rms_px: f64,
}

/// Counts of candidates and of their fates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetectStats {
    /// Candidate centres proposed by radial-symmetry voting.
    pub n_candidates: u32,
    /// Candidates whose outer ring was fitted.
    pub n_fitted: u32,
    /// Markers whose code band decoded to a board ID.
    pub n_decoded: u32,
    /// Markers found by the completion search.
    pub n_completed: u32,
    /// Markers whose decoded ID the geometry replaced.
    pub n_corrected: u32,
    /// Candidates dropped, by reason.
    pub rejected: RejectionCounts,
}

/// Why a candidate was dropped. Each reason has a stable string code for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rejection {
    /// Too few rays found an outer edge.
    NoEdge,
    /// The ellipse fit failed or left too few inliers.
    FitFailed,
    /// The ellipse is implausible: too elongated, or outside the searched size range.
    BadShape,
    /// The ring is too faint against its surroundings.
    LowContrast,
    /// The code band matched no board codeword and the geometry could not place it.
    DecodeFailed,
    /// Another candidate already explains the same marker better.
    Duplicate,
    /// The decoded ID contradicts the board geometry and no correction fits.
    Inconsistent,
}

impl Rejection {
    /// Every reason, in a fixed order.
    pub const ALL: [Self; 7] = [
        Self::NoEdge,
        Self::FitFailed,
        Self::BadShape,
        Self::LowContrast,
        Self::DecodeFailed,
        Self::Duplicate,
        Self::Inconsistent,
    ];

    /// The stable code used in reports and JSON.
    pub fn code(self) -> &'static str {
        match self {
            Self::NoEdge => "no_edge",
            Self::FitFailed => "fit_failed",
            Self::BadShape => "bad_shape",
            Self::LowContrast => "low_contrast",
            Self::DecodeFailed => "decode_failed",
            Self::Duplicate => "duplicate",
            Self::Inconsistent => "inconsistent",
        }
    }
}

/// Number of candidates dropped for each [`Rejection`]; serialises as a map from code to count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionCounts {
    /// [`Rejection::NoEdge`].
    pub no_edge: u32,
    /// [`Rejection::FitFailed`].
    pub fit_failed: u32,
    /// [`Rejection::BadShape`].
    pub bad_shape: u32,
    /// [`Rejection::LowContrast`].
    pub low_contrast: u32,
    /// [`Rejection::DecodeFailed`].
    pub decode_failed: u32,
    /// [`Rejection::Duplicate`].
    pub duplicate: u32,
    /// [`Rejection::Inconsistent`].
    pub inconsistent: u32,
}

impl RejectionCounts {
    /// The count for one reason.
    pub fn get(&self, reason: Rejection) -> u32 {
        *self.slot(reason)
    }

    /// Adds one to a reason's count.
    pub fn add(&mut self, reason: Rejection) {
        *self.slot_mut(reason) += 1;
    }

    /// Total of all reasons.
    pub fn total(&self) -> u32 {
        Rejection::ALL.iter().map(|&r| self.get(r)).sum()
    }

    fn slot(&self, reason: Rejection) -> &u32 {
        match reason {
            Rejection::NoEdge => &self.no_edge,
            Rejection::FitFailed => &self.fit_failed,
            Rejection::BadShape => &self.bad_shape,
            Rejection::LowContrast => &self.low_contrast,
            Rejection::DecodeFailed => &self.decode_failed,
            Rejection::Duplicate => &self.duplicate,
            Rejection::Inconsistent => &self.inconsistent,
        }
    }

    fn slot_mut(&mut self, reason: Rejection) -> &mut u32 {
        match reason {
            Rejection::NoEdge => &mut self.no_edge,
            Rejection::FitFailed => &mut self.fit_failed,
            Rejection::BadShape => &mut self.bad_shape,
            Rejection::LowContrast => &mut self.low_contrast,
            Rejection::DecodeFailed => &mut self.decode_failed,
            Rejection::Duplicate => &mut self.duplicate,
            Rejection::Inconsistent => &mut self.inconsistent,
        }
    }
}

/// Wall-clock time spent in each stage of one `detect` call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct StageTimings {
    /// Pyramid, gradients and radial-symmetry voting.
    pub proposals: Duration,
    /// Edge sampling, ellipse fits, inner ring and decoding of every candidate.
    pub fit_decode: Duration,
    /// Homography RANSAC, ID verification and correction.
    pub homography: Duration,
    /// The completion search for missed markers.
    pub completion: Duration,
    /// Projective centres, the model refinement and the final homography refit.
    pub refine: Duration,
    /// The whole call.
    pub total: Duration,
}
