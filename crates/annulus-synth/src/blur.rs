//! Anisotropic Gaussian blur by multiplication in the frequency domain.
//!
//! The point spread function is a 2-D Gaussian with covariance `Σ` (any orientation and
//! aspect). Its Fourier transform is `exp(-2π² fᵀ Σ f)`, so the blur is a forward 2-D FFT, one
//! multiplication per frequency and an inverse FFT: exact for the continuous Gaussian, with no
//! kernel truncation or resampling error, at the same cost for every `Σ`.
//!
//! The FFT treats the canvas as periodic. Callers therefore render a margin of at least
//! [`margin_px`] real scene pixels around the image and crop it afterwards: every image pixel
//! then draws only on true scene content, so nothing darkens or wraps at the image border.
//! The FFT planner is rustfft's scalar one, so results do not depend on which SIMD instructions
//! the machine has.

use rayon::prelude::*;
use rustfft::num_complex::Complex;
use rustfft::{Fft, FftPlannerScalar};
use std::f64::consts::PI;
use std::sync::Arc;

/// Margin in standard deviations: the Gaussian's weight beyond 5σ is below 3e-7, under a
/// thousandth of an 8-bit step even at full contrast.
const MARGIN_SIGMAS: f64 = 5.0;

/// FFT rows handed to one parallel task.
const ROWS_PER_TASK: usize = 8;

/// Pixels of real scene needed on each side of the image for a blur whose largest standard
/// deviation is `sigma_max_px`.
pub(crate) fn margin_px(sigma_max_px: f64) -> usize {
    if sigma_max_px > 0.0 { (MARGIN_SIGMAS * sigma_max_px).ceil() as usize + 1 } else { 0 }
}

/// The smallest size `>= n` whose only prime factors are 2, 3 and 5, on which FFTs are fast.
pub(crate) fn fft_friendly(n: usize) -> usize {
    (n.max(1)..)
        .find(|&m| {
            let mut r = m;
            for p in [2, 3, 5] {
                while r % p == 0 {
                    r /= p;
                }
            }
            r == 1
        })
        .unwrap_or(n)
}

/// Blurs the row-major `width × height` canvas in place with covariance `cov` (px²).
pub(crate) fn gaussian_blur(canvas: &mut [f64], width: usize, height: usize, cov: [[f64; 2]; 2]) {
    let mut planner = FftPlannerScalar::new();
    let row_fwd = planner.plan_fft_forward(width);
    let row_inv = planner.plan_fft_inverse(width);
    let col_fwd = planner.plan_fft_forward(height);
    let col_inv = planner.plan_fft_inverse(height);

    let mut grid: Vec<Complex<f64>> = canvas.iter().map(|&v| Complex::new(v, 0.0)).collect();
    let mut columns = vec![Complex::new(0.0, 0.0); grid.len()];
    fft_rows(&mut grid, width, &row_fwd);
    transpose::transpose(&grid, &mut columns, width, height);
    fft_rows(&mut columns, height, &col_fwd);

    // `columns` now holds the spectrum with frequency index kx major and ky minor. The 1/(W·H)
    // normalisation of the unnormalised inverse transform is folded in here.
    let scale = 1.0 / (width * height) as f64;
    columns.par_chunks_mut(height).enumerate().for_each(|(kx, column)| {
        let fx = signed_frequency(kx, width);
        for (ky, z) in column.iter_mut().enumerate() {
            let fy = signed_frequency(ky, height);
            let quad = cov[0][0] * fx * fx + 2.0 * cov[0][1] * fx * fy + cov[1][1] * fy * fy;
            *z *= (-2.0 * PI * PI * quad).exp() * scale;
        }
    });

    fft_rows(&mut columns, height, &col_inv);
    transpose::transpose(&columns, &mut grid, height, width);
    fft_rows(&mut grid, width, &row_inv);
    for (dst, z) in canvas.iter_mut().zip(&grid) {
        *dst = z.re;
    }
}

/// The covariance of a Gaussian with standard deviations `sigma_a` along direction `angle_rad`
/// (from +x towards +y) and `sigma_b` across it.
pub(crate) fn covariance(sigma_a: f64, sigma_b: f64, angle_rad: f64) -> [[f64; 2]; 2] {
    let (s, c) = angle_rad.sin_cos();
    let (va, vb) = (sigma_a * sigma_a, sigma_b * sigma_b);
    let xy = (va - vb) * c * s;
    [[va * c * c + vb * s * s, xy], [xy, va * s * s + vb * c * c]]
}

/// Transforms every `len`-long row of `data` in place.
fn fft_rows(data: &mut [Complex<f64>], len: usize, fft: &Arc<dyn Fft<f64>>) {
    data.par_chunks_mut(len * ROWS_PER_TASK).for_each(|rows| {
        let mut scratch = vec![Complex::new(0.0, 0.0); fft.get_inplace_scratch_len()];
        fft.process_with_scratch(rows, &mut scratch);
    });
}

/// Frequency in cycles per pixel of FFT bin `k` out of `n`, in `[-½, ½)`.
fn signed_frequency(k: usize, n: usize) -> f64 {
    let k = if 2 * k >= n { k as f64 - n as f64 } else { k as f64 };
    k / n as f64
}

#[cfg(test)]
mod tests;
