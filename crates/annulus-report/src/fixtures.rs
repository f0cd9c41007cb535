//! Hand-built runs for the unit and snapshot tests: exact, small, and fully deterministic.
//!
//! Centre errors are placed on the x axis and homography residuals on the y axis, so each
//! error's length is exactly the value given (`hypot(e, 0) = |e|`), and a one-marker gate has
//! exactly that mean.

use annulus::ImageFrame;
use annulus_score::{
    Counts, FrameMap, GateScore, HomographyErrors, ImageScore, MarkerMatch, Quantity,
    QuantityFrames, Residual,
};

use crate::run::{GateRun, GateStatus, LabelRun, Provenance};

pub(crate) mod peer;

/// The homography of a hand-built image: self and truth residual lengths, and its frame.
pub(crate) struct Homography<'a> {
    pub(crate) self_px: &'a [f64],
    pub(crate) truth_px: &'a [f64],
    pub(crate) frame: ImageFrame,
}

/// One image: correct detections with centre errors `errors_px` out of `n_visible` visible
/// markers, plus `extra_wrong` wrong-ID detections, and an optional homography.
pub(crate) fn image(
    errors_px: &[f64],
    n_visible: usize,
    extra_wrong: usize,
    homography: Option<Homography<'_>>,
) -> ImageScore {
    let n = errors_px.len();
    let matches: Vec<MarkerMatch> = errors_px
        .iter()
        .enumerate()
        .map(|(i, &e)| MarkerMatch {
            id: u32::try_from(i).unwrap_or(u32::MAX),
            visible: true,
            detected_img_px: [e, 0.0],
            truth_img_px: [0.0, 0.0],
        })
        .collect();
    let mut frames = vec![into_image(Quantity::CenterError, ImageFrame::Image)];
    if let Some(h) = &homography {
        frames.push(into_image(Quantity::HomographySelf, h.frame));
        frames.push(into_image(Quantity::HomographyTruth, h.frame));
    }
    let residuals = |errors: &[f64]| -> Vec<Residual> {
        errors.iter().map(|&e| Residual { id: 0, error_px: [0.0, e] }).collect()
    };
    ImageScore {
        counts: Counts {
            n_visible,
            n_detected: n + extra_wrong,
            n_identified: n + extra_wrong,
            n_correct: n,
            n_correct_visible: n,
            n_wrong_id: extra_wrong,
            n_missed: n_visible - n,
            ..Counts::default()
        },
        detections: Vec::new(),
        matches,
        missed: Vec::new(),
        homography: homography.map(|h| HomographyErrors {
            frame: h.frame,
            self_residuals: residuals(h.self_px),
            truth_residuals: residuals(h.truth_px),
            n_self_unmapped: 0,
            n_truth_unmapped: 0,
        }),
        frames,
    }
}

/// The frames the scorer records for a quantity detected in `detected`.
pub(crate) fn into_image(quantity: Quantity, detected: ImageFrame) -> QuantityFrames {
    QuantityFrames {
        quantity,
        detected,
        reference: ImageFrame::Image,
        compared_in: ImageFrame::Image,
        map: match detected {
            ImageFrame::Image => FrameMap::Identity,
            ImageFrame::Undistorted => FrameMap::LensModel,
        },
    }
}

/// A scored gate pooled from `images`, numbered from 0.
pub(crate) fn scored(gate: &str, mode: Option<&str>, images: Vec<ImageScore>) -> GateRun {
    let numbered: Vec<(u32, ImageScore)> = (0..).zip(images).collect();
    let score = GateScore::new(gate, mode, &numbered).expect("the fixture's frames agree");
    GateRun {
        gate: gate.to_owned(),
        mode: mode.map(str::to_owned),
        scenario: format!("{gate}-scenario"),
        scenario_hash: "5ca1ab1e".to_owned(),
        artifacts: vec![format!("{}/summary.json", gate)],
        status: GateStatus::Scored { score },
    }
}

/// A gate of one image with one marker each: the means are exactly `center_px`, `self_px` and
/// `truth_px`, and precision and recall are 1.
pub(crate) fn means(gate: &str, center_px: f64, self_px: f64, truth_px: f64) -> GateRun {
    let h = Homography { self_px: &[self_px], truth_px: &[truth_px], frame: ImageFrame::Image };
    scored(gate, None, vec![image(&[center_px], 1, 0, Some(h))])
}

/// A skipped gate.
pub(crate) fn skipped(gate: &str, mode: Option<&str>, reason: &str) -> GateRun {
    GateRun {
        gate: gate.to_owned(),
        mode: mode.map(str::to_owned),
        scenario: format!("{gate}-scenario"),
        scenario_hash: "5ca1ab1e".to_owned(),
        artifacts: Vec::new(),
        status: GateStatus::Skipped { reason: reason.to_owned() },
    }
}

/// A run of `gates` under `label`, with fixed provenance.
pub(crate) fn run(label: &str, gates: Vec<GateRun>) -> LabelRun {
    LabelRun {
        label: label.to_owned(),
        provenance: Provenance {
            commit: Some("abc1234".to_owned()),
            dirty: false,
            created_utc: "2025-01-02T03:04:05Z".to_owned(),
            machine: "test machine, 2 cores".to_owned(),
            commands: vec![format!("cargo xtask validate --label {label}")],
            n_images: 3,
        },
        gates,
    }
}

/// The `blur3` gate of the report pair, its centre errors raised by `center_rise_px` and its
/// self residuals by `self_rise_px`.
fn blur3_gate(center_rise_px: f64, self_rise_px: f64) -> GateRun {
    let up = |values: &[f64], by: f64| -> Vec<f64> { values.iter().map(|v| v + by).collect() };
    let images = [
        (
            &[0.05, 0.08, 0.11, 0.06][..],
            5,
            0,
            &[0.04, 0.05, 0.06, 0.05][..],
            &[0.05, 0.07, 0.06][..],
        ),
        (&[0.09, 0.12, 0.07][..], 4, 1, &[0.06, 0.08, 0.07][..], &[0.07, 0.09][..]),
        (&[0.10, 0.04, 0.13, 0.08, 0.07][..], 5, 0, &[0.05, 0.05, 0.06][..], &[0.06, 0.08][..]),
    ];
    let scores = images
        .iter()
        .map(|&(center, n_visible, wrong, self_px, truth_px)| {
            let self_px = up(self_px, self_rise_px);
            let h = Homography { self_px: &self_px, truth_px, frame: ImageFrame::Image };
            image(&up(center, center_rise_px), n_visible, wrong, Some(h))
        })
        .collect();
    scored("blur3", None, scores)
}

/// The `distortion/true_camera` gate: a homography in the undistorted frame, mapped through
/// the lens model.
fn true_camera_gate() -> GateRun {
    let h = |self_px: &'static [f64]| Homography {
        self_px,
        truth_px: &[0.09, 0.1],
        frame: ImageFrame::Undistorted,
    };
    scored(
        "distortion",
        Some("true_camera"),
        vec![
            image(&[0.2, 0.3], 2, 0, Some(h(&[0.1, 0.12]))),
            image(&[0.25], 2, 0, Some(h(&[0.11]))),
        ],
    )
}

/// A baseline `main` and a run `topic` that fails (the blur3 centre mean rises by 0.0125 px),
/// escalates (the blur3 self residual rises by 0.025 px), loses recall on `reference`, keeps
/// `distortion/true_camera`, and skips the self-estimated distortion mode in both.
pub(crate) fn report_pair() -> (LabelRun, LabelRun) {
    let reason = "the detector does not estimate distortion yet";
    let baseline = run(
        "main",
        vec![
            blur3_gate(0.0, 0.0),
            scored(
                "reference",
                None,
                vec![image(&[0.02, 0.03], 2, 0, None), image(&[0.01], 1, 0, None)],
            ),
            true_camera_gate(),
            skipped("distortion", Some("self_estimated"), reason),
        ],
    );
    let mut after = run(
        "topic",
        vec![
            blur3_gate(0.0125, 0.025),
            scored("reference", None, vec![image(&[0.02], 2, 0, None), image(&[0.01], 1, 0, None)]),
            true_camera_gate(),
            skipped("distortion", Some("self_estimated"), reason),
        ],
    );
    after.provenance.commit = Some("def5678".to_owned());
    after.provenance.dirty = true;
    after.provenance.commands.push("cargo xtask validate --compare main".to_owned());
    (baseline, after)
}
