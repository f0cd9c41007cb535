//! The model's ink coverage of a whole patch ([`super::marker_render`] defines it for one
//! pixel), eight pixels at a time in single-precision vectors.
//!
//! *Why vectors.* A pixel's coverage is a chain of square roots and divisions (its board point,
//! its radius, the edge normal, and one straight-edge pixel integral per ring edge: about
//! twenty-five in the one-pixel form). Taken one pixel at a time behind branches, the chain's
//! latency sets the pace, about 80 cycles a pixel. Here each step runs on [`LANES`] pixels of a
//! row at once with selects for branches, so the pixels' chains overlap in the vector units,
//! and the chain is shortened: a pixel's three divisions become reciprocals its edges share,
//! and the edge normal is never normalised, because a straight edge's pixel integral depends
//! only on the ratios of its distance to the normal's components ([`Edge`]). Only the sector
//! boundaries of the code band, which need a table lookup by sector, are finished pixel by
//! pixel in double precision, and only for the band's pixels.
//!
//! *Precision.* The board offsets are expanded about the chunk's first pixel in double
//! precision, so the single-precision lanes only carry offsets of a few tens of pixels; the
//! coverage differs from the one-pixel double-precision reference by at most a few millionths
//! of a pixel's area (`raster_tests.rs` checks it against that reference, kept there), which
//! moves an edge by as many millionths of a pixel. The patch is transformed in single precision
//! anyway. A select evaluates both of its sides; the side it drops may be infinite or NaN (an
//! axis-aligned edge's `1 / narrow`), which is harmless because it is dropped.
//!
//! *Frames.* Patch cells `(i, j)` are image pixels `origin + (i, j)`; the pose is in the fit
//! frame ([`PatchFrame`] maps between them); board offsets `q` are millimetres from the
//! marker's centre. Cells the marker cannot reach, and cells beyond the vanishing line, are
//! left at zero: each row computes only the lane groups that meet its span of the marker's
//! image ([`Reach::row_span`]), at the places the bounding box would put them, so the
//! skipped groups change no bit.

use std::ops::Range;

use rustfft::num_complex::Complex32;
use wide::f32x8;

use super::marker_render::{
    MIN_DENOMINATOR, MarkerPose, PatchFrame, Pattern, image_near, inverse2, mat_mul,
    sector_fraction,
};

/// Pixels computed together, one per lane of [`V`].
const LANES: usize = 8;

/// Eight pixels' values in single precision: two SSE2 registers, or one AVX register where the
/// build enables AVX.
type V = f32x8;

/// Pixels per chunk: whole vectors, few enough that the chunk's eight arrays (1 KiB) stay in
/// the first-level cache between the vector pass and the band's sectors.
const CHUNK: usize = 32;

/// Writes the ink coverage of each pixel of the `n × n` patch whose pixel `(0, 0)` is the
/// image pixel `origin` into the real parts of `grid` (imaginary parts zeroed). Returns rows
/// outside which there is no ink, or `None` when the pose is degenerate or the marker misses
/// the patch.
pub(crate) fn rasterise(
    pose: &MarkerPose,
    pattern: &Pattern,
    frame: &PatchFrame,
    origin: [i64; 2],
    n: usize,
    grid: &mut [Complex32],
) -> Option<Range<usize>> {
    rasterise_rows(pose, pattern, frame, origin, n, grid, Columns::PerRow)
}

/// Which columns of a row [`rasterise_rows`] computes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Columns {
    /// The columns of the marker's bounding box, every row: the reference the tests hold the
    /// spans to.
    #[cfg(test)]
    BoundingBox,
    /// Only the lane groups that meet the row's span of the marker's image ([`Reach::row_span`]).
    PerRow,
}

/// [`rasterise`], with the columns computed per row chosen by `columns`. Both choices give the
/// same bits: cells are computed in the same chunks and lane groups either way (a chunk's
/// single-precision offsets are taken from its first pixel), and a group is skipped only when
/// no pixel of it can touch ink, where the reference leaves zero.
pub(super) fn rasterise_rows(
    pose: &MarkerPose,
    pattern: &Pattern,
    frame: &PatchFrame,
    origin: [i64; 2],
    n: usize,
    grid: &mut [Complex32],
    columns: Columns,
) -> Option<Range<usize>> {
    grid.iter_mut().for_each(|z| *z = Complex32::default());
    let reach = Reach::new(pose, pattern, frame, origin, n)?;
    let (cols, rows) = (reach.cols.clone(), reach.rows.clone());
    let view = View { pose, frame, reach: &reach };
    let mut chunk = Chunk::default();
    for j in rows.clone() {
        let row = &mut grid[j * n..(j + 1) * n];
        let y_img = (origin[1] + j as i64) as f64;
        let span = match columns {
            #[cfg(test)]
            Columns::BoundingBox => cols.clone(),
            Columns::PerRow => reach.row_span(y_img, origin[0]),
        };
        let mut i0 = cols.start;
        while i0 < cols.end {
            let len = (cols.end - i0).min(CHUNK);
            // The chunk's lane groups that meet the span, in cells from the chunk's start.
            let first = span.start.saturating_sub(i0) / LANES * LANES;
            let last = span.end.saturating_sub(i0).min(len);
            if first < last {
                let x0_img = (origin[0] + i0 as i64) as f64;
                chunk.radial(&view, pattern, [x0_img, y_img], first..last);
                chunk.finish(pattern, &mut row[i0..i0 + len], first..last);
            }
            i0 += len;
        }
    }
    (!rows.is_empty() && !cols.is_empty()).then_some(rows)
}

/// The cells of a patch the marker can reach, and the maps every pixel of them shares.
pub(super) struct Reach {
    /// `L⁻¹`.
    pub(super) inv: [[f64; 2]; 2],
    /// `∂u/∂(image)` with `u = L⁻¹(x_fit − c)`: constant across the patch to first order.
    pub(super) du: [[f64; 2]; 2],
    /// Square of the largest board radius, mm², a pixel's centre may have and still touch ink.
    pub(super) r_max_sq: f64,
    /// Patch columns and rows that can hold ink.
    pub(super) cols: Range<usize>,
    pub(super) rows: Range<usize>,
    /// The marker's image centre, pixels.
    center_img: [f64; 2],
    /// `|du·d| ≤ reach_mm` bounds the image offsets `d` from the centre that can touch ink.
    reach_mm: f64,
}

impl Reach {
    /// The reach of `pose` in the `n × n` patch whose cell `(0, 0)` is image pixel `origin`;
    /// `None` when the pose or the frame is degenerate.
    pub(super) fn new(
        pose: &MarkerPose,
        pattern: &Pattern,
        frame: &PatchFrame,
        origin: [i64; 2],
        n: usize,
    ) -> Option<Self> {
        let inv = pose.inverse_linear()?;
        let jf = frame.jacobian();
        let du = mat_mul(inv, jf);
        let v = pose.persp;
        // Perspective stretches the marker by at most this factor over its affine image.
        let stretch = 1.0 + 2.0 * (v[0] * v[0] + v[1] * v[1]).sqrt() * pattern.radius;
        // Pixels farther than this in millimetres beyond the outer edge cannot touch it: the
        // largest extent of a pixel in millimetres, from the largest singular value of du.
        let r_max = pattern.radius + 0.75 * frobenius(du) * stretch;
        // The patch cells the marker can reach: the bounding box of its affine image, widened
        // by the perspective stretch and by the expansion's curvature.
        let jf_inv = inverse2(jf)?;
        let m = mat_mul(jf_inv, pose.linear);
        let center = image_near(frame, pose.center, jf_inv);
        let half =
            |row: [f64; 2]| (row[0] * row[0] + row[1] * row[1]).sqrt() * r_max * stretch + 1.5;
        let span = |c: f64, h: f64, o: i64| {
            let lo = ((c - h).floor() as i64 - o).clamp(0, n as i64) as usize;
            let hi = ((c + h).ceil() as i64 + 1 - o).clamp(0, n as i64) as usize;
            lo..hi
        };
        let cols = span(center[0], half(m[0]), origin[0]);
        let rows = span(center[1], half(m[1]), origin[1]);
        let reach_mm = r_max * stretch;
        Some(Self { inv, du, r_max_sq: r_max * r_max, cols, rows, center_img: center, reach_mm })
    }

    /// The patch columns of the image row `y_img` that can hold ink, within [`Self::cols`]:
    /// those within [`ROW_MARGIN_PX`] of the ellipse `|du·d| ≤ reach_mm` (the marker's
    /// affine image, stretched for perspective as the bounding box is) anywhere in the rows
    /// within that margin of this one. The bounding box is this ellipse's box with a 1.5 px
    /// margin, so the row spans follow the same bound, with a pixel more to spare.
    pub(super) fn row_span(&self, y_img: f64, origin_x: i64) -> Range<usize> {
        let du = self.du;
        // `dᵀ A d ≤ R²` with `A = duᵀ du`.
        let a = du[0][0] * du[0][0] + du[1][0] * du[1][0];
        let b = du[0][0] * du[0][1] + du[1][0] * du[1][1];
        let c = du[0][1] * du[0][1] + du[1][1] * du[1][1];
        let det = a * c - b * b;
        let r_sq = self.reach_mm * self.reach_mm;
        if !(a > 0.0 && c > 0.0 && det > 0.0 && r_sq.is_finite()) {
            return self.cols.clone();
        }
        // The ellipse's rows, and the rows of its rightmost and leftmost points.
        let y_max = (r_sq * a / det).sqrt();
        let y_at_right = -b / c * (r_sq * c / det).sqrt();
        let dy = y_img - self.center_img[1];
        let (lo, hi) = ((dy - ROW_MARGIN_PX).max(-y_max), (dy + ROW_MARGIN_PX).min(y_max));
        if lo > hi {
            return self.cols.start..self.cols.start;
        }
        // The ellipse's offsets at row `y`: its right end is concave in `y`, its left end
        // convex, so over the rows `lo..hi` each is extreme at the row nearest its extreme.
        let end =
            |y: f64, sign: f64| (-b * y + sign * (a * r_sq - det * y * y).max(0.0).sqrt()) / a;
        let right = end(y_at_right.clamp(lo, hi), 1.0);
        let left = end((-y_at_right).clamp(lo, hi), -1.0);
        let x = self.center_img[0];
        let first = ((x + left - ROW_MARGIN_PX).floor() as i64 - origin_x).max(0) as usize;
        let end_col = ((x + right + ROW_MARGIN_PX).ceil() as i64 + 1 - origin_x).max(0) as usize;
        let (first, end_col) = (first.max(self.cols.start), end_col.min(self.cols.end));
        if first < end_col { first..end_col } else { self.cols.start..self.cols.start }
    }
}

/// Pixels beyond the marker's stretched affine image that a row's span still covers, across
/// and along the row: the bounding box allows 1.5 px for the frame's curvature and the pixels'
/// rounding, and the spans keep one more pixel, since a cell they miss would lose ink.
const ROW_MARGIN_PX: f64 = 2.5;

/// What every pixel of one rasterisation shares.
struct View<'a> {
    pose: &'a MarkerPose,
    frame: &'a PatchFrame,
    reach: &'a Reach,
}

/// One chunk's pixels, each step's results in its own array (structure of arrays, for the
/// vector units).
struct Chunk {
    /// Board offset `q`, millimetres.
    q: [[f32; CHUNK]; 2],
    /// `∂q/∂(image)`, row-major.
    jq: [[f32; CHUNK]; 4],
    /// Ink of the two rings; 0 for a pixel that sees none or is not mapped.
    rings: [f32; CHUNK],
    /// Radial coverage of the code band (before its sectors); 0 likewise.
    band: [f32; CHUNK],
}

impl Default for Chunk {
    fn default() -> Self {
        Self {
            q: [[0.0; CHUNK]; 2],
            jq: [[0.0; CHUNK]; 4],
            rings: [0.0; CHUNK],
            band: [0.0; CHUNK],
        }
    }
}

impl Chunk {
    /// The board offsets, their derivatives and the radial coverage (rings, band) of the
    /// chunk's pixels `cells` (from image pixel `start` along its row; `cells.start` a
    /// multiple of [`LANES`]), [`LANES`] pixels at a time (the lanes past `cells.end` hold
    /// the row's next pixels, which [`Self::finish`] ignores).
    fn radial(&mut self, view: &View, pattern: &Pattern, start: [f64; 2], cells: Range<usize>) {
        let lane = |x: f64| V::splat(x as f32);
        // The fit-frame offset from the pose's centre, `fit_point(x) − c`, expanded about the
        // first pixel of the chunk in double precision; the lanes add their small offsets
        // from it in single precision, where absolute image coordinates would lose digits.
        let dy = start[1] - view.frame.origin[1];
        let dx0 = start[0] - view.frame.origin[0];
        let at = |c: [f64; 6], centre: f64| {
            let value =
                c[0] + c[1] * dx0 + c[2] * dy + c[3] * dx0 * dx0 + c[4] * dx0 * dy + c[5] * dy * dy
                    - centre;
            // d/d(dx) and d²/d(dx)²/2 at the first pixel.
            [value, c[1] + 2.0 * c[3] * dx0 + c[4] * dy, c[3]].map(lane)
        };
        let [[x0, x1, x2], [y0, y1, y2]] = [
            at(view.frame.coef[0], view.pose.center[0]),
            at(view.frame.coef[1], view.pose.center[1]),
        ];
        let [[i00, i01], [i10, i11]] = view.reach.inv.map(|r| r.map(lane));
        let [[d00, d01], [d10, d11]] = view.reach.du.map(|r| r.map(lane));
        let [v0, v1] = view.pose.persp.map(lane);
        let [[lo0, hi0], [lo1, hi1]] = pattern.rings.map(|r| r.map(lane));
        let [band_lo, band_hi] = pattern.band.map(lane);
        let (one, zero) = (V::splat(1.0), V::splat(0.0));
        let r_max_sq = lane(view.reach.r_max_sq);
        for g0 in (cells.start..cells.end.min(CHUNK)).step_by(LANES) {
            let lanes = g0..g0 + LANES;
            let k = V::splat(g0 as f32) + V::new([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
            let d = [x0 + x1 * k + x2 * k * k, y0 + y1 * k + y2 * k * k];
            let u = [i00 * d[0] + i01 * d[1], i10 * d[0] + i11 * d[1]];
            let den = one - (v0 * u[0] + v1 * u[1]);
            let inv_den = one / den;
            let q = [u[0] * inv_den, u[1] * inv_den];
            let r_sq = q[0] * q[0] + q[1] * q[1];
            // ∂q/∂u = (I·den + u vᵀ)/den², then ∂q/∂(image) = ∂q/∂u · du.
            let inv_den2 = inv_den * inv_den;
            let dq = [
                [(den + u[0] * v0) * inv_den2, u[0] * v1 * inv_den2],
                [u[1] * v0 * inv_den2, (den + u[1] * v1) * inv_den2],
            ];
            let jq = [
                dq[0][0] * d00 + dq[0][1] * d10,
                dq[0][0] * d01 + dq[0][1] * d11,
                dq[1][0] * d00 + dq[1][1] * d10,
                dq[1][0] * d01 + dq[1][1] * d11,
            ];
            let r = r_sq.sqrt();
            // `r` times the image gradient of the radius, `jqᵀ q`. An edge's coverage depends
            // only on the ratios of its distance to the normal's components, so every edge
            // below is measured in these units (distances times `r·|∇r|`): no normalisation.
            let grad = [jq[0] * q[0] + jq[2] * q[1], jq[1] * q[0] + jq[3] * q[1]];
            let (gx, gy) = (grad[0].abs(), grad[1].abs());
            let edge = Edge::new(gx.max(gy), gx.min(gy));
            let disc = |rho: V| edge.cdf(r * (rho - r));
            let mut rings = zero;
            rings += disc(hi0) - disc(lo0);
            rings += disc(hi1) - disc(lo1);
            let band = disc(band_hi) - disc(band_lo);
            // The one-pixel definition skips a pixel beyond the vanishing line, beyond reach
            // of the ink or at the centre, and gives no ink where the edge normal vanishes
            // (comparisons with NaN are false, as there).
            let skipped = den.simd_le(lane(MIN_DENOMINATOR))
                | r_sq.simd_gt(r_max_sq)
                | r_sq.simd_lt(1e-18f32)
                | !edge.wide.simd_gt(zero);
            self.q[0][lanes.clone()].copy_from_slice(q[0].as_array());
            self.q[1][lanes.clone()].copy_from_slice(q[1].as_array());
            for (out, value) in self.jq.iter_mut().zip(jq) {
                out[lanes.clone()].copy_from_slice(value.as_array());
            }
            self.rings[lanes.clone()].copy_from_slice(skipped.select(zero, rings).as_array());
            self.band[lanes].copy_from_slice(skipped.select(zero, band).as_array());
        }
    }

    /// Adds the code band's sectors to the radial coverage and writes the clamped ink
    /// fractions of the chunk's pixels `cells` into the real parts of `out` (one cell per
    /// pixel of the chunk).
    fn finish(&self, pattern: &Pattern, out: &mut [Complex32], cells: Range<usize>) {
        let end = cells.end.min(CHUNK).min(out.len());
        for (k, cell) in out.iter_mut().enumerate().take(end).skip(cells.start) {
            let mut ink = f64::from(self.rings[k]);
            let band = f64::from(self.band[k]);
            if pattern.word != 0 && band > 0.0 {
                let q = [self.q[0][k], self.q[1][k]].map(f64::from);
                let jq = [[self.jq[0][k], self.jq[1][k]], [self.jq[2][k], self.jq[3][k]]]
                    .map(|row| row.map(f64::from));
                ink += band * sector_fraction(pattern, q, &jq);
            }
            cell.re = ink.clamp(0.0, 1.0) as f32;
        }
    }
}

/// A straight edge across [`LANES`] pixels, for [`super::marker_render::pixel_cdf`]: the
/// components of its normal, larger first, in any common unit, and their reciprocals, which
/// every edge of the pixel shares.
struct Edge {
    wide: V,
    narrow: V,
    inv_wide: V,
    /// `1 / (2 · wide · narrow)`; infinite for an axis-aligned edge, where it is never used.
    inv_area: V,
}

impl Edge {
    fn new(wide: V, narrow: V) -> Self {
        let one = V::splat(1.0);
        Self { wide, narrow, inv_wide: one / wide, inv_area: one / (V::splat(2.0) * wide * narrow) }
    }

    /// The fraction of each pixel on the side `nᵀ(y − centre) < t` of the edge, with `t` in
    /// the normal's unit: `pixel_cdf(t, wide, narrow)` with its divisions as products, and
    /// its branches as selects.
    #[inline(always)]
    fn cdf(&self, t: V) -> V {
        let half = V::splat(0.5);
        let outer = half * (self.wide + self.narrow);
        let inner = half * (self.wide - self.narrow);
        let (t_abs, zero, one) = (t.abs(), V::splat(0.0), V::splat(1.0));
        // On a ramp: the tail beyond |t| is a triangle of area (outer − |t|)² / (2ab).
        let tail = (outer - t_abs) * (outer - t_abs) * self.inv_area;
        let ramp = t.simd_lt(zero).select(tail, one - tail);
        let inside = t_abs.simd_le(inner).select(half + t * self.inv_wide, ramp);
        let upper = t.simd_ge(outer).select(one, inside);
        t.simd_le(-outer).select(zero, upper)
    }
}

fn frobenius(m: [[f64; 2]; 2]) -> f64 {
    (m[0][0].powi(2) + m[0][1].powi(2) + m[1][0].powi(2) + m[1][1].powi(2)).sqrt()
}

#[cfg(test)]
#[path = "raster_tests.rs"]
mod tests;
