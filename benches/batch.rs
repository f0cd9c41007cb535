//! Scaling of `Detector::detect_batch_with` over threads: one batch of
//! [`N_IMAGES`] images of the `perf_1280x1024` scenario (the same view, each with its own noise),
//! detected on a rayon pool of one thread and on a pool of two, each with warm per-thread
//! workspaces and the diameter hint, as in `detect_hinted_1280x1024`.
//!
//! | benchmark ID | what one iteration runs |
//! |---|---|
//! | `batch_1_thread_8x1280x1024` | the batch on a one-thread pool |
//! | `batch_2_threads_8x1280x1024` | the batch on a two-thread pool |
//!
//! The speed-up is the first median over the second. On a machine with two cores it is bounded
//! by 2 and lowered by whatever else runs; a single-threaded `detect_with` loop over the same
//! images is what the one-thread pool measures, so the pool's overhead shows there too.
//!
//! ```text
//! cargo bench -p annulus-benches --bench batch
//! ```

#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use annulus::detect::DiameterPrior;
use annulus::{BatchWorkspace, Board, DetectConfig, Detector, Format, ImageView};
use annulus_benches::nominal_diameter_px;
use annulus_synth::{Scenario, Synthesizer};
use criterion::{Criterion, criterion_group, criterion_main};

/// Images per batch: a multiple of both pool sizes, so that neither leaves a thread idle at
/// the end by construction.
const N_IMAGES: u32 = 8;

fn batch(c: &mut Criterion) {
    let text = include_str!("../fixtures/scenarios/perf_1280x1024.toml")
        .replace("count = 1\n", &format!("count = {N_IMAGES}\n"));
    let scenario = Scenario::parse(&text, Format::Toml).expect("fixture is valid");
    let synth = Synthesizer::new(scenario, Board::builtin()).expect("valid");
    let rendered: Vec<_> = (0..N_IMAGES).map(|i| synth.render(i).expect("renders")).collect();
    let diameter_px =
        nominal_diameter_px(&rendered[0].truth, synth.board()).expect("markers are visible");
    let views: Vec<ImageView<'_>> = rendered
        .iter()
        .map(|r| ImageView::packed(r.image.width, r.image.height, &r.image.pixels).expect("valid"))
        .collect();
    let detector = Detector::new(
        Board::builtin(),
        DetectConfig {
            marker_diameter_px: Some(DiameterPrior::Nominal(diameter_px)),
            ..DetectConfig::default()
        },
    )
    .expect("valid configuration");
    for (n_threads, id) in [(1, "batch_1_thread_8x1280x1024"), (2, "batch_2_threads_8x1280x1024")] {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(n_threads).build().expect("pool");
        let mut ws = BatchWorkspace::new();
        let warm = pool.install(|| detector.detect_batch_with(&mut ws, &views));
        assert!(warm.iter().all(|r| r.as_ref().is_ok_and(|d| !d.markers.is_empty())));
        c.bench_function(id, |b| {
            b.iter(|| {
                let found = pool.install(|| detector.detect_batch_with(&mut ws, black_box(&views)));
                black_box(found.len())
            });
        });
    }
}

fn config() -> Criterion {
    // One iteration is eight full detections (over a second single-threaded): few samples.
    Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = batch
}
criterion_main!(benches);
