//! The final word on a change: the commit message draft and `final-report.md`, from the
//! benchmark comparison and the accuracy summary of `cargo xtask validate`.
//!
//! The accuracy line never says "unchanged" unless validate raised no flag at all and the
//! headline metric (the blur3 mean centre error, else the first gate's) did not move:
//!
//! | validate | line |
//! |---|---|
//! | no flag, delta exactly 0 | `Accuracy: unchanged (blur3 centre error mean 0.0810 px)` |
//! | no flag, delta ≠ 0 | `Accuracy: within thresholds (blur3 centre error mean 0.0810 → 0.0830 px, +0.0020)` |
//! | a FAIL flag | `Accuracy: FAIL — blur3 centre error mean 0.0810 → 0.0950 px (+0.0140)`, then one line per flag |
//! | an ESCALATE flag | `Accuracy: ESCALATE — …`, then one line per flag |
//! | NOTE flags only | `Accuracy: NOTE — blur3 centre error mean …`, then one line per flag |
//!
//! A NOTE is not always a change (validate notes a gate that neither run has), so it is named
//! for what it is rather than called "changed"; the flag lines say what each one is about.
//!
//! Validate's pipeline is seeded, so a change that only makes the detector faster gives a delta
//! of exactly zero; anything else is a real, if small, change of the output. Accuracy numbers
//! print with four decimals, as in `accuracy-report.md`. Pure: no I/O.

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use annulus_report::{CENTER_ERROR_MEAN_PX, MetricRow, PRECISION, RECALL, Summary};
use anyhow::{Result, bail};

use crate::perf::bench_report;
use crate::perf::comparison::{BenchComparison, BenchVerdict};
use crate::perf::format::{count, count_change};

/// The gate whose centre error heads the accuracy line: the one the FAIL threshold guards.
const HEADLINE_GATE: &str = "blur3";

/// The prefix of end-to-end benchmarks, which the commit message always lists.
const END_TO_END_PREFIX: &str = "detect_";

/// Metrics of every gate shown in the final report's accuracy table.
const ACCURACY_METRICS: [&str; 3] = [CENTER_ERROR_MEAN_PX, PRECISION, RECALL];

/// Checks that `summary` is the accuracy comparison of `after` against `against`; the error
/// says which validate command makes it so.
pub fn check_accuracy(summary: &Summary, after: &str, against: &str, validate: &str) -> Result<()> {
    if summary.after.label != after {
        bail!(
            "the accuracy summary in label `{after}` belongs to label `{}`; run `{validate} --force`",
            summary.after.label
        );
    }
    match summary.comparison.baseline.as_deref() {
        Some(b) if b == against => Ok(()),
        Some(other) => bail!(
            "the accuracy results of `{after}` were compared with `{other}`, not with \
             `{against}`: a commit message cannot mix the two. Run `{validate} --force`, or \
             finalize with `--against {other}`"
        ),
        None => bail!(
            "the accuracy results of `{after}` were not compared with any baseline; run \
             `{validate} --force`"
        ),
    }
}

/// The headline accuracy metric: the blur3 mean centre error, else the first gate's.
fn headline(summary: &Summary) -> Option<(&str, &MetricRow)> {
    let c = &summary.comparison;
    if let Some(row) = c.metric(HEADLINE_GATE, CENTER_ERROR_MEAN_PX) {
        return Some((HEADLINE_GATE, row));
    }
    c.gates.iter().find_map(|g| Some((g.key.as_str(), c.metric(&g.key, CENTER_ERROR_MEAN_PX)?)))
}

/// `blur3 centre error mean 0.0810 px`, or `… 0.0810 → 0.0950 px (+0.0140)` when it moved.
fn headline_phrase(summary: &Summary) -> String {
    let Some((gate, row)) = headline(summary) else {
        return "no centre error measured".to_owned();
    };
    let v = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| format!("{x:.4}"));
    match row.delta {
        Some(0.0) => format!("{gate} centre error mean {} px", v(row.after)),
        Some(d) => {
            format!("{gate} centre error mean {} → {} px ({d:+.4})", v(row.baseline), v(row.after))
        }
        None => format!("{gate} centre error mean {} → {} px", v(row.baseline), v(row.after)),
    }
}

/// The accuracy line of the commit message, followed by one indented line per flag (see the
/// module doc).
pub fn accuracy_lines(summary: &Summary) -> String {
    let flags = &summary.comparison.flags;
    let phrase = headline_phrase(summary);
    let worst = flags.iter().map(|f| f.level).min();
    let moved = headline(summary).is_some_and(|(_, row)| row.delta != Some(0.0));
    let mut out = match worst {
        None if moved => format!("Accuracy: within thresholds ({phrase})"),
        None => format!("Accuracy: unchanged ({phrase})"),
        Some(level) => format!("Accuracy: {} — {phrase}", level.as_str()),
    };
    for flag in flags {
        let _ = write!(out, "\n  {}: {}", flag.level.as_str(), flag.message);
    }
    out
}

/// A one-line summary of the biggest significant benchmark change, else of the biggest
/// instruction-count change, else `no significant speed change`.
pub fn default_summary(c: &BenchComparison) -> String {
    // The first of equals wins (`max_by` would keep the last), so ties go to report order.
    let biggest = c
        .benchmarks
        .iter()
        .filter(|r| r.verdict.is_significant())
        .filter_map(|r| Some((r, r.percent()?)))
        .rev()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    if let Some((row, pct)) = biggest {
        let word = if row.verdict == BenchVerdict::Faster { "faster" } else { "slower" };
        return format!("{} {:.1}% {word}", row.id, pct.abs());
    }
    let instructions = c
        .instructions
        .iter()
        .filter_map(|r| match (r.baseline, r.after) {
            (Some(b), Some(a)) if a != b && b > 0 => Some((r, 100.0 * (a as f64 / b as f64 - 1.0))),
            _ => None,
        })
        .rev()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    match instructions {
        Some((row, pct)) => {
            let word = if pct < 0.0 { "fewer" } else { "more" };
            format!("{:.2}% {word} instructions on {}", pct.abs(), row.scenario)
        }
        None => "no significant speed change".to_owned(),
    }
}

/// The commit message draft: the `perf(<area>): <summary>` header, the benchmark lines (every
/// benchmark except those of a stage with no significant change, which are counted), the
/// instruction counts and changed warm allocations, and the accuracy lines.
pub fn commit_message(
    c: &BenchComparison,
    accuracy: &Summary,
    area: &str,
    summary: Option<&str>,
) -> String {
    let summary = summary.map_or_else(|| default_summary(c), str::to_owned);
    let mut out = format!("perf({area}): {summary}\n\n");
    let mut quiet = 0;
    for row in &c.benchmarks {
        let end_to_end = row.id.starts_with(END_TO_END_PREFIX);
        if row.verdict == BenchVerdict::NoSignificantChange && !end_to_end {
            quiet += 1;
        } else {
            let _ = writeln!(out, "{}", bench_report::commit_line(row));
        }
    }
    if quiet > 0 {
        let s = if quiet == 1 { "" } else { "s" };
        let _ = writeln!(out, "{quiet} other benchmark{s}: no significant change");
    }
    for row in &c.instructions {
        match (row.baseline, row.after) {
            (Some(b), Some(a)) if a == b => {
                let _ = writeln!(out, "Instructions {}: unchanged ({})", row.scenario, count(a));
            }
            (Some(b), Some(a)) => {
                let _ = writeln!(out, "Instructions {}: {}", row.scenario, count_change(b, a));
            }
            _ => {}
        }
    }
    for row in &c.scenarios {
        if let (Some(b), Some(a)) = (&row.baseline, &row.after)
            && b.alloc_warm.count != a.alloc_warm.count
        {
            let change = count_change(b.alloc_warm.count, a.alloc_warm.count);
            let _ = writeln!(out, "Warm allocations {}: {change}", row.scenario);
        }
    }
    let _ = writeln!(out, "{}", accuracy_lines(accuracy));
    out
}

/// Warnings about the pairing of benchmarks and accuracy results: different commits.
pub fn pairing_warnings(c: &BenchComparison, accuracy: &Summary) -> Vec<String> {
    let mut out = Vec::new();
    let sides = [
        ("after", &c.after, Some(&accuracy.after)),
        ("baseline", &c.baseline, accuracy.baseline.as_ref()),
    ];
    for (side, bench, acc) in sides {
        let Some(acc) = acc else { continue };
        if bench.commit != acc.provenance.commit {
            out.push(format!(
                "The {side} label's benchmarks (commit {}) and accuracy results (commit {}) come \
                 from different commits: re-run whichever is out of date.",
                bench.commit.as_deref().unwrap_or("unknown"),
                acc.provenance.commit.as_deref().unwrap_or("unknown")
            ));
        }
    }
    out
}

/// The whole `final-report.md`.
pub fn markdown(c: &BenchComparison, accuracy: &Summary, message: &str) -> String {
    let mut out = format!(
        "# Performance report: {} vs {}\n\n## Commit message\n\nAlso in `commit-message.txt`:\n\n\
         ```text\n{}\n```\n\n",
        c.after.label,
        c.baseline.label,
        message.trim_end()
    );
    let acc = |info: Option<&annulus_report::RunInfo>| {
        info.map_or_else(
            || ("–".to_owned(), "–".to_owned()),
            |i| {
                let p = &i.provenance;
                let commit = p.commit.as_deref().unwrap_or("–");
                let dirty = if p.dirty { " (uncommitted changes)" } else { "" };
                (format!("{commit}{dirty}"), p.created_utc.clone())
            },
        )
    };
    let (base_acc, after_acc) = (acc(accuracy.baseline.as_ref()), acc(Some(&accuracy.after)));
    let extra = [
        ("accuracy commit", base_acc.0, after_acc.0),
        ("accuracy measured (UTC)", base_acc.1, after_acc.1),
    ];
    out.push_str(&bench_report::provenance_table(&c.baseline, &c.after, &extra));
    let mut warnings = c.warnings.clone();
    warnings.extend(pairing_warnings(c, accuracy));
    if !warnings.is_empty() {
        out.push_str("> **Read with care:**\n");
        for w in &warnings {
            let _ = writeln!(out, "> - {w}");
        }
        out.push('\n');
    }
    out.push_str(&accuracy_section(accuracy));
    out.push_str(&bench_report::body(c));
    out.push_str(&bench_report::method());
    out.push_str(
        "\n## Files\n\nIn this label's folder: `benchmark-report.md` and \
         `benchmark-comparison.json` (compare), `accuracy-report.md`, `report.html` and \
         `summary.json` (validate), `perf.json` and `profile.md` (perf-baseline), this report \
         and `commit-message.txt` (finalize).\n",
    );
    out
}

fn accuracy_section(accuracy: &Summary) -> String {
    let c = &accuracy.comparison;
    let mut out = format!(
        "## Accuracy\n\nFrom `cargo xtask validate` (`summary.json`; the full report is \
         `accuracy-report.md` and `report.html`). Verdict: **{}**: {}\n\n",
        c.verdict.as_str(),
        c.verdict.meaning()
    );
    if c.flags.is_empty() {
        out.push_str("No flags.\n\n");
    } else {
        for flag in &c.flags {
            let _ = writeln!(out, "- **{}**: {}", flag.level.as_str(), flag.message);
        }
        out.push('\n');
    }
    out.push_str("| gate | metric | baseline | after | delta |\n|---|---|---|---|---|\n");
    let v = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| format!("{x:.4}"));
    for gate in &c.gates {
        for metric in ACCURACY_METRICS {
            let Some(row) = c.metric(&gate.key, metric) else { continue };
            let delta = match row.delta {
                Some(0.0) => "0".to_owned(),
                Some(d) => format!("{d:+.4}"),
                None => "–".to_owned(),
            };
            let _ = writeln!(
                out,
                "| `{}` | {metric} | {} | {} | {delta} |",
                gate.key,
                v(row.baseline),
                v(row.after)
            );
        }
    }
    out.push('\n');
    out
}
