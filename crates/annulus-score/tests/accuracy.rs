//! Accuracy gates of the detector on the shipped accuracy scenarios, scored against exact
//! ground truth with the targets of the issue: recall, wrong IDs and mean centre error.
//!
//! Each case renders the first [`N_IMAGES`] images of a full 1280 × 1024 scenario, runs
//! `annulus::Detector` with the default configuration (plus the true camera where the case
//! says so), scores every image with `match_detections` and pools the scores with `Aggregate`:
//! rates from summed counts, the mean over all correctly found visible markers. A failure
//! message carries the per-image numbers.

#![allow(clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use annulus::{Board, DetectConfig, Detector, Format, ImageView};
use annulus_score::{Aggregate, ImageScore, MatchParams, Outcome, TruthMarker, match_detections};
use annulus_synth::{GroundTruth, Scenario, Synthesizer};

/// Images per case, for test time. A correct detector meets the targets on every image, so
/// three poses catch a regression; but one 1280 × 1024 render takes about 2 s in the test
/// profile (workspace crates at opt-level 1; measured on 2 cores, about 0.5 s in release), so
/// all ten images of four cases would add over a minute to `cargo test`.
const N_IMAGES: u32 = 3;

/// Whether the detector is told the camera that took the images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lens {
    /// `DetectConfig::camera` is the scenario's camera, distortion included.
    Given,
    /// `DetectConfig::camera` is `None`: the detector fits in the raw image.
    Unknown,
}

/// The targets one case must meet, on scores pooled over its images.
struct Targets {
    min_recall: f64,
    /// `None` when the case sets no wrong-ID target.
    max_wrong_ids: Option<usize>,
    /// `None` when the case sets no centre-accuracy target.
    max_mean_center_error_px: Option<f64>,
}

struct ImageRun {
    index: u32,
    score: ImageScore,
    render: Duration,
    detect: Duration,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// The synthesizer of `fixtures/scenarios/<name>.toml`, with the board it names (the built-in
/// one, or a spec file relative to the scenario).
fn synthesizer(name: &str) -> Synthesizer {
    let path = fixtures().join("scenarios").join(format!("{name}.toml"));
    let read = |p: &Path| {
        std::fs::read_to_string(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
    };
    let scenario = Scenario::parse(&read(&path), Format::Toml).expect("scenario is valid");
    let board = if scenario.uses_builtin_board() {
        Board::builtin()
    } else {
        let board_path = path.parent().expect("in a folder").join(&scenario.board);
        let text = read(&board_path);
        let format = Format::guess(board_path.extension().and_then(|e| e.to_str()), &text);
        Board::parse(&text, format).expect("board is valid")
    };
    Synthesizer::new(scenario, board).expect("valid scenario")
}

/// The scorer's view of the generator's ground truth: every marker in front of the camera.
fn truth_markers(truth: &GroundTruth) -> Vec<TruthMarker> {
    assert_eq!(truth.frames.center_img_px, annulus::ImageFrame::Image, "truth centres are raw");
    truth
        .markers
        .iter()
        .filter_map(|m| {
            Some(TruthMarker {
                id: m.id,
                visible: m.visible,
                center_img_px: m.center_img_px?,
                xy_board_mm: m.xy_board_mm,
            })
        })
        .collect()
}

/// Renders, detects and scores the first [`N_IMAGES`] images of a scenario.
fn run(name: &str, lens: Lens) -> Vec<ImageRun> {
    let synth = synthesizer(name);
    let camera = synth.scenario().camera;
    let config =
        DetectConfig { camera: (lens == Lens::Given).then_some(camera), ..DetectConfig::default() };
    let detector = Detector::new(synth.board().clone(), config).expect("valid config");
    // The scorer always knows the true camera: it carries a homography fitted in the
    // undistorted frame into the image frame, where the true centres are.
    let params = MatchParams { camera: Some(camera), ..MatchParams::default() };
    (0..N_IMAGES)
        .map(|index| {
            let start = Instant::now();
            let rendered = synth.render(index).expect("renders");
            let render = start.elapsed();
            let image = &rendered.image;
            let view = ImageView::packed(image.width, image.height, &image.pixels).expect("valid");
            let start = Instant::now();
            let detection = detector.detect(&view).expect("detection runs");
            let detect = start.elapsed();
            let truth = truth_markers(&rendered.truth);
            let score = match_detections(&detection, &truth, &params).expect("scorable");
            ImageRun { index, score, render, detect }
        })
        .collect()
}

/// At most ten items, then how many more.
fn few<T: std::fmt::Debug>(items: &[T]) -> String {
    let shown: Vec<_> = items.iter().take(10).collect();
    match items.len().saturating_sub(shown.len()) {
        0 => format!("{shown:?}"),
        more => format!("{shown:?} +{more}"),
    }
}

/// The wrong-ID detections as `(reported ID, true ID it sits on)`.
fn wrong_ids(score: &ImageScore) -> Vec<(Option<u32>, Option<u32>)> {
    score
        .detections
        .iter()
        .filter_map(|d| match d.outcome {
            Outcome::WrongId { at } => Some((d.id, at)),
            _ => None,
        })
        .collect()
}

/// One line per image, then the pooled line: the numbers a failure message needs.
fn table(name: &str, lens: Lens, runs: &[ImageRun], pooled: &Aggregate) -> String {
    let mut out = format!(
        "\n{name} (lens {lens:?}), first {N_IMAGES} images\n\
         image  visible  detected  correct  recall   wrong  dup  no-id  centre mean/p95/max px     \
         render ms  detect ms\n"
    );
    let fmt_rate = |r: Option<f64>| r.map_or("-".to_owned(), |r| format!("{r:.4}"));
    let fmt_err = |e: Option<annulus_score::ErrorStats>| {
        e.map_or("-".to_owned(), |e| format!("{:.4}/{:.4}/{:.4}", e.mean, e.p95, e.max))
    };
    for r in runs {
        let c = &r.score.counts;
        let _ = writeln!(
            out,
            "{:>5}  {:>7}  {:>8}  {:>7}  {:<7}  {:>5}  {:>3}  {:>5}  {:<26} {:>9.0}  {:>9.1}  \
             missed {}  wrong {}",
            r.index,
            c.n_visible,
            c.n_detected,
            c.n_correct_visible,
            fmt_rate(c.recall()),
            c.n_wrong_id,
            c.n_duplicate,
            c.n_unidentified,
            fmt_err(r.score.center_error_px()),
            r.render.as_secs_f64() * 1e3,
            r.detect.as_secs_f64() * 1e3,
            few(&r.score.missed),
            few(&wrong_ids(&r.score)),
        );
    }
    let c = &pooled.counts;
    let _ = writeln!(
        out,
        "  all  {:>7}  {:>8}  {:>7}  {:<7}  {:>5}  {:>3}  {:>5}  {}",
        c.n_visible,
        c.n_detected,
        c.n_correct_visible,
        fmt_rate(c.recall()),
        c.n_wrong_id,
        c.n_duplicate,
        c.n_unidentified,
        fmt_err(pooled.center_error_px),
    );
    out
}

fn check(name: &str, lens: Lens, targets: &Targets) {
    let runs = run(name, lens);
    let scores: Vec<ImageScore> = runs.iter().map(|r| r.score.clone()).collect();
    let pooled = Aggregate::new(&scores).expect("one frame per quantity");
    let table = table(name, lens, &runs, &pooled);
    let recall = pooled.counts.recall().unwrap_or(0.0);
    assert!(recall >= targets.min_recall, "recall {recall:.4} < {}{table}", targets.min_recall);
    let wrong = pooled.counts.n_wrong_id;
    if let Some(max_wrong) = targets.max_wrong_ids {
        assert!(wrong <= max_wrong, "{wrong} wrong IDs > {max_wrong}{table}");
    }
    if let Some(max_mean) = targets.max_mean_center_error_px {
        let mean = pooled.center_error_px.map(|e| e.mean);
        assert!(
            mean.is_some_and(|m| m <= max_mean),
            "mean centre error {mean:?} px > {max_mean} px{table}"
        );
    }
}

#[test]
fn reference_finds_every_marker_with_0_02_px_mean_centre_error() {
    let targets =
        Targets { min_recall: 0.999, max_wrong_ids: Some(0), max_mean_center_error_px: Some(0.02) };
    check("reference", Lens::Unknown, &targets);
}

/// The blur3 target. Edge fits alone leave about 0.18 px here (the code band pulls the
/// blurred outer edge); the model refinement (`detect::refine_model`), which renders each
/// identified marker with its code under a fitted anisotropic blur, measures 0.025 px on these
/// images and 0.027 px on all ten (recall 1.0 and 0.999, no wrong IDs).
#[test]
fn blur3_finds_99_percent_with_0_1_px_mean_centre_error() {
    let targets =
        Targets { min_recall: 0.99, max_wrong_ids: Some(0), max_mean_center_error_px: Some(0.10) };
    check("blur3", Lens::Unknown, &targets);
}

#[test]
fn distortion_with_the_true_camera_has_0_03_px_mean_centre_error() {
    // The issue sets no wrong-ID target for this case; the case without the camera sets zero.
    let targets =
        Targets { min_recall: 0.999, max_wrong_ids: None, max_mean_center_error_px: Some(0.03) };
    check("distortion", Lens::Given, &targets);
}

#[test]
fn distortion_without_the_camera_still_identifies_every_marker() {
    let targets =
        Targets { min_recall: 1.0, max_wrong_ids: Some(0), max_mean_center_error_px: None };
    check("distortion", Lens::Unknown, &targets);
}
