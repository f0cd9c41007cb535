//! The blur of the model refinement in the frequency domain: from the spectrum of a rendered
//! marker's coverage to the spectra of its blurred image and of every derivative the fit
//! needs, each a product with a filter.
//!
//! The point spread function is an anisotropic Gaussian of covariance `Σ` (pixels²), whose
//! transform is `exp(−2π² fᵀΣf)`. The derivatives are more products: `∂/∂x` is `2πi fx`, and
//! `∂/∂Σᵢⱼ` is `−2π² fᵢfⱼ` (doubled off the diagonal). Two real images share one complex
//! array, the second as the imaginary part, so three inverse transforms give all six:
//! `B + i ∂x B`, `∂y B + i ∂Σxx B` and `∂Σxy B + i ∂Σyy B` ([`super::refine_model`]).
//!
//! The spectrum is transposed (frequency `(kx, ky)` at `kx·n + ky`, as [`super::fft`] leaves
//! it). The Gaussian factors into a function of `kx`, one of `ky` and `exp(−4π² Σxy fx fy)`,
//! which is a geometric sequence along each column: one exponential per row and per column
//! instead of one per frequency. The products run in single precision on equal-length slices,
//! which the compiler vectorises; the spectrum and the images are single precision anyway.
//!
//! Edge case: at the Nyquist frequency of an even side, odd powers of the frequency would make
//! the outputs complex (the bin is its own mirror image), so the odd filters are zero there.

use std::f64::consts::PI;

use rustfft::num_complex::Complex32;

use super::fft::frequency;

/// Scratch of the filters: per-row factors and the cross term of one column.
#[derive(Debug, Default)]
pub(crate) struct BlurFilter {
    /// Per row `ky`: `exp(−2π² Σyy fy²)`, `2π fy` and `fy` (both zero at the Nyquist row) and
    /// `−2π² fy²`.
    rows: FilterRows,
    /// `exp(−4π² Σxy fx fy)` along the current column `kx` (1 at the Nyquist row).
    cross: Vec<f32>,
}

impl BlurFilter {
    /// Writes into `images` the spectra (scaled by `1/n²`, for unscaled inverse transforms) of
    /// `B + i ∂x B`, `∂y B + i ∂Σxx B` and `∂Σxy B + i ∂Σyy B`, for the transposed `n × n`
    /// `spectrum` of the coverage and the blur `[Σxx, Σxy, Σyy]` in pixels². Every array must
    /// hold `n²` values.
    pub(crate) fn apply(
        &mut self,
        spectrum: &[Complex32],
        blur: [f64; 3],
        n: usize,
        images: &mut [Vec<Complex32>; 3],
    ) {
        if spectrum.len() < n * n || images.iter().any(|z| z.len() < n * n) {
            return;
        }
        let [sxx, sxy, syy] = blur;
        let tau = 2.0 * PI;
        let pi2 = 2.0 * PI * PI;
        let nyquist = n / 2;
        // Odd powers of the Nyquist frequency would make the outputs complex: it is its own mirror
        // image, so its odd filters are set to zero.
        let odd = |k: usize| if k == nyquist { 0.0 } else { frequency(k, n) };
        let rows = &mut self.rows;
        rows.clear();
        for ky in 0..n {
            let fy = frequency(ky, n);
            rows.gauss.push((-pi2 * syy * fy * fy).exp() as f32);
            rows.tau_f.push((tau * odd(ky)) as f32);
            rows.f_odd.push(odd(ky) as f32);
            rows.pi2_f2.push((-pi2 * fy * fy) as f32);
        }
        // The inverse transforms are not scaled; the filters are.
        let scale = 1.0 / (n * n) as f64;
        let [z1, z2, z3] = images;
        let cross = &mut self.cross;
        cross.resize(n, 1.0);
        for kx in 0..n {
            let fx = frequency(kx, n);
            let fx_odd = odd(kx);
            // exp(−2π² fᵀΣf) = ex(kx) · ey(ky) · exp(−4π² Σxy fx fy), the last a geometric sequence
            // in ky for each kx: one exponential per column instead of one per frequency. It
            // restarts at the negative frequencies.
            let ex = (scale * (-pi2 * sxx * fx * fx).exp()) as f32;
            let ratio = (-2.0 * pi2 * sxy * fx_odd / n as f64).exp();
            let mut c = 1.0;
            for (ky, out) in cross.iter_mut().enumerate() {
                if ky == nyquist + 1 {
                    c = (-2.0 * pi2 * sxy * fx_odd * frequency(ky, n)).exp();
                }
                *out = if ky == nyquist { 1.0 } else { c as f32 };
                c *= ratio;
            }
            let f1 = (1.0 - tau * fx_odd) as f32;
            let pi2_fx2 = (pi2 * fx * fx) as f32;
            let f3_x = (-2.0 * pi2 * fx_odd) as f32;
            // Equal-length slices, so that the loop below runs without bounds checks, in single
            // precision, and vectorises: the spectrum holds f32 and the images are stored as f32.
            let at = kx * n..(kx + 1) * n;
            let (spec, z1, z2, z3) =
                (&spectrum[at.clone()], &mut z1[at.clone()], &mut z2[at.clone()], &mut z3[at]);
            let (gy, tau_fy, fy_odd, pi2_fy2, cross) = (
                &rows.gauss[..n],
                &rows.tau_f[..n],
                &rows.f_odd[..n],
                &rows.pi2_f2[..n],
                &cross[..n],
            );
            for ky in 0..n {
                let gauss = ex * gy[ky] * cross[ky];
                let a = spec[ky];
                let (gr, gi) = (gauss * a.re, gauss * a.im);
                // Z1 = B + i ∂x B: filter 1 − 2π fx.
                z1[ky] = Complex32::new(f1 * gr, f1 * gi);
                // Z2 = ∂y B + i ∂Σxx B: filter i(2π fy − 2π² fx²).
                let f2 = tau_fy[ky] - pi2_fx2;
                z2[ky] = Complex32::new(-f2 * gi, f2 * gr);
                // Z3 = ∂Σxy B + i ∂Σyy B: filter −4π² fx fy − i 2π² fy².
                let (f3r, f3i) = (f3_x * fy_odd[ky], pi2_fy2[ky]);
                z3[ky] = Complex32::new(f3r * gr - f3i * gi, f3r * gi + f3i * gr);
            }
        }
    }
}

/// Per-row factors of the filters, in single precision.
#[derive(Debug, Default)]
struct FilterRows {
    gauss: Vec<f32>,
    tau_f: Vec<f32>,
    f_odd: Vec<f32>,
    pi2_f2: Vec<f32>,
}

impl FilterRows {
    fn clear(&mut self) {
        for v in [&mut self.gauss, &mut self.tau_f, &mut self.f_odd, &mut self.pi2_f2] {
            v.clear();
        }
    }
}
