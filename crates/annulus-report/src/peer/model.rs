//! The data of a peer comparison, as `cargo xtask peer` records it in `peer.json`: provenance,
//! per gate one score per detector, and per perf scenario one timing per detector with the
//! paired time ratios.
//!
//! # Shape
//! Every per-detector record is keyed by detector, `annulus`, `annulus_auto` and `ringgrid`,
//! and the three are the same type, so they have the same field names by construction. A
//! detector that did not produce a score still has its record, with a [`DetectorStatus`] that
//! says why; nothing is dropped.
//!
//! # Edge cases
//! - A detector that ran on every image but detected nothing is [`DetectorStatus::FoundNothing`]
//!   and keeps its counts (every visible marker missed); its error statistics are `None`.
//! - A detector that returned an error on some images keeps [`PeerDetectorScore::image_errors`];
//!   the caller scores those images as finding nothing, so recall counts them as misses.
//! - Centre errors are kept for the distribution plot, all of them up to
//!   [`MAX_CDF_POINTS`], else downsampled to that many nearest-rank percentiles.

#[cfg(test)]
mod tests;

use annulus_score::{Counts, ErrorStats, GateScore, ImageRow};
use serde::{Deserialize, Serialize};

use super::ratio::{TimeRatio, TimeStats};
use crate::error::ReportError;

/// The version of `peer.json`'s layout, incremented whenever a field changes meaning or goes
/// away (adding a field does not change it).
pub const PEER_SCHEMA_VERSION: u32 = 1;

/// The most centre errors a detector's distribution keeps per gate: enough that the plotted
/// step curve is within half a percent of the full one, few enough to keep `peer.json` small.
pub const MAX_CDF_POINTS: usize = 200;

/// One `cargo xtask peer` run: everything the peer report shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerRun {
    /// [`PEER_SCHEMA_VERSION`] when the run was made.
    pub schema_version: u32,
    /// Where, when and how the run was made.
    pub provenance: PeerProvenance,
    /// The accuracy gates on the peer's board, in the order they ran.
    pub gates: Vec<PeerGate>,
    /// The same gates on annulus's own default board; `ringgrid` is normally
    /// [`DetectorStatus::NotRun`] there, as it reads only its own board.
    pub own_board_gates: Vec<PeerGate>,
    /// The perf scenarios, in the order they ran.
    pub perf: Vec<PeerPerf>,
}

/// Where, when and how a peer run was made; everything here is supplied by the caller.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerProvenance {
    /// When the run was made, RFC 3339 UTC, e.g. `2026-11-24T10:00:00Z`.
    pub created_utc: String,
    /// The git short hash of the commit built, when known.
    pub commit: Option<String>,
    /// Whether the working tree had uncommitted changes.
    pub dirty: bool,
    /// The machine the run was made on.
    pub machine: PeerMachine,
    /// The peer crate's version, e.g. `0.13.2`.
    pub ringgrid_version: String,
    /// The board of the comparison, e.g. ringgrid's default board and how it was converted.
    pub peer_board: String,
    /// annulus's own board, for the second accuracy table.
    pub own_board: String,
    /// The commands run, in order, exactly.
    pub commands: Vec<String>,
    /// The files written, e.g. `target/perf/peer/peer.json`.
    pub artifacts: Vec<String>,
    /// How the detectors were called and anything else a reader needs, one sentence each,
    /// e.g. "ringgrid called through `Detector::detect` with the true diameter hint, its fast
    /// path."
    pub notes: Vec<String>,
}

/// The machine a run was made on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerMachine {
    /// The CPU model, e.g. `AMD EPYC 7B13`.
    pub cpu: String,
    /// Logical cores available to the process.
    pub logical_cores: u32,
    /// Total memory, KiB, when known.
    pub memory_kib: Option<u64>,
    /// Operating system and architecture, e.g. `linux x86_64`.
    pub os: String,
}

/// The detectors compared, in the order every table shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorId {
    /// annulus given the true marker diameter, the same hint ringgrid gets.
    Annulus,
    /// annulus without a hint.
    AnnulusAuto,
    /// The peer, ringgrid, given the true marker diameter (its fast path).
    Ringgrid,
}

/// One accuracy gate: one scenario in one mode, scored for every detector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerGate {
    /// The gate's name: `reference`, `blur3`, `distortion`.
    pub gate: String,
    /// The mode within the gate, e.g. `no_camera`; `None` for a gate with one mode.
    pub mode: Option<String>,
    /// The scenario's name.
    pub scenario: String,
    /// A hex digest of the scenario and the board, identifying the images.
    pub scenario_hash: String,
    /// Images in the scenario.
    pub n_images: u32,
    /// The true outer marker diameter given to `annulus` and `ringgrid` (not `annulus_auto`),
    /// in image pixels; `None` when no hint was given.
    pub diameter_hint_px: Option<f64>,
    /// annulus with the hint.
    pub annulus: PeerDetectorScore,
    /// annulus without a hint.
    pub annulus_auto: PeerDetectorScore,
    /// ringgrid with the hint.
    pub ringgrid: PeerDetectorScore,
}

/// One detector on one gate: how it ended and, when it ran, its score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerDetectorScore {
    /// Whether it ran and found anything.
    pub status: DetectorStatus,
    /// Images on which the detector returned an error; they are scored as finding nothing.
    pub image_errors: Vec<PeerImageError>,
    /// The pooled metrics; `None` when the detector did not run.
    pub metrics: Option<PeerMetrics>,
    /// Centre errors of correct detections, sorted ascending, image pixels: all of them up to
    /// [`MAX_CDF_POINTS`], else the nearest-rank percentiles at `100·k / MAX_CDF_POINTS` %
    /// for `k = 1..=MAX_CDF_POINTS`, whose step curve is within `1 / MAX_CDF_POINTS` of the
    /// full distribution's.
    pub center_error_cdf_px: Vec<f64>,
    /// One row per image, in scenario order.
    pub images: Vec<ImageRow>,
}

/// How a detector ended on a gate or a perf scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DetectorStatus {
    /// It ran and detected at least one marker.
    Ran,
    /// It ran on every image and detected no marker at all.
    FoundNothing,
    /// It could not be run: it failed to build for the board, or failed on every call.
    Failed {
        /// The error, as the detector reported it.
        message: String,
    },
    /// It was deliberately not run.
    NotRun {
        /// Why, e.g. ringgrid reads only its own board's codes.
        reason: String,
    },
}

/// An image on which a detector returned an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerImageError {
    /// The image's index within its scenario.
    pub index: u32,
    /// The error, as the detector reported it.
    pub message: String,
}

/// A detector's metrics on one gate, pooled over its images by `annulus-score`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PeerMetrics {
    /// Images scored.
    pub n_images: usize,
    /// How detections and true markers ended, summed over images.
    pub counts: Counts,
    /// Visible markers found with the right ID / visible markers; [`Counts::recall`].
    pub recall: Option<f64>,
    /// Correct / identified detections; [`Counts::precision`].
    pub precision: Option<f64>,
    /// Centre errors of correct detections of visible markers, image pixels.
    pub center_error_px: Option<ErrorStats>,
    /// Distances from the detector's own centres to their board points mapped through its
    /// homography, image pixels.
    pub homography_self_px: Option<ErrorStats>,
    /// Distances from the true centres to their board points mapped through the detector's
    /// homography, image pixels.
    pub homography_truth_px: Option<ErrorStats>,
    /// Images where the detector gave no homography.
    pub n_without_homography: usize,
}

/// One perf scenario: every detector timed on the same image in alternating order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerPerf {
    /// The scenario's name, e.g. `perf_1280x1024`.
    pub scenario: String,
    /// Image width, pixels.
    pub width_px: u32,
    /// Image height, pixels.
    pub height_px: u32,
    /// The marker diameter given to `annulus` and `ringgrid`, pixels; `None` without a hint.
    pub diameter_hint_px: Option<f64>,
    /// annulus with the hint.
    pub annulus: PeerTiming,
    /// annulus without a hint.
    pub annulus_auto: PeerTiming,
    /// ringgrid with the hint.
    pub ringgrid: PeerTiming,
    /// ringgrid's time over each annulus variant's, paired by round.
    pub time_ratio: TimeRatios,
}

/// One detector's time, instructions and memory on one perf scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerTiming {
    /// Whether it ran.
    pub status: DetectorStatus,
    /// Wall time of one call per round, nanoseconds, in round order: sample `i` of every
    /// detector comes from the same round.
    pub samples_ns: Vec<u64>,
    /// The median of `samples_ns` with its 95 % interval; `None` without samples.
    pub time_per_image: Option<TimeStats>,
    /// Instructions of one warm call under callgrind; `None` when not measured.
    pub instructions: Option<u64>,
    /// Allocations of a cold call (the first, with fresh scratch memory).
    pub alloc_cold: Option<Allocations>,
    /// Allocations of a warm call (a later one, scratch memory reused where the API allows).
    pub alloc_warm: Option<Allocations>,
    /// The most heap in use during one call above what was in use before it, bytes.
    pub peak_heap_bytes: Option<u64>,
    /// Peak resident memory of the measuring process, KiB.
    pub peak_rss_kib: Option<u64>,
}

/// Heap allocations during one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allocations {
    /// Allocation calls (including reallocations).
    pub count: u64,
    /// Bytes requested in total.
    pub bytes: u64,
}

/// ringgrid's time over annulus's, per round, for each annulus variant; `None` where either
/// detector has no samples.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeRatios {
    /// ringgrid / `annulus` (both hinted).
    pub ringgrid_over_annulus: Option<TimeRatio>,
    /// ringgrid / `annulus_auto`.
    pub ringgrid_over_annulus_auto: Option<TimeRatio>,
}

impl PeerRun {
    /// A run of the current [`PEER_SCHEMA_VERSION`].
    pub fn new(
        provenance: PeerProvenance,
        gates: Vec<PeerGate>,
        own_board_gates: Vec<PeerGate>,
        perf: Vec<PeerPerf>,
    ) -> Self {
        Self { schema_version: PEER_SCHEMA_VERSION, provenance, gates, own_board_gates, perf }
    }

    /// The gate on the peer's board with display key `key` (`blur3`, `distortion/no_camera`).
    pub fn gate(&self, key: &str) -> Option<&PeerGate> {
        self.gates.iter().find(|g| g.key() == key)
    }

    /// The perf scenario named `scenario`.
    pub fn perf_scenario(&self, scenario: &str) -> Option<&PeerPerf> {
        self.perf.iter().find(|p| p.scenario == scenario)
    }
}

impl PeerMachine {
    /// One line: `AMD EPYC 7B13, 2 logical cores, 7.8 GiB, linux x86_64`.
    pub fn describe(&self) -> String {
        let memory = self
            .memory_kib
            .map(|kib| format!(", {}", crate::format::bytes(kib.saturating_mul(1024))))
            .unwrap_or_default();
        let cores = if self.logical_cores == 1 { "core" } else { "cores" };
        format!("{}, {} logical {cores}{memory}, {}", self.cpu, self.logical_cores, self.os)
    }
}

impl DetectorId {
    /// Every detector, in table order.
    pub const ALL: [Self; 3] = [Self::Annulus, Self::AnnulusAuto, Self::Ringgrid];

    /// The stable key: `annulus`, `annulus_auto` or `ringgrid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Annulus => "annulus",
            Self::AnnulusAuto => "annulus_auto",
            Self::Ringgrid => "ringgrid",
        }
    }

    /// How the detector is called, in a few words.
    pub fn description(self) -> &'static str {
        match self {
            Self::Annulus => "annulus given the true marker diameter, the hint ringgrid gets",
            Self::AnnulusAuto => "annulus with no hint, finding the marker size itself",
            Self::Ringgrid => "ringgrid given the true marker diameter, its fast path",
        }
    }
}

impl PeerGate {
    /// The gate's display key: `gate` alone, or `gate/mode`, as in the accuracy report.
    pub fn key(&self) -> String {
        match &self.mode {
            Some(mode) => format!("{}/{mode}", self.gate),
            None => self.gate.clone(),
        }
    }

    /// The score of `detector`.
    pub fn detector(&self, detector: DetectorId) -> &PeerDetectorScore {
        match detector {
            DetectorId::Annulus => &self.annulus,
            DetectorId::AnnulusAuto => &self.annulus_auto,
            DetectorId::Ringgrid => &self.ringgrid,
        }
    }
}

impl PeerDetectorScore {
    /// The record of a detector scored as `score`: [`DetectorStatus::FoundNothing`] when it
    /// detected no marker on any image, else [`DetectorStatus::Ran`]; no image errors (the
    /// caller adds them).
    pub fn from_gate_score(score: &GateScore) -> Self {
        let a = &score.aggregate;
        let status = if a.counts.n_detected == 0 {
            DetectorStatus::FoundNothing
        } else {
            DetectorStatus::Ran
        };
        Self {
            status,
            image_errors: Vec::new(),
            metrics: Some(PeerMetrics {
                n_images: a.n_images,
                counts: a.counts,
                recall: a.counts.recall(),
                precision: a.counts.precision(),
                center_error_px: a.center_error_px,
                homography_self_px: a.homography_self_px,
                homography_truth_px: a.homography_truth_px,
                n_without_homography: a.n_without_homography,
            }),
            center_error_cdf_px: cdf_points(&score.center_errors_px),
            images: score.images.clone(),
        }
    }

    /// The record of a detector that could not be run, with its error.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::without_score(DetectorStatus::Failed { message: message.into() })
    }

    /// The record of a detector deliberately not run, with the reason.
    pub fn not_run(reason: impl Into<String>) -> Self {
        Self::without_score(DetectorStatus::NotRun { reason: reason.into() })
    }

    fn without_score(status: DetectorStatus) -> Self {
        Self {
            status,
            image_errors: Vec::new(),
            metrics: None,
            center_error_cdf_px: Vec::new(),
            images: Vec::new(),
        }
    }
}

/// `sorted` itself when it has at most [`MAX_CDF_POINTS`] values, else its nearest-rank
/// percentiles at `100·k / MAX_CDF_POINTS` %, `k = 1..=MAX_CDF_POINTS`. The rank of the k-th is
/// `⌈k·n / MAX_CDF_POINTS⌉`, computed in integers so that no rounding can pick a neighbour.
pub(crate) fn cdf_points(sorted: &[f64]) -> Vec<f64> {
    let n = sorted.len();
    if n <= MAX_CDF_POINTS {
        return sorted.to_vec();
    }
    (1..=MAX_CDF_POINTS)
        .filter_map(|k| sorted.get((k * n).div_ceil(MAX_CDF_POINTS) - 1).copied())
        .collect()
}

impl PeerPerf {
    /// The scenario `scenario` of `size_px` (width, height) with each detector's timing, and
    /// the paired ratios computed from their samples; fails when the samples do not pair up
    /// (see [`TimeRatio::from_rounds`]).
    pub fn new(
        scenario: impl Into<String>,
        size_px: [u32; 2],
        diameter_hint_px: Option<f64>,
        annulus: PeerTiming,
        annulus_auto: PeerTiming,
        ringgrid: PeerTiming,
    ) -> Result<Self, ReportError> {
        let time_ratio = TimeRatios::from_timings(&annulus, &annulus_auto, &ringgrid)?;
        Ok(Self {
            scenario: scenario.into(),
            width_px: size_px[0],
            height_px: size_px[1],
            diameter_hint_px,
            annulus,
            annulus_auto,
            ringgrid,
            time_ratio,
        })
    }

    /// The timing of `detector`.
    pub fn detector(&self, detector: DetectorId) -> &PeerTiming {
        match detector {
            DetectorId::Annulus => &self.annulus,
            DetectorId::AnnulusAuto => &self.annulus_auto,
            DetectorId::Ringgrid => &self.ringgrid,
        }
    }

    /// ringgrid's time over `detector`'s; `None` for ringgrid itself, or without samples.
    pub fn ratio_to(&self, detector: DetectorId) -> Option<&TimeRatio> {
        match detector {
            DetectorId::Annulus => self.time_ratio.ringgrid_over_annulus.as_ref(),
            DetectorId::AnnulusAuto => self.time_ratio.ringgrid_over_annulus_auto.as_ref(),
            DetectorId::Ringgrid => None,
        }
    }
}

impl PeerTiming {
    /// A detector that ran, with its per-round wall times and their statistics; instructions,
    /// allocations and memory are left `None` for the caller to fill in.
    pub fn from_samples_ns(samples_ns: Vec<u64>) -> Self {
        Self {
            time_per_image: TimeStats::from_samples_ns(&samples_ns),
            samples_ns,
            ..Self::without_samples(DetectorStatus::Ran)
        }
    }

    /// A detector that could not be timed, with its error.
    pub fn failed(message: impl Into<String>) -> Self {
        Self::without_samples(DetectorStatus::Failed { message: message.into() })
    }

    /// A detector deliberately not timed, with the reason.
    pub fn not_run(reason: impl Into<String>) -> Self {
        Self::without_samples(DetectorStatus::NotRun { reason: reason.into() })
    }

    fn without_samples(status: DetectorStatus) -> Self {
        Self {
            status,
            samples_ns: Vec::new(),
            time_per_image: None,
            instructions: None,
            alloc_cold: None,
            alloc_warm: None,
            peak_heap_bytes: None,
            peak_rss_kib: None,
        }
    }
}

impl TimeRatios {
    /// ringgrid's time over each annulus variant's, paired round by round; fails when the
    /// samples do not pair up (see [`TimeRatio::from_rounds`]).
    pub fn from_timings(
        annulus: &PeerTiming,
        annulus_auto: &PeerTiming,
        ringgrid: &PeerTiming,
    ) -> Result<Self, ReportError> {
        Ok(Self {
            ringgrid_over_annulus: TimeRatio::from_rounds(
                &ringgrid.samples_ns,
                &annulus.samples_ns,
            )?,
            ringgrid_over_annulus_auto: TimeRatio::from_rounds(
                &ringgrid.samples_ns,
                &annulus_auto.samples_ns,
            )?,
        })
    }
}
