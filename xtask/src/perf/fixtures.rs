//! Hand-built `perf.json` reports and accuracy summaries for the perf modules' tests: realistic
//! in shape, small, and fully deterministic (samples come from a seeded ChaCha8 generator).
//!
//! The pair from [`perf_pair`] is the story of an optimisation: `detect_1280x1024` and its
//! proposal stage get clearly faster, `detect_1920x1080` does not change (both labels draw from
//! the same distribution), one stage has too few samples to judge, instruction counts and
//! allocations drop.

use annulus_benches::{AllocCount, ProbeReport, StageSample};
use annulus_report::{
    Comparison, Flag, FlagLevel, GateComparison, GateState, MetricRow, Provenance, RunInfo,
    Summary, Verdict,
};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::perf::schema::{
    Benchmark, Hotspot, InstructionCount, PERF_SCHEMA, PerfProvenance, PerfReport, ProfileSummary,
    ScenarioPerf, StageStat,
};

/// `n` benchmark samples whose (nearest-rank) median is exactly `median_ns`: a floor with an exponential tail
/// (scale 2 % of the median), like iterations preempted now and then on a shared machine.
pub(crate) fn samples(seed: u64, n: usize, median_ns: f64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let scale = 0.02 * median_ns;
    let drawn: Vec<f64> = (0..n).map(|_| -scale * (1.0 - rng.random::<f64>()).ln()).collect();
    let mid = annulus_score::percentile(&drawn, 50.0).unwrap_or_default();
    // Shifting every sample moves the median by the same amount, to exactly where asked.
    drawn.iter().map(|v| v - mid + median_ns).collect()
}

fn benchmark(id: &str, samples_ns: Vec<f64>) -> Benchmark {
    let mut sorted = samples_ns.clone();
    sorted.sort_by(f64::total_cmp);
    let median_ns = annulus_score::percentile(&samples_ns, 50.0).unwrap_or_default();
    Benchmark {
        id: id.to_owned(),
        median_ci95_ns: [sorted[0], sorted[sorted.len() - 1]],
        median_ns,
        samples_ns,
    }
}

fn stage(name: &str, median_ms: f64) -> StageStat {
    StageStat { stage: name.to_owned(), median_ns: median_ms * 1e6, p95_ns: median_ms * 1.08e6 }
}

fn probe(scenario: &str, cold: AllocCount, warm: AllocCount, rss: u64) -> ProbeReport {
    ProbeReport {
        schema: 1,
        scenario: scenario.to_owned(),
        image_index: 0,
        width: 1280,
        height: 1024,
        diameter_px: None,
        n_markers: 96,
        repeats: 2,
        alloc_cold: cold,
        alloc_warm: warm,
        wall_ns: vec![12_000_000, 12_100_000],
        stages: vec![StageSample { total_ns: 12_000_000, ..StageSample::default() }; 2],
        peak_rss_kib: Some(rss),
        stats: None,
    }
}

fn scenario(
    name: &str,
    stages: &[(&str, f64)],
    cold: AllocCount,
    warm: AllocCount,
) -> ScenarioPerf {
    let rss = 48_000 + cold.bytes / 1024;
    ScenarioPerf {
        scenario: name.to_owned(),
        stages: stages.iter().map(|&(s, ms)| stage(s, ms)).collect(),
        alloc_cold: cold,
        alloc_warm: warm,
        peak_rss_kib: Some(rss),
        probe: probe(name, cold, warm, rss),
    }
}

fn provenance(commit: &str, dirty: bool) -> PerfProvenance {
    PerfProvenance {
        commit: Some(commit.to_owned()),
        dirty,
        created_utc: "2025-01-02T03:04:05Z".to_owned(),
        machine: "Test CPU @ 2.0GHz, 2 logical cores, 24.0 GiB, linux x86_64".to_owned(),
        commands: vec!["cargo xtask perf-baseline --label X".to_owned()],
        quick: false,
    }
}

fn profile(top: &[(&str, f64)]) -> ProfileSummary {
    let spots: Vec<Hotspot> =
        top.iter().map(|&(f, x)| Hotspot { function: f.to_owned(), fraction: x }).collect();
    ProfileSummary {
        sampler: "perf record -e cpu-clock".to_owned(),
        n_samples: 12_345,
        folded: "profile.folded".to_owned(),
        flamegraph: "flamegraph.svg".to_owned(),
        top_inclusive: spots.clone(),
        top_self: spots,
    }
}

const N: usize = 100;

/// The baseline and after reports of the optimisation story (see the module doc).
pub(crate) fn perf_pair() -> (PerfReport, PerfReport) {
    let alloc = |count, bytes| AllocCount { count, bytes };
    let baseline = PerfReport {
        schema: PERF_SCHEMA,
        label: "baseline".to_owned(),
        provenance: provenance("abc1234", false),
        benchmarks: vec![
            benchmark("detect_1280x1024", samples(1, N, 12.10e6)),
            benchmark("detect_1920x1080", samples(2, N, 20.00e6)),
            benchmark("stage_proposals_1280x1024", samples(3, N, 5.00e6)),
            benchmark("stage_completion_1280x1024", samples(4, 3, 0.80e6)),
        ],
        scenarios: vec![
            scenario(
                "perf_1280x1024",
                &[("proposals", 5.0), ("fit_decode", 4.5), ("total", 12.1)],
                alloc(1_200, 9_437_184),
                alloc(14, 2_048),
            ),
            scenario(
                "perf_1920x1080",
                &[("proposals", 8.0), ("fit_decode", 7.6), ("total", 20.0)],
                alloc(1_350, 14_155_776),
                alloc(14, 2_048),
            ),
        ],
        instructions: vec![
            InstructionCount { scenario: "perf_1280x1024".to_owned(), instructions: 98_765_432 },
            InstructionCount { scenario: "perf_1920x1080".to_owned(), instructions: 161_234_567 },
        ],
        profile: Some(profile(&[("annulus::detect::proposals::vote", 0.41)])),
        skipped: Vec::new(),
    };
    let after = PerfReport {
        label: "after".to_owned(),
        provenance: provenance("abc1234", true),
        benchmarks: vec![
            benchmark("detect_1280x1024", samples(11, N, 9.02e6)),
            benchmark("detect_1920x1080", samples(12, N, 20.00e6)),
            benchmark("stage_proposals_1280x1024", samples(13, N, 2.10e6)),
            benchmark("stage_completion_1280x1024", samples(14, 3, 0.82e6)),
        ],
        scenarios: vec![
            scenario(
                "perf_1280x1024",
                &[("proposals", 2.1), ("fit_decode", 4.5), ("total", 9.0)],
                alloc(1_100, 8_388_608),
                alloc(0, 0),
            ),
            scenario(
                "perf_1920x1080",
                &[("proposals", 8.0), ("fit_decode", 7.6), ("total", 20.0)],
                alloc(1_350, 14_155_776),
                alloc(0, 0),
            ),
        ],
        instructions: vec![
            InstructionCount { scenario: "perf_1280x1024".to_owned(), instructions: 80_000_001 },
            InstructionCount { scenario: "perf_1920x1080".to_owned(), instructions: 161_234_567 },
        ],
        profile: Some(profile(&[("annulus::fit::ellipse::fit_direct", 0.22)])),
        ..baseline.clone()
    };
    (baseline, after)
}

/// The accuracy summary `validate --label after --against baseline` writes, with the blur3
/// centre error mean going from `base_px` to `after_px` and the given flags.
pub(crate) fn accuracy_summary(base_px: f64, after_px: f64, flags: Vec<Flag>) -> Summary {
    let verdict = if flags.iter().any(|f| f.level == FlagLevel::Fail) {
        Verdict::Fail
    } else if flags.iter().any(|f| f.level == FlagLevel::Escalate) {
        Verdict::Escalate
    } else {
        Verdict::Pass
    };
    let info = |label: &str, commit: &str| RunInfo {
        label: label.to_owned(),
        provenance: Provenance {
            commit: Some(commit.to_owned()),
            dirty: label == "after",
            created_utc: "2025-01-02T03:04:05Z".to_owned(),
            machine: "Test CPU @ 2.0GHz, 2 logical cores, 24.0 GiB, linux x86_64".to_owned(),
            commands: vec![format!("cargo xtask validate --label {label}")],
            n_images: 10,
        },
    };
    let row = |metric: &str, unit: &str, b: f64, a: f64| MetricRow {
        metric: metric.to_owned(),
        unit: unit.to_owned(),
        baseline: Some(b),
        after: Some(a),
        delta: Some(a - b),
    };
    let gate = |key: &str, metrics: Vec<MetricRow>| GateComparison {
        key: key.to_owned(),
        gate: key.to_owned(),
        mode: None,
        scenario: key.to_owned(),
        baseline_state: GateState::Scored,
        after_state: GateState::Scored,
        baseline_scenario_hash: Some("5ca1ab1e".to_owned()),
        after_scenario_hash: Some("5ca1ab1e".to_owned()),
        notes: Vec::new(),
        metrics,
    };
    Summary {
        schema_version: annulus_report::SCHEMA_VERSION,
        after: info("after", "abc1234"),
        baseline: Some(info("baseline", "abc1234")),
        comparison: Comparison {
            after: "after".to_owned(),
            baseline: Some("baseline".to_owned()),
            gates: vec![
                gate(
                    "blur3",
                    vec![
                        row("precision", "ratio", 0.99, 0.99),
                        row("recall", "ratio", 0.97, 0.97),
                        row(annulus_report::CENTER_ERROR_MEAN_PX, "px", base_px, after_px),
                    ],
                ),
                gate(
                    "reference",
                    vec![row(annulus_report::CENTER_ERROR_MEAN_PX, "px", 0.02, 0.02)],
                ),
            ],
            frames: Vec::new(),
            checks: Vec::new(),
            flags,
            verdict,
        },
    }
}

/// A flag on the blur3 centre error mean, of `level`.
pub(crate) fn center_flag(level: FlagLevel, base_px: f64, after_px: f64) -> Flag {
    Flag {
        level,
        gate: "blur3".to_owned(),
        metric: annulus_report::CENTER_ERROR_MEAN_PX.to_owned(),
        baseline: Some(base_px),
        after: Some(after_px),
        delta: Some(after_px - base_px),
        threshold: Some(0.01),
        message: "the mean centre error grew by more than 0.01 px".to_owned(),
    }
}
