//! Turning `annulus-peer`'s raw measurements into the peer report's entries: every detector's
//! detections scored by `annulus-score` with the same code and parameters, and the timing rounds
//! of the perf scenarios paired for the time ratio.
//!
//! Scoring follows `validate` exactly: match by ID within the default 8 px gate, the truth's
//! declared centre frame, and the scenario's camera for homographies in the undistorted frame.
//! An image on which a detector returned an error is scored as an empty detection (every marker
//! missed) and listed with its error, so a failure lowers recall instead of disappearing. The
//! first call of each detector on a perf image is cold (annulus grows its workspace, ringgrid
//! has nothing to reuse) and is left out of the time samples; its allocations are reported
//! separately as the cold figure.

use annulus::{Detection, ImageFrame};
use annulus_peer::{DetectorKind, DetectorRecord, ImageRecord, OneReport, RunReport};
use annulus_report::peer::{
    Allocations, PeerDetectorScore, PeerGate, PeerImageError, PeerPerf, PeerTiming,
};
use annulus_score::{GateScore, ImageScore, MatchParams, match_detections};
use anyhow::{Context, Result};

use crate::scenarios::truth_markers;

/// What a gate entry is labelled with.
pub struct GateLabel<'a> {
    /// The gate (scenario) name.
    pub gate: &'a str,
    /// The detector mode (`no_camera`, `true_camera`), if the gate has several.
    pub mode: Option<&'a str>,
    /// A hash identifying the images (scenario and board).
    pub scenario_hash: String,
}

/// The gate entry of `report`: one score per detector; a detector the run did not include is
/// recorded as not run, with `not_run_reason`.
pub fn gate_entry(
    report: &RunReport,
    label: &GateLabel<'_>,
    not_run_reason: &str,
) -> Result<PeerGate> {
    let score = |kind: DetectorKind| -> Result<PeerDetectorScore> {
        match report.detectors.iter().position(|&d| d == kind) {
            Some(slot) => detector_score(report, slot, label),
            None => Ok(PeerDetectorScore::not_run(not_run_reason)),
        }
    };
    let hints: Vec<f64> = report.images.iter().map(|i| i.diameter_hint_px).collect();
    Ok(PeerGate {
        gate: label.gate.to_owned(),
        mode: label.mode.map(str::to_owned),
        scenario: report.scenario.clone(),
        scenario_hash: label.scenario_hash.clone(),
        n_images: report.images.len() as u32,
        diameter_hint_px: mean(&hints),
        annulus: score(DetectorKind::Annulus)?,
        annulus_auto: score(DetectorKind::AnnulusAuto)?,
        ringgrid: score(DetectorKind::Ringgrid)?,
    })
}

/// The perf entry of `report` (one image, several rounds), completed with the `one`
/// measurements of each detector (allocations of a warm call, peak heap and memory) and their
/// instruction counts where callgrind ran.
pub fn perf_entry(
    report: &RunReport,
    ones: &[(DetectorKind, OneReport)],
    instructions: &[(DetectorKind, u64)],
    not_run_reason: &str,
) -> Result<PeerPerf> {
    let image = report.images.first().context("the perf run measured no image")?;
    let timing = |kind: DetectorKind| -> PeerTiming {
        let Some(slot) = report.detectors.iter().position(|&d| d == kind) else {
            return PeerTiming::not_run(not_run_reason);
        };
        let record = &image.runs[slot];
        if let Some(error) = &record.error {
            return PeerTiming::failed(error.clone());
        }
        // Round 0 is the cold call; the rest are the warm samples the statistics use.
        let mut timing =
            PeerTiming::from_samples_ns(record.wall_ns.iter().skip(1).copied().collect());
        timing.alloc_cold = Some(allocations(record.alloc_cold));
        timing.alloc_warm = record.alloc_warm.map(allocations);
        if let Some((_, one)) = ones.iter().find(|(d, _)| *d == kind) {
            timing.peak_heap_bytes = Some(one.heap_peak_bytes);
            timing.peak_rss_kib = one.peak_rss_kib;
        }
        timing.instructions = instructions.iter().find(|(d, _)| *d == kind).map(|(_, n)| *n);
        timing
    };
    PeerPerf::new(
        report.scenario.clone(),
        [report.width, report.height],
        Some(image.diameter_hint_px),
        timing(DetectorKind::Annulus),
        timing(DetectorKind::AnnulusAuto),
        timing(DetectorKind::Ringgrid),
    )
    .with_context(|| format!("pairing the timing rounds of {}", report.scenario))
}

fn detector_score(
    report: &RunReport,
    slot: usize,
    label: &GateLabel<'_>,
) -> Result<PeerDetectorScore> {
    let mut errors = Vec::new();
    let mut scores: Vec<(u32, ImageScore)> = Vec::with_capacity(report.images.len());
    for image in &report.images {
        let record = image.runs.get(slot).with_context(|| {
            format!("image {} of {} has no run in slot {slot}", image.image_index, report.scenario)
        })?;
        if let Some(error) = &record.error {
            errors.push(PeerImageError { index: image.image_index, message: error.clone() });
        }
        let score = score_image(image, record).with_context(|| {
            format!("scoring {} image {} ({})", report.scenario, image.image_index, label.gate)
        })?;
        scores.push((image.image_index, score));
    }
    let pooled = GateScore::new(label.gate, label.mode, &scores)
        .with_context(|| format!("pooling the scores of {}", label.gate))?;
    let mut entry = PeerDetectorScore::from_gate_score(&pooled);
    if errors.len() == report.images.len()
        && let Some(first) = errors.first()
    {
        entry = PeerDetectorScore::failed(format!(
            "every image failed; image {}: {}",
            first.index, first.message
        ));
    }
    entry.image_errors = errors;
    Ok(entry)
}

fn score_image(image: &ImageRecord, record: &DetectorRecord) -> Result<ImageScore> {
    let truth = &image.truth;
    let empty;
    let detection = match &record.detection {
        Some(detection) => detection,
        None => {
            empty = empty_detection(truth.image.width, truth.image.height);
            &empty
        }
    };
    let params = MatchParams {
        camera: Some(truth.camera),
        truth_frame: truth.frames.center_img_px,
        ..MatchParams::default()
    };
    Ok(match_detections(detection, &truth_markers(truth), &params)?)
}

/// What a detector that failed on an image is scored as: no marker, no homography.
fn empty_detection(width: u32, height: u32) -> Detection {
    Detection {
        width,
        height,
        fit_frame: ImageFrame::Image,
        markers: Vec::new(),
        img_from_board: None,
        stats: Default::default(),
        timings: None,
    }
}

fn allocations(count: annulus_benches::AllocCount) -> Allocations {
    Allocations { count: count.count, bytes: count.bytes }
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}
