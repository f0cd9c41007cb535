//! Two labels' `perf.json` lined up: per benchmark the medians with their intervals, the
//! relative change with its interval, the rank test and a verdict; the instruction counts,
//! allocations, peak memory and stage medians side by side.
//!
//! [`BenchComparison`] is plain data, written as `benchmark-comparison.json` for `finalize` and
//! rendered by [`crate::perf::bench_report`]. [`compare`] is pure: the same two reports give the
//! same comparison, byte for byte (the bootstrap is seeded).
//!
//! A benchmark is called faster or slower only when both hold: the 95 % interval of the ratio of
//! medians excludes 1, and the two-sided Mann–Whitney test gives `p <` [`ALPHA`]. Anything else
//! is "no significant change", whatever the medians say: on a shared machine a few percent
//! between two runs is often the machine.

#[cfg(test)]
mod tests;

use annulus_benches::AllocCount;
use serde::{Deserialize, Serialize};

use crate::perf::schema::{PerfReport, ProfileSummary, StageStat};
use crate::perf::significance::{
    ALPHA, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, MedianCi, bootstrap_ratio_ci, mann_whitney,
    median_ci,
};

/// Version of [`BenchComparison`]'s shape; a file of another version is recomputed.
pub const COMPARISON_SCHEMA: u32 = 1;

/// Fewest samples per side for a verdict. Below five the interval of a median cannot reach 95 %
/// coverage (it is `[min, max]` at 94 % for five, less below) and the normal approximation of U
/// is rough; such a benchmark is reported as having too few samples instead.
pub const MIN_SAMPLES: usize = 5;

/// The comparison of two labels' benchmarks and measurements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchComparison {
    /// [`COMPARISON_SCHEMA`].
    pub schema: u32,
    /// The label under test.
    pub after: LabelInfo,
    /// The label compared with.
    pub baseline: LabelInfo,
    /// Digests of the two `perf.json` files compared, to tell when this comparison is stale.
    pub inputs: InputDigests,
    /// Every benchmark of either label: the baseline's in order, then those only `after` has.
    pub benchmarks: Vec<BenchmarkRow>,
    /// Instructions per warm `detect`, per scenario of either label.
    pub instructions: Vec<InstructionRow>,
    /// Allocations, peak memory and stage times, per scenario of either label.
    pub scenarios: Vec<ScenarioRow>,
    /// The baseline's CPU profile summary, when it has one.
    pub profile_baseline: Option<ProfileSummary>,
    /// The after label's CPU profile summary, when it has one.
    pub profile_after: Option<ProfileSummary>,
    /// Things that make the comparison weaker, one sentence each (different machines, quick
    /// runs, skipped steps).
    pub warnings: Vec<String>,
}

/// Where one label's measurements come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelInfo {
    /// The label.
    pub label: String,
    /// Git short hash at measurement time.
    pub commit: Option<String>,
    /// Uncommitted changes at measurement time.
    pub dirty: bool,
    /// When `perf.json` was made, RFC 3339 UTC.
    pub created_utc: String,
    /// The machine, one line.
    pub machine: String,
    /// Whether `--quick` shortened the run.
    pub quick: bool,
}

/// SHA-256 digests (hex) of the inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputDigests {
    /// Of the baseline's `perf.json`.
    pub baseline_perf_sha256: String,
    /// Of the after label's `perf.json`.
    pub after_perf_sha256: String,
}

/// One benchmark in both labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkRow {
    /// The benchmark's ID, e.g. `detect_1280x1024`.
    pub id: String,
    /// The baseline's median and interval; `None` when the baseline lacks the benchmark.
    pub baseline: Option<MedianCi>,
    /// The after label's median and interval; `None` when it lacks the benchmark.
    pub after: Option<MedianCi>,
    /// The change, when both labels have enough samples.
    pub change: Option<Change>,
    /// The outcome.
    pub verdict: BenchVerdict,
}

/// The change of one benchmark from the baseline to the after label.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `median(after) / median(baseline)`.
    pub ratio: f64,
    /// Percentile-bootstrap 95 % interval of the ratio.
    pub ratio_ci95: [f64; 2],
    /// Mann–Whitney U of the after samples against the baseline's.
    pub u: f64,
    /// Two-sided p-value of the rank test.
    pub p_value: f64,
}

/// What a benchmark's comparison concludes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenchVerdict {
    /// Significantly faster: the interval lies below 1 and `p < 0.05`.
    Faster,
    /// Significantly slower: the interval lies above 1 and `p < 0.05`.
    Slower,
    /// The interval includes 1 or the test is not significant.
    NoSignificantChange,
    /// A side has fewer than [`MIN_SAMPLES`] samples.
    TooFewSamples,
    /// Only the baseline has the benchmark.
    OnlyInBaseline,
    /// Only the after label has the benchmark.
    OnlyInAfter,
}

/// Instructions per warm `detect` on one scenario, from callgrind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstructionRow {
    /// The scenario.
    pub scenario: String,
    /// The baseline's count, when measured.
    pub baseline: Option<u64>,
    /// The after label's count, when measured.
    pub after: Option<u64>,
}

/// One scenario's probe measurements in both labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRow {
    /// The scenario.
    pub scenario: String,
    /// The baseline's figures, when it probed the scenario.
    pub baseline: Option<ScenarioFigures>,
    /// The after label's figures, when it probed the scenario.
    pub after: Option<ScenarioFigures>,
}

/// What the probe measured on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioFigures {
    /// Allocations of a call on a fresh workspace.
    pub alloc_cold: AllocCount,
    /// Allocations of a call on a reused workspace.
    pub alloc_warm: AllocCount,
    /// Peak resident memory, KiB.
    pub peak_rss_kib: Option<u64>,
    /// Stage medians and p95.
    pub stages: Vec<StageStat>,
}

impl BenchVerdict {
    /// The verdict in words, as the reports print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Faster => "faster",
            Self::Slower => "slower",
            Self::NoSignificantChange => "no significant change",
            Self::TooFewSamples => "too few samples",
            Self::OnlyInBaseline => "only in baseline",
            Self::OnlyInAfter => "only in after",
        }
    }

    /// Whether this is a significant change (faster or slower).
    pub fn is_significant(self) -> bool {
        matches!(self, Self::Faster | Self::Slower)
    }
}

impl BenchmarkRow {
    /// The relative change of the medians in percent, when both sides have a median.
    pub fn percent(&self) -> Option<f64> {
        self.change.map(|c| 100.0 * (c.ratio - 1.0))
    }
}

/// Compares `after` with `baseline` (see the module doc); `inputs` are the digests of the two
/// files they were read from.
pub fn compare(baseline: &PerfReport, after: &PerfReport, inputs: InputDigests) -> BenchComparison {
    let benchmarks = union(
        baseline.benchmarks.iter().map(|b| b.id.as_str()),
        after.benchmarks.iter().map(|b| b.id.as_str()),
    )
    .into_iter()
    .map(|id| {
        let samples = |report: &PerfReport| {
            report.benchmarks.iter().find(|b| b.id == id).map(|b| b.samples_ns.clone())
        };
        benchmark_row(id, samples(baseline).as_deref(), samples(after).as_deref())
    })
    .collect();
    let instructions = union(
        baseline.instructions.iter().map(|i| i.scenario.as_str()),
        after.instructions.iter().map(|i| i.scenario.as_str()),
    )
    .into_iter()
    .map(|scenario| {
        let count = |report: &PerfReport| {
            report.instructions.iter().find(|i| i.scenario == scenario).map(|i| i.instructions)
        };
        InstructionRow {
            scenario: scenario.to_owned(),
            baseline: count(baseline),
            after: count(after),
        }
    })
    .collect();
    let scenarios = union(
        baseline.scenarios.iter().map(|s| s.scenario.as_str()),
        after.scenarios.iter().map(|s| s.scenario.as_str()),
    )
    .into_iter()
    .map(|scenario| {
        let figures = |report: &PerfReport| {
            report.scenarios.iter().find(|s| s.scenario == scenario).map(|s| ScenarioFigures {
                alloc_cold: s.alloc_cold,
                alloc_warm: s.alloc_warm,
                peak_rss_kib: s.peak_rss_kib,
                stages: s.stages.clone(),
            })
        };
        ScenarioRow {
            scenario: scenario.to_owned(),
            baseline: figures(baseline),
            after: figures(after),
        }
    })
    .collect();
    BenchComparison {
        schema: COMPARISON_SCHEMA,
        after: label_info(after),
        baseline: label_info(baseline),
        inputs,
        benchmarks,
        instructions,
        scenarios,
        profile_baseline: baseline.profile.clone(),
        profile_after: after.profile.clone(),
        warnings: warnings(baseline, after),
    }
}

/// One benchmark's row from its samples in each label.
pub fn benchmark_row(id: &str, baseline: Option<&[f64]>, after: Option<&[f64]>) -> BenchmarkRow {
    let base_ci = baseline.and_then(median_ci);
    let after_ci = after.and_then(median_ci);
    let (change, verdict) = match (baseline, after) {
        (None, _) => (None, BenchVerdict::OnlyInAfter),
        (_, None) => (None, BenchVerdict::OnlyInBaseline),
        (Some(b), Some(a)) if b.len() < MIN_SAMPLES || a.len() < MIN_SAMPLES => {
            (None, BenchVerdict::TooFewSamples)
        }
        (Some(b), Some(a)) => match change(b, a, base_ci, after_ci) {
            Some(c) => (Some(c), verdict(&c)),
            // Non-finite samples or a zero median: nothing sound to say.
            None => (None, BenchVerdict::TooFewSamples),
        },
    };
    BenchmarkRow { id: id.to_owned(), baseline: base_ci, after: after_ci, change, verdict }
}

fn change(
    baseline: &[f64],
    after: &[f64],
    base_ci: Option<MedianCi>,
    after_ci: Option<MedianCi>,
) -> Option<Change> {
    let (base_ci, after_ci) = (base_ci?, after_ci?);
    if base_ci.median <= 0.0 {
        return None;
    }
    let test = mann_whitney(after, baseline)?;
    let ratio_ci95 = bootstrap_ratio_ci(baseline, after, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)?;
    Some(Change {
        ratio: after_ci.median / base_ci.median,
        ratio_ci95,
        u: test.u,
        p_value: test.p_value,
    })
}

/// Faster or slower only when the interval excludes 1 and the test is significant.
pub fn verdict(change: &Change) -> BenchVerdict {
    let significant = change.p_value < ALPHA;
    let [lo, hi] = change.ratio_ci95;
    match () {
        () if significant && hi < 1.0 => BenchVerdict::Faster,
        () if significant && lo > 1.0 => BenchVerdict::Slower,
        () => BenchVerdict::NoSignificantChange,
    }
}

/// The names of `first`, then those of `second` that `first` lacks, without repeats.
fn union<'a>(
    first: impl Iterator<Item = &'a str>,
    second: impl Iterator<Item = &'a str>,
) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for name in first.chain(second) {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn label_info(report: &PerfReport) -> LabelInfo {
    let p = &report.provenance;
    LabelInfo {
        label: report.label.clone(),
        commit: p.commit.clone(),
        dirty: p.dirty,
        created_utc: p.created_utc.clone(),
        machine: p.machine.clone(),
        quick: p.quick,
    }
}

/// What weakens the comparison, one sentence each.
fn warnings(baseline: &PerfReport, after: &PerfReport) -> Vec<String> {
    let (b, a) = (&baseline.provenance, &after.provenance);
    let mut out = Vec::new();
    if b.machine != a.machine {
        out.push(format!(
            "The labels were measured on different machines (`{}`: {}; `{}`: {}): wall times \
             are not comparable; instruction counts and allocations still are.",
            baseline.label, b.machine, after.label, a.machine
        ));
    }
    for report in [baseline, after] {
        if report.provenance.quick {
            out.push(format!(
                "`{}` is a --quick run: fewer samples, wider intervals, fewer significant changes.",
                report.label
            ));
        }
        for step in &report.skipped {
            out.push(format!("`{}` skipped a step: {step}", report.label));
        }
    }
    if b.commit.is_some() && b.commit == a.commit && !b.dirty && !a.dirty {
        out.push(format!(
            "Both labels were measured on the same clean commit ({}): any significant change in \
             this comparison is the machine's, not the code's.",
            b.commit.as_deref().unwrap_or_default()
        ));
    }
    out
}
