//! The two-dimensional discrete Fourier transform of a small square grid, by rows then
//! columns with `rustfft`'s one-dimensional transforms (mixed radix, SIMD where the processor
//! has it), any side.
//!
//! The model refinement ([`super::refine_model`]) blurs a rendered marker patch of 64 × 64 or
//! so pixels with a Gaussian and needs the blurred patch's gradient and its derivatives with
//! respect to the blur too; in the frequency domain each of these is one product per
//! frequency, so one forward and a few inverse transforms give them all, exactly.
//!
//! Two savings follow from how the refinement uses the transforms. The spectrum is left
//! *transposed* (frequency `(kx, ky)` at index `kx·n + ky`): a forward transform then needs
//! one transposition and an inverse one, not two each. And a transform may be told which rows
//! matter: the rows of the input outside a range are taken as zero (a rendered marker covers
//! about half of its patch) and the rows of the output outside a range are left unfinished
//! (only the fitted pixels are read).
//!
//! Plans come from `rustfft`'s planner, kept with the scratch buffers, so after the first
//! marker of a size a transform allocates nothing. Values are `f32`: the patch's intensities
//! need far less than its 24 bits.

use std::ops::Range;
use std::sync::Arc;

use rustfft::num_complex::Complex32;
use rustfft::{Fft, FftPlanner};

/// Tables and scratch of the transform of one grid size.
#[derive(Default)]
pub(crate) struct Fft2 {
    n: usize,
    planner: Option<FftPlanner<f32>>,
    forward: Option<Arc<dyn Fft<f32>>>,
    inverse: Option<Arc<dyn Fft<f32>>>,
    scratch: Vec<Complex32>,
    /// The transposed copy.
    other: Vec<Complex32>,
}

impl std::fmt::Debug for Fft2 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fft2").field("n", &self.n).finish_non_exhaustive()
    }
}

impl Fft2 {
    /// Prepares the plans for `n × n` grids (`n ≥ 2`).
    pub(crate) fn prepare(&mut self, n: usize) -> bool {
        if n < 2 {
            return false;
        }
        if self.n == n {
            return true;
        }
        let planner = self.planner.get_or_insert_with(FftPlanner::new);
        let forward = planner.plan_fft_forward(n);
        let inverse = planner.plan_fft_inverse(n);
        let scratch = forward.get_inplace_scratch_len().max(inverse.get_inplace_scratch_len());
        self.scratch.resize(scratch, Complex32::default());
        self.other.resize(n * n, Complex32::default());
        self.forward = Some(forward);
        self.inverse = Some(inverse);
        self.n = n;
        true
    }

    /// Transforms the row-major `grid`, whose rows outside `rows` must be zero, and leaves its
    /// spectrum in `grid` transposed.
    pub(crate) fn forward(&mut self, grid: &mut Vec<Complex32>, rows: Range<usize>) {
        let (n, Some(fft)) = (self.n, self.forward.as_ref()) else { return };
        if grid.len() != n * n || rows.end > n || rows.start >= rows.end {
            return;
        }
        fft.process_with_scratch(&mut grid[rows.start * n..rows.end * n], &mut self.scratch);
        transpose(grid, &mut self.other, n);
        fft.process_with_scratch(&mut self.other, &mut self.scratch);
        std::mem::swap(grid, &mut self.other);
    }

    /// Inverse-transforms a transposed spectrum in `grid` into the row-major image, finishing
    /// only the rows in `rows`. Not scaled: the result is `n²` times the inverse transform.
    pub(crate) fn inverse(&mut self, grid: &mut Vec<Complex32>, rows: Range<usize>) {
        let (n, Some(fft)) = (self.n, self.inverse.as_ref()) else { return };
        if grid.len() != n * n || rows.end > n || rows.start >= rows.end {
            return;
        }
        fft.process_with_scratch(grid, &mut self.scratch);
        transpose(grid, &mut self.other, n);
        let other = &mut self.other[rows.start * n..rows.end * n];
        fft.process_with_scratch(other, &mut self.scratch);
        std::mem::swap(grid, &mut self.other);
    }
}

/// `dst[x·n + y] = src[y·n + x]`: the `transpose` crate's cache-blocked transposition, which
/// copies without a bounds check per element (a plain tiled loop spent a twentieth of a
/// `detect` call here).
fn transpose(src: &[Complex32], dst: &mut [Complex32], n: usize) {
    // Invariant: both grids hold n · n values (`forward` and `inverse` check `grid`, and
    // `prepare` sizes the other one).
    transpose::transpose(&src[..n * n], &mut dst[..n * n], n, n);
}

/// Signed frequency of bin `k` of `n`, in cycles per sample, in `[−½, ½)`.
pub(crate) fn frequency(k: usize, n: usize) -> f64 {
    if 2 * k >= n { k as f64 / n as f64 - 1.0 } else { k as f64 / n as f64 }
}
