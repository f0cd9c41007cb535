//! The frame of every scored quantity: which frame the detector's value and the reference were
//! in, and the one frame they are compared in.
//!
//! Every error the scorer reports is measured in the image frame ([`ImageFrame::Image`]: pixels
//! as captured, lens distortion included). A quantity that the detector expresses in another
//! frame is carried into the image frame by an explicit, recorded map (the camera's lens model),
//! never by a silent conversion; truth in any frame but the image frame is refused
//! ([`crate::ScoreError::TruthFrame`]). Scores of several images pool only when their frames
//! agree ([`crate::ScoreError::FrameMismatch`]), and a report comparing two runs can flag a
//! quantity whose frames changed.

use annulus::ImageFrame;
use serde::{Deserialize, Serialize};

/// A quantity the scorer measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// `|detected centre − true centre|` of correct detections.
    CenterError,
    /// The homography applied to detected markers' board positions, against their reported
    /// centres.
    HomographySelf,
    /// The homography applied to visible true markers' board positions, against their true
    /// centres.
    HomographyTruth,
}

impl Quantity {
    /// Every quantity, in report order.
    pub const ALL: [Self; 3] = [Self::CenterError, Self::HomographySelf, Self::HomographyTruth];

    /// The stable name used in JSON and reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::CenterError => "center_error",
            Self::HomographySelf => "homography_self",
            Self::HomographyTruth => "homography_truth",
        }
    }
}

/// How the detector's value was carried into the frame of comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrameMap {
    /// Already in the frame of comparison.
    Identity,
    /// Undistorted pixels carried into image pixels by the camera's Brown–Conrady model
    /// (`annulus::Camera::distort_px`).
    LensModel,
}

/// The frames of one quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuantityFrames {
    /// The quantity.
    pub quantity: Quantity,
    /// The frame the detector expressed its value in (its centres, or its homography's output).
    pub detected: ImageFrame,
    /// The frame of the reference it is compared with (the ground truth, or the detector's own
    /// centres for the self residual).
    pub reference: ImageFrame,
    /// The frame the error is measured in; always [`ImageFrame::Image`].
    pub compared_in: ImageFrame,
    /// How the detected value reached `compared_in`.
    pub map: FrameMap,
}

impl QuantityFrames {
    /// Frames of a quantity whose detected value is in `detected` and reference in the image
    /// frame, compared in the image frame.
    pub(crate) fn into_image(quantity: Quantity, detected: ImageFrame) -> Self {
        let map = match detected {
            ImageFrame::Image => FrameMap::Identity,
            ImageFrame::Undistorted => FrameMap::LensModel,
        };
        Self {
            quantity,
            detected,
            reference: ImageFrame::Image,
            compared_in: ImageFrame::Image,
            map,
        }
    }
}

/// The frames of the quantities one score measured: the centre error always, the homography
/// residuals when the detection had a homography.
pub(crate) fn of_image(homography_frame: Option<ImageFrame>) -> Vec<QuantityFrames> {
    let mut frames = vec![QuantityFrames::into_image(Quantity::CenterError, ImageFrame::Image)];
    if let Some(frame) = homography_frame {
        frames.push(QuantityFrames::into_image(Quantity::HomographySelf, frame));
        frames.push(QuantityFrames::into_image(Quantity::HomographyTruth, frame));
    }
    frames
}

/// Merges the frames of one more image into `pooled`: a quantity seen before must have the same
/// frames, otherwise the pair is returned as the mismatch.
pub(crate) fn merge(
    pooled: &mut Vec<QuantityFrames>,
    image: &[QuantityFrames],
) -> Result<(), (QuantityFrames, QuantityFrames)> {
    for frames in image {
        match pooled.iter().find(|p| p.quantity == frames.quantity) {
            Some(seen) if seen != frames => return Err((*seen, *frames)),
            Some(_) => {}
            None => pooled.push(*frames),
        }
    }
    pooled.sort_by_key(|f| f.quantity);
    Ok(())
}
