//! `annulus-soak`: many `Detector::detect_with` calls on one reused `Workspace`, cycling through
//! varied images, with the process's memory sampled throughout; prints an
//! [`annulus_benches::soak::SoakReport`] as JSON on stdout (progress and errors go to stderr).
//! `cargo xtask soak` drives it and judges the numbers.
//!
//! ```text
//! annulus-soak [--scenario soak_640x512] [--calls 10000] [--warmup-cycles 2]
//!              [--sample-every 100] [--diameter PX]
//! ```
//!
//! The image set is every image of the scenario (one size, so that the workspace never needs
//! to grow for a larger frame) followed by the degenerate images of
//! [`annulus_benches::soak::Degenerate`] (blank, black, noise, a checkerboard) of the same size.
//! Rendering happens first. Then one `Detector` and one `Workspace`:
//!
//! 1. `--warmup-cycles` passes over every image, allocations counted;
//! 2. the first memory sample: resident set size (`VmRSS` of `/proc/self/status`, Linux only;
//!    elsewhere the run fails, since there is nothing to measure) and the live heap bytes, taken
//!    after one discarded sample so that the sampling code itself is resident;
//! 3. `--calls` calls cycling through the images, each call's allocations counted around
//!    `detect_with` alone, memory sampled every `--sample-every` calls and after the last one.

#![allow(clippy::print_stderr, reason = "a command-line tool: progress and errors go to stderr")]

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use annulus::detect::DiameterPrior;
use annulus::{DetectConfig, Detector, ImageView, Workspace};
use annulus_benches::soak::{Degenerate, MemorySample, SOAK_SCHEMA, SoakReport};
use annulus_benches::{
    AllocCount, CountingAlloc, count_allocs, load_scenario, nanos, peak_rss_kib, rss_kib,
};
use anyhow::{Context, Result, bail};
use clap::Parser;

/// Every allocation is counted (see `annulus_benches::alloc_count`). Rendering may use a
/// thread pool, but it is idle before the first detect call, so the counters see the detector
/// alone.
#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Calls between two progress lines on stderr: about a minute and a half apart at 640 × 512.
const PROGRESS_EVERY: u64 = 1000;

/// Runs the detector many times on one workspace and prints a JSON report of its memory.
#[derive(Debug, Parser)]
#[command(name = "annulus-soak", version)]
struct Args {
    /// A scenario name in `fixtures/scenarios/`, or a path to a scenario TOML file; all its
    /// images are rendered.
    #[arg(long, default_value = "soak_640x512")]
    scenario: String,
    /// Calls measured after the warm-up.
    #[arg(long, default_value_t = 10_000)]
    calls: u64,
    /// Passes over every image before the first memory sample.
    #[arg(long, default_value_t = 2)]
    warmup_cycles: u64,
    /// Calls between two memory samples.
    #[arg(long, default_value_t = 100)]
    sample_every: u64,
    /// Nominal outer marker diameter in pixels (`DiameterPrior::Nominal`); automatic scale
    /// when absent.
    #[arg(long, value_name = "PX")]
    diameter: Option<f64>,
}

/// One image of the set: its name and pixels.
struct SoakImage {
    name: String,
    pixels: Vec<u8>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let written = run(&args).and_then(|report| {
        let json = serde_json::to_string_pretty(&report).context("cannot encode the report")?;
        writeln!(std::io::stdout().lock(), "{json}").context("cannot write the report")
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let message = format!("{e:#}").split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("annulus-soak: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<SoakReport> {
    if args.sample_every == 0 || args.warmup_cycles == 0 {
        bail!("--sample-every and --warmup-cycles must be at least 1");
    }
    let synth = load_scenario(&args.scenario)?;
    let scenario = synth.scenario().name.clone();
    let (width, height) = (synth.scenario().image.width, synth.scenario().image.height);
    let count = synth.scenario().count;
    eprintln!("annulus-soak: rendering {count} images of {scenario} ({width} x {height})");
    let mut images = Vec::new();
    for index in 0..count {
        let rendered =
            synth.render(index).with_context(|| format!("cannot render image {index}"))?;
        let img = rendered.image;
        if (img.width, img.height) != (width, height) {
            bail!("image {index} is {} x {}, not {width} x {height}", img.width, img.height);
        }
        images.push(SoakImage { name: format!("{scenario}#{index}"), pixels: img.pixels });
    }
    for kind in Degenerate::ALL {
        images.push(SoakImage { name: kind.name().to_owned(), pixels: kind.pixels(width, height) });
    }
    let views = images
        .iter()
        .map(|i| ImageView::packed(width, height, &i.pixels))
        .collect::<Result<Vec<_>, _>>()
        .context("an image is unusable")?;

    let config = DetectConfig {
        marker_diameter_px: args.diameter.map(DiameterPrior::Nominal),
        ..DetectConfig::default()
    };
    let detector =
        Detector::new(synth.board().clone(), config).context("invalid detector configuration")?;
    let mut ws = Workspace::new();

    let warmup_calls = args.warmup_cycles * views.len() as u64;
    eprintln!("annulus-soak: warm-up, {warmup_calls} calls over {} images", views.len());
    let mut warmup = Tally::default();
    for view in views.iter().cycle().take(warmup_calls as usize) {
        warmup.add(call(&detector, &mut ws, view)?);
    }
    // The sampling and the progress line run once before the first sample counts, so that the
    // pages of their code (file-backed, and part of VmRSS) are resident by then. The calls above
    // ran through `call`, the same code as the measured ones, for the same reason: a page of
    // code first touched after the first sample would read as growth (the kernel maps 64 KiB
    // around each such fault).
    progress("warm-up done", 0, Instant::now(), &sample(0)?);

    let capacity = usize::try_from(args.calls / args.sample_every + 2).unwrap_or(usize::MAX);
    let mut samples = Vec::with_capacity(capacity);
    samples.push(sample(0)?);
    eprintln!("annulus-soak: {} measured calls", args.calls);
    let mut measured = Tally::default();
    let started = Instant::now();
    for (done, view) in (1..=args.calls).zip(views.iter().cycle()) {
        measured.add(call(&detector, &mut ws, view)?);
        if done.is_multiple_of(args.sample_every) || done == args.calls {
            samples.push(sample(done)?);
        }
        if done.is_multiple_of(PROGRESS_EVERY) {
            let last = samples.last().copied().unwrap_or_default();
            progress(&format!("{done}/{} calls", args.calls), done, started, &last);
        }
    }
    let elapsed_ns = nanos(started.elapsed());

    Ok(SoakReport {
        schema: SOAK_SCHEMA,
        scenario,
        width,
        height,
        images: images.into_iter().map(|i| i.name).collect(),
        diameter_px: args.diameter,
        warmup_calls,
        alloc_warmup: warmup.alloc,
        calls: args.calls,
        alloc_measured: measured.alloc,
        calls_that_allocated: measured.calls_that_allocated,
        markers: measured.markers,
        identified: measured.identified,
        elapsed_ns,
        samples,
        peak_rss_kib: peak_rss_kib(),
    })
}

/// The process's memory after `call` measured calls.
fn sample(call: u64) -> Result<MemorySample> {
    let rss_kib = rss_kib().context(
        "cannot read VmRSS from /proc/self/status: the soak measures resident memory on Linux only",
    )?;
    Ok(MemorySample { call, rss_kib, heap_live_bytes: CountingAlloc::live_bytes() })
}

/// What one call did: its allocations, the markers it reported and how many were identified.
struct Outcome {
    alloc: AllocCount,
    markers: u64,
    identified: u64,
}

/// One `detect_with` call, warm-up and measured alike, its allocations counted around it alone.
fn call(detector: &Detector, ws: &mut Workspace, view: &ImageView<'_>) -> Result<Outcome> {
    let (alloc, result) = count_allocs(|| {
        detector.detect_with(ws, view).map(|d| {
            let identified = d.markers.iter().filter(|m| m.id.is_some()).count();
            (d.markers.len() as u64, identified as u64)
        })
    });
    let (markers, identified) = result.context("detection failed")?;
    Ok(Outcome { alloc, markers, identified })
}

/// Sums of [`Outcome`]s.
#[derive(Default)]
struct Tally {
    alloc: AllocCount,
    calls_that_allocated: u64,
    markers: u64,
    identified: u64,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        self.alloc.count += outcome.alloc.count;
        self.alloc.bytes += outcome.alloc.bytes;
        self.calls_that_allocated += u64::from(outcome.alloc.count > 0);
        self.markers += outcome.markers;
        self.identified += outcome.identified;
    }
}

/// A progress line on stderr: `what`, the time since `started` and the last memory sample.
fn progress(what: &str, done: u64, started: Instant, last: &MemorySample) {
    let seconds = started.elapsed().as_secs_f64();
    let rate = if seconds > 0.0 { done as f64 / seconds } else { 0.0 };
    eprintln!(
        "annulus-soak: {what}, {seconds:.0} s ({rate:.1} calls/s), resident {} KiB",
        last.rss_kib
    );
}
