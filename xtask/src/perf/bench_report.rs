//! Rendering a [`BenchComparison`]: `benchmark-report.md`, the terminal table, and the one-line
//! summaries that the final report and the commit message reuse.
//!
//! A significant change reads `detect_1280x1024: 12.10 ms → 9.02 ms (-25.5%), 95% CI [-27.1%,
//! -23.9%], p < 0.0001: faster`; anything else leads with what it is, e.g.
//! `detect_1920x1080: no significant change (20.00 ms → 20.05 ms, +0.3%, 95% CI [-0.8%, +1.1%],
//! p = 0.4100)`, so that noise is never printed in the place of a result. Pure: no I/O, nothing
//! time-dependent.

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use crate::perf::comparison::{
    BenchComparison, BenchVerdict, BenchmarkRow, LabelInfo, MIN_SAMPLES, ScenarioFigures,
    ScenarioRow,
};
use crate::perf::format::{
    change_line, count, count_change, duration, duration_interval, p_value, percent,
    percent_change, percent_interval,
};
use crate::perf::schema::{Hotspot, StageStat};
use crate::perf::significance::{BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, CONFIDENCE, MedianCi};

/// What a missing value prints as, as in the accuracy report.
const MISSING: &str = "–";

/// Hotspots listed per label.
const TOP_HOTSPOTS: usize = 3;

/// The whole `benchmark-report.md`.
pub fn markdown(c: &BenchComparison) -> String {
    let mut out = format!("# Benchmark report: {} vs {}\n\n", c.after.label, c.baseline.label);
    out.push_str(&provenance_table(&c.baseline, &c.after, &[]));
    out.push_str(&warnings(c));
    out.push_str(&body(c));
    out.push_str(&method());
    out
}

/// The provenance of both labels as a Markdown table, with `extra` rows (name, baseline, after)
/// at the end.
pub fn provenance_table(
    baseline: &LabelInfo,
    after: &LabelInfo,
    extra: &[(&str, String, String)],
) -> String {
    let commit = |l: &LabelInfo| {
        let hash = l.commit.as_deref().unwrap_or(MISSING);
        if l.dirty { format!("{hash} (uncommitted changes)") } else { hash.to_owned() }
    };
    let run = |l: &LabelInfo| if l.quick { "--quick" } else { "full" };
    let mut out =
        format!("| | baseline `{}` | after `{}` |\n|---|---|---|\n", baseline.label, after.label);
    let _ = writeln!(out, "| commit | {} | {} |", commit(baseline), commit(after));
    let _ = writeln!(out, "| measured (UTC) | {} | {} |", baseline.created_utc, after.created_utc);
    let _ = writeln!(out, "| machine | {} | {} |", baseline.machine, after.machine);
    let _ = writeln!(out, "| run | {} | {} |", run(baseline), run(after));
    for (name, b, a) in extra {
        let _ = writeln!(out, "| {name} | {b} | {a} |");
    }
    out.push('\n');
    out
}

/// The comparison's warnings as a quoted list; empty when there are none.
pub fn warnings(c: &BenchComparison) -> String {
    if c.warnings.is_empty() {
        return String::new();
    }
    let mut out = "> **Read with care:**\n".to_owned();
    for w in &c.warnings {
        let _ = writeln!(out, "> - {w}");
    }
    out.push('\n');
    out
}

/// The report's sections from the summary to the hotspots, each under a `##` heading.
pub fn body(c: &BenchComparison) -> String {
    let mut out = "## Benchmark summary\n\n".to_owned();
    for row in &c.benchmarks {
        let _ = writeln!(out, "- {}", summary_line(row));
    }
    out.push('\n');
    out.push_str(&benchmark_table(c));
    out.push_str(&instruction_table(c));
    out.push_str(&allocation_table(c));
    out.push_str(&memory_table(c));
    out.push_str(&stage_table(c));
    out.push_str(&hotspots(c));
    out
}

/// One benchmark in one line, as the summary and the final report print it (see the module
/// doc).
pub fn summary_line(row: &BenchmarkRow) -> String {
    let id = &row.id;
    let median = |m: Option<&MedianCi>| m.map_or(f64::NAN, |m| m.median);
    let (b, a) = (median(row.baseline.as_ref()), median(row.after.as_ref()));
    match (row.verdict, row.change) {
        (BenchVerdict::Faster | BenchVerdict::Slower, Some(ch)) => format!(
            "{}, 95% CI {}, {}: {}",
            change_line(id, b, a),
            percent_interval(ch.ratio_ci95),
            p_value(ch.p_value),
            row.verdict.as_str()
        ),
        (_, Some(ch)) => format!(
            "{id}: no significant change ({} → {}, {}, 95% CI {}, {})",
            duration(b),
            duration(a),
            percent_change(b, a, 1),
            percent_interval(ch.ratio_ci95),
            p_value(ch.p_value)
        ),
        (BenchVerdict::OnlyInBaseline, _) => format!("{id}: only in baseline ({})", duration(b)),
        (BenchVerdict::OnlyInAfter, _) => format!("{id}: only in after ({})", duration(a)),
        (_, None) => {
            let n = |m: Option<&MedianCi>| m.map_or(0, |m| m.n);
            format!(
                "{id}: too few samples to judge ({} → {}; n = {} and {}, need {MIN_SAMPLES} per \
                 side)",
                duration(b),
                duration(a),
                n(row.baseline.as_ref()),
                n(row.after.as_ref())
            )
        }
    }
}

/// The line a commit message gives a benchmark: exactly the headline
/// (`detect_1280x1024: 12.10 ms → 9.02 ms (-25.5%)`) when the change is significant, else
/// `detect_1920x1080: no significant change (20.00 ms → 20.05 ms)`.
pub fn commit_line(row: &BenchmarkRow) -> String {
    let median = |m: Option<&MedianCi>| m.map(|m| m.median);
    match (median(row.baseline.as_ref()), median(row.after.as_ref())) {
        (Some(b), Some(a)) if row.verdict.is_significant() => change_line(&row.id, b, a),
        (Some(b), Some(a)) if row.verdict == BenchVerdict::TooFewSamples => {
            format!("{}: too few samples to judge ({} → {})", row.id, duration(b), duration(a))
        }
        (Some(b), Some(a)) => {
            format!("{}: no significant change ({} → {})", row.id, duration(b), duration(a))
        }
        _ => format!("{}: {}", row.id, row.verdict.as_str()),
    }
}

fn benchmark_table(c: &BenchComparison) -> String {
    let mut out = "## Benchmarks\n\nMedians of the per-iteration times with their 95 % \
                   intervals; the change is the ratio of medians minus one.\n\n\
                   | benchmark | baseline median [95% CI] | after median [95% CI] | change [95% CI] \
                   | p | verdict |\n|---|---|---|---|---|---|\n"
        .to_owned();
    let side = |m: Option<&MedianCi>| {
        m.map_or_else(
            || MISSING.to_owned(),
            |m| {
                // Below six samples no order-statistic interval reaches 95 %: say what it is.
                let coverage = if m.coverage < CONFIDENCE {
                    format!(", {:.0} % coverage", 100.0 * m.coverage)
                } else {
                    String::new()
                };
                let interval = duration_interval(m.lo, m.hi);
                format!("{} {interval} (n = {}{coverage})", duration(m.median), m.n)
            },
        )
    };
    for row in &c.benchmarks {
        let (change, p) = match (row.change, row.percent()) {
            (Some(ch), Some(pct)) => (
                format!("{} {}", percent(pct, 1), percent_interval(ch.ratio_ci95)),
                p_value(ch.p_value),
            ),
            _ => (MISSING.to_owned(), MISSING.to_owned()),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {change} | {p} | {} |",
            row.id,
            side(row.baseline.as_ref()),
            side(row.after.as_ref()),
            verdict_cell(row.verdict)
        );
    }
    out.push('\n');
    out
}

/// The verdict, in bold when significant.
fn verdict_cell(v: BenchVerdict) -> String {
    if v.is_significant() { format!("**{}**", v.as_str()) } else { v.as_str().to_owned() }
}

fn instruction_table(c: &BenchComparison) -> String {
    let mut out = "## Instructions per warm `detect` (callgrind)\n\n".to_owned();
    if c.instructions.is_empty() {
        out.push_str("Not measured in either label (valgrind unavailable).\n\n");
        return out;
    }
    out.push_str(
        "Exact counts: callgrind is deterministic, so any difference is the code's.\n\n\
         | scenario | baseline | after | change |\n|---|---|---|---|\n",
    );
    for row in &c.instructions {
        let opt = |v: Option<u64>| v.map_or_else(|| MISSING.to_owned(), count);
        let change = match (row.baseline, row.after) {
            (Some(b), Some(a)) => delta_only(&count_change(b, a)),
            _ => MISSING.to_owned(),
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {change} |",
            row.scenario,
            opt(row.baseline),
            opt(row.after)
        );
    }
    out.push('\n');
    out
}

/// The bracketed delta of a [`count_change`], e.g. `-100, -10.00%`.
fn delta_only(change: &str) -> String {
    change
        .rsplit_once(" (")
        .map_or_else(|| change.to_owned(), |(_, d)| d.trim_end_matches(')').to_owned())
}

/// `baseline → after (delta)` of a figure both sides have, else what there is.
fn pair(row: &ScenarioRow, figure: impl Fn(&ScenarioFigures) -> Option<u64>) -> String {
    let b = row.baseline.as_ref().and_then(&figure);
    let a = row.after.as_ref().and_then(&figure);
    match (b, a) {
        (Some(b), Some(a)) => count_change(b, a),
        (Some(b), None) => format!("{} → {MISSING}", count(b)),
        (None, Some(a)) => format!("{MISSING} → {}", count(a)),
        (None, None) => MISSING.to_owned(),
    }
}

fn allocation_table(c: &BenchComparison) -> String {
    let mut out = "## Allocations per `detect` call\n\nCounted exactly by the probe's counting \
                   allocator: cold is the first call on a fresh workspace, warm a call on a \
                   reused one.\n\n| scenario | cold count | cold bytes | warm count | warm bytes \
                   |\n|---|---|---|---|---|\n"
        .to_owned();
    for row in &c.scenarios {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            row.scenario,
            pair(row, |f| Some(f.alloc_cold.count)),
            pair(row, |f| Some(f.alloc_cold.bytes)),
            pair(row, |f| Some(f.alloc_warm.count)),
            pair(row, |f| Some(f.alloc_warm.bytes)),
        );
    }
    out.push('\n');
    out
}

fn memory_table(c: &BenchComparison) -> String {
    let mut out = "## Peak resident memory (KiB)\n\n| scenario | baseline → after (delta) \
                   |\n|---|---|\n"
        .to_owned();
    for row in &c.scenarios {
        let _ = writeln!(out, "| `{}` | {} |", row.scenario, pair(row, |f| f.peak_rss_kib));
    }
    out.push('\n');
    out
}

fn stage_table(c: &BenchComparison) -> String {
    let mut out = "## Stage times (probe)\n\nMedian and p95 of each stage over the probe's warm \
                   calls, side by side. Descriptive only: the benchmarks above carry the \
                   tests.\n\n| scenario | stage | baseline median | after median | change | \
                   baseline p95 | after p95 |\n|---|---|---|---|---|---|---|\n"
        .to_owned();
    for row in &c.scenarios {
        let stages = |f: Option<&ScenarioFigures>| f.map(|f| f.stages.clone()).unwrap_or_default();
        let (base, after) = (stages(row.baseline.as_ref()), stages(row.after.as_ref()));
        let mut names: Vec<&str> = base.iter().map(|s| s.stage.as_str()).collect();
        for s in &after {
            if !names.contains(&s.stage.as_str()) {
                names.push(&s.stage);
            }
        }
        for name in names {
            let b = base.iter().find(|s| s.stage == name);
            let a = after.iter().find(|s| s.stage == name);
            let d = |s: Option<&StageStat>, f: fn(&StageStat) -> f64| {
                s.map_or_else(|| MISSING.to_owned(), |s| duration(f(s)))
            };
            let change = match (b, a) {
                (Some(b), Some(a)) if b.median_ns > 0.0 => {
                    percent_change(b.median_ns, a.median_ns, 1)
                }
                _ => MISSING.to_owned(),
            };
            let _ = writeln!(
                out,
                "| `{}` | {name} | {} | {} | {change} | {} | {} |",
                row.scenario,
                d(b, |s| s.median_ns),
                d(a, |s| s.median_ns),
                d(b, |s| s.p95_ns),
                d(a, |s| s.p95_ns),
            );
        }
    }
    out.push('\n');
    out
}

fn hotspots(c: &BenchComparison) -> String {
    let (Some(b), Some(a)) = (&c.profile_baseline, &c.profile_after) else {
        return String::new();
    };
    let mut out = format!(
        "## Hotspots by self time\n\nFrom each label's profile (`{}`; see its `profile.md`).\n\n\
         | rank | baseline | after |\n|---|---|---|\n",
        a.sampler
    );
    let cell = |spots: &[Hotspot], i: usize| {
        spots.get(i).map_or_else(
            || MISSING.to_owned(),
            |h| format!("`{}` {:.1}%", h.function, 100.0 * h.fraction),
        )
    };
    for i in 0..TOP_HOTSPOTS.min(b.top_self.len().max(a.top_self.len())) {
        let _ =
            writeln!(out, "| {} | {} | {} |", i + 1, cell(&b.top_self, i), cell(&a.top_self, i));
    }
    out.push('\n');
    out
}

/// How the numbers were computed, and what would be sturdier.
pub fn method() -> String {
    format!(
        "## Method\n\n\
         - **Medians and their 95 % intervals**: order statistics of each label's samples (a \
         binomial interval, valid whatever the distribution of the times).\n\
         - **Change**: the ratio of the after median to the baseline median; its 95 % interval \
         is a percentile bootstrap of that ratio ({} resamples of both labels, ChaCha8 seeded \
         with {BOOTSTRAP_SEED:#x}, so the report is reproducible).\n\
         - **Test**: two-sided Mann–Whitney U, normal approximation with tie correction and \
         continuity correction.\n\
         - **Verdict**: faster or slower only when the interval of the change excludes zero \
         *and* p < 0.05; otherwise \"no significant change\", even when the medians differ.\n\
         - **Limits**: the two labels were measured at different times; a change of the \
         machine's load between them is as significant to the test as a change of the code. \
         The instruction counts do not drift and are the tie-breaker. An interleaved A/B run \
         (both builds alternating in one session) would be sturdier for wall time on a shared \
         machine; it is not implemented yet.\n",
        count(BOOTSTRAP_RESAMPLES as u64)
    )
}

/// The comparison as a plain-text table for the terminal.
pub fn terminal(c: &BenchComparison) -> String {
    let header = ["benchmark", "baseline", "after", "change", "95% CI", "p", "verdict"];
    let mut rows: Vec<[String; 7]> = vec![header.map(str::to_owned)];
    for row in &c.benchmarks {
        let m = |x: Option<&MedianCi>| x.map_or_else(|| MISSING.to_owned(), |m| duration(m.median));
        let (change, ci, p) = match (row.change, row.percent()) {
            (Some(ch), Some(pct)) => (
                percent(pct, 1),
                percent_interval(ch.ratio_ci95),
                p_value(ch.p_value).trim_start_matches("p ").trim_start_matches("= ").to_owned(),
            ),
            _ => (MISSING.to_owned(), MISSING.to_owned(), MISSING.to_owned()),
        };
        rows.push([
            row.id.clone(),
            m(row.baseline.as_ref()),
            m(row.after.as_ref()),
            change,
            ci,
            p,
            row.verdict.as_str().to_owned(),
        ]);
    }
    let mut widths = [0usize; 7];
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> =
            r.iter().zip(widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        let _ = writeln!(out, "{}", line.join("  ").trim_end());
    }
    for row in &c.instructions {
        if let (Some(b), Some(a)) = (row.baseline, row.after) {
            let _ = writeln!(out, "instructions {}: {}", row.scenario, count_change(b, a));
        }
    }
    for row in &c.scenarios {
        let _ = writeln!(
            out,
            "warm allocations {}: {}",
            row.scenario,
            pair(row, |f| Some(f.alloc_warm.count))
        );
    }
    out
}
