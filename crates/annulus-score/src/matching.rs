//! Matching the markers of one detection to ground truth, by ID within a gate radius.
//!
//! The method and the rates are documented on [`match_detections`].

#[cfg(test)]
mod tests;

use std::collections::HashSet;

use annulus::{Camera, Detection, ImageFrame};
use serde::{Deserialize, Serialize};

use crate::error::ScoreError;
use crate::frames::{self, QuantityFrames};
use crate::homography::{HomographyErrors, ToImage};
use crate::stats::ErrorStats;

/// Default gate radius, in image pixels.
///
/// Wide enough that any genuine detection of a marker falls inside it: 8 px is 80 to 400 times
/// the accuracy targets (0.02 to 0.1 px) and a quarter of a typical 32 px marker. Narrow enough
/// that gates never overlap: neighbouring centres are at least one outer diameter apart (board
/// validation refuses touching markers), and the detector searches diameters from 20 px up
/// (`annulus::detect::DEFAULT_MIN_MARKER_DIAMETER_PX`), so gates of radius below 10 px are
/// disjoint.
pub const DEFAULT_GATE_PX: f64 = 8.0;

/// What the scorer needs to know about one true marker.
///
/// This is the scorer's own type so that the crate does not depend on the generator; a caller
/// with `annulus_synth::GroundTruth` converts each `MarkerTruth` whose centre is in front of the
/// camera (the scorer's integration tests show how).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TruthMarker {
    /// The marker's board ID; unique within one image's truth.
    pub id: u32,
    /// Whether the whole marker lies inside the image; only visible markers count in recall.
    pub visible: bool,
    /// True centre (the projected circle centre, lens distortion applied), in image pixels,
    /// i.e. in [`annulus::ImageFrame::Image`].
    pub center_img_px: [f64; 2],
    /// The marker's centre on the board.
    pub xy_board_mm: [f64; 2],
}

/// Options of [`match_detections`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchParams {
    /// Gate radius in image pixels. Default [`DEFAULT_GATE_PX`].
    pub gate_px: f64,
    /// The camera that took the image. Needed only when the detection's homography maps into
    /// the undistorted frame: its lens model then carries homography output into the image
    /// frame. Default: none.
    pub camera: Option<Camera>,
    /// The frame the ground-truth centres are in, as the truth's source declares it (for
    /// `annulus_synth`, `GroundTruth::frames.center_img_px`). Anything but
    /// [`ImageFrame::Image`] is refused with [`ScoreError::TruthFrame`]. Default: the image
    /// frame.
    pub truth_frame: ImageFrame,
}

impl Default for MatchParams {
    fn default() -> Self {
        Self { gate_px: DEFAULT_GATE_PX, camera: None, truth_frame: ImageFrame::Image }
    }
}

impl MatchParams {
    /// Checks that the gate is positive and finite, the truth in the image frame and the
    /// camera, if any, valid.
    pub fn validate(&self) -> Result<(), ScoreError> {
        if self.truth_frame != ImageFrame::Image {
            return Err(ScoreError::TruthFrame { frame: self.truth_frame });
        }
        if !(self.gate_px.is_finite() && self.gate_px > 0.0) {
            return Err(ScoreError::InvalidGate { value: self.gate_px });
        }
        match &self.camera {
            Some(camera) => camera.validate().map_err(ScoreError::InvalidCamera),
            None => Ok(()),
        }
    }
}

/// What became of one detected marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// The right ID, within the gate of its true marker, and the nearest of the detections
    /// claiming that marker.
    Correct,
    /// The right ID within the gate, but another detection of the same marker is nearer.
    Duplicate,
    /// An ID whose true marker is not the nearest one within the gate.
    WrongId {
        /// The ID of the true marker the detection sits on, if it is within any gate.
        at: Option<u32>,
    },
    /// No ID.
    Unidentified {
        /// The ID of the true marker the detection sits on, if it is within any gate.
        at: Option<u32>,
    },
}

/// One detected marker and its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoredDetection {
    /// Index into `Detection::markers`.
    pub index: usize,
    /// The ID the detector reported.
    pub id: Option<u32>,
    /// The centre the detector reported, in image pixels.
    pub center_img_px: [f64; 2],
    /// What it was judged to be.
    pub outcome: Outcome,
}

/// A correct detection and the true centre it is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MarkerMatch {
    /// The marker's ID.
    pub id: u32,
    /// Whether the true marker is wholly inside the image.
    pub visible: bool,
    /// The detected centre, in image pixels.
    pub detected_img_px: [f64; 2],
    /// The true centre, in image pixels.
    pub truth_img_px: [f64; 2],
}

impl MarkerMatch {
    /// The error vector `detected − true`, in image pixels.
    pub fn error_px(&self) -> [f64; 2] {
        [
            self.detected_img_px[0] - self.truth_img_px[0],
            self.detected_img_px[1] - self.truth_img_px[1],
        ]
    }

    /// The Euclidean centre error, in image pixels.
    pub fn distance_px(&self) -> f64 {
        let [dx, dy] = self.error_px();
        dx.hypot(dy)
    }
}

/// How many detections and true markers ended each way; also the sum over images.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    /// Visible true markers.
    pub n_visible: usize,
    /// Detected markers, identified or not.
    pub n_detected: usize,
    /// Detected markers with an ID.
    pub n_identified: usize,
    /// [`Outcome::Correct`] detections, of visible markers or not.
    pub n_correct: usize,
    /// Visible true markers with a correct detection.
    pub n_correct_visible: usize,
    /// [`Outcome::Duplicate`] detections.
    pub n_duplicate: usize,
    /// [`Outcome::WrongId`] detections.
    pub n_wrong_id: usize,
    /// [`Outcome::Unidentified`] detections.
    pub n_unidentified: usize,
    /// Visible true markers without a correct detection.
    pub n_missed: usize,
}

impl Counts {
    /// Correct / identified detections; `None` with no identified detection.
    pub fn precision(&self) -> Option<f64> {
        ratio(self.n_correct, self.n_identified)
    }

    /// Visible markers found correctly / visible markers; `None` with no visible marker.
    pub fn recall(&self) -> Option<f64> {
        ratio(self.n_correct_visible, self.n_visible)
    }

    /// Identified / all detections; `None` with no detection.
    pub fn decode_rate(&self) -> Option<f64> {
        ratio(self.n_identified, self.n_detected)
    }

    /// Adds another image's counts to these.
    pub fn add(&mut self, other: &Self) {
        self.n_visible += other.n_visible;
        self.n_detected += other.n_detected;
        self.n_identified += other.n_identified;
        self.n_correct += other.n_correct;
        self.n_correct_visible += other.n_correct_visible;
        self.n_duplicate += other.n_duplicate;
        self.n_wrong_id += other.n_wrong_id;
        self.n_unidentified += other.n_unidentified;
        self.n_missed += other.n_missed;
    }
}

fn ratio(num: usize, den: usize) -> Option<f64> {
    (den > 0).then(|| num as f64 / den as f64)
}

/// The score of one image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageScore {
    /// How detections and true markers ended.
    pub counts: Counts,
    /// Every detected marker with its outcome, in detection order.
    pub detections: Vec<ScoredDetection>,
    /// The correct detections, in detection order.
    pub matches: Vec<MarkerMatch>,
    /// IDs of the visible true markers without a correct detection, ascending.
    pub missed: Vec<u32>,
    /// Homography errors; `None` when the detection has no homography.
    pub homography: Option<HomographyErrors>,
    /// The frames of each quantity measured: the centre error, and the homography residuals
    /// when there is a homography.
    pub frames: Vec<QuantityFrames>,
}

impl ImageScore {
    /// Centre errors of the correct detections of visible markers, in image pixels.
    pub fn center_errors_px(&self) -> Vec<f64> {
        self.matches.iter().filter(|m| m.visible).map(MarkerMatch::distance_px).collect()
    }

    /// Statistics of [`ImageScore::center_errors_px`]; `None` when there is no such match.
    pub fn center_error_px(&self) -> Option<ErrorStats> {
        ErrorStats::of(&self.center_errors_px())
    }
}

/// Scores one detection against the ground truth of its image.
///
/// # Method
/// 1. Each detected marker is placed at the nearest true centre within the gate
///    ([`MatchParams::gate_px`], Euclidean distance in image pixels), or nowhere when no true
///    centre is that close. Both centres are in the image frame: the detector reports
///    `center_img_px` there, and [`TruthMarker::center_img_px`] is the distorted true centre.
/// 2. An identified detection placed at the true marker of its own ID claims that marker. Of
///    the claims on one marker the nearest is [`Outcome::Correct`] (ties go to the earlier
///    detection) and the others are [`Outcome::Duplicate`].
/// 3. Every other identified detection is [`Outcome::WrongId`]: the true marker of its ID is not
///    within the gate, or the detection sits within the gate of a different marker's centre (the
///    same rule covers an ID that is on no board at all). Placing at the *nearest* centre keeps
///    the two cases apart even with a gate wider than half the marker spacing.
/// 4. A detection without an ID is [`Outcome::Unidentified`], whatever it sits on.
/// 5. A visible true marker without a correct detection is missed.
///
/// # Rates and errors ([`Counts`])
/// - precision = correct / identified detections (duplicates and wrong IDs count against it);
/// - recall = visible true markers with a correct detection / visible true markers;
/// - decode rate = identified detections / all detections: the share of found markers that
///   were given an ID;
/// - centre error = `|detected − true|` of the correct detections of visible markers. A correct
///   detection of a marker that is not wholly inside the image counts for precision but not in
///   recall or the centre errors, since its edge is cut off;
/// - homography errors: see [`HomographyErrors`].
///
/// # Inputs and errors
/// `truth` lists the true markers whose centre has an image, visible or not; a marker behind
/// the camera is left out. Fails, before scoring anything, on invalid parameters, on truth with
/// a repeated ID or a non-finite position, and on a homography in the undistorted frame when
/// `params.camera` is `None`.
pub fn match_detections(
    detection: &Detection,
    truth: &[TruthMarker],
    params: &MatchParams,
) -> Result<ImageScore, ScoreError> {
    params.validate()?;
    validate_truth(truth)?;
    let to_image = match &detection.img_from_board {
        Some(h) => Some(ToImage::new(h, params.camera.as_ref())?),
        None => None,
    };

    let placed: Vec<Option<usize>> = detection
        .markers
        .iter()
        .map(|m| nearest_within(truth, m.center_img_px, params.gate_px))
        .collect();

    // The nearest identified detection claiming each true marker, with its distance.
    let mut best: Vec<Option<(usize, f64)>> = vec![None; truth.len()];
    for (d, (marker, at)) in detection.markers.iter().zip(&placed).enumerate() {
        if let (Some(id), Some(t)) = (marker.id, *at)
            && truth[t].id == id
        {
            let distance = dist(marker.center_img_px, truth[t].center_img_px);
            if best[t].is_none_or(|(_, b)| distance < b) {
                best[t] = Some((d, distance));
            }
        }
    }

    let mut counts = Counts {
        n_visible: truth.iter().filter(|t| t.visible).count(),
        n_detected: detection.markers.len(),
        ..Counts::default()
    };
    let mut detections = Vec::with_capacity(detection.markers.len());
    let mut matches = Vec::new();
    for (d, (marker, at)) in detection.markers.iter().zip(&placed).enumerate() {
        let at_id = at.map(|t| truth[t].id);
        let outcome = match (marker.id, *at) {
            (None, _) => Outcome::Unidentified { at: at_id },
            (Some(id), Some(t)) if truth[t].id == id => {
                if best[t].is_some_and(|(winner, _)| winner == d) {
                    matches.push(MarkerMatch {
                        id,
                        visible: truth[t].visible,
                        detected_img_px: marker.center_img_px,
                        truth_img_px: truth[t].center_img_px,
                    });
                    Outcome::Correct
                } else {
                    Outcome::Duplicate
                }
            }
            (Some(_), _) => Outcome::WrongId { at: at_id },
        };
        match outcome {
            Outcome::Correct => counts.n_correct += 1,
            Outcome::Duplicate => counts.n_duplicate += 1,
            Outcome::WrongId { .. } => counts.n_wrong_id += 1,
            Outcome::Unidentified { .. } => counts.n_unidentified += 1,
        }
        detections.push(ScoredDetection {
            index: d,
            id: marker.id,
            center_img_px: marker.center_img_px,
            outcome,
        });
    }
    counts.n_identified = counts.n_correct + counts.n_duplicate + counts.n_wrong_id;

    let mut missed: Vec<u32> = truth
        .iter()
        .zip(&best)
        .filter(|(t, b)| t.visible && b.is_none())
        .map(|(t, _)| t.id)
        .collect();
    missed.sort_unstable();
    counts.n_missed = missed.len();
    counts.n_correct_visible = counts.n_visible - counts.n_missed;

    let homography = to_image.map(|map| HomographyErrors::measure(&map, detection, truth));
    let frames = frames::of_image(homography.as_ref().map(|h| h.frame));
    Ok(ImageScore { counts, detections, matches, missed, homography, frames })
}

/// Refuses truth that would make matching ambiguous or meaningless.
fn validate_truth(truth: &[TruthMarker]) -> Result<(), ScoreError> {
    let mut seen = HashSet::with_capacity(truth.len());
    for t in truth {
        if !t.center_img_px.iter().chain(&t.xy_board_mm).all(|v| v.is_finite()) {
            return Err(ScoreError::NonFiniteTruth {
                id: t.id,
                center_img_px: t.center_img_px,
                xy_board_mm: t.xy_board_mm,
            });
        }
        if !seen.insert(t.id) {
            return Err(ScoreError::DuplicateTruthId { id: t.id });
        }
    }
    Ok(())
}

/// Index of the true marker whose centre is nearest to `p` and at most `gate` away; the first
/// of equals. A non-finite `p` is near nothing.
fn nearest_within(truth: &[TruthMarker], p: [f64; 2], gate: f64) -> Option<usize> {
    let mut nearest: Option<(usize, f64)> = None;
    for (i, t) in truth.iter().enumerate() {
        let distance = dist(p, t.center_img_px);
        if distance <= gate && nearest.is_none_or(|(_, n)| distance < n) {
            nearest = Some((i, distance));
        }
    }
    nearest.map(|(i, _)| i)
}

/// Euclidean distance.
pub(crate) fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}
