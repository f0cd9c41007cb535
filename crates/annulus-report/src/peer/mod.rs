//! The side-by-side comparison of annulus with the peer detector ringgrid, as
//! `cargo xtask peer` measures it: accuracy on byte-identical images of ringgrid's default
//! board scored by the same code, annulus on its own board, and time, instructions and memory
//! per perf scenario.
//!
//! The caller (xtask) runs the detectors, scores them with `annulus-score` and builds a
//! [`PeerRun`]; [`peer_json`] writes it as `peer.json`.
//!
//! # Detectors
//! `annulus` is given the true marker diameter, the hint ringgrid gets on its fast path;
//! `annulus_auto` gets no hint; `ringgrid` is the peer. Every table shows all three, in that
//! order; a detector that failed, found nothing or was not run shows its status instead of
//! numbers, and the report's last section lists everything that did not run or was not
//! measured. The one exception is the own-board table, which leaves out a detector
//! deliberately not run on any of its gates (ringgrid, which reads only its own board) and
//! names it under the table.
//!
//! # Statistics
//! Medians are nearest rank; intervals are distribution-free 95 % intervals from order
//! statistics, absent below six samples; the time ratio is the median of per-round ratios
//! ringgrid / annulus. The definitions are in [`TimeStats`] and [`TimeRatio`]'s module,
//! `peer::ratio`.

mod json;
mod model;
mod ratio;

pub use json::peer_json;
pub use model::{
    Allocations, DetectorId, DetectorStatus, MAX_CDF_POINTS, PEER_SCHEMA_VERSION,
    PeerDetectorScore, PeerGate, PeerImageError, PeerMachine, PeerMetrics, PeerPerf,
    PeerProvenance, PeerRun, PeerTiming, TimeRatios,
};
pub use ratio::{CONFIDENCE, MIN_SAMPLES_FOR_CI, TimeRatio, TimeStats};
