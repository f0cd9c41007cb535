//! Shared pieces of the benchmarks and of `annulus-probe`, the measuring binary that
//! `cargo xtask perf-baseline` runs (allocation counts, stage timings, peak memory, and the
//! target of callgrind and `perf record`).
//!
//! [`ProbeReport`] is the JSON the probe prints; xtask reads it with this same type, so the two
//! can never disagree about its shape. [`scenario`] loads the scenarios both measure,
//! [`alloc_count`] is the counting global allocator of the measuring binaries, and [`soak`]
//! holds the report of `annulus-soak` (many calls on one workspace, memory sampled throughout).

pub mod alloc_count;
pub mod scenario;
pub mod soak;

use std::time::Duration;

use annulus::detect::StageTimings;
use serde::{Deserialize, Serialize};

pub use alloc_count::{CountingAlloc, count_allocs, peak_rss_kib, rss_kib};
pub use scenario::{
    ScenarioError, load_scenario, nominal_diameter_px, scenario_path, truth_markers, workspace_root,
};

/// Version of [`ProbeReport`]'s shape; bumped on any incompatible change.
pub const PROBE_SCHEMA: u32 = 1;

/// Heap allocations counted over some span of the probe: calls to `alloc`/`realloc` and the
/// bytes they asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocCount {
    /// Number of allocations (a `realloc` counts as one).
    pub count: u64,
    /// Bytes requested by them.
    pub bytes: u64,
}

/// Time of each detector stage in one `detect` call, in nanoseconds, from the detector's own
/// opt-in stage timings (`DetectConfig::timings`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageSample {
    /// Pyramid, gradients and radial-symmetry voting.
    pub proposals_ns: u64,
    /// Edge sampling, ellipse fits, inner ring and decoding.
    pub fit_decode_ns: u64,
    /// Homography RANSAC, ID verification and correction.
    pub homography_ns: u64,
    /// Completion of missed markers.
    pub completion_ns: u64,
    /// Projective centres and the final refit.
    pub refine_ns: u64,
    /// The whole call.
    pub total_ns: u64,
}

impl From<&StageTimings> for StageSample {
    fn from(t: &StageTimings) -> Self {
        Self {
            proposals_ns: nanos(t.proposals),
            fit_decode_ns: nanos(t.fit_decode),
            homography_ns: nanos(t.homography),
            completion_ns: nanos(t.completion),
            refine_ns: nanos(t.refine),
            total_ns: nanos(t.total),
        }
    }
}

/// A duration in whole nanoseconds, saturating (at 584 years).
pub fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// What one run of `annulus-probe` measured on one scenario image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbeReport {
    /// [`PROBE_SCHEMA`].
    pub schema: u32,
    /// The scenario's name.
    pub scenario: String,
    /// The image index within the scenario.
    pub image_index: u32,
    /// Image width, pixels.
    pub width: u32,
    /// Image height, pixels.
    pub height: u32,
    /// The diameter prior given to the detector, pixels; `None` for automatic scale.
    pub diameter_px: Option<f64>,
    /// Markers the detector reported (identified or not) on the last call.
    pub n_markers: usize,
    /// Warm calls timed.
    pub repeats: u32,
    /// Allocations of the first call on a fresh `Workspace` (cold).
    pub alloc_cold: AllocCount,
    /// Allocations of one call on the reused workspace after the warm-up (warm); the target is 0.
    pub alloc_warm: AllocCount,
    /// Wall time of each warm `detect_with` call, nanoseconds, in call order.
    pub wall_ns: Vec<u64>,
    /// Stage times of each warm call, in call order.
    pub stages: Vec<StageSample>,
    /// Peak resident set size of the probe process (`VmHWM`), KiB; `None` where unavailable.
    pub peak_rss_kib: Option<u64>,
    /// The detector's candidate and rejection counts on the warm allocation-counted call: where
    /// the work went.
    #[serde(default)]
    pub stats: Option<annulus::detect::DetectStats>,
}
