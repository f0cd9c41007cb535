//! The shape of `target/perf/<label>/perf.json`, written by `cargo xtask perf-baseline` and
//! read by `compare`, `finalize`, `ci` and `bless`.
//!
//! Times are nanoseconds per `detect` call unless a field says otherwise. Benchmarks keep their
//! raw samples, so that a later comparison can compute confidence intervals and a rank test
//! rather than compare two medians.

use annulus_benches::{AllocCount, ProbeReport};
use serde::{Deserialize, Serialize};

/// Version of [`PerfReport`]'s shape; bumped on any incompatible change.
pub const PERF_SCHEMA: u32 = 1;

/// Everything `perf-baseline` measured for one label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerfReport {
    /// [`PERF_SCHEMA`].
    pub schema: u32,
    /// The label.
    pub label: String,
    /// Where and when it was measured.
    pub provenance: PerfProvenance,
    /// Criterion benchmarks: end-to-end `detect` per perf scenario and each hot stage.
    pub benchmarks: Vec<Benchmark>,
    /// Per perf scenario: the probe's stage breakdown, allocations and peak memory.
    pub scenarios: Vec<ScenarioPerf>,
    /// Per perf scenario: instructions per warm `detect` under callgrind; empty when valgrind
    /// was not available (the reason is in `skipped`).
    pub instructions: Vec<InstructionCount>,
    /// The CPU profile's summary; `None` when no profiler was available.
    pub profile: Option<ProfileSummary>,
    /// Steps that could not run on this machine, each with the reason.
    pub skipped: Vec<String>,
}

/// Where and when a perf report was measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerfProvenance {
    /// Git short hash.
    pub commit: Option<String>,
    /// Uncommitted changes at run time.
    pub dirty: bool,
    /// RFC 3339 UTC.
    pub created_utc: String,
    /// One line: CPU, cores, memory, OS.
    pub machine: String,
    /// The commands run, in order.
    pub commands: Vec<String>,
    /// Whether `--quick` shortened the run (fewer samples).
    pub quick: bool,
}

/// One criterion benchmark with its raw samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Benchmark {
    /// Stable ID, e.g. `detect_1280x1024` or `stage_proposals_1280x1024`.
    pub id: String,
    /// Time per iteration of each criterion sample, nanoseconds.
    pub samples_ns: Vec<f64>,
    /// Median of `samples_ns`.
    pub median_ns: f64,
    /// 95 % confidence interval of the median, nanoseconds.
    pub median_ci95_ns: [f64; 2],
}

/// The probe's measurements on one perf scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioPerf {
    /// Scenario name, e.g. `perf_1280x1024`.
    pub scenario: String,
    /// Median and p95 of each stage over the probe's warm calls.
    pub stages: Vec<StageStat>,
    /// Allocations of a cold call (fresh workspace).
    pub alloc_cold: AllocCount,
    /// Allocations of a warm call (reused workspace).
    pub alloc_warm: AllocCount,
    /// Peak resident memory of the probe process, KiB.
    pub peak_rss_kib: Option<u64>,
    /// The probe's raw report.
    pub probe: ProbeReport,
}

/// One stage's time over repeated calls.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageStat {
    /// `proposals`, `fit_decode`, `homography`, `completion`, `refine` or `total`.
    pub stage: String,
    /// Median, nanoseconds.
    pub median_ns: f64,
    /// Nearest-rank 95th percentile, nanoseconds.
    pub p95_ns: f64,
}

/// Instructions executed by one warm `detect` call, counted by callgrind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstructionCount {
    /// Scenario name.
    pub scenario: String,
    /// Instructions (callgrind `Ir`) per call.
    pub instructions: u64,
}

/// The CPU profile of `detect`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileSummary {
    /// What sampled: e.g. `perf record -e cpu-clock`.
    pub sampler: String,
    /// Samples taken.
    pub n_samples: u64,
    /// Folded stacks file, relative to the label folder.
    pub folded: String,
    /// Flamegraph SVG, relative to the label folder.
    pub flamegraph: String,
    /// Top functions by inclusive time, most first.
    pub top_inclusive: Vec<Hotspot>,
    /// Top functions by self time, most first.
    pub top_self: Vec<Hotspot>,
}

/// One function's share of the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hotspot {
    /// Demangled function name, without hash.
    pub function: String,
    /// Share of all samples, 0..=1.
    pub fraction: f64,
}
