//! Cost per marker: the built-in board cut to fewer rows of markers, seen exactly as in the
//! `perf_1280x1024` scenario (same camera, distance, tilt, blur and noise), so that only the
//! number of markers in the frame changes. Each size is one benchmark of a hinted
//! `detect_with` on a warm workspace.
//!
//! | benchmark ID | markers in the frame |
//! |---|---|
//! | `sweep_rows_<r>` | the first `r` rows of the 13-row, 15-column hex board (`15 r` markers) |
//!
//! A linear fit of the medians against the marker count gives the fixed cost per frame (the
//! image-wide passes: gradients, pyramid, voting) and the cost per marker; the sweep prints
//! each size's marker count first, so that the fit needs nothing else.
//!
//! ```text
//! cargo bench -p annulus-benches --bench sweep
//! ```

#![allow(missing_docs, clippy::expect_used, clippy::print_stdout)]

use std::hint::black_box;
use std::time::Duration;

use annulus::detect::DiameterPrior;
use annulus::{Board, DetectConfig, Detector, Format, ImageView, Workspace};
use annulus_benches::nominal_diameter_px;
use annulus_synth::{Scenario, Synthesizer};
use criterion::{Criterion, criterion_group, criterion_main};

/// Rows of the board kept, from a few markers to the whole board.
const ROWS: [u32; 5] = [1, 4, 7, 10, 13];

fn sweep(c: &mut Criterion) {
    let text = include_str!("../fixtures/scenarios/perf_1280x1024.toml");
    for rows in ROWS {
        let mut spec = Board::builtin().spec().clone();
        spec.lattice.rows = rows;
        let board = Board::from_spec(spec).expect("a smaller board is valid");
        let scenario = Scenario::parse(text, Format::Toml).expect("fixture is valid");
        let synth = Synthesizer::new(scenario, board.clone()).expect("valid");
        let rendered = synth.render(0).expect("renders");
        let diameter_px =
            nominal_diameter_px(&rendered.truth, synth.board()).expect("markers are visible");
        let config = DetectConfig {
            marker_diameter_px: Some(DiameterPrior::Nominal(diameter_px)),
            ..DetectConfig::default()
        };
        let detector = Detector::new(board, config).expect("valid configuration");
        let image = &rendered.image;
        let view = ImageView::packed(image.width, image.height, &image.pixels).expect("valid");
        let mut ws = Workspace::new();
        let n_found = detector.detect_with(&mut ws, &view).expect("detects").markers.len();
        println!("sweep_rows_{rows}: {n_found} markers found of {}", synth.board().markers().len());
        c.bench_function(&format!("sweep_rows_{rows}"), |b| {
            b.iter(|| {
                let det = detector.detect_with(&mut ws, black_box(&view)).expect("detects");
                black_box(det.markers.len())
            });
        });
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1))
}

criterion_group! {
    name = benches;
    config = config();
    targets = sweep
}
criterion_main!(benches);
