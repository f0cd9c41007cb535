//! The text of the peer report's cells and notes, shared by the Markdown, HTML and terminal
//! renderers so that all three print the same digits and say the same things.
//!
//! A detector without a score shows a dash in every metric cell, and its status says why; a
//! value that does not exist (no centre error for a detector that found nothing) is a dash
//! too. Times carry their 95 % interval in brackets, or say that there were too few samples
//! for one; nothing is ever left blank silently.

use crate::document::{Span, code, text};
use crate::format::{self, MISSING};
use crate::metrics::{UNIT_PX, UNIT_RATIO};

use super::model::{
    Allocations, DetectorId, DetectorStatus, PeerDetectorScore, PeerGate, PeerMetrics, PeerPerf,
    PeerRun, PeerTiming,
};
use super::ratio::{MIN_SAMPLES_FOR_CI, TimeRatio, TimeStats};

/// One metric row of a gate's table: its label and how to print it from the metrics.
pub(crate) struct MetricRow {
    /// The row's label, with its unit.
    pub(crate) label: &'static str,
    /// The cell's text.
    pub(crate) cell: fn(&PeerMetrics) -> String,
}

/// The rows of a gate's table, in order.
pub(crate) const METRIC_ROWS: [MetricRow; 12] = [
    MetricRow { label: "recall", cell: |m| ratio(m.recall) },
    MetricRow { label: "precision", cell: |m| ratio(m.precision) },
    MetricRow { label: "wrong IDs", cell: |m| format::count(as_u64(m.counts.n_wrong_id)) },
    MetricRow { label: "missed / visible", cell: missed },
    MetricRow { label: "centre error mean (px)", cell: |m| px(m.center_error_px.map(|s| s.mean)) },
    MetricRow { label: "centre error p95 (px)", cell: |m| px(m.center_error_px.map(|s| s.p95)) },
    MetricRow { label: "centre error max (px)", cell: |m| px(m.center_error_px.map(|s| s.max)) },
    MetricRow {
        label: "homography self error mean (px)",
        cell: |m| px(m.homography_self_px.map(|s| s.mean)),
    },
    MetricRow {
        label: "homography self error p95 (px)",
        cell: |m| px(m.homography_self_px.map(|s| s.p95)),
    },
    MetricRow {
        label: "homography error vs truth mean (px)",
        cell: |m| px(m.homography_truth_px.map(|s| s.mean)),
    },
    MetricRow {
        label: "homography error vs truth p95 (px)",
        cell: |m| px(m.homography_truth_px.map(|s| s.p95)),
    },
    MetricRow {
        label: "images without homography",
        cell: |m| format::count(as_u64(m.n_without_homography)),
    },
];

/// The headers of [`compact_metrics`], in order.
pub(crate) const COMPACT_HEADERS: [&str; 7] = [
    "recall",
    "precision",
    "wrong IDs",
    "missed / visible",
    "centre error mean / p95 / max (px)",
    "homography self error mean / p95 (px)",
    "homography error vs truth mean / p95 (px)",
];

/// `score`'s metrics in one row, for tables with a row per gate and detector: recall,
/// precision, wrong IDs, missed / visible, centre error mean / p95 / max, and the two
/// homography errors' mean / p95; dashes without a score.
pub(crate) fn compact_metrics(score: &PeerDetectorScore) -> [String; 7] {
    [
        metric(score, |m| ratio(m.recall)),
        metric(score, |m| ratio(m.precision)),
        metric(score, |m| format::count(as_u64(m.counts.n_wrong_id))),
        metric(score, missed),
        metric(score, center_summary),
        metric(score, |m| homography_summary(m.homography_self_px)),
        metric(score, |m| homography_summary(m.homography_truth_px)),
    ]
}

/// `cell` of `score`'s metrics, or a dash when it has none.
pub(crate) fn metric(score: &PeerDetectorScore, cell: fn(&PeerMetrics) -> String) -> String {
    score.metrics.as_ref().map_or_else(|| MISSING.to_owned(), cell)
}

/// A rate with four decimals, or a dash.
pub(crate) fn ratio(v: Option<f64>) -> String {
    format::value(v, UNIT_RATIO)
}

/// Pixels with four decimals, or a dash.
pub(crate) fn px(v: Option<f64>) -> String {
    format::value(v, UNIT_PX)
}

/// `mean / p95 / max` of centre errors, each with four decimals.
pub(crate) fn center_summary(m: &PeerMetrics) -> String {
    let s = m.center_error_px;
    format!("{} / {} / {}", px(s.map(|s| s.mean)), px(s.map(|s| s.p95)), px(s.map(|s| s.max)))
}

/// `mean / p95` of a homography error.
pub(crate) fn homography_summary(stats: Option<annulus_score::ErrorStats>) -> String {
    format!("{} / {}", px(stats.map(|s| s.mean)), px(stats.map(|s| s.p95)))
}

/// `missed / visible`, e.g. `2 / 1,908`.
pub(crate) fn missed(m: &PeerMetrics) -> String {
    format!(
        "{} / {}",
        format::count(as_u64(m.counts.n_missed)),
        format::count(as_u64(m.counts.n_visible))
    )
}

/// A count of markers or images as `u64`; `usize` never exceeds it on supported targets.
fn as_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The status in full: `ran`, `found nothing`, `error: <message>`, `not run: <reason>`, with
/// `, errors on k of n images` when some images failed.
pub(crate) fn status(score: &PeerDetectorScore, n_images: u32) -> String {
    let mut out = status_text(&score.status);
    if !score.image_errors.is_empty() {
        out.push_str(&format!(", errors on {} of {n_images} images", score.image_errors.len()));
    }
    out
}

/// A status in full.
pub(crate) fn status_text(status: &DetectorStatus) -> String {
    match status {
        DetectorStatus::Failed { message } => format!("error: {}", one_line(message)),
        DetectorStatus::NotRun { reason } => format!("not run: {}", one_line(reason)),
        other => short_status(other).to_owned(),
    }
}

/// A status in a word or two, for narrow tables; the notes carry the messages.
pub(crate) fn short_status(status: &DetectorStatus) -> &'static str {
    match status {
        DetectorStatus::Ran => "ran",
        DetectorStatus::FoundNothing => "found nothing",
        DetectorStatus::Failed { .. } => "error",
        DetectorStatus::NotRun { .. } => "not run",
    }
}

/// `s` on one line: messages can span lines, and a table row cannot.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A median time with its interval: `236.04 ms [231.20, 240.10]`, or with too few samples
/// for one `236.04 ms (n = 4: no 95 % CI)`; a dash without samples.
pub(crate) fn time(stats: Option<&TimeStats>) -> String {
    let Some(s) = stats else { return MISSING.to_owned() };
    match s.ci95_ns {
        Some(_) => format!("{} {}", format::ms(s.median_ns), time_interval(s)),
        None => format!("{} ({})", format::ms(s.median_ns), time_interval(s)),
    }
}

/// A time's interval in milliseconds, `[231.20, 240.10]`, or `n = 4: no 95 % CI`.
pub(crate) fn time_interval(s: &TimeStats) -> String {
    match s.ci95_ns {
        Some([lo, hi]) => format!("[{}, {}]", format::ms_number(lo), format::ms_number(hi)),
        None => format!("n = {}: no 95 % CI", s.n),
    }
}

/// A median ratio with its interval: `3.12× [2.95, 3.30]`, or `3.12× (n = 4: no 95 % CI)`;
/// a dash without one.
pub(crate) fn time_ratio(ratio: Option<&TimeRatio>) -> String {
    let Some(r) = ratio else { return MISSING.to_owned() };
    match r.ci95 {
        Some([lo, hi]) => format!("{} [{lo:.2}, {hi:.2}]", format::times(r.median)),
        None => format!("{} (n = {}: no 95 % CI)", format::times(r.median), r.n_pairs),
    }
}

/// Allocations as `count (bytes)`, e.g. `172 (14.1 MiB)`; a dash when not measured.
pub(crate) fn allocations(a: Option<Allocations>) -> String {
    a.map_or_else(
        || MISSING.to_owned(),
        |a| format!("{} ({})", format::count(a.count), format::bytes(a.bytes)),
    )
}

/// An optional count with separators, or a dash.
pub(crate) fn opt_count(n: Option<u64>) -> String {
    n.map_or_else(|| MISSING.to_owned(), format::count)
}

/// An optional size in bytes, or a dash.
pub(crate) fn opt_bytes(n: Option<u64>) -> String {
    n.map_or_else(|| MISSING.to_owned(), format::bytes)
}

/// An optional size in KiB, printed like any size, or a dash.
pub(crate) fn opt_kib(n: Option<u64>) -> String {
    opt_bytes(n.map(|kib| kib.saturating_mul(1024)))
}

/// The date part of an RFC 3339 time (`2026-11-24`), or the whole text when it has none.
pub(crate) fn date(created_utc: &str) -> &str {
    created_utc.split_once('T').map_or(created_utc, |(d, _)| d)
}

/// "commit `abc1234`", then " with uncommitted changes" when dirty; "an unknown commit" without
/// a commit.
pub(crate) fn commit_spans(commit: Option<&str>, dirty: bool) -> Vec<Span> {
    let mut spans = match commit {
        Some(c) => vec![text("commit "), code(c)],
        None => vec![text("an unknown commit")],
    };
    if dirty {
        spans.push(text(" with uncommitted changes"));
    }
    spans
}

/// Everything that did not run or was not measured, one note each, grouped where the same
/// thing happened on several gates: statuses other than `ran`, image errors, measures left
/// out, and times with too few samples for an interval. Empty when everything ran.
pub(crate) fn honesty_notes(run: &PeerRun) -> Vec<Vec<Span>> {
    let mut notes = gate_notes(&run.gates, "");
    notes.extend(gate_notes(&run.own_board_gates, " on annulus's own board"));
    for perf in &run.perf {
        notes.extend(perf_notes(perf));
    }
    notes
}

/// The notes of `gates`, each status grouped over the gates it happened on.
fn gate_notes(gates: &[PeerGate], board: &str) -> Vec<Vec<Span>> {
    // (detector, verb, detail) → gate keys, in first-seen order.
    let mut groups: Vec<(DetectorId, &str, Option<String>, Vec<String>)> = Vec::new();
    let mut image_notes = Vec::new();
    for gate in gates {
        for id in DetectorId::ALL {
            let score = gate.detector(id);
            let what = match &score.status {
                DetectorStatus::Ran => None,
                DetectorStatus::FoundNothing => Some(("found nothing", None)),
                DetectorStatus::Failed { message } => {
                    Some(("could not run", Some(one_line(message))))
                }
                DetectorStatus::NotRun { reason } => Some(("was not run", Some(one_line(reason)))),
            };
            if let Some((verb, detail)) = what {
                match groups.iter_mut().find(|g| g.0 == id && g.1 == verb && g.2 == detail) {
                    Some(group) => group.3.push(gate.key()),
                    None => groups.push((id, verb, detail, vec![gate.key()])),
                }
            }
            if !score.image_errors.is_empty() {
                image_notes.push(image_error_note(gate, id, score, board));
            }
        }
    }
    let mut notes: Vec<Vec<Span>> = groups
        .into_iter()
        .map(|(id, verb, detail, keys)| {
            let mut spans = vec![code(id.as_str()), text(format!(" {verb} on "))];
            spans.extend(list_of_codes(&keys));
            spans.push(text(match detail {
                Some(detail) => format!("{board}: {}", sentence(&detail)),
                None => format!("{board}."),
            }));
            spans
        })
        .collect();
    notes.extend(image_notes);
    notes
}

/// `s` ending with a full stop, unless it already ends a sentence.
fn sentence(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) { s.to_owned() } else { format!("{s}.") }
}

/// `id returned an error on k of n images of gate (scored as finding nothing): image 2: …`.
fn image_error_note(
    gate: &PeerGate,
    id: DetectorId,
    score: &PeerDetectorScore,
    board: &str,
) -> Vec<Span> {
    // Distinct messages with the images that gave each, in first-seen order.
    let mut messages: Vec<(String, Vec<u32>)> = Vec::new();
    for e in &score.image_errors {
        let message = one_line(&e.message);
        match messages.iter_mut().find(|(m, _)| *m == message) {
            Some((_, indices)) => indices.push(e.index),
            None => messages.push((message, vec![e.index])),
        }
    }
    let mut spans = vec![
        code(id.as_str()),
        text(format!(
            " returned an error on {} of {} images of ",
            score.image_errors.len(),
            gate.n_images
        )),
        code(gate.key()),
        text(format!("{board} (scored as finding nothing)")),
    ];
    let parts: Vec<String> = messages
        .iter()
        .map(|(message, indices)| {
            let word = if indices.len() == 1 { "image" } else { "images" };
            let list: Vec<String> = indices.iter().map(u32::to_string).collect();
            format!("{word} {}: {message}", list.join(", "))
        })
        .collect();
    spans.push(text(format!(": {}", sentence(&parts.join("; ")))));
    spans
}

/// The notes of one perf scenario: detectors not timed, measures missing, and the detectors
/// with too few rounds for an interval, grouped by their number of rounds.
fn perf_notes(perf: &PeerPerf) -> Vec<Vec<Span>> {
    let mut notes = Vec::new();
    let mut few: Vec<(usize, Vec<String>)> = Vec::new();
    for id in DetectorId::ALL {
        let timing = perf.detector(id);
        let mut spans = vec![code(id.as_str()), text(" on "), code(&perf.scenario)];
        match &timing.status {
            DetectorStatus::Failed { message } => {
                spans.push(text(format!(" could not be timed: {}", sentence(&one_line(message)))));
                notes.push(spans);
                continue;
            }
            DetectorStatus::NotRun { reason } => {
                spans.push(text(format!(" was not timed: {}", sentence(&one_line(reason)))));
                notes.push(spans);
                continue;
            }
            DetectorStatus::Ran | DetectorStatus::FoundNothing => {}
        }
        let missing = missing_measures(timing);
        if !missing.is_empty() {
            spans.push(text(format!(": not measured: {}.", missing.join(", "))));
            notes.push(spans);
        }
        if let Some(stats) = timing.time_per_image.filter(|s| s.ci95_ns.is_none()) {
            match few.iter_mut().find(|(n, _)| *n == stats.n) {
                Some((_, ids)) => ids.push(id.as_str().to_owned()),
                None => few.push((stats.n, vec![id.as_str().to_owned()])),
            }
        }
    }
    for (n, ids) in few {
        let mut spans = vec![code(&perf.scenario), text(format!(": {n} timed rounds of "))];
        spans.extend(list_of_codes(&ids));
        spans.push(text(format!(
            ", too few for a 95 % interval (at least {MIN_SAMPLES_FOR_CI} are needed), so \
             medians and ratios are shown without one."
        )));
        notes.push(spans);
    }
    notes
}

/// The names of the measures `timing` lacks.
fn missing_measures(timing: &PeerTiming) -> Vec<&'static str> {
    [
        ("time per image", timing.time_per_image.is_none()),
        ("instructions (callgrind)", timing.instructions.is_none()),
        ("cold allocations", timing.alloc_cold.is_none()),
        ("warm allocations", timing.alloc_warm.is_none()),
        ("peak heap", timing.peak_heap_bytes.is_none()),
        ("peak resident memory", timing.peak_rss_kib.is_none()),
    ]
    .into_iter()
    .filter_map(|(name, missing)| missing.then_some(name))
    .collect()
}

/// `a`, `a` and `b`, or `a`, `b` and `c`, as code spans.
pub(crate) fn list_of_codes(items: &[String]) -> Vec<Span> {
    let mut spans = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            spans.push(text(if i + 1 == items.len() { " and " } else { ", " }));
        }
        spans.push(code(item));
    }
    spans
}

/// Spans as plain text, for the terminal: code spans lose their markup.
pub(crate) fn plain(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|s| match s {
            Span::Text(t) | Span::Code(t) | Span::Strong(t) => t.as_str(),
        })
        .collect()
}
