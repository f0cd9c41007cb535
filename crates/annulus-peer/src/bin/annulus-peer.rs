//! `annulus-peer`: runs annulus and the peer detector ringgrid on the same rendered images and
//! prints what they found and what it cost, as JSON on stdout (nothing else goes to stdout;
//! progress and errors go to stderr, and an error exits non-zero). Single-threaded while
//! measuring: rendering uses the generator's thread pool, which is idle afterwards.
//!
//! ```text
//! annulus-peer run --scenario <NAME|PATH.toml> --board ringgrid|annulus [--n N] [--rounds 5]
//!                  [--camera true|none]
//! annulus-peer one --scenario <NAME|PATH.toml> --board ringgrid|annulus
//!                  --detector annulus|annulus_auto|ringgrid [--camera true|none]
//! ```
//!
//! A bare scenario name is `fixtures/scenarios/<NAME>.toml` under the workspace root this
//! binary was built in. `--board` replaces the scenario's board: `ringgrid` renders ringgrid's
//! default target (converted by `annulus_peer::board`), `annulus` annulus's built-in board.
//! `--camera true` gives both detectors the scenario's true camera; `none` (the default) gives
//! them none.
//!
//! `run` prints an `annulus_peer::RunReport`: for each image `0..N` (default: all), the ground
//! truth, the true diameter hint, and per detector (`annulus` with the hint, `annulus_auto`
//! without, `ringgrid` with the hint, only on the ringgrid board) the wall time of every round,
//! the allocations of the first and the last call, and the last call's result in annulus's
//! `Detection` type. Detectors alternate order from round to round (see
//! `annulus_peer::session`).
//!
//! `one` prints an `annulus_peer::OneReport`: it renders image 0, builds the one detector, makes
//! one warm-up call, then exactly one call inside [`peer_measured_detect`], recording its
//! allocations, its heap high-water mark, and the process's peak resident set size (reset
//! after rendering where the kernel allows). For annulus it then makes one more call and
//! reports that call's `DetectStats` (candidates fitted, decoded, completed, rejected and
//! why), which shows how a result was reached, not only what it was. Run one process per
//! detector so that the peak RSS is that detector's. For the instruction count of that one
//! call:
//!
//! ```text
//! cargo build --release -p annulus-peer --bin annulus-peer
//! valgrind --tool=callgrind --toggle-collect='*peer_measured_detect*' \
//!     --callgrind-out-file=/tmp/cg.out \
//!     target/release/annulus-peer one --scenario perf_1280x1024 --board ringgrid \
//!     --detector ringgrid
//! ```

#![allow(clippy::print_stderr, reason = "a command-line tool: progress and errors go to stderr")]

use std::io::Write;
use std::process::ExitCode;

use annulus::Board;
use annulus_benches::{CountingAlloc, load_scenario, peak_rss_kib};
use annulus_peer::report::{BoardSource, OneReport, PEER_SCHEMA};
use annulus_peer::runner::{Call, DetectorKind, PeerBoard, Runner};
use annulus_peer::session::{error_chain, input_for, render_with_hint, with_board};
use annulus_peer::{RunOptions, ringgrid_default_board, run_scenario};
use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use serde::Serialize;

/// Every allocation is counted, with the live and peak heap (`annulus_benches::alloc_count`).
#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

/// Compares annulus with the peer detector ringgrid on identical synthetic images.
#[derive(Debug, Parser)]
#[command(name = "annulus-peer", version)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Every detector on images 0..N, several rounds each; prints a `RunReport`.
    Run {
        #[command(flatten)]
        common: Common,
        /// Images measured, from index 0; default: all of the scenario's.
        #[arg(long)]
        n: Option<u32>,
        /// Calls per detector per image.
        #[arg(long, default_value_t = 5)]
        rounds: u32,
    },
    /// One warm call of one detector on image 0, for callgrind and memory; prints a `OneReport`.
    One {
        #[command(flatten)]
        common: Common,
        /// The detector to measure.
        #[arg(long, value_enum)]
        detector: DetectorArg,
    },
}

#[derive(Debug, clap::Args)]
struct Common {
    /// A scenario name in `fixtures/scenarios/`, or a path to a scenario TOML file.
    #[arg(long)]
    scenario: String,
    /// The board rendered and detected, replacing the scenario's.
    #[arg(long, value_enum)]
    board: BoardArg,
    /// Whether the detectors get the scenario's true camera.
    #[arg(long, value_enum, default_value_t = CameraArg::None)]
    camera: CameraArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum BoardArg {
    /// ringgrid's default target, converted.
    Ringgrid,
    /// annulus's built-in board.
    Annulus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CameraArg {
    /// The scenario's true camera.
    True,
    /// No camera.
    None,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum DetectorArg {
    /// annulus with the true diameter hint.
    Annulus,
    /// annulus without a hint.
    AnnulusAuto,
    /// ringgrid with the true diameter hint.
    Ringgrid,
}

impl From<DetectorArg> for DetectorKind {
    fn from(arg: DetectorArg) -> Self {
        match arg {
            DetectorArg::Annulus => Self::Annulus,
            DetectorArg::AnnulusAuto => Self::AnnulusAuto,
            DetectorArg::Ringgrid => Self::Ringgrid,
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let written = match &args.command {
        Command::Run { common, n, rounds } => run(common, *n, *rounds).and_then(|r| print(&r)),
        Command::One { common, detector } => {
            one(common, (*detector).into()).and_then(|r| print(&r))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let message = format!("{e:#}").split_whitespace().collect::<Vec<_>>().join(" ");
            eprintln!("annulus-peer: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes `report` as pretty JSON on stdout; a closed stdout is an error, not a panic.
fn print(report: &impl Serialize) -> Result<()> {
    let json = serde_json::to_string_pretty(report).context("cannot encode the report")?;
    writeln!(std::io::stdout().lock(), "{json}").context("cannot write the report")
}

fn board(arg: BoardArg) -> Result<PeerBoard> {
    Ok(match arg {
        BoardArg::Ringgrid => PeerBoard::Ringgrid(Box::new(
            ringgrid_default_board().context("cannot convert ringgrid's board")?,
        )),
        BoardArg::Annulus => PeerBoard::Annulus(Board::builtin()),
    })
}

fn run(common: &Common, n: Option<u32>, rounds: u32) -> Result<annulus_peer::RunReport> {
    let synth = load_scenario(&common.scenario)?;
    let board = board(common.board)?;
    let options = RunOptions {
        n_images: n.unwrap_or(synth.scenario().count),
        rounds,
        camera_given: common.camera == CameraArg::True,
    };
    eprintln!(
        "annulus-peer: {} image(s) of {} on {}, {} round(s) of {}",
        options.n_images,
        synth.scenario().name,
        board.board().name(),
        rounds,
        board.detectors().iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")
    );
    Ok(run_scenario(&synth, &board, &options)?)
}

fn one(common: &Common, kind: DetectorKind) -> Result<OneReport> {
    let board = board(common.board)?;
    if !board.detectors().contains(&kind) {
        bail!("{} runs only on the ringgrid board (`--board ringgrid`)", kind.name());
    }
    let synth = with_board(&load_scenario(&common.scenario)?, &board)?;
    let camera_given = common.camera == CameraArg::True;
    eprintln!("annulus-peer: rendering {} image 0", synth.scenario().name);
    let (rendered, hint) = render_with_hint(&synth, 0)?;
    let input = input_for(&rendered, hint, camera_given)?;

    let peak_rss_reset = reset_peak_rss();
    let rss_before_kib = rss_kib();
    let mut runner = Runner::new(kind, &board, &input)?;
    eprintln!("annulus-peer: warm-up call of {}", kind.name());
    runner.detect();
    eprintln!("annulus-peer: the measured call");
    let call = peer_measured_detect(&mut runner);
    let peak_rss_kib = peak_rss_kib();

    let (n_markers, error) = match &call.result {
        Ok(n) => (*n, None),
        Err(e) => (0, Some(error_chain(e))),
    };
    // After every measurement above, so that the copy of the detection costs none of them.
    let stats = match kind {
        DetectorKind::Ringgrid => None,
        DetectorKind::Annulus | DetectorKind::AnnulusAuto => {
            runner.detect_keeping().1.map(|detection| detection.stats)
        }
    };
    Ok(OneReport {
        schema: PEER_SCHEMA,
        scenario: synth.scenario().name.clone(),
        board_source: match common.board {
            BoardArg::Ringgrid => BoardSource::Ringgrid,
            BoardArg::Annulus => BoardSource::Annulus,
        },
        board: board.board().name().to_owned(),
        detector: kind,
        image_index: 0,
        width: rendered.image.width,
        height: rendered.image.height,
        diameter_hint_px: hint,
        camera_given,
        wall_ns: call.wall_ns,
        alloc: call.alloc,
        heap_live_before_bytes: call.heap_live_before_bytes,
        heap_peak_bytes: call.heap_peak_bytes,
        heap_peak_above_start_bytes: call
            .heap_peak_bytes
            .saturating_sub(call.heap_live_before_bytes),
        rss_before_kib,
        peak_rss_kib,
        peak_rss_reset,
        n_markers,
        error,
        stats,
    })
}

/// The one call that callgrind measures: `--toggle-collect='*peer_measured_detect*'` counts the
/// instructions of this function and everything it calls, and nothing else. Kept out of line so
/// that its symbol exists; the name is part of the binary's interface.
#[inline(never)]
fn peer_measured_detect(runner: &mut Runner<'_>) -> Call {
    runner.detect()
}

/// Resets the process's peak resident set size to its current size (Linux: writing 5 to
/// `/proc/self/clear_refs`); `false` where that is not possible.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The current resident set size in KiB (`VmRSS`), on Linux.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
