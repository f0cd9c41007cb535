//! The paper ring of a model fit: the pixels beyond the blurred marker that only pin the paper
//! level and the light gradient, kept as a handful of sums instead of pixel by pixel.
//!
//! The model refinement ([`super::refine_model`]) renders and transforms a patch that holds
//! the pixels whose blurred ink it predicts: the rings and the blur's reach beyond them for
//! the blur the marker is expected to have. Farther out, to where the patch would reach if
//! the blur grew as far as the fit allows, the pixels still see paper, and they are what
//! fixes `P` and the gradient `γ` against noise; leaving them out made the blur3 gate's
//! centres a little worse. Their predicted ink is zero, so each one's model is
//! `I = P·(1 + γ·ρ)`, with `ρ` its image offset from the start's centre in outer radii, and
//! its Jacobian row has three entries (`P`, `γx`, `γy`). Its cost and its terms of `JᵀJ` and
//! `Jᵀr` are polynomials in `P` and `γ` whose coefficients are ten sums over the ring's pixels
//! (counts, offsets, grey values and their products), gathered once when the region is laid
//! out: a ring of a few hundred pixels then costs each evaluation a few dozen operations,
//! and it needs no room in the transform's patch.
//!
//! Approximation: the ring's pixels are at least the expected blur's reach (3.5 σ) beyond the
//! outer edge, where the blurred ink is below 2.5·10⁻⁴ of the contrast. A fit whose blur grows
//! past the expected one sees up to 1 % of it there before it asks for a wider patch
//! ([`super::refine_model`] regrows the patch at 1.5 times the expected standard deviation),
//! which only the first marker of an image does.
//!
//! Frames: offsets are image pixels from the start's image centre, divided by its outer radius
//! in pixels, exactly as [`super::fit_pixels`] measures them for the light gradient.

use nalgebra::{SMatrix, SVector};

use super::fit_pixels::N_PARAMS;

/// Index of the paper level `P` among the fitted parameters (see `refine_model::apply`).
const PAPER: usize = 9;

/// Indices of the light gradient `γ` among the fitted parameters.
const SLOPE: [usize; 2] = [11, 12];

/// The ring's pixels as the sums their terms of the fit need.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct PaperRing {
    /// Pixels.
    count: f64,
    /// `Σ ρ`.
    offset: [f64; 2],
    /// `Σ ρρᵀ` as `[xx, xy, yy]`.
    offset_sq: [f64; 3],
    /// `Σ v`, `Σ v²` and `Σ v·ρ`, with `v` the grey value.
    value: f64,
    value_sq: f64,
    value_offset: [f64; 2],
}

/// A ring's contribution to one evaluation of the fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct RingTerms {
    /// `Σ r²`.
    pub(crate) cost: f64,
    /// `JᵀJ` and `Jᵀr` over the ring's pixels; zero outside the rows and columns of `P` and `γ`.
    pub(crate) jtj: SMatrix<f64, N_PARAMS, N_PARAMS>,
    pub(crate) jtr: SVector<f64, N_PARAMS>,
}

impl PaperRing {
    /// Adds a pixel of grey value `value` at offset `rho` (outer radii) from the start's centre.
    pub(crate) fn add(&mut self, rho: [f64; 2], value: f64) {
        self.count += 1.0;
        self.offset[0] += rho[0];
        self.offset[1] += rho[1];
        self.offset_sq[0] += rho[0] * rho[0];
        self.offset_sq[1] += rho[0] * rho[1];
        self.offset_sq[2] += rho[1] * rho[1];
        self.value += value;
        self.value_sq += value * value;
        self.value_offset[0] += value * rho[0];
        self.value_offset[1] += value * rho[1];
    }

    /// Pixels in the ring.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.count as usize
    }

    /// The ring's cost and normal-equation terms at paper level `paper` and light gradient
    /// `slope`, equal to summing `r = v − P·(1 + γ·ρ)` and its Jacobian row over the pixels.
    pub(crate) fn terms(&self, paper: f64, slope: [f64; 2]) -> RingTerms {
        let [xx, xy, yy] = self.offset_sq;
        // Σ ρρᵀ γ, then Σ g, Σ g² and Σ g·ρ with g = 1 + γ·ρ.
        let m_slope = [xx * slope[0] + xy * slope[1], xy * slope[0] + yy * slope[1]];
        let slope_dot = |v: [f64; 2]| slope[0] * v[0] + slope[1] * v[1];
        let sum_g_sq = self.count + 2.0 * slope_dot(self.offset) + slope_dot(m_slope);
        let sum_g_rho = [self.offset[0] + m_slope[0], self.offset[1] + m_slope[1]];
        let sum_vg = self.value + slope_dot(self.value_offset);

        let mut jtj = SMatrix::<f64, N_PARAMS, N_PARAMS>::zeros();
        let mut jtr = SVector::<f64, N_PARAMS>::zeros();
        jtj[(PAPER, PAPER)] = sum_g_sq;
        jtr[PAPER] = sum_vg - paper * sum_g_sq;
        for k in 0..2 {
            let cross = paper * sum_g_rho[k];
            jtj[(PAPER, SLOPE[k])] = cross;
            jtj[(SLOPE[k], PAPER)] = cross;
            jtr[SLOPE[k]] = paper * (self.value_offset[k] - paper * sum_g_rho[k]);
        }
        let p_sq = paper * paper;
        jtj[(SLOPE[0], SLOPE[0])] = p_sq * xx;
        jtj[(SLOPE[0], SLOPE[1])] = p_sq * xy;
        jtj[(SLOPE[1], SLOPE[0])] = p_sq * xy;
        jtj[(SLOPE[1], SLOPE[1])] = p_sq * yy;
        let cost = self.value_sq - 2.0 * paper * sum_vg + p_sq * sum_g_sq;
        RingTerms { cost, jtj, jtr }
    }
}

#[cfg(test)]
#[path = "paper_ring_tests.rs"]
mod tests;
