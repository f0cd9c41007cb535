//! The crate's one error type: inputs the scorer refuses rather than score wrongly. Every
//! variant carries the offending value.

use annulus::ImageFrame;

use crate::frames::QuantityFrames;

/// Everything that can make scoring impossible.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// The detection's homography maps into a frame other than the image frame, and no camera
    /// was given to map its output into the image frame. Comparing such points with image-frame
    /// centres would mix frames and report the lens distortion as homography error.
    #[error(
        "the detection's homography maps into the {frame:?} frame; pass the camera in \
         `MatchParams::camera` to compare it with image-frame centres"
    )]
    CameraRequired {
        /// The homography's output frame.
        frame: ImageFrame,
    },
    /// The gate radius is not a positive finite number.
    #[error("`gate_px` must be a positive finite number, got {value}")]
    InvalidGate {
        /// The value given.
        value: f64,
    },
    /// The camera given to map the homography's output is invalid.
    #[error("invalid camera in `MatchParams::camera`: {0}")]
    InvalidCamera(#[source] annulus::Error),
    /// Two ground-truth markers share an ID, so matching by ID is ambiguous.
    #[error("ground-truth marker ID {id} appears more than once")]
    DuplicateTruthId {
        /// The repeated ID.
        id: u32,
    },
    /// A ground-truth position is not finite.
    #[error(
        "ground-truth marker {id} has a non-finite position: centre {center_img_px:?} px, \
         board {xy_board_mm:?} mm"
    )]
    NonFiniteTruth {
        /// The marker's ID.
        id: u32,
        /// Its centre in the image.
        center_img_px: [f64; 2],
        /// Its centre on the board.
        xy_board_mm: [f64; 2],
    },
    /// The ground truth is not in the image frame. Every error is measured in the image frame,
    /// and the scorer does not convert truth silently.
    #[error(
        "ground-truth centres are in the {frame:?} frame; the scorer compares in the Image frame \
         and does not convert truth"
    )]
    TruthFrame {
        /// The frame the truth was declared in.
        frame: ImageFrame,
    },
    /// Two scores to be pooled measured one quantity in different frames.
    #[error(
        "frame mismatch for {}: one score has {first:?}, another {second:?}",
        first.quantity.name()
    )]
    FrameMismatch {
        /// The frames of the quantity in the first score that had it.
        first: QuantityFrames,
        /// The differing frames.
        second: QuantityFrames,
    },
}
