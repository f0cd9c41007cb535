//! `cargo xtask finalize --label AFTER --against BASELINE [--area NAME] [--summary TEXT]`: the
//! benchmark comparison and the accuracy results merged into `final-report.md` and a commit
//! message draft, `commit-message.txt`, both in the AFTER label's folder.
//!
//! It refuses to finalize without accuracy results (`summary.json` of `cargo xtask validate
//! --label AFTER --against BASELINE`), or with accuracy results compared against another
//! baseline; the error names the exact validate command. The benchmark comparison is reused when
//! `benchmark-comparison.json` was made from the current `perf.json` of both labels (their
//! SHA-256 digests match) and `benchmark-report.md` is there; otherwise it compares again and
//! writes `compare`'s two files too. Everything is written through a staging folder under the
//! label's lock ([`crate::label`]). A rerun that would write the same bytes replaces the files
//! freely; one that would change them (a hand-edited commit message, another `--summary`, a
//! label recorded again) needs `--force`. When the label holds `ab.md` (`cargo xtask ab`), the
//! commit message ends with it. It prints the commit message and the paths; the wording rules
//! are in [`crate::perf::final_report`].

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use annulus_report::{Summary, Verdict};
use anyhow::{Context, Result, bail};

use crate::files::read_json;
use crate::label;
use crate::perf::ab;
use crate::perf::compare::{self, COMPARISON_FILE, PERF_FILE, REPORT_FILE};
use crate::perf::comparison::{BenchComparison, COMPARISON_SCHEMA};
use crate::perf::final_report;

/// The accuracy summary `validate` writes into a label.
const ACCURACY_FILE: &str = "summary.json";

/// The final report.
pub const FINAL_REPORT_FILE: &str = "final-report.md";

/// The commit message draft.
pub const COMMIT_MESSAGE_FILE: &str = "commit-message.txt";

/// Options of `cargo xtask finalize`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The label under test, with benchmarks and accuracy results.
    #[arg(long, value_name = "AFTER")]
    label: String,
    /// The label it is compared with, by both `compare` and `validate`.
    #[arg(long, value_name = "BASELINE")]
    against: String,
    /// The commit's scope: `perf(<area>): …`.
    #[arg(long, value_name = "NAME", default_value = "detect")]
    area: String,
    /// The commit's summary line after `perf(<area>): ` (default: generated from the biggest
    /// significant change).
    #[arg(long, value_name = "TEXT")]
    summary: Option<String>,
    /// Replace a final report, commit message or benchmark comparison that this run would
    /// change (an edited message, other options, inputs recorded again).
    #[arg(long)]
    force: bool,
    /// The perf folder holding the labels (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// What the AFTER label holds when `finalize` refuses to replace it without `--force`.
const REFUSED_WHAT: &str = "a final report, commit message or benchmark comparison (edited by \
                            hand, or made with other options or inputs)";

/// What finalize wrote.
#[derive(Debug)]
pub struct Finalized {
    /// The commit message draft.
    pub message: String,
    /// The accuracy verdict it describes.
    pub verdict: Verdict,
    /// Warnings worth printing.
    pub warnings: Vec<String>,
}

/// Runs the command: writes both files and prints the commit message and the paths.
pub fn run(args: &Args) -> Result<()> {
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    let validate = validate_command(&args.label, &args.against, args.out.as_deref());
    let done = finalize(
        &perf_dir,
        &args.label,
        &args.against,
        &args.area,
        args.summary.as_deref(),
        &validate,
        args.force,
    )?;
    for warning in &done.warnings {
        eprintln!("warning: {warning}");
    }
    if done.verdict != Verdict::Pass {
        eprintln!(
            "warning: the accuracy verdict is {}: the message says so; read accuracy-report.md \
             before committing",
            done.verdict.as_str()
        );
    }
    println!("{}", done.message.trim_end());
    println!();
    let label_dir = perf_dir.join(&args.label);
    let shown = label_dir.strip_prefix(&root).unwrap_or(&label_dir);
    println!("commit message: {}", shown.join(COMMIT_MESSAGE_FILE).display());
    println!("final report:   {}", shown.join(FINAL_REPORT_FILE).display());
    println!("commit with:    git commit -F {}", shown.join(COMMIT_MESSAGE_FILE).display());
    Ok(())
}

/// Finalizes label `after` against `against` under `perf_dir`; `validate` is the command that
/// makes the accuracy results, quoted in errors; `force` replaces files this run would change.
pub fn finalize(
    perf_dir: &Path,
    after: &str,
    against: &str,
    area: &str,
    summary: Option<&str>,
    validate: &str,
    force: bool,
) -> Result<Finalized> {
    label::check_name(after)?;
    label::check_name(against)?;
    check_line("--area", area)?;
    if area.contains([' ', '(', ')', ':']) {
        bail!("--area must be one word without `(`, `)` or `:`, got {area:?}");
    }
    if let Some(s) = summary {
        check_line("--summary", s)?;
    }
    let label_dir = perf_dir.join(after);
    let accuracy_path = label_dir.join(ACCURACY_FILE);
    if !accuracy_path.is_file() {
        bail!(
            "no accuracy results for `{after}` ({} is missing): finalize will not write a commit \
             message without them. Run `{validate}` first",
            accuracy_path.display()
        );
    }
    let accuracy: Summary = read_json(&accuracy_path)
        .with_context(|| format!("reading the accuracy results of `{after}`"))?;
    final_report::check_accuracy(&accuracy, after, against, validate)?;

    let staging = label::Staging::new(perf_dir, after)?;
    let (comparison, mut warnings, compared) = fresh_comparison(perf_dir, after, against)?;
    let mut message = final_report::commit_message(&comparison, &accuracy, area, summary);
    // The interleaved A/B of `cargo xtask ab`, when the label has one: the wall-time figures
    // that separate benchmark runs on a shared machine cannot give.
    let ab_path = label_dir.join(ab::AB_MARKDOWN);
    if ab_path.is_file() {
        let ab = std::fs::read_to_string(&ab_path)
            .with_context(|| format!("reading {}", ab_path.display()))?;
        message = format!("{}\n\n{}\n", message.trim_end(), ab.trim_end());
    }
    let report = final_report::markdown(&comparison, &accuracy, &message);
    let mut files = if compared { compare::files(&comparison)? } else { Vec::new() };
    files.push((FINAL_REPORT_FILE, report.into_bytes()));
    files.push((COMMIT_MESSAGE_FILE, message.clone().into_bytes()));
    staging.commit_files(&files, force, REFUSED_WHAT)?;
    warnings.extend(final_report::pairing_warnings(&comparison, &accuracy));
    Ok(Finalized { message, verdict: accuracy.comparison.verdict, warnings })
}

/// The benchmark comparison of `after` against `against`: the one on disk when it is current,
/// else a new one (with a warning saying why, and `true`: its files are to be written).
fn fresh_comparison(
    perf_dir: &Path,
    after: &str,
    against: &str,
) -> Result<(BenchComparison, Vec<String>, bool)> {
    let label_dir = perf_dir.join(after);
    let reason = match stale_reason(perf_dir, after, against) {
        Ok(None) => {
            let c = read_json(&label_dir.join(COMPARISON_FILE))?;
            return Ok((c, Vec::new(), false));
        }
        Ok(Some(reason)) => reason,
        Err(error) => format!("it could not be checked ({error:#})"),
    };
    let c = compare::comparison_of(perf_dir, after, against)
        .with_context(|| format!("comparing the benchmarks of `{after}` with `{against}`"))?;
    Ok((c, vec![format!("ran compare first: the benchmark comparison {reason}")], true))
}

/// Why the benchmark comparison on disk cannot be used, or `None` when it can.
fn stale_reason(perf_dir: &Path, after: &str, against: &str) -> Result<Option<String>> {
    let label_dir = perf_dir.join(after);
    let path = label_dir.join(COMPARISON_FILE);
    if !path.is_file() || !label_dir.join(REPORT_FILE).is_file() {
        return Ok(Some("was missing".to_owned()));
    }
    let value: serde_json::Value = read_json(&path)?;
    if value.get("schema").and_then(serde_json::Value::as_u64) != Some(COMPARISON_SCHEMA.into()) {
        return Ok(Some("was written by another version of xtask".to_owned()));
    }
    let c: BenchComparison = serde_json::from_value(value)
        .with_context(|| format!("cannot parse {}", path.display()))?;
    if c.baseline.label != against {
        return Ok(Some(format!("was against `{}`, not `{against}`", c.baseline.label)));
    }
    let current = |name: &str| -> Result<Option<String>> {
        let file = perf_dir.join(name).join(PERF_FILE);
        if !file.is_file() {
            return Ok(None);
        }
        let bytes =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        Ok(Some(compare::digest(&bytes)))
    };
    if current(against)?.as_deref() != Some(c.inputs.baseline_perf_sha256.as_str())
        || current(after)?.as_deref() != Some(c.inputs.after_perf_sha256.as_str())
    {
        return Ok(Some("was made from an older perf.json".to_owned()));
    }
    Ok(None)
}

/// Fails unless `text` is one non-empty line.
fn check_line(option: &str, text: &str) -> Result<()> {
    if text.trim().is_empty() || text.contains(['\n', '\r']) {
        bail!("{option} must be one non-empty line, got {text:?}");
    }
    Ok(())
}

/// The validate command that produces the accuracy results finalize needs.
pub fn validate_command(after: &str, against: &str, out: Option<&Path>) -> String {
    let out = out.map_or_else(String::new, |dir| format!(" --out {}", dir.display()));
    format!("cargo xtask validate --label {after} --against {against}{out}")
}
