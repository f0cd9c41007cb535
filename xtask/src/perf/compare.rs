//! `cargo xtask compare --label AFTER --against BASELINE`: the benchmark comparison of two
//! labels' `perf.json`.
//!
//! It reads `target/perf/<label>/perf.json` of both labels (an unknown label fails with the
//! list of labels that have one), compares them ([`crate::perf::comparison`]) and writes, into
//! the AFTER label's folder, `benchmark-report.md` ([`crate::perf::bench_report`]) and
//! `benchmark-comparison.json` (for `finalize`), through a staging folder under the label's lock
//! ([`crate::label`]). Both are derived from the two `perf.json`, and the same inputs give the
//! same bytes, so a rerun replaces them freely; a comparison of other inputs (a label recorded
//! again, another `--against`) is replaced only with `--force`. Nothing else in either label is
//! touched. The table is printed too.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::files::json_bytes;
use crate::label;
use crate::perf::bench_report;
use crate::perf::comparison::{self, BenchComparison, InputDigests};
use crate::perf::schema::{PERF_SCHEMA, PerfReport};

pub use crate::perf::baseline::PERF_FILE;

/// The benchmark report, for people.
pub const REPORT_FILE: &str = "benchmark-report.md";

/// The benchmark comparison, for `finalize`; written after the report.
pub const COMPARISON_FILE: &str = "benchmark-comparison.json";

/// Options of `cargo xtask compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The label under test; the reports go into its folder.
    #[arg(long, value_name = "AFTER")]
    label: String,
    /// The label to compare with.
    #[arg(long, value_name = "BASELINE")]
    against: String,
    /// Replace a benchmark comparison in the AFTER label that was made from other inputs.
    #[arg(long)]
    force: bool,
    /// The perf folder holding the labels (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// What the AFTER label holds when `compare` refuses to replace it without `--force`.
pub const REFUSED_WHAT: &str = "a benchmark comparison made from other inputs";

/// Runs the command: compares, writes both files and prints the table.
pub fn run(args: &Args) -> Result<()> {
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    let c = compare_labels(&perf_dir, &args.label, &args.against, args.force)?;
    println!("{}", bench_report::terminal(&c));
    for warning in &c.warnings {
        println!("warning: {warning}");
    }
    let label_dir = perf_dir.join(&args.label);
    let shown = label_dir.strip_prefix(&root).unwrap_or(&label_dir);
    println!("report:  {}", shown.join(REPORT_FILE).display());
    println!("         {}", shown.join(COMPARISON_FILE).display());
    Ok(())
}

/// Compares label `after` with `against` under `perf_dir` and writes the report and the JSON
/// into `after`'s folder; files of another comparison there are replaced only with `force`.
pub fn compare_labels(
    perf_dir: &Path,
    after: &str,
    against: &str,
    force: bool,
) -> Result<BenchComparison> {
    label::check_name(after)?;
    label::check_name(against)?;
    let c = comparison_of(perf_dir, after, against)?;
    // Under the label's lock, so that no other command writes `after` while the files are
    // checked and replaced. (The inputs were read before: a `perf.json` recorded in between
    // shows in the digests, and `finalize` compares again.)
    let staging = label::Staging::new(perf_dir, after)?;
    staging.commit_files(&files(&c)?, force, REFUSED_WHAT)?;
    Ok(c)
}

/// The comparison of label `after` with `against` under `perf_dir`, written nowhere.
pub fn comparison_of(perf_dir: &Path, after: &str, against: &str) -> Result<BenchComparison> {
    let (baseline_report, baseline_digest) = read_perf(perf_dir, against)?;
    let (after_report, after_digest) = read_perf(perf_dir, after)?;
    let inputs =
        InputDigests { baseline_perf_sha256: baseline_digest, after_perf_sha256: after_digest };
    Ok(comparison::compare(&baseline_report, &after_report, inputs))
}

/// The files `compare` writes for `c`, name and bytes: the report, then the JSON (last, since
/// `finalize` trusts a report only beside a JSON of the same inputs).
pub fn files(c: &BenchComparison) -> Result<Vec<(&'static str, Vec<u8>)>> {
    Ok(vec![
        (REPORT_FILE, bench_report::markdown(c).into_bytes()),
        (COMPARISON_FILE, json_bytes(c)?),
    ])
}

/// A label's `perf.json` and the SHA-256 of its bytes; an unknown label fails with the labels
/// that have one.
pub fn read_perf(perf_dir: &Path, name: &str) -> Result<(PerfReport, String)> {
    let path = perf_dir.join(name).join(PERF_FILE);
    if !path.is_file() {
        let known = label::with_file(perf_dir, PERF_FILE);
        let list = if known.is_empty() { "none yet".to_owned() } else { known.join(", ") };
        bail!(
            "no label `{name}` with benchmarks ({PERF_FILE}) in {}; labels with benchmarks: \
             {list}. Record one with `cargo xtask perf-baseline --label {name}`",
            perf_dir.display()
        );
    }
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let schema = serde_json::from_slice::<serde_json::Value>(&bytes)
        .with_context(|| format!("cannot parse {}", path.display()))?
        .get("schema")
        .and_then(serde_json::Value::as_u64);
    if schema != Some(u64::from(PERF_SCHEMA)) {
        bail!(
            "{} has schema {}, this xtask reads schema {PERF_SCHEMA}; record the label again with \
             `cargo xtask perf-baseline --label {name} --force`",
            path.display(),
            schema.map_or_else(|| "none".to_owned(), |s| s.to_string())
        );
    }
    let report: PerfReport = serde_json::from_slice(&bytes)
        .with_context(|| format!("cannot parse {}", path.display()))?;
    Ok((report, digest(&bytes)))
}

/// The SHA-256 of `bytes` in lowercase hex.
pub fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
