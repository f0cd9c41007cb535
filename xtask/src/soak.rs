//! `cargo xtask soak`: does memory stay flat when one workspace serves many different images?
//!
//! It builds `annulus-soak` (benches) in release and runs it: every image of the
//! `soak_640x512` scenario plus degenerate ones (blank, black, noise, a checkerboard), all one
//! size, cycled through 10,000 `detect_with` calls on one `Detector` and one `Workspace` after
//! a warm-up, with the resident set size (`VmRSS`, Linux only) and the live heap sampled about a
//! hundred times and the allocations of every call counted. The pure rules are in
//! [`verdict`]: the run fails when resident size rises 1 % or more above where the warm-up left
//! it. `--quick` makes 500 calls (about a minute), `--calls` any number.
//!
//! Results go to `target/perf/soak/` (`soak.json`, `soak-report.md`) through a staging folder
//! ([`crate::label`]), replaced only with `--force`; they are written whatever the verdict, so a
//! failure keeps its evidence. The measured loop runs in its own release process: the counting
//! allocator is that binary's global allocator, and xtask's own memory stays out of the figures.

pub mod report;
pub mod verdict;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use annulus_benches::soak::{SOAK_SCHEMA, SoakReport};
use anyhow::{Context, Result, bail};

use self::report::{SOAK_FILE_SCHEMA, SoakFile, SoakProvenance};
use self::verdict::Verdict;
use crate::files::{write_atomic, write_json};
use crate::perf::probe::build_release_binary;
use crate::validate::command_line;
use crate::{label, provenance};

/// The label folder under the perf directory.
pub const LABEL: &str = "soak";

/// The file that marks the folder as holding soak results; written last.
pub const RUN_FILE: &str = "soak.json";

/// The report for people.
pub const REPORT_FILE: &str = "soak-report.md";

/// The package and binary that run the measured loop.
const PACKAGE: &str = "annulus-benches";
const BINARY: &str = "annulus-soak";

/// The images: 24 views in one 640 × 512 size, about 0.1 s a call on one core.
const SCENARIO: &str = "soak_640x512";

/// Measured calls: the 10,000 (18 minutes on the 2-core reference machine), and
/// `--quick`'s 500, enough for a leak of a few KiB a call to show within a minute.
const CALLS: [u64; 2] = [10_000, 500];

/// Memory samples over the measured calls: a trend is visible, and reading `/proc` a hundred
/// times costs nothing next to the calls.
const SAMPLES: u64 = 100;

/// Options of `cargo xtask soak`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Measured calls after the warm-up (default: 10,000; 500 with --quick).
    #[arg(long, value_name = "N")]
    calls: Option<u64>,
    /// A CI-sized run: 500 calls.
    #[arg(long)]
    quick: bool,
    /// Replace the existing results in `<out>/soak/`.
    #[arg(long)]
    force: bool,
    /// The perf folder (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs the command; the exit code is failure when memory grew 1 % or more.
pub fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    let calls = args.calls.unwrap_or(CALLS[usize::from(args.quick)]);
    if calls == 0 {
        bail!("--calls must be at least 1");
    }
    // The lock comes first, so that the check below sees a folder no other run is writing.
    let staging = label::Staging::new(&perf_dir, LABEL)?;
    let label_dir = perf_dir.join(LABEL);
    refuse_to_overwrite(&label_dir, args.force)?;

    // Read before building or running anything: a commit made while a long run goes on must
    // not be credited with results of the tree the run built.
    let (commit, dirty) = provenance::commit(&root);
    eprintln!("building {BINARY} (release)");
    let exe = build_release_binary(&root, PACKAGE, BINARY)?;
    let soak_args = binary_args(calls);
    let soak_line = std::iter::once(exe.display().to_string())
        .chain(soak_args.iter().cloned())
        .collect::<Vec<_>>()
        .join(" ");
    let report =
        run_binary(&root, &exe, &soak_args).with_context(|| format!("running `{soak_line}`"))?;
    let summary = verdict::summarize(&report)
        .context("the soak binary reported no resident-memory samples")?;

    let file = SoakFile {
        schema: SOAK_FILE_SCHEMA,
        provenance: SoakProvenance {
            commit,
            dirty,
            created_utc: provenance::now_utc(),
            machine: provenance::machine(),
            commands: vec![command_line(), soak_line],
            quick: args.quick,
        },
        summary,
        report,
    };
    let out = staging.path();
    write_atomic(&out.join(REPORT_FILE), report::markdown(&file).as_bytes())?;
    write_json(&out.join(RUN_FILE), &file)?;
    staging.commit(&[])?;

    println!("{}", report::terminal(&file));
    let shown = label_dir.strip_prefix(&root).unwrap_or(&label_dir);
    println!("soak finished in {:.1} s", started.elapsed().as_secs_f64());
    println!("report:  {}", shown.join(REPORT_FILE).display());
    println!("         {}", shown.join(RUN_FILE).display());
    if file.report.alloc_measured.count > 0 {
        eprintln!(
            "warning: {} of the measured calls allocated (the target is none)",
            file.report.calls_that_allocated
        );
    }
    Ok(match file.summary.verdict {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Fail => {
            eprintln!(
                "error: resident memory grew {} % or more during the soak",
                file.summary.limit_percent
            );
            ExitCode::FAILURE
        }
    })
}

/// An error when the folder already holds soak results and `force` is off.
fn refuse_to_overwrite(label_dir: &Path, force: bool) -> Result<()> {
    let owned: Vec<&str> =
        [RUN_FILE, REPORT_FILE].into_iter().filter(|f| label_dir.join(f).exists()).collect();
    if !owned.is_empty() && !force {
        bail!(
            "{} already holds soak results ({}); pass --force to replace them",
            label_dir.display(),
            owned.join(", ")
        );
    }
    Ok(())
}

/// The soak binary's arguments for `calls` measured calls.
fn binary_args(calls: u64) -> Vec<String> {
    let every = (calls / SAMPLES).max(1);
    ["--scenario", SCENARIO, "--calls", &calls.to_string(), "--sample-every", &every.to_string()]
        .map(str::to_owned)
        .to_vec()
}

/// Runs the soak binary from `root`, its progress on our stderr, and parses its report.
fn run_binary(root: &Path, exe: &Path, args: &[String]) -> Result<SoakReport> {
    let output = Command::new(exe)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start {}", exe.display()))?;
    if !output.status.success() {
        bail!("it failed ({}); its error is above", output.status);
    }
    parse_report(&output.stdout)
}

/// The soak binary's report from its stdout, checked for its schema.
pub fn parse_report(stdout: &[u8]) -> Result<SoakReport> {
    let report: SoakReport = serde_json::from_slice(stdout).context("invalid soak report")?;
    if report.schema != SOAK_SCHEMA {
        bail!(
            "the soak binary wrote schema {} but xtask reads schema {SOAK_SCHEMA}; rebuild both",
            report.schema
        );
    }
    Ok(report)
}
