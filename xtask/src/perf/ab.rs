//! `cargo xtask ab --label LABEL --base REV`: the working tree's detector against the one at git
//! revision REV, timed side by side in one run.
//!
//! Two `perf-baseline` runs minutes apart differ by 8 to 20 % on a shared 2-core machine, more
//! than most single optimisations gain, so a before/after claim in wall time needs both builds
//! measured in the same minutes. This builds `annulus-probe` from the working tree and from REV
//! (in a temporary git worktree, with a target folder of its own under the perf folder, so that
//! later runs rebuild incrementally), then runs the two alternately for `--rounds` rounds,
//! swapping which goes first each round so that neither always runs on a warmer machine. Each
//! process times `--repeats` warm calls on one scenario image; a round's value for a stage is
//! the median of those calls. The result per stage is the median of the per-round ratios
//! current ÷ base with its distribution-free 95 % interval ([`TimeRatio`], as `peer` uses):
//! pairing by round cancels the load both builds shared.
//!
//! It writes `ab.json` and `ab.md` into the label's folder through the label's staging folder
//! and lock ([`crate::label`]), replacing an earlier result only with `--force`; `finalize`
//! quotes `ab.md` in the commit message when it is there. Both probes must write the same
//! report schema: a base too old for the current probe's schema is refused with the probe's
//! own error.

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use annulus_benches::ProbeReport;
use annulus_report::peer::{TimeRatio, TimeStats};
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use xshell::{Shell, cmd};

use super::probe::{Probe, ProbeArgs, STAGES, StageField, executable};
use crate::label;

/// The A/B results, in the label's folder.
pub const AB_JSON: &str = "ab.json";

/// The A/B summary that `finalize` quotes.
pub const AB_MARKDOWN: &str = "ab.md";

/// Options of `cargo xtask ab`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The label the results go into (usually the one `finalize` will commit).
    #[arg(long)]
    label: String,
    /// The git revision measured against (a commit, branch or tag; usually HEAD).
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    base: String,
    /// The scenario timed, from fixtures/scenarios/.
    #[arg(long, default_value = "perf_1280x1024")]
    scenario: String,
    /// The marker-diameter hint in pixels (default: automatic scale).
    #[arg(long, value_name = "PX")]
    diameter: Option<f64>,
    /// Rounds, each running both builds once; at least 6 for an interval.
    #[arg(long, default_value_t = 12)]
    rounds: u32,
    /// Warm calls timed per process.
    #[arg(long, default_value_t = 7)]
    repeats: u32,
    /// Replace the label's earlier A/B result.
    #[arg(long)]
    force: bool,
    /// The perf folder (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// One stage's side-by-side figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageAb {
    /// The stage, as the probe names it (`total` for the whole call).
    pub stage: String,
    /// The base build's per-round medians, summarised.
    pub base: TimeStats,
    /// The working tree's per-round medians, summarised.
    pub current: TimeStats,
    /// Per-round current ÷ base: below 1 is faster.
    pub ratio: TimeRatio,
}

/// What `ab.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AbRun {
    /// The revision as given, and the commit it resolved to.
    pub base_rev: String,
    /// The full commit hash of the base.
    pub base_commit: String,
    /// The probe's arguments, as typed.
    pub probe_args: String,
    /// Rounds run.
    pub rounds: u32,
    /// Per stage, the whole call last.
    pub stages: Vec<StageAb>,
}

/// The stages compared, in pipeline order, the whole call last: the probe's, without the
/// completion search, whose microseconds on a full view make a ratio of noise.
fn timed_stages() -> impl Iterator<Item = &'static (&'static str, StageField)> {
    STAGES.iter().filter(|(stage, _)| *stage != "completion")
}

/// Runs the command.
pub fn run(args: &Args) -> Result<()> {
    label::check_name(&args.label)?;
    if args.rounds == 0 || args.repeats == 0 {
        bail!("--rounds and --repeats must be at least 1");
    }
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    check_replaceable(&perf_dir, &args.label, args.force)?;
    let base_commit = resolve(&root, &args.base)?;
    eprintln!("ab: building the working tree's probe");
    let current = Probe::build(&root)?;
    eprintln!("ab: building the probe of {} ({})", args.base, &base_commit[..12]);
    let (base, _worktree) = build_at(&root, &perf_dir, &base_commit, &args.scenario)?;
    let mut probe_args = ProbeArgs::new(&args.scenario);
    probe_args.repeats = args.repeats;
    probe_args.diameter_px = args.diameter;
    let mut base_rounds = Vec::new();
    let mut current_rounds = Vec::new();
    for round in 0..args.rounds {
        eprintln!("ab: round {} of {}", round + 1, args.rounds);
        // Alternate which build goes first, so that neither always follows the other.
        let order = if round % 2 == 0 { [&base, &current] } else { [&current, &base] };
        for probe in order {
            let report = probe.run(&root, &probe_args)?;
            let medians = round_medians(&report)?;
            if std::ptr::eq(probe, &base) {
                base_rounds.push(medians);
            } else {
                current_rounds.push(medians);
            }
        }
    }
    let stages = summarise(&base_rounds, &current_rounds)?;
    let run = AbRun {
        base_rev: args.base.clone(),
        base_commit,
        probe_args: probe_args.to_args().join(" "),
        rounds: args.rounds,
        stages,
    };
    let markdown = markdown(&run);
    let mut json = serde_json::to_vec_pretty(&run)?;
    json.push(b'\n');
    // Through the label's staging folder and lock, as every command that writes a label.
    let staging = label::Staging::new(&perf_dir, &args.label)?;
    let files = [(AB_JSON, json), (AB_MARKDOWN, markdown.clone().into_bytes())];
    staging.commit_files(&files, args.force, "an A/B result")?;
    println!("{}", markdown.trim_end());
    Ok(())
}

/// Refuses, unless `force`, when `label` already holds an A/B result: before the minutes of
/// measuring rather than after them, since a new run never writes the same bytes.
fn check_replaceable(perf_dir: &Path, label: &str, force: bool) -> Result<()> {
    let earlier = perf_dir.join(label).join(AB_JSON);
    if earlier.is_file() && !force {
        bail!(
            "label `{label}` already holds an A/B result ({}); pass --force to replace it",
            earlier.display()
        );
    }
    Ok(())
}

/// The full commit hash of `rev`.
fn resolve(root: &Path, rev: &str) -> Result<String> {
    let sh = Shell::new()?;
    sh.change_dir(root);
    let spec = format!("{rev}^{{commit}}");
    let hash = cmd!(sh, "git rev-parse --verify --quiet {spec}")
        .quiet()
        .read()
        .with_context(|| format!("`{rev}` is not a commit of this repository"))?;
    Ok(hash.trim().to_owned())
}

/// A git worktree of the base, removed when dropped: the base's probe reads its scenarios from
/// the tree it was built in, so the worktree lives as long as the run.
struct Worktree {
    repo: PathBuf,
    path: PathBuf,
}

impl Worktree {
    /// Checks out `commit` at `path`, replacing what an interrupted run left there.
    fn add(repo: &Path, path: &Path, commit: &str) -> Result<Self> {
        let sh = Shell::new()?;
        sh.change_dir(repo);
        if path.exists() {
            cmd!(sh, "git worktree remove --force {path}").quiet().ignore_status().run()?;
            if path.exists() {
                std::fs::remove_dir_all(path)?;
            }
        }
        cmd!(sh, "git worktree prune").quiet().run()?;
        cmd!(sh, "git worktree add --detach --quiet {path} {commit}").quiet().run()?;
        Ok(Self { repo: repo.to_owned(), path: path.to_owned() })
    }
}

impl Drop for Worktree {
    fn drop(&mut self) {
        let removed = Shell::new().and_then(|sh| {
            sh.change_dir(&self.repo);
            let path = &self.path;
            cmd!(sh, "git worktree remove --force {path}").quiet().run()
        });
        if let Err(e) = removed {
            eprintln!("warning: could not remove the worktree {}: {e}", self.path.display());
        }
    }
}

/// Builds the probe of `commit` in a worktree under `perf_dir`, with a target folder of its own
/// there, after checking that the scenario is the same file in both trees (else the two builds
/// would time different images).
fn build_at(
    root: &Path,
    perf_dir: &Path,
    commit: &str,
    scenario: &str,
) -> Result<(Probe, Worktree)> {
    let worktree = Worktree::add(root, &perf_dir.join("ab-worktree"), commit)?;
    let file = format!("fixtures/scenarios/{scenario}.toml");
    let here = std::fs::read(root.join(&file)).with_context(|| format!("reading {file}"))?;
    let there = std::fs::read(worktree.path.join(&file)).ok();
    if there.as_deref() != Some(here.as_slice()) {
        bail!(
            "{file} differs at {commit} or is missing there: the builds would time different images"
        );
    }
    let sh = Shell::new()?;
    sh.change_dir(&worktree.path);
    let _target = sh.push_env("CARGO_TARGET_DIR", perf_dir.join("ab-target"));
    let messages = cmd!(
        sh,
        "cargo build --release --quiet -p annulus-benches --bin annulus-probe --message-format=json-render-diagnostics"
    )
    .read()
    .context("building the base's annulus-probe")?;
    let exe = executable(&messages, "annulus-probe")
        .context("cargo built the base but reported no `annulus-probe` executable")?;
    Ok((Probe { exe }, worktree))
}

/// Each stage's median over one process's warm calls, in [`timed_stages`] order.
fn round_medians(report: &ProbeReport) -> Result<Vec<u64>> {
    timed_stages()
        .map(|(stage, field)| {
            let samples: Vec<u64> = report.stages.iter().map(field).collect();
            TimeStats::from_samples_ns(&samples)
                .map(|s| s.median_ns)
                .with_context(|| format!("the probe reported no `{stage}` times"))
        })
        .collect()
}

/// Per stage, both builds' per-round medians and the paired ratio.
fn summarise(base: &[Vec<u64>], current: &[Vec<u64>]) -> Result<Vec<StageAb>> {
    timed_stages()
        .enumerate()
        .map(|(k, (stage, _))| {
            let column =
                |rounds: &[Vec<u64>]| -> Vec<u64> { rounds.iter().map(|r| r[k]).collect() };
            let (b, c) = (column(base), column(current));
            let missing = || format!("no rounds for `{stage}`");
            Ok(StageAb {
                stage: (*stage).to_owned(),
                base: TimeStats::from_samples_ns(&b).with_context(missing)?,
                current: TimeStats::from_samples_ns(&c).with_context(missing)?,
                ratio: TimeRatio::from_rounds(&c, &b)?.with_context(missing)?,
            })
        })
        .collect()
}

/// The summary `finalize` quotes: one line per stage.
pub fn markdown(run: &AbRun) -> String {
    let mut out = format!(
        "Interleaved A/B against {} ({}), {} rounds of `annulus-probe {}`.\n\
         Per stage: base → working tree, and the median per-round ratio with its 95 % interval.\n",
        run.base_rev,
        &run.base_commit[..run.base_commit.len().min(12)],
        run.rounds,
        run.probe_args,
    );
    for s in &run.stages {
        let interval = match s.ratio.ci95 {
            Some([lo, hi]) => format!("[{lo:.3}, {hi:.3}]"),
            None => "(too few rounds for an interval)".to_owned(),
        };
        out.push_str(&format!(
            "- {}: {:.2} ms → {:.2} ms, ×{:.3} {interval}\n",
            s.stage,
            s.base.median_ns as f64 / 1e6,
            s.current.median_ns as f64 / 1e6,
            s.ratio.median,
        ));
    }
    out
}
