//! The accuracy gates: which scenario each gate renders, in which detector modes, and running
//! one mode of one gate (detect every image, score it, keep the artifacts).
//!
//! A gate is named after its scenario in `fixtures/scenarios/`. The `distortion` gate runs three
//! modes: the detector without lens correction, with the true camera, and with self-estimated
//! distortion; the last is reported as skipped until the detector can estimate distortion.
//! Every other gate runs once with the default configuration. Scoring always knows the true
//! camera, so that a homography in the undistorted frame is compared in the image frame
//! through the lens model (recorded in the score's frame table).

use std::path::Path;

use annulus::detect::DiameterPrior;
use annulus::{Camera, DetectConfig, Detection, Detector, ImageView};
use annulus_report::{GateRun, GateStatus};
use annulus_score::{GateScore, ImageScore, MatchParams, match_detections};
use anyhow::{Context, Result};
use indicatif::ProgressBar;
use rayon::prelude::*;

use crate::files::write_json;
use crate::image_cache::ScenarioImage;
use crate::scenarios::{LoadedScenario, truth_markers};

/// The gates `validate` runs when none are named.
pub const DEFAULT_GATES: [&str; 3] = ["blur3", "reference", "distortion"];

/// How the detector is set up in one run of a gate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The default configuration; the only mode of single-mode gates.
    Default,
    /// No camera: the detector fits in the raw, distorted image.
    NoCamera,
    /// The scenario's true camera, distortion included.
    TrueCamera,
    /// Distortion estimated by the detector itself.
    SelfEstimated,
}

impl Mode {
    /// The mode's name in reports; `None` for [`Mode::Default`].
    pub fn name(self) -> Option<&'static str> {
        match self {
            Self::Default => None,
            Self::NoCamera => Some("no_camera"),
            Self::TrueCamera => Some("true_camera"),
            Self::SelfEstimated => Some("self_estimated"),
        }
    }

    /// Why this mode cannot run yet, if it cannot.
    pub fn unavailable(self) -> Option<&'static str> {
        match self {
            Self::SelfEstimated => Some(
                "the detector does not estimate lens distortion yet; this mode runs once it does",
            ),
            _ => None,
        }
    }
}

/// The modes gate `gate` runs in.
pub fn modes(gate: &str) -> &'static [Mode] {
    match gate {
        "distortion" => &[Mode::NoCamera, Mode::TrueCamera, Mode::SelfEstimated],
        _ => &[Mode::Default],
    }
}

/// What one mode of one gate needs.
pub struct ModeRun<'a> {
    /// The scenario and its images.
    pub scenario: &'a LoadedScenario,
    /// The images to detect in.
    pub images: &'a [ScenarioImage],
    /// The gate's name.
    pub gate: &'a str,
    /// The mode.
    pub mode: Mode,
    /// The marker-diameter prior given to the detector, if any.
    pub diameter_px: Option<f64>,
    /// Pixels added to the x coordinate of every detected centre before scoring: 0 except in
    /// the drill that proves `cargo xtask ci` catches a centre bias.
    pub center_bias_px: f64,
}

impl ModeRun<'_> {
    /// The folder of this mode's artifacts, relative to the label folder.
    pub fn relative_dir(&self) -> String {
        match self.mode.name() {
            Some(mode) => format!("{}/{mode}", self.gate),
            None => self.gate.to_owned(),
        }
    }

    /// Runs the mode: detects in every image (in parallel), scores each against its truth,
    /// writes `detections/` and `scores/` under `label_dir/<relative dir>/`, and returns the
    /// gate run. `progress` advances once per image.
    pub fn run(&self, label_dir: &Path, progress: &ProgressBar) -> Result<GateRun> {
        self.run_scored(label_dir, progress).map(|(run, _)| run)
    }

    /// [`ModeRun::run`], also returning each image's score (empty for a skipped mode).
    pub fn run_scored(
        &self,
        label_dir: &Path,
        progress: &ProgressBar,
    ) -> Result<(GateRun, Vec<(u32, ImageScore)>)> {
        let relative = self.relative_dir();
        let mut run = GateRun {
            gate: self.gate.to_owned(),
            mode: self.mode.name().map(str::to_owned),
            scenario: self.scenario.name.clone(),
            scenario_hash: self.scenario.hash.clone(),
            artifacts: Vec::new(),
            status: GateStatus::Skipped { reason: String::new() },
        };
        if let Some(reason) = self.mode.unavailable() {
            progress.inc(self.images.len() as u64);
            run.status = GateStatus::Skipped { reason: reason.to_owned() };
            return Ok((run, Vec::new()));
        }

        let camera = self.scenario.synth.scenario().camera;
        let detector = Detector::new(self.scenario.synth.board().clone(), self.config(camera))
            .context("building the detector")?;
        let params = MatchParams { camera: Some(camera), ..MatchParams::default() };
        let dir = label_dir.join(&relative);
        let scores: Vec<(u32, ImageScore)> = self
            .images
            .par_iter()
            .map(|image| {
                let (detection, score) =
                    detect_and_score(&detector, image, &params, self.center_bias_px)
                        .with_context(|| format!("{} image {}", self.scenario.name, image.index))?;
                write_json(
                    &dir.join(format!("detections/img_{:04}.json", image.index)),
                    &detection,
                )?;
                write_json(&dir.join(format!("scores/img_{:04}.json", image.index)), &score)?;
                progress.inc(1);
                Ok((image.index, score))
            })
            .collect::<Result<_>>()?;
        let score = GateScore::new(self.gate, self.mode.name(), &scores)
            .with_context(|| format!("pooling the scores of gate {relative}"))?;
        run.artifacts = vec![format!("{relative}/detections/"), format!("{relative}/scores/")];
        run.status = GateStatus::Scored { score };
        Ok((run, scores))
    }

    fn config(&self, camera: Camera) -> DetectConfig {
        DetectConfig {
            camera: (self.mode == Mode::TrueCamera).then_some(camera),
            marker_diameter_px: self.diameter_px.map(DiameterPrior::Nominal),
            ..DetectConfig::default()
        }
    }
}

fn detect_and_score(
    detector: &Detector,
    image: &ScenarioImage,
    params: &MatchParams,
    center_bias_px: f64,
) -> Result<(Detection, ImageScore)> {
    let pixels = &image.image;
    let view = ImageView::packed(pixels.width, pixels.height, &pixels.pixels)?;
    let mut detection = detector.detect(&view)?;
    if center_bias_px != 0.0 {
        for marker in &mut detection.markers {
            marker.center_img_px[0] += center_bias_px;
        }
    }
    let params = MatchParams { truth_frame: image.truth.frames.center_img_px, ..*params };
    let score = match_detections(&detection, &truth_markers(&image.truth), &params)?;
    Ok((detection, score))
}
