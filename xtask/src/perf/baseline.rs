//! `cargo xtask perf-baseline`: everything the performance lab measures, recorded into one
//! label.
//!
//! Into `target/perf/<label>/` it writes:
//! - `perf.json` ([`PerfReport`]): criterion benchmarks with raw samples, per perf scenario the
//!   probe's stage breakdown, allocations and peak memory, callgrind instruction counts, the
//!   profile's hotspots, the machine, the commands, and the steps skipped on this machine;
//! - `criterion/`: criterion's own files and the bench log (`CRITERION_HOME` of the run);
//! - `callgrind/`: callgrind's output per scenario, for `callgrind_annotate`;
//! - `profile.md`, `flamegraph.svg`, `profile.folded`: the CPU profile ([`super::profile`]).
//!
//! Like `validate` it writes through a staging folder ([`crate::label`]) and replaces its own
//! files only with `--force`; it never touches `validate`'s files in the same label. Steps that
//! need a tool this machine lacks (valgrind, perf) or refuses are recorded in `skipped` with the
//! reason, and the rest goes on.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Result, bail};
use indicatif::ProgressBar;

use super::probe::{Probe, ProbeArgs};
use super::schema::{InstructionCount, PERF_SCHEMA, PerfProvenance, PerfReport, ScenarioPerf};
use super::{benchmarks, callgrind, profile, summary};
use crate::files::write_json;
use crate::validate::{command_line, progress};
use crate::{label, provenance};

/// The file that marks a label as holding perf results; written last.
pub const PERF_FILE: &str = "perf.json";

/// The label's entries this command owns; everything else in the folder is left alone.
const OWNED: [&str; 6] = [
    PERF_FILE,
    "criterion",
    "callgrind",
    profile::MARKDOWN_FILE,
    profile::FLAMEGRAPH_FILE,
    profile::FOLDED_FILE,
];

/// The seeded perf scenarios of `fixtures/scenarios/`.
pub const PERF_SCENARIOS: [&str; 2] = ["perf_1280x1024", "perf_1920x1080"];

/// The scenario profiled: the headline benchmark's image.
const PROFILED_SCENARIO: &str = PERF_SCENARIOS[0];

/// Warm calls the probe times per scenario: 30 gives a p95 that is the 29th of 30 values, and
/// takes about a second per scenario; `--quick` takes 10.
const PROBE_REPEATS: [u32; 2] = [30, 10];

/// Seconds of `detect` the profile samples (about a thousand samples a second): 15 s puts the
/// top shares within a percent or so; `--quick` takes 4 s.
const PROFILE_SECONDS: [f64; 2] = [15.0, 4.0];

/// Options of `cargo xtask perf-baseline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Name of this run; results go to `<out>/<label>/`.
    #[arg(long, default_value = "baseline")]
    label: String,
    /// Fewer benchmark samples, probe repeats and profile seconds: a few minutes in all.
    #[arg(long)]
    quick: bool,
    /// Replace this label's existing perf results.
    #[arg(long)]
    force: bool,
    /// The perf folder holding labels (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    label::check_name(&args.label)?;
    let label_dir = perf_dir.join(&args.label);
    // The lock comes first, so that the check below sees a label no other run is writing (a
    // run that checked before locking could replace results committed in between).
    let staging = label::Staging::new(&perf_dir, &args.label)?;
    refuse_to_overwrite(&label_dir, args.force)?;
    let quick = usize::from(args.quick);
    let out = staging.path().to_path_buf();
    let work = tempfile::tempdir()?;
    let mut commands = vec![command_line()];
    let mut skipped = Vec::new();

    // Read before building or running anything: a commit made while a long run goes on must
    // not be credited with results of the tree the run built.
    let (commit, dirty) = provenance::commit(&root);
    let probe = Probe::build(&root)?;
    benchmarks::build(&root)?;

    let ids = benchmarks::list(&root)?;
    let bar = progress(ids.len() as u64, "criterion benchmarks");
    let criterion_args = if args.quick { benchmarks::QUICK_ARGS } else { benchmarks::FULL_ARGS };
    let home = out.join("criterion");
    commands.push(benchmarks::run(&root, &home, &criterion_args, &bar)?);
    bar.finish_and_clear();
    let benchmarks = benchmarks::read_all(&home)?;

    let bar = progress(PERF_SCENARIOS.len() as u64, "probe: stages, allocations");
    let mut scenarios = Vec::new();
    for scenario in PERF_SCENARIOS {
        let probe_args = ProbeArgs { repeats: PROBE_REPEATS[quick], ..ProbeArgs::new(scenario) };
        commands.push(probe.command_line(&probe_args));
        scenarios.push(super::probe::scenario_perf(probe.run(&root, &probe_args)?));
        bar.inc(1);
    }
    bar.finish_and_clear();

    let instructions = instructions(&probe, &out, &mut commands, &mut skipped);
    let machine = provenance::machine();
    let context = format!("commit {}, {machine}", commit.as_deref().unwrap_or("unknown"));
    let profile = profile_step(&root, &probe, &scenarios, args.quick, &out, work.path(), &context)
        .map(|p| {
            commands.extend(p.commands);
            p.summary
        })
        .map_err(|reason| {
            eprintln!("warning: profile skipped: {reason}");
            skipped.push(format!("profile: {reason}"));
        })
        .ok();

    // Paths inside the staging folder are shown relative to the label folder they move to.
    let staged = format!("{}/", out.display());
    let commands = commands.iter().map(|c| c.replace(&staged, "")).collect();
    let report = PerfReport {
        schema: PERF_SCHEMA,
        label: args.label.clone(),
        provenance: PerfProvenance {
            commit,
            dirty,
            created_utc: provenance::now_utc(),
            machine,
            commands,
            quick: args.quick,
        },
        benchmarks,
        scenarios,
        instructions,
        profile,
        skipped,
    };
    write_json(&out.join(PERF_FILE), &report)?;
    let stale: Vec<String> =
        OWNED.iter().filter(|f| !out.join(f).exists()).map(|f| (*f).to_owned()).collect();
    staging.commit(&stale)?;

    println!("{}", summary::table(&report));
    println!(
        "perf-baseline `{}` finished in {:.1} s{}",
        args.label,
        started.elapsed().as_secs_f64(),
        if args.quick { " (--quick)" } else { "" }
    );
    let shown = label_dir.strip_prefix(&root).unwrap_or(&label_dir);
    println!("results: {}", shown.join(PERF_FILE).display());
    if report.profile.is_some() {
        println!("         {}", shown.join(profile::MARKDOWN_FILE).display());
        println!("         {}", shown.join(profile::FLAMEGRAPH_FILE).display());
    }
    Ok(())
}

/// An error when the label already holds perf results and `force` is off.
fn refuse_to_overwrite(label_dir: &Path, force: bool) -> Result<()> {
    let owned: Vec<&str> = OWNED.iter().copied().filter(|f| label_dir.join(f).exists()).collect();
    if !owned.is_empty() && !force {
        bail!(
            "label folder {} already holds perf results ({}); pass --force to replace them, or \
             choose another --label",
            label_dir.display(),
            owned.join(", ")
        );
    }
    Ok(())
}

/// Callgrind's instruction counts per perf scenario, into `out/callgrind/`; empty, with the
/// reason in `skipped`, when valgrind cannot run.
fn instructions(
    probe: &Probe,
    out: &Path,
    commands: &mut Vec<String>,
    skipped: &mut Vec<String>,
) -> Vec<InstructionCount> {
    if let Err(reason) = callgrind::available() {
        eprintln!("warning: instruction counts skipped: {reason}");
        skipped.push(format!("instructions: {reason}"));
        return Vec::new();
    }
    let bar = progress(PERF_SCENARIOS.len() as u64, "callgrind: instructions");
    let mut counts = Vec::new();
    let dir = out.join("callgrind");
    for scenario in PERF_SCENARIOS {
        let args = ProbeArgs::new(scenario);
        let file = dir.join(format!("callgrind.{scenario}.out"));
        commands.push(callgrind::command_line(probe, &args, &file).join(" "));
        match callgrind::count(probe, &args, &dir) {
            Ok(instructions) => {
                counts.push(InstructionCount { scenario: scenario.to_owned(), instructions });
            }
            Err(error) => {
                eprintln!("warning: callgrind on {scenario} failed: {error:#}");
                skipped.push(format!("instructions of {scenario}: callgrind failed: {error:#}"));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    counts
}

/// The profile of [`PROFILED_SCENARIO`], sized from the probe's median wall time; the reason as
/// an error when it cannot be taken.
fn profile_step(
    root: &Path,
    probe: &Probe,
    scenarios: &[ScenarioPerf],
    quick: bool,
    out: &Path,
    work: &Path,
    context: &str,
) -> Result<profile::Profile, String> {
    profile::available(work)?;
    let median_ns = scenarios
        .iter()
        .find(|s| s.scenario == PROFILED_SCENARIO)
        .and_then(|s| s.stages.iter().find(|st| st.stage == "total"))
        .map_or(20e6, |st| st.median_ns.max(1.0));
    let seconds = PROFILE_SECONDS[usize::from(quick)];
    let repeats = ((seconds * 1e9 / median_ns).ceil() as u32).clamp(10, 100_000);
    let args = ProbeArgs { repeats, ..ProbeArgs::new(PROFILED_SCENARIO) };
    let bar = ProgressBar::new_spinner();
    bar.set_message(format!("perf record: {repeats} calls on {PROFILED_SCENARIO}"));
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    let profile = profile::record(root, probe, &args, out, work, context)
        .map_err(|e| format!("perf failed: {e:#}"));
    bar.finish_and_clear();
    profile
}
