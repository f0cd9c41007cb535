//! `annulus-probe`: measures `Detector::detect_with` on one rendered scenario image and prints
//! an [`annulus_benches::ProbeReport`] as JSON on stdout (nothing else goes to stdout; progress
//! and errors go to stderr). `cargo xtask perf-baseline` and the CI gates drive it.
//!
//! ```text
//! annulus-probe --scenario <NAME|PATH.toml> [--index 0] [--repeats 30] [--warmup 3]
//!               [--diameter PX] [--inject-spin N] [--callgrind]
//! ```
//!
//! A bare name is `fixtures/scenarios/<NAME>.toml` under the workspace root this binary was
//! built in. Rendering happens before any measurement. Then, in order:
//!
//! 1. *Cold*: the allocations (count and bytes, from a counting global allocator) of the first
//!    call on a fresh `Workspace`.
//! 2. `--warmup` calls, then the allocations of one more call on the reused workspace (*warm*;
//!    the target is zero, reported as measured).
//! 3. With `--callgrind`: exactly one warm call inside [`probe_measured_detect`], the function
//!    callgrind restricts its collection to (below).
//! 4. `--repeats` warm calls with the detector's stage timings on: wall time of each call
//!    (`Instant`) and its `StageTimings`.
//! 5. Peak resident memory (`VmHWM` of `/proc/self/status`; `null` where there is none).
//!
//! # Instruction counts
//!
//! The count of one warm call, deterministic from run to run on one build (checked with
//! valgrind 3.19):
//!
//! ```text
//! cargo build --release -p annulus-benches --bin annulus-probe
//! valgrind --tool=callgrind --toggle-collect='*probe_measured_detect*' \
//!     --callgrind-out-file=/tmp/cg.out \
//!     target/release/annulus-probe --scenario perf_1280x1024 --callgrind --repeats 0
//! ```
//!
//! The `summary:` line of `/tmp/cg.out` (also `totals:`, and the `PROGRAM TOTALS` line of
//! `callgrind_annotate /tmp/cg.out`) is the instruction count (`Ir`) of that one call; without
//! `--toggle-collect` it would include rendering and every other call. Should a valgrind build
//! ever fail to match the symbol, the fallback is the difference of the totals of two runs
//! without the toggle, `--repeats 1` and `--repeats 2` (timings add a few clock reads).
//!
//! # Fault-injection drill
//!
//! `--inject-spin N` is for drills only: it adds `N` iterations of busy work that the optimiser
//! cannot remove to every measured warm call (the timed repeats and the callgrind call), after
//! `detect_with`, so that the CI gates can be shown to catch a slowdown. One iteration is 9
//! instructions on x86-64 (callgrind: `--inject-spin 1000000` adds 9,000,003 to the count), so
//! a slowdown of `p` percent on a call of `I` instructions needs about `p · I / 900` iterations.
//! Never pass it when measuring for real.

#![allow(clippy::print_stderr, reason = "a command-line tool: progress and errors go to stderr")]

use std::hint::black_box;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use annulus::detect::DiameterPrior;
use annulus::{DetectConfig, Detector, ImageView, Workspace};
use annulus_benches::{
    CountingAlloc, PROBE_SCHEMA, ProbeReport, StageSample, count_allocs, load_scenario, nanos,
    peak_rss_kib,
};
use anyhow::{Context, Result};
use clap::Parser;

/// Every allocation is counted (see `annulus_benches::alloc_count`). The process renders on a
/// thread pool before measuring, but those threads are idle while the detector runs, so the
/// global counters see only the measured calls.
#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Measures the detector on one scenario image and prints a JSON report.
#[derive(Debug, Parser)]
#[command(name = "annulus-probe", version)]
struct Args {
    /// A scenario name in `fixtures/scenarios/`, or a path to a scenario TOML file.
    #[arg(long)]
    scenario: String,
    /// Which image of the scenario to render.
    #[arg(long, default_value_t = 0)]
    index: u32,
    /// Warm calls timed, with stage timings.
    #[arg(long, default_value_t = 30)]
    repeats: u32,
    /// Warm-up calls before the warm allocation count and the timed calls.
    #[arg(long, default_value_t = 3)]
    warmup: u32,
    /// Nominal outer marker diameter in pixels (`DiameterPrior::Nominal`); automatic scale
    /// when absent.
    #[arg(long, value_name = "PX", allow_negative_numbers = true)]
    diameter: Option<f64>,
    /// Drill only: iterations of busy work added to each measured warm call.
    #[arg(long, value_name = "N", default_value_t = 0)]
    inject_spin: u64,
    /// Run exactly one warm call inside `probe_measured_detect`, for
    /// `valgrind --tool=callgrind --toggle-collect='*probe_measured_detect*'`.
    #[arg(long)]
    callgrind: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let written = run(&args).and_then(|report| {
        let json = serde_json::to_string_pretty(&report).context("cannot encode the report")?;
        // A closed stdout (`| head`) is an error to report, not a panic as in `println!`.
        writeln!(std::io::stdout().lock(), "{json}").context("cannot write the report")
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// Prints `error` and its causes on one line of stderr (parser messages quote the offending
/// line below the message; the whitespace is folded).
fn fail(error: &anyhow::Error) -> ExitCode {
    let message = format!("{error:#}").split_whitespace().collect::<Vec<_>>().join(" ");
    eprintln!("annulus-probe: error: {message}");
    ExitCode::FAILURE
}

fn run(args: &Args) -> Result<ProbeReport> {
    let synth = load_scenario(&args.scenario)?;
    let name = synth.scenario().name.clone();
    eprintln!("annulus-probe: rendering {name} image {}", args.index);
    let rendered =
        synth.render(args.index).with_context(|| format!("cannot render image {}", args.index))?;
    let img = &rendered.image;
    let view = ImageView::packed(img.width, img.height, &img.pixels)
        .context("the rendered image is unusable")?;

    let config = DetectConfig {
        marker_diameter_px: args.diameter.map(DiameterPrior::Nominal),
        ..DetectConfig::default()
    };
    let detector = Detector::new(synth.board().clone(), config.clone())
        .context("invalid detector configuration")?;
    let timed = Detector::new(synth.board().clone(), DetectConfig { timings: true, ..config })
        .context("invalid detector configuration")?;

    let mut ws = Workspace::new();
    let (alloc_cold, first) = count_allocs(|| detector.detect_with(&mut ws, &view).map(|_| ()));
    first.context("detection failed")?;
    eprintln!("annulus-probe: cold call made {} allocations", alloc_cold.count);
    for _ in 0..args.warmup {
        detector.detect_with(&mut ws, &view).context("detection failed")?;
    }
    // The stats are `Copy`: taking them inside the counted call allocates nothing.
    let (alloc_warm, warm) =
        count_allocs(|| detector.detect_with(&mut ws, &view).map(|d| (d.markers.len(), d.stats)));
    let (mut n_markers, stats) = warm.context("detection failed")?;
    if args.callgrind {
        eprintln!("annulus-probe: the callgrind-measured call");
        n_markers = probe_measured_detect(&detector, &mut ws, &view, args.inject_spin)?;
    }

    eprintln!("annulus-probe: timing {} warm calls", args.repeats);
    let mut wall_ns = Vec::with_capacity(args.repeats as usize);
    let mut stages = Vec::with_capacity(args.repeats as usize);
    for _ in 0..args.repeats {
        let start = Instant::now();
        let det = timed.detect_with(&mut ws, &view).context("detection failed")?;
        spin(args.inject_spin);
        wall_ns.push(nanos(start.elapsed()));
        n_markers = det.markers.len();
        stages.push(det.timings.as_ref().map(StageSample::from).unwrap_or_default());
    }

    Ok(ProbeReport {
        schema: PROBE_SCHEMA,
        scenario: name,
        image_index: args.index,
        width: img.width,
        height: img.height,
        diameter_px: args.diameter,
        n_markers,
        repeats: args.repeats,
        alloc_cold,
        alloc_warm,
        wall_ns,
        stages,
        peak_rss_kib: peak_rss_kib(),
        stats: Some(stats),
    })
}

/// The one warm call that callgrind measures: `--toggle-collect='*probe_measured_detect*'`
/// counts the instructions of this function and everything it calls, and nothing else. Kept
/// out of line so that its symbol exists; the name is part of the probe's interface.
#[inline(never)]
fn probe_measured_detect(
    detector: &Detector,
    ws: &mut Workspace,
    view: &ImageView<'_>,
    inject_spin: u64,
) -> Result<usize> {
    let n = detector.detect_with(ws, view).context("detection failed")?.markers.len();
    spin(inject_spin);
    Ok(n)
}

/// Drill-only busy work: `n` rounds of a multiply-rotate hash that `black_box` keeps the
/// optimiser from removing or folding.
#[inline(never)]
fn spin(n: u64) {
    // An odd 64-bit constant (the golden ratio's), so the multiply mixes every bit.
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut state = black_box(MIX);
    for i in 0..n {
        state = black_box(state.rotate_left(5) ^ i).wrapping_mul(MIX);
    }
    black_box(state);
}
