//! `cargo xtask bless`: re-measures what `cargo xtask ci` gates and rewrites the committed
//! baseline `fixtures/baselines/ci.json` on purpose, printing every value's old → new.
//!
//! Bless after a change that is meant to move a gated value (a new stage that costs
//! instructions, a fix that moves centres) and commit the file with the change, so the review
//! sees both. The file is written atomically: an interrupted bless leaves the old one.

use std::fmt::Write as _;
use std::path::PathBuf;

use annulus_report::GateStatus;
use anyhow::Result;

use crate::ci::measure::{self, Injections};
use crate::ci::record::{self, CiRecord};
use crate::perf::format::count as grouped;

/// Options of `cargo xtask bless`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The baseline to rewrite (default: fixtures/baselines/ci.json).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// The perf folder whose image cache the accuracy gate uses (default: target/perf).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<()> {
    let root = crate::workspace_root();
    let perf_dir = args.out.clone().unwrap_or_else(|| root.join("target/perf"));
    let path = record::baseline_path(&root, args.baseline.as_ref());
    // A missing or unreadable old baseline is replaced all the same; the diff says so.
    let old = path.is_file().then(|| record::read(&path)).transpose().unwrap_or_else(|e| {
        eprintln!("warning: the old baseline is unreadable and is replaced: {e:#}");
        None
    });
    let new = measure::measure(&root, &perf_dir, Injections::default())?;
    record::write(&path, &new)?;
    println!("{}", diff(old.as_ref(), &new));
    let shown = path.strip_prefix(&root).unwrap_or(&path);
    println!("blessed {}: commit it with the change that moved these values", shown.display());
    Ok(())
}

/// The values of a record by name, in the order `ci` prints its gates.
fn values(record: &CiRecord) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for i in &record.instructions {
        out.push((format!("instructions {}", i.scenario), grouped(i.instructions)));
    }
    for a in &record.alloc_warm {
        out.push((
            format!("warm allocations {}", a.scenario),
            format!("{} ({} B)", a.warm.count, a.warm.bytes),
        ));
    }
    for gate in &record.accuracy.run.gates {
        let key = gate.key();
        let GateStatus::Scored { score } = &gate.status else {
            out.push((format!("accuracy {key}"), "skipped".to_owned()));
            continue;
        };
        let a = &score.aggregate;
        let px = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.4}"));
        let ratio = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{v:.4}"));
        out.push((
            format!("accuracy {key} center_error_mean_px"),
            px(a.center_error_px.map(|s| s.mean)),
        ));
        out.push((
            format!("accuracy {key} center_error_p95_px"),
            px(a.center_error_px.map(|s| s.p95)),
        ));
        out.push((format!("accuracy {key} precision"), ratio(a.counts.precision())));
        out.push((format!("accuracy {key} recall"), ratio(a.counts.recall())));
    }
    for b in &record.accuracy.center_bias {
        out.push((
            format!("accuracy {} center_bias_px", b.gate),
            format!("({:+.4}, {:+.4})", b.bias_px[0], b.bias_px[1]),
        ));
    }
    out.push(("accuracy images per gate".to_owned(), record.accuracy.n_images.to_string()));
    out
}

/// Every value old → new, marking the changed, the new and the removed ones, then where each
/// record was measured.
pub fn diff(old: Option<&CiRecord>, new: &CiRecord) -> String {
    let before = old.map(values).unwrap_or_default();
    let after = values(new);
    let width = before.iter().chain(&after).map(|(k, _)| k.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    let mut changed = 0;
    for (key, value) in &after {
        let line = match before.iter().find(|(k, _)| k == key) {
            Some((_, was)) if was == value => format!("  {key:<width$}  {value} (unchanged)"),
            Some((_, was)) => {
                changed += 1;
                format!("~ {key:<width$}  {was} → {value}{}", percent(old, new, key))
            }
            None => {
                changed += 1;
                format!("+ {key:<width$}  {value} (new)")
            }
        };
        let _ = writeln!(out, "{line}");
    }
    for (key, was) in before.iter().filter(|(k, _)| !after.iter().any(|(a, _)| a == k)) {
        changed += 1;
        let _ = writeln!(out, "- {key:<width$}  {was} (removed)");
    }
    let where_ = |r: &CiRecord| {
        format!(
            "commit {}{} on {}",
            r.provenance.commit.as_deref().unwrap_or("unknown"),
            if r.provenance.dirty { " (dirty)" } else { "" },
            r.provenance.machine
        )
    };
    let _ = writeln!(out, "{changed} value(s) changed");
    if let Some(old) = old {
        let _ = writeln!(out, "old: {}", where_(old));
    } else {
        let _ = writeln!(out, "old: none (first baseline)");
    }
    let _ = writeln!(out, "new: {}", where_(new));
    out
}

/// ` (+1.23 %)` for an instruction count that changed, else nothing.
fn percent(old: Option<&CiRecord>, new: &CiRecord, key: &str) -> String {
    let Some(scenario) = key.strip_prefix("instructions ") else { return String::new() };
    let find = |r: &CiRecord| {
        r.instructions.iter().find(|i| i.scenario == scenario).map(|i| i.instructions)
    };
    match (old.and_then(find), find(new)) {
        (Some(b), Some(a)) if b > 0 => {
            format!(" ({:+.2} %)", (a as f64 - b as f64) / b as f64 * 100.0)
        }
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests;
