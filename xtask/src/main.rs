//! `cargo xtask`: the project's only automation.
//!
//! Each command lives in its own module with its options (`clap` derive); a bare `cargo xtask`
//! prints help. The alias in `.cargo/config.toml` builds xtask in release, so commands that run
//! the detector in-process (`validate`) measure the optimised build. Commands run other cargo
//! invocations through `xshell`, from the workspace root.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bless;
mod ci;
mod codegen;
mod demo;
mod files;
mod gates;
mod image_cache;
mod label;
mod peer;
mod perf;
mod process;
mod provenance;
mod scenarios;
mod soak;
mod validate;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

/// The annulus project's automation: demos, code generation, the accuracy gates and the
/// performance lab (benchmarks, profiles and the CI regression gates).
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", arg_required_else_help = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the default board (SVG, PNG, JSON) and render every scenario in
    /// fixtures/scenarios/ with the release CLI.
    Demo(demo::Args),
    /// Regenerate the built-in codebook table (crates/annulus/src/codebook/words.rs).
    Codegen(codegen::Args),
    /// Run the accuracy gates (blur3, reference, distortion) on generated scenarios, score them
    /// against ground truth, compare with a baseline label and write the reports.
    Validate(validate::Args),
    /// Record benchmarks, stage times, allocations, instruction counts and a CPU profile of
    /// the detector into target/perf/LABEL/perf.json.
    PerfBaseline(perf::baseline::Args),
    /// The CI regression gates: instruction counts, warm allocations and a quick accuracy
    /// gate, compared with fixtures/baselines/ci.json; fails when one regresses.
    Ci(ci::Args),
    /// Re-measure the CI gates and rewrite fixtures/baselines/ci.json, printing old -> new.
    Bless(bless::Args),
    /// Compare two labels' benchmarks (perf.json): medians with 95% intervals, Mann–Whitney
    /// test, instructions, allocations; writes benchmark-report.md into the AFTER label.
    Compare(perf::compare::Args),
    /// annulus and ringgrid 0.13.2 side by side on identical images of ringgrid's board:
    /// accuracy per gate, time per image with the ratio, instructions, allocations, memory;
    /// writes target/perf/peer/ and updates docs/performance/PEERS.md and the README headline.
    Peer(peer::Args),
    /// The working tree's detector against a git revision's, timed alternately in one run:
    /// per stage the median ratio with its 95% interval; writes ab.json and ab.md into the
    /// label, which finalize quotes.
    Ab(perf::ab::Args),
    /// Merge the benchmark comparison and the accuracy results into final-report.md and a
    /// commit message draft (commit-message.txt).
    Finalize(perf::finalize::Args),
    /// 10,000 `detect` calls on one reused workspace with varied images: resident memory must
    /// stay flat (growth under 1 %); writes target/perf/soak/.
    Soak(soak::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Demo(args) => demo::run(args).map(|()| ExitCode::SUCCESS),
        Command::Codegen(args) => codegen::run(args).map(|()| ExitCode::SUCCESS),
        Command::Validate(args) => validate::run(args),
        Command::PerfBaseline(args) => perf::baseline::run(args).map(|()| ExitCode::SUCCESS),
        Command::Ci(args) => ci::run(args),
        Command::Bless(args) => bless::run(args).map(|()| ExitCode::SUCCESS),
        Command::Compare(args) => perf::compare::run(args).map(|()| ExitCode::SUCCESS),
        Command::Peer(args) => peer::run(args).map(|()| ExitCode::SUCCESS),
        Command::Ab(args) => perf::ab::run(args).map(|()| ExitCode::SUCCESS),
        Command::Finalize(args) => perf::finalize::run(args).map(|()| ExitCode::SUCCESS),
        Command::Soak(args) => soak::run(args),
    };
    report(outcome)
}

/// Prints an error with its chain of causes on one line each, without a backtrace.
fn report(outcome: Result<ExitCode>) -> ExitCode {
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: xtask's manifest lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}
