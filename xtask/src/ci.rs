//! `cargo xtask ci`: the regression gates, measured on this build and compared with the
//! committed baseline `fixtures/baselines/ci.json`.
//!
//! It fails (non-zero exit, one message per failed gate) when the instructions of a warm
//! `detect` call rise more than 2 % on a CI scenario, when a warm call allocates more often than
//! the committed budget, or when the quick accuracy gate breaks its thresholds
//! ([`ci::gates`](self::gates) and [`ci::accuracy`](self::accuracy) hold the rules). `cargo xtask
//! bless` rewrites the baseline on purpose. `docs/performance/gates.md` explains the gates, how
//! to bless, and the drill that proves they work: the hidden `--inject-spin` and
//! `--inject-center-bias-px` options add a slowdown and a centre bias that must be caught.

pub mod accuracy;
pub mod gates;
pub mod measure;
pub mod record;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;

use self::gates::{GateRow, Verdict};
use self::measure::Injections;
use self::record::CiRecord;

/// Options of `cargo xtask ci`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The baseline to compare with (default: fixtures/baselines/ci.json).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// The perf folder whose image cache the accuracy gate uses (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Drill: deterministic busy work of N steps inside the measured `detect` call.
    #[arg(long, value_name = "N", hide = true)]
    inject_spin: Option<u64>,
    /// Drill: pixels added to the x of every detected centre before scoring.
    #[arg(long, value_name = "PX", hide = true, default_value_t = 0.0)]
    inject_center_bias_px: f64,
}

impl Args {
    /// The drills asked for.
    pub fn injections(&self) -> Injections {
        Injections { spin: self.inject_spin, center_bias_px: self.inject_center_bias_px }
    }
}

/// Runs the command; the exit code is failure when a gate failed.
pub fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    let path = record::baseline_path(&root, args.baseline.as_ref());
    let baseline = record::read(&path)?;
    let injections = args.injections();
    if injections.spin.is_some() || injections.center_bias_px != 0.0 {
        println!(
            "drill: inject spin {:?}, centre bias {} px: the gates should fail",
            injections.spin, injections.center_bias_px
        );
    }
    let measured = measure::measure(&root, &perf_dir, injections)?;
    let rows = evaluate(&baseline, &measured);
    println!("{}", gates::table(&rows));
    let failed = rows.iter().filter(|r| r.verdict == Verdict::Fail).count();
    let shown = path.strip_prefix(&root).unwrap_or(&path);
    println!(
        "ci: {} gates, {failed} failed, against {} (blessed at {} on {}), in {:.1} s",
        rows.len(),
        shown.display(),
        baseline.provenance.commit.as_deref().unwrap_or("an unknown commit"),
        baseline.provenance.machine,
        started.elapsed().as_secs_f64()
    );
    if failed > 0 {
        eprintln!(
            "error: {failed} CI gate(s) failed (see FAIL lines above); if the change is \
             intended, run `cargo xtask bless` and commit {}",
            shown.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Every gate's row: instructions, warm allocations, accuracy.
pub fn evaluate(baseline: &CiRecord, measured: &CiRecord) -> Vec<GateRow> {
    let mut rows = gates::instruction_rows(&baseline.instructions, &measured.instructions);
    rows.extend(gates::alloc_rows(&baseline.alloc_warm, &measured.alloc_warm));
    rows.extend(accuracy::rows(&baseline.accuracy, &measured.accuracy));
    rows
}
