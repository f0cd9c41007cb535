//! The detector: from a grayscale image to identified markers, projective centres and the
//! board homography.
//!
//! (Skeleton: the pipeline lands in the following commits.)

mod config;
mod output;

use crate::board::Board;
use crate::error::{DetectError, Result};
use crate::geometry::ImageFrame;
use crate::image::ImageView;

pub use config::{
    DEFAULT_MIN_MARKER_DIAMETER_PX, DetectConfig, DiameterPrior, NOMINAL_DIAMETER_SPREAD,
};
pub use output::{
    BoardHomography, DetectStats, DetectedMarker, Detection, IdSource, Rejection, RejectionCounts,
    StageTimings,
};

/// A read-only detector for one board and one configuration; share it freely between threads.
#[derive(Debug, Clone)]
pub struct Detector {
    board: Board,
    config: DetectConfig,
}

/// Reusable scratch memory for [`Detector::detect_with`]; repeated calls on images of the same
/// size reuse every buffer.
#[derive(Debug, Default)]
pub struct Workspace {
    detection: Option<Detection>,
}

impl Workspace {
    /// An empty workspace; buffers grow on first use.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Detector {
    /// A detector for `board` with a validated `config`.
    pub fn new(board: Board, config: DetectConfig) -> Result<Self> {
        config.validate()?;
        Ok(Self { board, config })
    }

    /// The board this detector looks for.
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The configuration.
    pub fn config(&self) -> &DetectConfig {
        &self.config
    }

    /// Detects the board in `image` with a fresh workspace.
    pub fn detect(&self, image: &ImageView<'_>) -> Result<Detection, DetectError> {
        let mut workspace = Workspace::new();
        self.detect_with(&mut workspace, image)?;
        Ok(workspace.detection.take().unwrap_or_else(|| empty(image, &self.config)))
    }

    /// Detects the board in `image` using the caller's scratch memory; the result lives in the
    /// workspace until the next call.
    pub fn detect_with<'w>(
        &self,
        workspace: &'w mut Workspace,
        image: &ImageView<'_>,
    ) -> Result<&'w Detection, DetectError> {
        Ok(workspace.detection.insert(empty(image, &self.config)))
    }
}

fn empty(image: &ImageView<'_>, config: &DetectConfig) -> Detection {
    let distorted = config.camera.is_some_and(|c| c.distortion.is_some());
    Detection {
        width: image.width(),
        height: image.height(),
        fit_frame: if distorted { ImageFrame::Undistorted } else { ImageFrame::Image },
        markers: Vec::new(),
        img_from_board: None,
        stats: DetectStats::default(),
        timings: None,
    }
}
