//! Homography errors of one detection, measured in the image frame.
//!
//! The detection's `img_from_board` maps board millimetres into its own frame
//! (`BoardHomography::frame`). Points are compared in the image frame only: a homography in the
//! undistorted frame is followed by the camera's Brown–Conrady distortion
//! (`annulus::Camera::distort_px`), and without a camera the scorer refuses rather than compare
//! undistorted points with distorted centres.
//!
//! The two residuals, *self* and *truth*, are defined on [`HomographyErrors`].

use annulus::detect::BoardHomography;
use annulus::{Camera, Detection, ImageFrame};
use serde::{Deserialize, Serialize};

use crate::error::ScoreError;
use crate::matching::TruthMarker;
use crate::stats::ErrorStats;

/// One marker's homography residual.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Residual {
    /// The marker's ID.
    pub id: u32,
    /// `mapped − reference`, in image pixels.
    pub error_px: [f64; 2],
}

impl Residual {
    /// The residual's length, in image pixels.
    pub fn distance_px(&self) -> f64 {
        self.error_px[0].hypot(self.error_px[1])
    }
}

/// Homography residuals of one detection, in image pixels.
///
/// Two residuals per marker, both `mapped − reference`:
/// - *self*: the homography applied to each identified detection's `xy_board_mm`, against the
///   centre the detection reports. It measures how consistent the detector's own output is,
///   and needs no ground truth.
/// - *truth*: the homography applied to each visible true marker's `xy_board_mm`, against its
///   true centre. It measures how well the homography predicts where every marker really is,
///   including those the detector missed.
///
/// A homography in the undistorted frame is followed by the camera's lens model
/// ([`annulus::Camera::distort_px`]) before comparing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HomographyErrors {
    /// The frame the homography maps into, before any mapping to the image frame.
    pub frame: ImageFrame,
    /// Against the detection's own centres, one per identified detection, in detection order.
    pub self_residuals: Vec<Residual>,
    /// Against the true centres, one per visible true marker, in truth order.
    pub truth_residuals: Vec<Residual>,
    /// Identified detections without a residual: no board position, or one the homography
    /// sends to infinity, or a non-finite reported centre.
    pub n_self_unmapped: usize,
    /// Visible true markers the homography sends to infinity.
    pub n_truth_unmapped: usize,
}

impl HomographyErrors {
    /// Statistics of the self residuals' lengths; `None` when there are none.
    pub fn self_px(&self) -> Option<ErrorStats> {
        ErrorStats::of(&norms(&self.self_residuals))
    }

    /// Statistics of the truth residuals' lengths; `None` when there are none.
    pub fn truth_px(&self) -> Option<ErrorStats> {
        ErrorStats::of(&norms(&self.truth_residuals))
    }

    /// Measures both residuals of `detection`'s homography, already wrapped in `to_image`.
    pub(crate) fn measure(
        to_image: &ToImage<'_>,
        detection: &Detection,
        truth: &[TruthMarker],
    ) -> Self {
        let mut errors = Self {
            frame: to_image.homography.frame,
            self_residuals: Vec::new(),
            truth_residuals: Vec::new(),
            n_self_unmapped: 0,
            n_truth_unmapped: 0,
        };
        for marker in &detection.markers {
            let Some(id) = marker.id else { continue };
            match marker.xy_board_mm.and_then(|xy| residual(to_image, id, xy, marker.center_img_px))
            {
                Some(r) => errors.self_residuals.push(r),
                None => errors.n_self_unmapped += 1,
            }
        }
        for t in truth.iter().filter(|t| t.visible) {
            match residual(to_image, t.id, t.xy_board_mm, t.center_img_px) {
                Some(r) => errors.truth_residuals.push(r),
                None => errors.n_truth_unmapped += 1,
            }
        }
        errors
    }
}

/// The lengths of residuals, in image pixels.
pub(crate) fn norms(residuals: &[Residual]) -> Vec<f64> {
    residuals.iter().map(Residual::distance_px).collect()
}

/// `to_image(xy) − reference`, when both are finite.
fn residual(
    to_image: &ToImage<'_>,
    id: u32,
    xy_board_mm: [f64; 2],
    reference_img_px: [f64; 2],
) -> Option<Residual> {
    let [u, v] = to_image.map(xy_board_mm)?;
    let error_px = [u - reference_img_px[0], v - reference_img_px[1]];
    error_px.iter().all(|e| e.is_finite()).then_some(Residual { id, error_px })
}

/// A board homography followed, when it maps into the undistorted frame, by the lens model:
/// the map from board millimetres to image pixels.
pub(crate) struct ToImage<'a> {
    homography: &'a BoardHomography,
    /// The lens applied after the homography; `None` when it already maps to the image frame.
    lens: Option<&'a Camera>,
}

impl<'a> ToImage<'a> {
    /// Wraps `homography`; fails when it maps into the undistorted frame and there is no camera.
    pub(crate) fn new(
        homography: &'a BoardHomography,
        camera: Option<&'a Camera>,
    ) -> Result<Self, ScoreError> {
        let lens = match homography.frame {
            ImageFrame::Image => None,
            ImageFrame::Undistorted => {
                Some(camera.ok_or(ScoreError::CameraRequired { frame: homography.frame })?)
            }
        };
        Ok(Self { homography, lens })
    }

    /// The image pixel of a board point; `None` when the homography sends it to infinity.
    pub(crate) fn map(&self, xy_board_mm: [f64; 2]) -> Option<[f64; 2]> {
        let p = self.homography.matrix.apply(xy_board_mm)?;
        Some(match self.lens {
            None => p,
            Some(camera) => camera.distort_px(p),
        })
    }
}
