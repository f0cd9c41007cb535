//! `peer-report.html`: the peer report as one self-contained page (the crate's shared page
//! writer: inline CSS, inline SVG, no script, nothing from the network, well-formed XML), with
//! plots the Markdown cannot show:
//!
//! - per gate, the centre-error distribution with one curve per detector, and recall and mean
//!   centre error per image, the detectors side by side in each image's slot;
//! - per perf scenario, each detector's median time per image with its 95 % interval as a
//!   whisker (none when there were too few rounds for one).
//!
//! A detector without data still gets its legend entry, labelled with its status, so that a
//! missing curve is explained on the plot itself. Every piece of text from the run is escaped.

#[cfg(test)]
mod tests;

use annulus_score::ImageRow;

use crate::format;
use crate::plots::{self, AFTER_LOOK, BASELINE_LOOK, Look, Median, Series};

use super::cells;
use super::document::{self, ACCURACY_PLOTS, PERF_PLOTS};
use super::model::{DetectorId, DetectorStatus, PeerGate, PeerPerf, PeerRun};

/// How `annulus_auto` is drawn: green, finely dashed, so that it differs from hinted annulus
/// (orange, solid) and ringgrid (blue, dashed, hollow) by more than colour.
const ANNULUS_AUTO_LOOK: Look = Look { color: "#55a868", dash: Some("2 2"), hollow: false };

/// Nanoseconds per millisecond, the unit of the time charts.
const NS_PER_MS: f64 = 1e6;

/// The peer report as a self-contained HTML page: the Markdown report's content, plus per gate
/// the centre-error distribution and recall per image with a curve or point set per detector,
/// and per perf scenario a chart of time per image with 95 % intervals.
pub fn peer_html(run: &PeerRun) -> String {
    let plots = |key: &str| -> String {
        if let Some(gate) = key.strip_prefix(ACCURACY_PLOTS).and_then(|k| run.gate(k)) {
            gate_plots(gate)
        } else if let Some(perf) = key.strip_prefix(PERF_PLOTS).and_then(|s| run.perf_scenario(s)) {
            time_plot(perf)
        } else {
            String::new()
        }
    };
    crate::html::page(&document::title(run), &document::build(run), "verdict", &plots)
}

/// How `id` is drawn in every plot.
fn look(id: DetectorId) -> Look {
    match id {
        DetectorId::Annulus => AFTER_LOOK,
        DetectorId::AnnulusAuto => ANNULUS_AUTO_LOOK,
        DetectorId::Ringgrid => BASELINE_LOOK,
    }
}

/// `id`'s legend label: its name, with its status unless it ran.
fn label(id: DetectorId, status: &DetectorStatus) -> String {
    match status {
        DetectorStatus::Ran => id.as_str().to_owned(),
        other => format!("{} ({})", id.as_str(), cells::short_status(other)),
    }
}

/// The distribution and per-image plots of one gate.
fn gate_plots(gate: &PeerGate) -> String {
    let key = gate.key();
    let cdf: Vec<Series<'_, [f64]>> = DetectorId::ALL
        .into_iter()
        .map(|id| {
            let score = gate.detector(id);
            Series {
                label: label(id, &score.status),
                data: &score.center_error_cdf_px[..],
                look: look(id),
            }
        })
        .collect();
    let per_image: Vec<Series<'_, [ImageRow]>> = DetectorId::ALL
        .into_iter()
        .map(|id| {
            let score = gate.detector(id);
            Series { label: label(id, &score.status), data: &score.images[..], look: look(id) }
        })
        .collect();
    format!(
        "<div class=\"plots\">\n{}{}</div>\n",
        plots::center_error_cdf(&key, &cdf),
        plots::per_image(&key, &per_image)
    )
}

/// The time-per-image chart of one perf scenario.
fn time_plot(perf: &PeerPerf) -> String {
    let rows: Vec<Median> = DetectorId::ALL
        .into_iter()
        .map(|id| {
            let timing = perf.detector(id);
            let stats = timing.time_per_image.as_ref();
            let ms = |ns: u64| ns as f64 / NS_PER_MS;
            Median {
                label: id.as_str().to_owned(),
                median: stats.map(|s| ms(s.median_ns)),
                interval: stats.and_then(|s| s.ci95_ns).map(|[lo, hi]| [ms(lo), ms(hi)]),
                caption: match (&timing.status, stats) {
                    (DetectorStatus::Ran | DetectorStatus::FoundNothing, Some(s)) => {
                        vec![format::ms(s.median_ns), cells::time_interval(s)]
                    }
                    (DetectorStatus::Ran | DetectorStatus::FoundNothing, None) => {
                        vec!["no samples".to_owned()]
                    }
                    (status, _) => vec![cells::short_status(status).to_owned()],
                },
                look: look(id),
            }
        })
        .collect();
    let title = format!(
        "{}: time per {} × {} image, median with 95 % interval",
        perf.scenario, perf.width_px, perf.height_px
    );
    format!(
        "<div class=\"plots\">\n{}</div>\n",
        plots::medians(&title, "time per image (ms)", &rows)
    )
}
