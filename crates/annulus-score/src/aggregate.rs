//! The score of many images: counts summed, errors pooled.
//!
//! Rates are computed from the summed counts (micro-averaged), and error statistics from all
//! markers of all images together, so every marker weighs the same and an image with many
//! markers weighs more than one with few. Percentiles are nearest-rank ([`crate::stats`]).

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::error::ScoreError;
use crate::frames::{self, QuantityFrames};
use crate::homography::norms;
use crate::matching::{Counts, ImageScore};
use crate::stats::ErrorStats;

/// Scores of a set of images, pooled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Number of images.
    pub n_images: usize,
    /// Counts summed over the images; its methods give the pooled precision, recall and decode
    /// rate.
    pub counts: Counts,
    /// Centre errors of the correct detections of visible markers, in image pixels.
    pub center_error_px: Option<ErrorStats>,
    /// Lengths of the homography self residuals, in image pixels.
    pub homography_self_px: Option<ErrorStats>,
    /// Lengths of the homography truth residuals, in image pixels.
    pub homography_truth_px: Option<ErrorStats>,
    /// Images whose detection had no homography.
    pub n_without_homography: usize,
    /// The frames of each quantity, the same in every image, in [`Quantity::ALL`] order.
    ///
    /// [`Quantity::ALL`]: crate::Quantity::ALL
    pub frames: Vec<QuantityFrames>,
}

impl Aggregate {
    /// Pools the scores of `images`; statistics are `None` where no image contributed a value.
    ///
    /// Fails with [`ScoreError::FrameMismatch`] when two images measured a quantity in
    /// different frames (say, one homography in the image frame and one in the undistorted
    /// frame): their errors would not mean the same thing.
    pub fn new(images: &[ImageScore]) -> Result<Self, ScoreError> {
        let mut counts = Counts::default();
        let (mut center, mut self_px, mut truth_px) = (Vec::new(), Vec::new(), Vec::new());
        let mut n_without_homography = 0;
        let mut frames = Vec::new();
        for image in images {
            frames::merge(&mut frames, &image.frames)
                .map_err(|(first, second)| ScoreError::FrameMismatch { first, second })?;
            counts.add(&image.counts);
            center.extend(image.center_errors_px());
            match &image.homography {
                Some(h) => {
                    self_px.extend(norms(&h.self_residuals));
                    truth_px.extend(norms(&h.truth_residuals));
                }
                None => n_without_homography += 1,
            }
        }
        Ok(Self {
            n_images: images.len(),
            counts,
            center_error_px: ErrorStats::of(&center),
            homography_self_px: ErrorStats::of(&self_px),
            homography_truth_px: ErrorStats::of(&truth_px),
            n_without_homography,
            frames,
        })
    }
}
