//! What `cargo xtask soak` writes: `soak.json` ([`SoakFile`]: provenance, the summary and the
//! binary's raw report) and `soak-report.md` ([`markdown`]), and the lines it prints
//! ([`terminal`]). Pure renderers: the same file always gives the same bytes.

use std::fmt::Write as _;

use annulus_benches::soak::SoakReport;
use serde::{Deserialize, Serialize};

use super::verdict::{SoakSummary, Verdict};
use crate::perf::format::{count, percent};

/// Version of [`SoakFile`]'s shape; bumped on any incompatible change.
pub const SOAK_FILE_SCHEMA: u32 = 1;

/// Rows of the Markdown table of memory samples: enough to see a trend, few enough to read; the
/// JSON has every sample.
const TABLE_ROWS: usize = 11;

/// Where and when a soak ran: the same record as a perf report's (`quick`: whether `--quick`
/// chose the number of calls).
pub use crate::perf::schema::PerfProvenance as SoakProvenance;

/// `soak.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoakFile {
    /// [`SOAK_FILE_SCHEMA`].
    pub schema: u32,
    /// Where and when.
    pub provenance: SoakProvenance,
    /// The growth, the verdict and the rates.
    pub summary: SoakSummary,
    /// What `annulus-soak` printed, unchanged.
    pub report: SoakReport,
}

/// `PASS` or `FAIL`.
fn verdict_word(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Pass => "PASS",
        Verdict::Fail => "FAIL",
    }
}

/// Bytes in the largest binary unit that keeps the value at least 1, e.g. `6.61 MiB`.
fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 { format!("{n} B") } else { format!("{value:.2} {}", UNITS[unit]) }
}

/// The image set in words: `28 images of 640 × 512, cycled: soak_640x512 #0–#23, blank, …`.
fn image_set(report: &SoakReport) -> String {
    let prefix = format!("{}#", report.scenario);
    let rendered = report.images.iter().filter(|i| i.starts_with(&prefix)).count();
    let others: Vec<&str> =
        report.images.iter().filter(|i| !i.starts_with(&prefix)).map(String::as_str).collect();
    let mut text = format!(
        "{} images of {} × {}, cycled: {rendered} views of `{}`",
        report.images.len(),
        report.width,
        report.height,
        report.scenario
    );
    if !others.is_empty() {
        let _ = write!(text, ", and {}", others.join(", "));
    }
    text
}

/// The headline rows shared by the Markdown and the terminal: (what, value).
fn rows(file: &SoakFile) -> Vec<(String, String)> {
    let r = &file.report;
    let s = &file.summary;
    let g = &s.growth;
    let kib = |v: u64| format!("{} KiB", count(v));
    let prior = r.diameter_px.map_or_else(|| "automatic scale".to_owned(), |d| format!("{d} px"));
    vec![
        ("images".to_owned(), image_set(r)),
        ("marker diameter".to_owned(), prior),
        (
            "warm-up".to_owned(),
            format!(
                "{} calls, {} allocations ({})",
                count(r.warmup_calls),
                count(r.alloc_warmup.count),
                bytes(r.alloc_warmup.bytes)
            ),
        ),
        ("measured calls".to_owned(), count(r.calls)),
        ("resident after warm-up".to_owned(), kib(g.after_warmup_kib)),
        ("resident max / final".to_owned(), format!("{} / {}", kib(g.max_kib), kib(g.final_kib))),
        ("growth, final vs after warm-up".to_owned(), percent(g.final_percent, 2)),
        ("growth, max vs after warm-up".to_owned(), percent(g.max_percent, 2)),
        ("live heap growth".to_owned(), signed_bytes(g.heap_growth_bytes)),
        (
            "allocations per measured call".to_owned(),
            format!(
                "{} ({} in all, {}, in {} calls)",
                fixed(s.allocations_per_call),
                count(r.alloc_measured.count),
                bytes(r.alloc_measured.bytes),
                count(r.calls_that_allocated)
            ),
        ),
        (
            "markers reported (identified)".to_owned(),
            format!("{} ({})", count(r.markers), count(r.identified)),
        ),
        ("calls per second".to_owned(), format!("{:.2}", s.calls_per_second)),
        (
            "peak resident, rendering included".to_owned(),
            r.peak_rss_kib.map_or_else(|| "–".to_owned(), kib),
        ),
    ]
}

/// A change in bytes: `0 B`, `+4096 B`, `-128 B`.
fn signed_bytes(n: i64) -> String {
    if n == 0 { "0 B".to_owned() } else { format!("{n:+} B") }
}

/// A rate with as many decimals as it needs: `0` for exactly zero, else four.
fn fixed(value: f64) -> String {
    if value == 0.0 { "0".to_owned() } else { format!("{value:.4}") }
}

/// The verdict sentence.
fn verdict_line(file: &SoakFile) -> String {
    let s = &file.summary;
    format!(
        "{}: resident size grew {} at most over {} calls on one workspace (limit: under {} %)",
        verdict_word(s.verdict),
        percent(s.growth.max_percent, 2),
        count(file.report.calls),
        s.limit_percent
    )
}

/// `soak-report.md`.
pub fn markdown(file: &SoakFile) -> String {
    let p = &file.provenance;
    let mut out = String::new();
    let _ = writeln!(out, "# Soak: {} `detect` calls on one workspace\n", count(file.report.calls));
    let _ = writeln!(
        out,
        "Measured by `cargo xtask soak` on {} at commit `{}`{}; {}.{}\n",
        p.created_utc,
        p.commit.as_deref().unwrap_or("unknown"),
        if p.dirty { " (with uncommitted changes)" } else { "" },
        p.machine,
        if p.quick { " A `--quick` run." } else { "" }
    );
    let _ = writeln!(out, "**{}**\n", verdict_line(file));
    let _ = writeln!(out, "|  | value |\n|---|---|");
    for (what, value) in rows(file) {
        let _ = writeln!(out, "| {what} | {value} |");
    }
    let _ = writeln!(out, "\n## Memory over the run\n");
    let _ = writeln!(out, "| after call | resident | live heap |\n|---:|---:|---:|");
    for s in spread(&file.report.samples, TABLE_ROWS) {
        let _ = writeln!(
            out,
            "| {} | {} KiB | {} B |",
            count(s.call),
            count(s.rss_kib),
            count(s.heap_live_bytes)
        );
    }
    let _ = writeln!(
        out,
        "\n## Method\n\n\
         One `Detector` and one `Workspace` in a release build of `annulus-soak`. Warm-up: whole \
         passes over the image set, so every buffer has reached the size the most demanding image \
         needs; the first sample follows. Then the measured calls cycle through the images. \
         Resident size is `VmRSS` of `/proc/self/status` (Linux only), sampled every few calls and \
         after the last; the live heap comes from the counting global allocator, which also \
         counts the allocations made inside each `detect_with` call (sampling left out). The gate \
         fails when the largest sample is {} % or more above the first.",
        file.summary.limit_percent
    );
    let _ = writeln!(out, "\nCommands:\n");
    for c in &p.commands {
        let _ = writeln!(out, "- `{c}`");
    }
    out
}

/// The lines `cargo xtask soak` prints.
pub fn terminal(file: &SoakFile) -> String {
    let rows = rows(file);
    let width = rows.iter().map(|(w, _)| w.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (what, value) in &rows {
        let _ = writeln!(out, "{what:<width$}  {value}");
    }
    let _ = write!(out, "{}", verdict_line(file));
    out
}

/// At most `n` samples spread evenly over `samples`, the first and the last always among them.
pub fn spread<T: Copy>(samples: &[T], n: usize) -> Vec<T> {
    if samples.len() <= n || n < 2 {
        return samples.to_vec();
    }
    let last = samples.len() - 1;
    (0..n).map(|i| samples[i * last / (n - 1)]).collect()
}
