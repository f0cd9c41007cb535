//! The score of one accuracy gate: a scenario's images scored in one mode, pooled, with one
//! row per image and every centre error kept for distribution plots.
//!
//! A gate is what a before/after comparison lines up: `blur3`, `reference`, or `distortion` in
//! one of its modes (no lens correction, the true camera, ...). [`GateScore`] is plain data
//! with serde, so a run can be written to JSON and compared with a later one.

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::aggregate::Aggregate;
use crate::error::ScoreError;
use crate::matching::{Counts, ImageScore};
use crate::stats::ErrorStats;

/// The pooled score of one gate, with its per-image rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateScore {
    /// The gate's name, e.g. `blur3`.
    pub gate: String,
    /// The mode within the gate, e.g. `true_camera`; `None` for a gate with one mode.
    pub mode: Option<String>,
    /// Counts and error statistics pooled over the images.
    pub aggregate: Aggregate,
    /// One row per image, in the order given.
    pub images: Vec<ImageRow>,
    /// Every centre error of a correct detection of a visible marker, over all images, sorted
    /// ascending, in image pixels: the sample behind `aggregate.center_error_px`, kept for
    /// cumulative distribution plots.
    pub center_errors_px: Vec<f64>,
}

/// One image of a gate: its counts, rates and error statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageRow {
    /// The image's index within its scenario.
    pub index: u32,
    /// How detections and true markers ended.
    pub counts: Counts,
    /// [`Counts::recall`].
    pub recall: Option<f64>,
    /// [`Counts::precision`].
    pub precision: Option<f64>,
    /// Centre errors of this image, in image pixels.
    pub center_error_px: Option<ErrorStats>,
    /// Homography self residual lengths, in image pixels; `None` without a homography.
    pub homography_self_px: Option<ErrorStats>,
    /// Homography truth residual lengths, in image pixels; `None` without a homography.
    pub homography_truth_px: Option<ErrorStats>,
}

impl ImageRow {
    /// The row of image `index` scored as `score`.
    pub fn new(index: u32, score: &ImageScore) -> Self {
        let homography = score.homography.as_ref();
        Self {
            index,
            counts: score.counts,
            recall: score.counts.recall(),
            precision: score.counts.precision(),
            center_error_px: score.center_error_px(),
            homography_self_px: homography.and_then(|h| h.self_px()),
            homography_truth_px: homography.and_then(|h| h.truth_px()),
        }
    }
}

impl GateScore {
    /// Pools `images` (each with its index in the scenario) into the score of gate `gate` in
    /// `mode`. Fails when the images measured a quantity in different frames.
    pub fn new(
        gate: &str,
        mode: Option<&str>,
        images: &[(u32, ImageScore)],
    ) -> Result<Self, ScoreError> {
        let scores: Vec<ImageScore> = images.iter().map(|(_, s)| s.clone()).collect();
        let aggregate = Aggregate::new(&scores)?;
        let mut center_errors_px: Vec<f64> =
            scores.iter().flat_map(ImageScore::center_errors_px).collect();
        center_errors_px.sort_by(f64::total_cmp);
        Ok(Self {
            gate: gate.to_owned(),
            mode: mode.map(str::to_owned),
            aggregate,
            images: images.iter().map(|(i, s)| ImageRow::new(*i, s)).collect(),
            center_errors_px,
        })
    }

    /// The gate's display key: `gate` alone, or `gate/mode`.
    pub fn key(&self) -> String {
        match &self.mode {
            Some(mode) => format!("{}/{mode}", self.gate),
            None => self.gate.clone(),
        }
    }
}
