//! annulus-score: scores a detection against ground truth by matching markers by ID within a
//! gate radius, then measures rates, centre errors and homography errors.
//!
//! | step | item | method |
//! |---|---|---|
//! | match | [`match_detections`] | each detection placed at the nearest true centre within [`DEFAULT_GATE_PX`]; right ID there is correct, the nearest of several is kept and the rest are duplicates; any other ID is wrong |
//! | rates | [`Counts`] | precision = correct / identified, recall = found / visible, decode rate = identified / detected |
//! | centres | [`ImageScore::center_error_px`] | Euclidean `|detected − true|` in image pixels, over correct detections of visible markers |
//! | homography | [`HomographyErrors`] | board positions mapped into the image frame (through the lens model when the homography is undistorted), against reported and true centres |
//! | frames | [`QuantityFrames`] | every error is measured in the image frame; each quantity records the frame the detector gave it in and the map into the image frame; truth in another frame is refused, and pooling scores whose frames differ is an error |
//! | pooling | [`Aggregate`] | counts summed, errors pooled over markers; mean, nearest-rank p50 and p95, max ([`stats`]) |
//! | gates | [`GateScore`] | one scenario in one mode: the pooled score, one [`ImageRow`] per image, and the sorted centre errors for distribution plots |
//!
//! The scorer takes ground truth as its own [`TruthMarker`] values, so it does not depend on
//! the generator: a caller converts `annulus_synth::MarkerTruth` (or any other truth) to them.
//! All centres are compared in the raw image frame; a homography in another frame is mapped
//! into it with the camera the caller passes, or refused with [`ScoreError::CameraRequired`].
//!
//! The crate does no I/O and never prints.
//!
//! ```
//! use annulus::{Detection, ImageFrame};
//! use annulus::detect::DetectStats;
//! use annulus_score::{MatchParams, TruthMarker, match_detections};
//!
//! let nothing_found = Detection {
//!     width: 640,
//!     height: 480,
//!     fit_frame: ImageFrame::Image,
//!     markers: Vec::new(),
//!     img_from_board: None,
//!     stats: DetectStats::default(),
//!     timings: None,
//! };
//! let truth = [TruthMarker {
//!     id: 7,
//!     visible: true,
//!     center_img_px: [320.0, 240.0],
//!     xy_board_mm: [0.0, 0.0],
//! }];
//! let score = match_detections(&nothing_found, &truth, &MatchParams::default())?;
//! assert_eq!(score.counts.recall(), Some(0.0));
//! assert_eq!(score.counts.precision(), None);
//! assert_eq!(score.missed, [7]);
//! # Ok::<(), annulus_score::ScoreError>(())
//! ```

mod aggregate;
mod error;
mod frames;
mod gate;
mod homography;
mod matching;
pub mod stats;

pub use aggregate::Aggregate;
pub use error::ScoreError;
pub use frames::{FrameMap, Quantity, QuantityFrames};
pub use gate::{GateScore, ImageRow};
pub use homography::{HomographyErrors, Residual};
pub use matching::{
    Counts, DEFAULT_GATE_PX, ImageScore, MarkerMatch, MatchParams, Outcome, ScoredDetection,
    TruthMarker, match_detections,
};
pub use stats::{ErrorStats, percentile};
