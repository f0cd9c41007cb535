//! The pixels of one marker's model fit and the per-pixel half of its normal equations, eight
//! pixels at a time in single-precision vectors.
//!
//! *Layout.* The region is the image of a disc, convex, so its pixels on a patch row form one
//! run ([`super::refine_model`] finds its ends); a run cut by the image border stays one run
//! of the pixels inside. Each run is kept as its row, first column and length, and the grey
//! values of all runs one after the other: the rendered images are read at consecutive patch
//! cells and the values in order, with no index per pixel.
//!
//! *Kernel.* [`accumulate`] evaluates the model `I = g·(P − K·B)` at every pixel from the six
//! rendered images (`B`, its gradient and its derivatives with respect to the blur), the
//! residual, the Jacobian row of the 13 parameters (the derivation is in
//! [`super::refine_model`]'s module docs), the cost `Σ r²` and `Jᵀr`, and writes the rows of the
//! pixels on the black squares of a checkerboard, which alone make up the step's `JᵀJ`. Each
//! step runs on [`LANES`] consecutive pixels of a run at once; the lanes past a run's end are
//! given weight zero and add nothing. The sums are carried in single-precision lanes for one run
//! at most (a few dozen terms a lane) and then added into double precision. Single precision is
//! ample: the rendered images are `f32` already, the grey values are exact, and the offsets are
//! a few tens of pixels. `fit_pixels_tests.rs` checks the kernel against a scalar
//! double-precision reference of the same sums, kept there.

use wide::f32x4;

use super::marker_render::mat_mul;
use rustfft::num_complex::Complex32;

/// Pixels per vector: one SSE register each, so that the kernel's two dozen live vectors
/// mostly stay in the sixteen registers of baseline x86-64 (eight lanes in register pairs
/// spilled about four moves per arithmetic instruction).
pub(crate) const LANES: usize = 4;

/// Parameters fitted; see [`super::refine_model`].
pub(crate) const N_PARAMS: usize = 13;

/// [`N_PARAMS`] rounded up to whole vectors, the length of a Jacobian row.
pub(crate) const PADDED: usize = 16;

type V = f32x4;

/// One row's run of region pixels.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// Patch row and first column.
    row: u32,
    first: u32,
    len: u32,
    /// Where its grey values start in [`FitPixels::values`].
    start: u32,
}

/// The region's pixels as runs along the patch rows, and their grey values.
#[derive(Debug, Default)]
pub(crate) struct FitPixels {
    runs: Vec<Run>,
    /// Grey values of the runs' pixels in order, followed by [`LANES`] zeros so that a vector
    /// load at a run's end stays inside.
    values: Vec<f32>,
    /// Patch side.
    n: usize,
    /// Offset of patch cell `(0, 0)` from the start's image centre, pixels.
    origin_offset: [f64; 2],
}

impl FitPixels {
    /// Forgets every pixel, keeping the memory, for an `n × n` patch whose cell `(0, 0)` lies
    /// `origin_offset` pixels from the start's image centre.
    pub(crate) fn clear(&mut self, n: usize, origin_offset: [f64; 2]) {
        self.runs.clear();
        self.values.clear();
        self.n = n;
        self.origin_offset = origin_offset;
    }

    /// Adds the run of `len` pixels at patch `row` from column `first`, with the grey value of
    /// its `k`-th pixel `value(k)`; an empty run is not kept.
    pub(crate) fn push_run(
        &mut self,
        row: usize,
        first: usize,
        len: usize,
        value: impl Fn(usize) -> f32,
    ) {
        if len == 0 {
            return;
        }
        let start = self.values.len();
        self.values.resize(start + len, 0.0);
        for (k, v) in self.values[start..].iter_mut().enumerate() {
            *v = value(k);
        }
        let [row, first, len, start] = [row, first, len, start].map(|v| v as u32);
        self.runs.push(Run { row, first, len, start });
    }

    /// Pads the values for the kernel's last vector loads.
    pub(crate) fn finish(&mut self) {
        self.values.extend([0.0; LANES]);
    }

    /// Pixels of the region.
    pub(crate) fn len(&self) -> usize {
        self.runs.iter().map(|r| r.len as usize).sum()
    }

    /// Patch index and grey value of every pixel.
    pub(crate) fn live(&self) -> impl Iterator<Item = (usize, f32)> + '_ {
        self.runs.iter().flat_map(move |r| {
            let base = r.row as usize * self.n + r.first as usize;
            let values = &self.values[r.start as usize..(r.start + r.len) as usize];
            values.iter().enumerate().map(move |(k, &v)| (base + k, v))
        })
    }
}

/// What every pixel of one evaluation shares, in the units [`accumulate`] needs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shared {
    /// Light gradient, per outer radius, and `1 / radius` in pixels: `g = 1 + γ·offset/R`.
    pub(crate) slope: [f64; 2],
    pub(crate) inv_radius: f64,
    pub(crate) paper: f64,
    pub(crate) contrast: f64,
    /// `∂(image)/∂(fit)`: turns the rendered fit-frame gradient into the image's.
    pub(crate) jf_inv: [[f64; 2]; 2],
    /// `L⁻¹·Jf`, which turns an image offset from the centre into the pattern's warp.
    pub(crate) a_jf: [[f64; 2]; 2],
    /// The blur change `AΣ + ΣAᵀ` of each entry of `L`, as `[Σxx, Σxy, Σyy]`.
    pub(crate) d_sigma: [[f64; 3]; 4],
    /// The current centre's image offset from the start's, pixels.
    pub(crate) center_shift: [f64; 2],
}

/// The warp terms of a pose with `L⁻¹ = inv_l` and blur `sigma` (`[Σxx, Σxy, Σyy]`) in a patch
/// whose fit-from-image Jacobian is `jf` (inverse `jf_inv`): `L⁻¹·Jf`, and the blur change
/// `AΣ + ΣAᵀ` of each entry of `L` ([`Shared::a_jf`], [`Shared::d_sigma`]).
pub(crate) fn warp_terms(
    inv_l: [[f64; 2]; 2],
    jf: [[f64; 2]; 2],
    jf_inv: [[f64; 2]; 2],
    sigma: [f64; 3],
) -> ([[f64; 2]; 2], [[f64; 3]; 4]) {
    // dΣ of each L entry: A = Jf⁻¹ · E_kl · L⁻¹ · Jf, dΣ = AΣ + ΣAᵀ.
    let sigma = [[sigma[0], sigma[1]], [sigma[1], sigma[2]]];
    let a_jf = mat_mul(inv_l, jf);
    let mut d_sigma = [[0.0; 3]; 4];
    for (idx, ds) in d_sigma.iter_mut().enumerate() {
        let (k, l) = (idx / 2, idx % 2);
        // E_kl · (L⁻¹ Jf): row k is row l of L⁻¹Jf.
        let mut e = [[0.0; 2]; 2];
        e[k] = a_jf[l];
        let a = mat_mul(jf_inv, e);
        let as_ = mat_mul(a, sigma);
        *ds = [2.0 * as_[0][0], as_[0][1] + as_[1][0], 2.0 * as_[1][1]];
    }
    (a_jf, d_sigma)
}

/// The sums of one evaluation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sums {
    /// `Σ r²`.
    pub(crate) cost: f64,
    /// `Jᵀr`.
    pub(crate) jtr: [f64; N_PARAMS],
}

/// Chunks of [`LANES`] pixels whose `Jᵀr` terms are summed in single precision before they
/// are added into the double-precision totals: 64 terms per lane.
const FLUSH_CHUNKS: usize = 16;

/// Per-chunk scratch of [`accumulate`]: each chunk's Jacobian entries and, last, its weighted
/// residuals.
#[derive(Debug, Default)]
pub(crate) struct KernelScratch {
    chunks: Vec<[V; N_PARAMS + 1]>,
}

/// Evaluates the model at every pixel of `pixels` from the rendered `images` (as
/// [`super::refine_model`] fills them), returns the cost and `Jᵀr`, and writes the Jacobian rows
/// of the checkerboard's pixels into `rows`.
///
/// Two passes: the first evaluates each chunk and stores its Jacobian entries and residuals in
/// `scratch`; the second sums `Jᵀr` from them. Summing in the first pass would keep thirteen
/// accumulators live beside the model's two dozen values, more than the registers hold; alone,
/// the sums fit.
pub(crate) fn accumulate(
    pixels: &FitPixels,
    images: &[Vec<Complex32>; 3],
    s: &Shared,
    rows: &mut Vec<[f32; PADDED]>,
    scratch: &mut KernelScratch,
) -> Sums {
    rows.clear();
    scratch.chunks.clear();
    let lane = |x: f64| V::splat(x as f32);
    let [slope0, slope1] = s.slope.map(lane);
    let inv_radius = lane(s.inv_radius);
    let (paper, contrast) = (lane(s.paper), lane(s.contrast));
    let [[mi00, mi01], [mi10, mi11]] = s.jf_inv.map(|r| r.map(lane));
    let [[a00, a01], [a10, a11]] = s.a_jf.map(|r| r.map(lane));
    let ds = s.d_sigma.map(|d| d.map(lane));
    let (zero, one) = (V::splat(0.0), V::splat(1.0));
    let ramp = V::new([0.0, 1.0, 2.0, 3.0]);
    let n = pixels.n;

    let mut sums = Sums { cost: 0.0, jtr: [0.0; N_PARAMS] };
    for run in &pixels.runs {
        let (row, first, len) = (run.row as usize, run.first as usize, run.len as usize);
        let base = row * n + first;
        // The offsets from the current centre, in double precision up to the run's first pixel.
        let dy = lane(pixels.origin_offset[1] + row as f64 - s.center_shift[1]);
        let rel_y = lane((pixels.origin_offset[1] + row as f64) * s.inv_radius);
        let dx_first = pixels.origin_offset[0] + first as f64;
        let mut cost_acc = zero;
        for c in (0..len).step_by(LANES) {
            let (b, bx) = parts(&images[0], base + c);
            let (by, bsxx) = parts(&images[1], base + c);
            let (bsxy, bsyy) = parts(&images[2], base + c);
            let at = run.start as usize + c;
            let value = match pixels.values.get(at..at + LANES) {
                Some(v) => V::new([v[0], v[1], v[2], v[3]]),
                None => zero,
            };
            // Lanes past the run's end weigh nothing.
            let k = ramp + V::splat(c as f32);
            let weight = k.simd_lt(V::splat(len as f32)).select(one, zero);
            let dx = lane(dx_first - s.center_shift[0]) + k;
            let rel = [lane(dx_first * s.inv_radius) + k * inv_radius, rel_y];
            let g = one + slope0 * rel[0] + slope1 * rel[1];
            let refl = paper - contrast * b;
            let r = (value - g * refl) * weight;
            cost_acc += r * r;
            let sb = zero - g * contrast;
            let gb = [bx * mi00 + by * mi10, bx * mi01 + by * mi11];
            let e = [a00 * dx + a01 * dy, a10 * dx + a11 * dy];
            let mut j = [zero; PADDED];
            j[0] = zero - sb * gb[0];
            j[1] = zero - sb * gb[1];
            for (idx, ds) in ds.iter().enumerate() {
                let (k, l) = (idx / 2, idx % 2);
                let blur_term = ds[0] * bsxx + ds[1] * bsxy + ds[2] * bsyy;
                j[2 + idx] = sb * (zero - gb[k] * e[l] - blur_term);
            }
            j[6] = sb * bsxx;
            j[7] = sb * bsxy;
            j[8] = sb * bsyy;
            j[9] = g;
            j[10] = zero - g * b;
            j[11] = rel[0] * refl;
            j[12] = rel[1] * refl;
            let mut chunk = [r; N_PARAMS + 1];
            chunk[..N_PARAMS].copy_from_slice(&j[..N_PARAMS]);
            scratch.chunks.push(chunk);
            // The checkerboard's lanes: patch cells with `column + row` even.
            let parity = (first + c + row) % 2;
            push_rows(&j, parity, (len - c).min(LANES), rows);
        }
        sums.cost += cost_acc.to_array().iter().map(|&v| f64::from(v)).sum::<f64>();
    }
    for group in scratch.chunks.chunks(FLUSH_CHUNKS) {
        let mut acc = [zero; N_PARAMS];
        for chunk in group {
            let r = chunk[N_PARAMS];
            for (a, &ja) in acc.iter_mut().zip(&chunk[..N_PARAMS]) {
                *a += r * ja;
            }
        }
        for (total, a) in sums.jtr.iter_mut().zip(&acc) {
            *total += a.to_array().iter().map(|&v| f64::from(v)).sum::<f64>();
        }
    }
    sums
}

/// The real and imaginary parts of `image` at [`LANES`] consecutive patch cells from `at`, zero
/// past the patch's end (which a run's last vector can reach only on the patch's last row).
#[inline(always)]
fn parts(image: &[Complex32], at: usize) -> (V, V) {
    let Some(z) = image.get(at..at + LANES) else {
        let (mut re, mut im) = ([0.0; LANES], [0.0; LANES]);
        for (k, z) in image.iter().skip(at).take(LANES).enumerate() {
            (re[k], im[k]) = (z.re, z.im);
        }
        return (V::new(re), V::new(im));
    };
    (V::new([z[0].re, z[1].re, z[2].re, z[3].re]), V::new([z[0].im, z[1].im, z[2].im, z[3].im]))
}

/// Appends the Jacobian rows of the lanes of `j` (one vector per parameter) below `n_live`
/// whose index has the given `parity` to `rows`: four four-by-four transpositions.
fn push_rows(j: &[V; PADDED], parity: usize, n_live: usize, rows: &mut Vec<[f32; PADDED]>) {
    let block = |b: usize| V::transpose([j[4 * b], j[4 * b + 1], j[4 * b + 2], j[4 * b + 3]]);
    let blocks = [block(0), block(1), block(2), block(3)];
    for k in (parity..n_live).step_by(2) {
        let mut row = [0.0f32; PADDED];
        for (b, block) in blocks.iter().enumerate() {
            row[4 * b..4 * b + 4].copy_from_slice(block[k].as_array());
        }
        rows.push(row);
    }
}

#[cfg(test)]
#[path = "fit_pixels_tests.rs"]
mod tests;
