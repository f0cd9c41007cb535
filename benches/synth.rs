//! Benchmarks of the synthetic-image generator on the two benchmark scenarios.
//!
//! `render` is the whole of one image in memory: pose, area-integrated rasterization, FFT blur,
//! exposure and ground truth (no PNG encoding or file I/O). Run with
//! `cargo bench -p annulus-benches --bench synth`.

#![allow(missing_docs, clippy::expect_used)]

use annulus::{Board, Format};
use annulus_synth::{Scenario, Synthesizer};
use criterion::{Criterion, criterion_group, criterion_main};

const SCENARIOS: [(&str, &str); 2] = [
    ("perf_1280x1024", include_str!("../fixtures/scenarios/perf_1280x1024.toml")),
    ("perf_1920x1080", include_str!("../fixtures/scenarios/perf_1920x1080.toml")),
];

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("synth_render");
    group.sample_size(10);
    for (name, text) in SCENARIOS {
        let scenario = Scenario::parse(text, Format::Toml).expect("fixture is valid");
        let synth = Synthesizer::new(scenario, Board::builtin()).expect("valid");
        group.bench_function(name, |b| b.iter(|| synth.render(0).expect("renders")));
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
