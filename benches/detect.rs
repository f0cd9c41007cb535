//! Benchmarks of the detector on the two seeded benchmark scenarios: the whole `detect_with`
//! call on a warm `Workspace`, and each hot stage on its own through the hidden stage API
//! (`annulus::detect::bench`, feature `bench-internals`).
//!
//! Image 0 of `fixtures/scenarios/perf_1280x1024.toml` and `perf_1920x1080.toml` is rendered
//! once, before any measurement, with the built-in board. The detector uses the default
//! configuration (automatic scale) except in `detect_hinted_*`, which gives the true diameter as
//! `DiameterPrior::Nominal` (the mean major axis of the true outer ellipses, out to the ring's
//! outer edge).
//!
//! | benchmark ID | what one iteration runs |
//! |---|---|
//! | `detect_<size>` | `detect_with` on a warm workspace, automatic scale |
//! | `detect_hinted_1280x1024` | the same with the diameter prior |
//! | `stage_proposals_<size>` | pyramid, gradients and radial-symmetry voting |
//! | `stage_fit_decode_<size>` | edge sampling, ellipse fits, inner ring, decoding |
//! | `stage_homography_<size>` | homography RANSAC, ID verification and correction |
//! | `stage_completion_<size>` | the completion search for missed markers |
//! | `stage_refine_<size>` | projective centres, final refit, output |
//!
//! `<size>` is `1280x1024` or `1920x1080`. Before each stage iteration, the stage's input state
//! is restored (a copy into existing buffers, untimed; `iter_custom` times the stage alone).
//!
//! Every ID is a top-level `bench_function`, so criterion writes it to
//! `$CRITERION_HOME/<ID>/`, by default `$CARGO_TARGET_DIR/criterion/<ID>/` (that is,
//! `target/criterion/<ID>/` without `CARGO_TARGET_DIR`): `new/sample.json` holds `iters` and
//! `times` (total nanoseconds of each sample), `new/estimates.json` the mean, median and their
//! confidence intervals.
//!
//! Defaults: 20 samples, 3 s of measurement, 1 s of warm-up per benchmark (criterion switches
//! to flat sampling by itself for the slow end-to-end calls, so a benchmark may take longer than
//! that). Quick mode: set `ANNULUS_BENCH_QUICK=1` (10 samples, 1 s, 0.5 s), or pass criterion's
//! own flags, which override both:
//!
//! ```text
//! cargo bench -p annulus-benches --bench detect -- --sample-size 10 --measurement-time 1 --warm-up-time 1
//! cargo bench -p annulus-benches --bench detect -- stage_homography   # a filter, as usual
//! ```

#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use annulus::detect::DiameterPrior;
use annulus::detect::bench::{Stage, StagedRun, n_candidates, n_found};
use annulus::{Board, DetectConfig, Detector, Format, ImageView, Workspace};
use annulus_benches::nominal_diameter_px;
use annulus_synth::{GrayImage, Scenario, Synthesizer};
use criterion::{Criterion, criterion_group, criterion_main};

/// The benchmark scenarios: the `<size>` suffix of their IDs, and the scenario text.
const SCENARIOS: [(&str, &str); 2] = [
    ("1280x1024", include_str!("../fixtures/scenarios/perf_1280x1024.toml")),
    ("1920x1080", include_str!("../fixtures/scenarios/perf_1920x1080.toml")),
];

/// Samples per benchmark: enough for a median and its interval, few enough that the whole
/// suite runs in minutes although one end-to-end call takes hundreds of milliseconds.
const SAMPLE_SIZE: usize = 20;
/// Measurement time per benchmark.
const MEASUREMENT_TIME: Duration = Duration::from_secs(3);
/// Warm-up time per benchmark; the workspace is warm before criterion starts, so this only
/// settles caches and clocks.
const WARM_UP_TIME: Duration = Duration::from_secs(1);

/// Environment variable that selects the quick settings below (criterion's command-line flags
/// still override them).
const QUICK_ENV: &str = "ANNULUS_BENCH_QUICK";
/// Quick mode: criterion's smallest sample count.
const QUICK_SAMPLE_SIZE: usize = 10;
/// Quick mode measurement time.
const QUICK_MEASUREMENT_TIME: Duration = Duration::from_secs(1);
/// Quick mode warm-up time.
const QUICK_WARM_UP_TIME: Duration = Duration::from_millis(500);

/// The stages benchmarked on their own, with the IDs' stage names.
const STAGES: [Stage; 5] =
    [Stage::Proposals, Stage::FitDecode, Stage::Homography, Stage::Completion, Stage::Refine];

/// Image 0 of a scenario and its true nominal marker diameter.
struct Rendered {
    image: GrayImage,
    diameter_px: f64,
}

fn render(text: &str) -> Rendered {
    let scenario = Scenario::parse(text, Format::Toml).expect("fixture is valid");
    let synth = Synthesizer::new(scenario, Board::builtin()).expect("valid");
    let rendered = synth.render(0).expect("renders");
    let diameter_px =
        nominal_diameter_px(&rendered.truth, synth.board()).expect("markers are visible");
    Rendered { image: rendered.image, diameter_px }
}

fn detector(config: DetectConfig) -> Detector {
    Detector::new(Board::builtin(), config).expect("valid configuration")
}

/// `detect_with` on a warm workspace.
fn bench_detect(c: &mut Criterion, id: &str, detector: &Detector, view: &ImageView<'_>) {
    let mut ws = Workspace::new();
    let n = detector.detect_with(&mut ws, view).expect("detects").markers.len();
    assert!(n > 0, "{id}: the detector finds markers");
    c.bench_function(id, |b| {
        b.iter(|| {
            let det = detector.detect_with(&mut ws, black_box(view)).expect("detects");
            black_box(det.markers.len())
        });
    });
}

/// One stage alone, its input restored (untimed) before every iteration.
fn bench_stage(c: &mut Criterion, size: &str, detector: &Detector, view: &ImageView<'_>) {
    let mut ws = Workspace::new();
    detector.detect_with(&mut ws, view).expect("detects");
    let mut run = StagedRun::new();
    for stage in STAGES {
        run.prepare(detector, &mut ws, view, stage).expect("prepares");
        run.step(detector, &mut ws, view);
        let work = match stage {
            Stage::Proposals => n_candidates(&ws),
            _ => n_found(&ws),
        };
        assert!(work > 0, "stage {} on {size} has work to do", stage.name());
        c.bench_function(&format!("stage_{}_{size}", stage.name()), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    run.restore(&mut ws);
                    let start = Instant::now();
                    black_box(run.step(detector, &mut ws, black_box(view)));
                    total += start.elapsed();
                }
                total
            });
        });
    }
}

fn detect(c: &mut Criterion) {
    let auto = detector(DetectConfig::default());
    for (size, text) in SCENARIOS {
        let rendered = render(text);
        let img = &rendered.image;
        let view = ImageView::packed(img.width, img.height, &img.pixels).expect("valid image");
        bench_detect(c, &format!("detect_{size}"), &auto, &view);
        if size == "1280x1024" {
            let hinted = detector(DetectConfig {
                marker_diameter_px: Some(DiameterPrior::Nominal(rendered.diameter_px)),
                ..DetectConfig::default()
            });
            bench_detect(c, &format!("detect_hinted_{size}"), &hinted, &view);
        }
        bench_stage(c, size, &auto, &view);
    }
}

fn config() -> Criterion {
    let quick = std::env::var_os(QUICK_ENV).is_some_and(|v| !v.is_empty() && v != "0");
    let (samples, measurement, warm_up) = if quick {
        (QUICK_SAMPLE_SIZE, QUICK_MEASUREMENT_TIME, QUICK_WARM_UP_TIME)
    } else {
        (SAMPLE_SIZE, MEASUREMENT_TIME, WARM_UP_TIME)
    };
    Criterion::default().sample_size(samples).measurement_time(measurement).warm_up_time(warm_up)
}

criterion_group! {
    name = benches;
    config = config();
    targets = detect
}
criterion_main!(benches);
