//! The cost of the refinement's transforms by patch side: `rustfft`'s one-dimensional forward
//! transform over every row of an `n × n` grid, which is one of the two passes of each 2-D
//! transform the model refinement runs (`crates/annulus/src/detect/fft.rs`). The sides are
//! those the patch-size table chooses between (`FAST_SIDES` in `refine_model.rs`) and those
//! it skips because a larger side is cheaper: 56 and 60 cost more than 64, and 96 more than 80.
//!
//! | benchmark ID | what one iteration runs |
//! |---|---|
//! | `fft_rows_<n>` | `n` forward transforms of `n` points, in place |
//!
//! ```text
//! cargo bench -p annulus-benches --bench fft_sides
//! ```

#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rustfft::FftPlanner;
use rustfft::num_complex::Complex32;

/// The sides compared: the table's sides from 48 to 96, and the skipped 56 and 60.
const SIDES: [usize; 8] = [48, 54, 56, 60, 64, 72, 80, 96];

fn fft_sides(c: &mut Criterion) {
    let mut planner = FftPlanner::<f32>::new();
    for n in SIDES {
        let fft = planner.plan_fft_forward(n);
        let mut grid: Vec<Complex32> =
            (0..n * n).map(|i| Complex32::new((i % 7) as f32, 0.0)).collect();
        let mut scratch = vec![Complex32::default(); fft.get_inplace_scratch_len()];
        c.bench_function(&format!("fft_rows_{n}"), |b| {
            b.iter(|| {
                fft.process_with_scratch(black_box(&mut grid), &mut scratch);
            });
        });
    }
}

criterion_group!(benches, fft_sides);
criterion_main!(benches);
