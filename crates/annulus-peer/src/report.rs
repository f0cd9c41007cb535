//! The JSON the `annulus-peer` binary prints, as serde types that xtask reads back with this
//! same crate, so the two can never disagree about the shape.
//!
//! Both reports carry [`PEER_SCHEMA`]; any incompatible change bumps it. Times are wall-clock
//! nanoseconds of single detector calls; allocation counts and heap figures come from the
//! binary's counting allocator (see [`crate::runner`]); image-plane quantities follow annulus's
//! conventions, with ringgrid's results converted by [`crate::result`] (whose frames
//! [`FRAME_NOTE`] summarises).

use annulus::Detection;
use annulus::detect::DetectStats;
use annulus_benches::AllocCount;
use annulus_synth::GroundTruth;
use serde::{Deserialize, Serialize};

use crate::runner::DetectorKind;

/// Version of [`RunReport`] and [`OneReport`]; bumped on any incompatible change.
pub const PEER_SCHEMA: u32 = 1;

/// The ringgrid version this crate is pinned to (the workspace manifest requires exactly it).
pub const RINGGRID_VERSION: &str = "0.13.2";

/// How ringgrid's frames were carried into annulus's, in one paragraph for the report.
pub const FRAME_NOTE: &str = "ringgrid's marker centres are raw image pixels (its `center`, \
    `center_frame = image`) and are used unchanged as `center_img_px`; its ellipses and \
    homography are in its working frame, which is the image frame without a camera and, with \
    a camera given as a `CameraModel` mapper, the ideal pinhole image with the same intrinsics, \
    i.e. annulus's undistorted frame (`fit_frame`). Both libraries put pixel centres at \
    integer coordinates and share the board frame (origin at the first marker, x along a row, y \
    down the rows, millimetres); IDs are mapped through the converted board (annulus ID = index \
    of the cell in row-major order).";

/// Which board a run substituted into the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardSource {
    /// ringgrid's default target (`TargetLayout::default_hex()`), converted.
    Ringgrid,
    /// annulus's built-in board.
    Annulus,
}

/// What `annulus-peer run` measured: every detector on every image of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    /// [`PEER_SCHEMA`].
    pub schema: u32,
    /// The scenario's name.
    pub scenario: String,
    /// Which board was rendered and detected.
    pub board_source: BoardSource,
    /// The rendered board's name.
    pub board: String,
    /// Markers on the board.
    pub n_board_markers: usize,
    /// [`RINGGRID_VERSION`].
    pub ringgrid_version: String,
    /// Image width, pixels.
    pub width: u32,
    /// Image height, pixels.
    pub height: u32,
    /// Calls per detector per image.
    pub rounds: u32,
    /// Whether the detectors were given the scenario's true camera.
    pub camera_given: bool,
    /// The detectors run, in report order.
    pub detectors: Vec<DetectorKind>,
    /// [`FRAME_NOTE`].
    pub frame_note: String,
    /// For a ringgrid board: the largest distance between a ringgrid cell and its annulus
    /// marker, in millimetres.
    pub max_position_error_mm: Option<f64>,
    /// For a ringgrid board: whether every ringgrid ID equals its annulus ID.
    pub ids_identical: Option<bool>,
    /// One entry per image, in index order.
    pub images: Vec<ImageRecord>,
}

/// One image of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageRecord {
    /// The image index within the scenario.
    pub image_index: u32,
    /// The diameter hint given to the hinted detectors, pixels (see
    /// [`crate::runner::true_diameter_hint_px`]).
    pub diameter_hint_px: f64,
    /// The ground truth of the image.
    pub truth: GroundTruth,
    /// One entry per detector, in [`RunReport::detectors`] order.
    pub runs: Vec<DetectorRecord>,
}

/// One detector on one image, over every round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectorRecord {
    /// The detector.
    pub detector: DetectorKind,
    /// Wall time of the call of each round, nanoseconds, in round order (round 0 is cold).
    pub wall_ns: Vec<u64>,
    /// Position of this detector's call within each round (0 = called first); the order
    /// alternates with the parity of round plus image index.
    pub position_in_round: Vec<u32>,
    /// Allocations of the first call on the image (for annulus, on a fresh workspace).
    pub alloc_cold: AllocCount,
    /// Allocations of the last call; `None` with a single round.
    pub alloc_warm: Option<AllocCount>,
    /// Markers reported by the last call (0 when it failed).
    pub n_markers: usize,
    /// Why the last call failed, if it did (the error and its causes on one line).
    pub error: Option<String>,
    /// The last call's result in annulus's type; `None` when it failed.
    pub detection: Option<Detection>,
}

/// What `annulus-peer one` measured: one warm call of one detector, for callgrind and memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OneReport {
    /// [`PEER_SCHEMA`].
    pub schema: u32,
    /// The scenario's name.
    pub scenario: String,
    /// Which board was rendered and detected.
    pub board_source: BoardSource,
    /// The rendered board's name.
    pub board: String,
    /// The detector measured.
    pub detector: DetectorKind,
    /// The image index (always 0).
    pub image_index: u32,
    /// Image width, pixels.
    pub width: u32,
    /// Image height, pixels.
    pub height: u32,
    /// The diameter hint, pixels (unused by `annulus_auto`).
    pub diameter_hint_px: f64,
    /// Whether the detector was given the scenario's true camera.
    pub camera_given: bool,
    /// Wall time of the measured call, nanoseconds (under callgrind, meaningless).
    pub wall_ns: u64,
    /// Allocations of the measured call.
    pub alloc: AllocCount,
    /// Heap bytes live when the measured call started.
    pub heap_live_before_bytes: u64,
    /// The most heap bytes live at once during the measured call.
    pub heap_peak_bytes: u64,
    /// `heap_peak_bytes − heap_live_before_bytes`: the heap the call needed on top of what was
    /// already live (0 for a warm annulus workspace).
    pub heap_peak_above_start_bytes: u64,
    /// Resident set size when the detector was about to be built (after rendering), KiB.
    pub rss_before_kib: Option<u64>,
    /// Peak resident set size (`VmHWM`) over building the detector, the warm-up call and the
    /// measured call, KiB: the high-water mark is reset after rendering when the kernel allows
    /// (`peak_rss_reset`), else it includes rendering.
    pub peak_rss_kib: Option<u64>,
    /// Whether the peak was reset after rendering.
    pub peak_rss_reset: bool,
    /// Markers reported by the measured call (0 when it failed).
    pub n_markers: usize,
    /// Why the measured call failed, if it did.
    pub error: Option<String>,
    /// annulus's counts of candidates and their fates (fitted, decoded, completed, rejected and
    /// why), from one more call on the same image after everything above was measured; `None`
    /// for ringgrid, which reports no such counts, or when that call failed.
    #[serde(default)]
    pub stats: Option<DetectStats>,
}
