//! The hidden stage API (`annulus::detect::bench`) is honest: stepping through every stage
//! gives exactly the `Detection` of `detect_with`, and restoring a stage's input and running it
//! again gives the same result as the first time.

#![allow(clippy::expect_used)]

use annulus::detect::DiameterPrior;
use annulus::detect::bench::{Stage, StagedRun};
use annulus::{DetectConfig, Detection, Detector, ImageView, Workspace};
use annulus_benches::load_scenario;
use annulus_synth::GrayImage;

/// The tiny scenario's markers are about 15 px across, below the automatic scale's floor.
const TINY_DIAMETER_PX: f64 = 15.0;

fn tiny(index: u32) -> (Detector, GrayImage) {
    let synth = load_scenario("tiny").expect("the tiny scenario loads");
    let image = synth.render(index).expect("renders").image;
    let config = DetectConfig {
        marker_diameter_px: Some(DiameterPrior::Nominal(TINY_DIAMETER_PX)),
        ..DetectConfig::default()
    };
    (Detector::new(synth.board().clone(), config).expect("valid"), image)
}

/// Runs the remaining stages and returns the detection.
fn finish(run: &mut StagedRun, d: &Detector, ws: &mut Workspace, v: &ImageView<'_>) -> Detection {
    while run.step(d, ws, v).is_some() {}
    run.detection().clone()
}

#[test]
fn stepping_through_every_stage_equals_detect_with() {
    for index in 0..2 {
        let (detector, image) = tiny(index);
        let view = ImageView::packed(image.width, image.height, &image.pixels).expect("valid");
        let expected = detector.detect_with(&mut Workspace::new(), &view).expect("detects").clone();
        assert!(expected.markers.iter().any(|m| m.id.is_some()), "the board is identified");

        let mut ws = Workspace::new();
        let mut run = StagedRun::new();
        run.prepare(&detector, &mut ws, &view, Stage::Proposals).expect("prepares");
        let mut order = Vec::new();
        while let Some(stage) = run.step(&detector, &mut ws, &view) {
            order.push(stage);
        }
        assert_eq!(order, Stage::ALL);
        assert_eq!(run.next_stage(), None);
        assert_eq!(run.detection(), &expected, "image {index}: staged run equals detect_with");
    }
}

/// The benchmarks' own setting: a perf scenario at automatic scale.
#[test]
fn stepping_equals_detect_with_on_a_perf_scenario() {
    let synth = load_scenario("perf_1280x1024").expect("loads");
    let image = synth.render(0).expect("renders").image;
    let view = ImageView::packed(image.width, image.height, &image.pixels).expect("valid");
    let detector = Detector::new(synth.board().clone(), DetectConfig::default()).expect("valid");
    let expected = detector.detect_with(&mut Workspace::new(), &view).expect("detects").clone();
    let (mut ws, mut run) = (Workspace::new(), StagedRun::new());
    run.prepare(&detector, &mut ws, &view, Stage::Proposals).expect("prepares");
    assert_eq!(finish(&mut run, &detector, &mut ws, &view), expected);
}

#[test]
fn restoring_a_stage_reproduces_its_result() {
    let (detector, image) = tiny(0);
    let view = ImageView::packed(image.width, image.height, &image.pixels).expect("valid");
    let expected = detector.detect_with(&mut Workspace::new(), &view).expect("detects").clone();
    let mut ws = Workspace::new();
    let mut run = StagedRun::new();
    for stage in Stage::ALL {
        run.prepare(&detector, &mut ws, &view, stage).expect("prepares");
        assert_eq!(run.next_stage(), Some(stage));
        for round in 0..3 {
            run.restore(&mut ws);
            assert_eq!(run.step(&detector, &mut ws, &view), Some(stage));
            let got = finish(&mut run, &detector, &mut ws, &view);
            assert_eq!(got, expected, "stage {} round {round}", stage.name());
        }
    }
}
