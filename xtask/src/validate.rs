//! `cargo xtask validate`: the three accuracy gates, scored against ground truth and compared
//! with a baseline label.
//!
//! For each gate it renders the scenario's first `--n` images (or reads them from the cache,
//! keyed by scenario hash, [`crate::image_cache`]), runs the detector in each of the gate's
//! modes ([`crate::gates`]), scores every image with `annulus-score` and pools them. It writes,
//! into `target/perf/<label>/`:
//! - `<gate>/summary.json`: the gate's runs (one per mode), each with its pooled score, per-image
//!   rows and sorted centre errors; `<gate>[/<mode>]/detections/` and `scores/` per image;
//! - `accuracy-run.json`: the whole run (provenance and every gate), which a later run reads as
//!   its baseline;
//! - `accuracy-report.md`, `report.html` and `summary.json`: the comparison with the baseline
//!   (`annulus-report`), with flags and a verdict.
//!
//! The label is written through a staging folder ([`crate::label`]): an interrupted run leaves
//! the previous results intact, and existing results are replaced only with `--force`. The
//! command prints the comparison table and fails when a FAIL flag is raised.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use annulus_report::{GateRun, LabelRun, Provenance, Thresholds};
use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use serde::{Deserialize, Serialize};

use crate::files::{read_json, write_atomic, write_json};
use crate::gates::{DEFAULT_GATES, ModeRun, modes};
use crate::{image_cache, label, provenance, scenarios};

/// The file that marks a label as holding accuracy results; written last.
pub const RUN_FILE: &str = "accuracy-run.json";

/// The label `--against` defaults to, when it exists.
const DEFAULT_BASELINE: &str = "baseline";

/// Files of the label folder that `validate` owns, besides its gate folders.
const OWNED_FILES: [&str; 4] = [RUN_FILE, "summary.json", "accuracy-report.md", "report.html"];

/// Options of `cargo xtask validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Name of this run; results go to `<out>/<label>/`.
    #[arg(long)]
    label: String,
    /// Label to compare with (default: `baseline`, when it exists and is not this label).
    #[arg(long, value_name = "BASELINE")]
    against: Option<String>,
    /// Comma-separated gates; each is a scenario of fixtures/scenarios/.
    #[arg(long, value_delimiter = ',', default_values_t = DEFAULT_GATES.map(String::from))]
    gates: Vec<String>,
    /// Images per gate, from the first of each scenario.
    #[arg(long, default_value_t = 10)]
    n: u32,
    /// Nominal outer marker diameter in pixels, given to the detector as a prior in every gate.
    #[arg(long, value_name = "PX")]
    marker_diameter: Option<f64>,
    /// Replace this label's existing accuracy results.
    #[arg(long)]
    force: bool,
    /// The perf folder holding labels and the image cache (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// What `<gate>/summary.json` holds.
#[derive(Debug, Serialize, Deserialize)]
struct GateFile {
    gate: String,
    scenario: String,
    scenario_hash: String,
    n_images: u32,
    runs: Vec<GateRun>,
}

/// Runs the command; the exit code is failure when a FAIL flag was raised.
pub fn run(args: &Args) -> Result<ExitCode> {
    let started = Instant::now();
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    label::check_name(&args.label)?;
    let label_dir = perf_dir.join(&args.label);
    // The lock comes first, so that the checks below see a label no other run is writing.
    let staging = label::Staging::new(&perf_dir, &args.label)?;
    let previous = previous_run(&label_dir, args.force)?;
    let baseline = baseline(&perf_dir, args)?;
    let gates = check_gates(&root, &args.gates)?;
    if args.n == 0 {
        bail!("--n must be at least 1");
    }
    if let Some(d) = args.marker_diameter.filter(|d| !(d.is_finite() && *d > 0.0)) {
        bail!("--marker-diameter must be a positive number of pixels, got {d}");
    }

    // Read before building or running anything: a commit made while a long run goes on must
    // not be credited with results of the tree the run built.
    let (commit, dirty) = provenance::commit(&root);
    let mut runs = Vec::new();
    for gate in &gates {
        runs.extend(run_gate(&root, &perf_dir, staging.path(), gate, args)?);
    }

    let after = LabelRun {
        label: args.label.clone(),
        provenance: Provenance {
            commit,
            dirty,
            created_utc: provenance::now_utc(),
            machine: provenance::machine(),
            commands: vec![command_line()],
            n_images: args.n,
        },
        gates: runs,
    };
    let base = baseline.as_ref().map(|(_, run)| run);
    let comparison = annulus_report::compare(&after, base, &Thresholds::default());
    let out = staging.path();
    write_atomic(
        &out.join("accuracy-report.md"),
        annulus_report::markdown(&comparison, &after, base).as_bytes(),
    )?;
    write_atomic(
        &out.join("report.html"),
        annulus_report::html(&comparison, &after, base).as_bytes(),
    )?;
    write_atomic(
        &out.join("summary.json"),
        annulus_report::json_summary(&comparison, &after, base).as_bytes(),
    )?;
    write_json(&out.join(RUN_FILE), &after)?;
    let stale: Vec<String> = previous
        .iter()
        .flat_map(|p| p.gates.iter().map(|g| g.gate.clone()))
        .filter(|g| !gates.contains(g))
        .collect();
    staging.commit(&stale)?;

    println!("{}", annulus_report::terminal_table(&comparison));
    println!(
        "validate `{}` finished in {:.1} s{}",
        args.label,
        started.elapsed().as_secs_f64(),
        baseline.map_or_else(
            || " (no baseline to compare with)".to_owned(),
            |(name, _)| format!(", compared with `{name}`")
        )
    );
    let shown = label_dir.strip_prefix(&root).unwrap_or(&label_dir);
    println!("report:  {}", shown.join("report.html").display());
    println!("         {}", shown.join("accuracy-report.md").display());
    Ok(if comparison.has_fail() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The label's previous run, if it has one; an error when it does and `force` is off.
fn previous_run(label_dir: &Path, force: bool) -> Result<Option<LabelRun>> {
    let owned: Vec<&str> =
        OWNED_FILES.iter().copied().filter(|f| label_dir.join(f).exists()).collect();
    if owned.is_empty() {
        return Ok(None);
    }
    if !force {
        bail!(
            "label folder {} already holds accuracy results ({}); pass --force to replace them, \
             or choose another --label",
            label_dir.display(),
            owned.join(", ")
        );
    }
    // A previous run that cannot be read is replaced all the same; its gate folders stay.
    Ok(read_json(&label_dir.join(RUN_FILE)).ok())
}

/// The label to compare with and its run: `--against`, which must exist, or `baseline` when it
/// exists and is not the label being written.
fn baseline(perf_dir: &Path, args: &Args) -> Result<Option<(String, LabelRun)>> {
    let known = label::with_file(perf_dir, RUN_FILE);
    let name = match &args.against {
        Some(name) => {
            if !known.contains(name) {
                let list = if known.is_empty() { "none yet".to_owned() } else { known.join(", ") };
                bail!(
                    "no label `{name}` with accuracy results in {}; existing labels: {list}",
                    perf_dir.display()
                );
            }
            name.clone()
        }
        None if args.label != DEFAULT_BASELINE && known.iter().any(|k| k == DEFAULT_BASELINE) => {
            DEFAULT_BASELINE.to_owned()
        }
        None => return Ok(None),
    };
    let run: LabelRun = read_json(&perf_dir.join(&name).join(RUN_FILE))
        .with_context(|| format!("reading the results of label `{name}`"))?;
    Ok(Some((name, run)))
}

/// The gates, each checked to name a scenario, without repeats.
fn check_gates(root: &Path, gates: &[String]) -> Result<Vec<String>> {
    let known = scenarios::known(root)?;
    let mut out: Vec<String> = Vec::new();
    for gate in gates.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        if !known.iter().any(|k| k == gate) {
            bail!(
                "unknown gate `{gate}`: gates are scenarios of fixtures/scenarios/ ({})",
                known.join(", ")
            );
        }
        if !out.iter().any(|g| g == gate) {
            out.push(gate.to_owned());
        }
    }
    if out.is_empty() {
        bail!("--gates names no gate");
    }
    Ok(out)
}

/// Renders (or reads) one gate's images, runs each of its modes and writes its summary.
fn run_gate(
    root: &Path,
    perf_dir: &Path,
    out: &Path,
    gate: &str,
    args: &Args,
) -> Result<Vec<GateRun>> {
    let scenario = scenarios::load(root, gate)?;
    let count = scenario.synth.scenario().count;
    if args.n > count {
        bail!(
            "--n {} is more than the {count} images of scenario `{gate}` ({})",
            args.n,
            scenario.path.display()
        );
    }
    let images = {
        let bar = progress(u64::from(args.n), &format!("{gate}: images"));
        let images = image_cache::images(&perf_dir.join("cache"), &scenario, args.n, &bar)?;
        bar.finish_and_clear();
        images
    };
    let mut runs = Vec::new();
    for &mode in modes(gate) {
        let mode_run = ModeRun {
            scenario: &scenario,
            images: &images,
            gate,
            mode,
            diameter_px: args.marker_diameter,
            center_bias_px: 0.0,
        };
        let bar = progress(u64::from(args.n), &format!("{}: detect", mode_run.relative_dir()));
        runs.push(mode_run.run(out, &bar)?);
        bar.finish_and_clear();
    }
    let file = GateFile {
        gate: gate.to_owned(),
        scenario: scenario.name.clone(),
        scenario_hash: scenario.hash.clone(),
        n_images: args.n,
        runs: runs.clone(),
    };
    write_json(&out.join(gate).join("summary.json"), &file)?;
    for run in &mut runs {
        run.artifacts.insert(0, format!("{gate}/summary.json"));
    }
    Ok(runs)
}

/// A progress bar on stderr; hidden when stderr is not a terminal (CI logs stay clean).
pub(crate) fn progress(len: u64, message: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg:>28} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(message.to_owned());
    bar
}

/// The command as a user would type it.
pub(crate) fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("cargo xtask {}", args.join(" "))
}
