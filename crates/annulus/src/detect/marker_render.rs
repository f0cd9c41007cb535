//! The printed marker as each pixel of a patch sees it: the fraction of the pixel's area that
//! is ink, under a projective view of the marker.
//!
//! *Geometry.* A point `q` of the board (millimetres from the marker's centre) appears in the
//! fit frame at `x = c + L·q / (1 + vᵀq)` ([`MarkerPose`]): `c` is the image of the centre
//! itself, `L` the linear part of the view and `v` its perspective. This is the local
//! homography written around the marker's centre, so `c` is the projective centre the
//! detector reports, with no ellipse-centre bias to remove.
//!
//! *Coverage.* The marker is a stack of discs (the ring edges) and, in the code band, sectors
//! bounded by radial lines. Near an edge the view is nearly affine across one pixel, so the
//! edge is a straight line there and the covered fraction of the square pixel is a known
//! function of the line's signed distance from the pixel centre and of its direction: the
//! distribution of `nᵀy` for `y` uniform on the unit square is the convolution of two uniform
//! densities of widths `|n_x|` and `|n_y|`, a trapezoid, whose cumulative distribution is
//! piecewise quadratic ([`pixel_cdf`]). Each ring is the difference of two disc coverages; a
//! code-band pixel is the band's radial coverage times the dark fraction across the nearest
//! sector boundaries. The result is what an area-integrating sensor records before blur, and
//! it moves smoothly with the pose, which the Gauss–Newton refinement needs. This module
//! holds the definitions; [`super::raster`] evaluates them for a whole patch, eight pixels at a
//! time.

use crate::codebook::{N_SECTORS, sector_of};
use crate::geometry::Homography;

use super::model::MarkerModel;
use super::sampler::Frames;

/// Smallest `1 − vᵀu` of a point that is mapped: near zero the point is near the vanishing line,
/// far beyond any marker (a marker's own points have it within a few percent of 1).
pub(crate) const MIN_DENOMINATOR: f64 = 0.05;

/// Where a marker lies: `x = c + L·q / (1 + vᵀq)` in the fit frame for `q` in board
/// millimetres from the marker's centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct MarkerPose {
    /// The image of the marker's centre, `c`.
    pub(crate) center: [f64; 2],
    /// The linear part `L`, row-major, pixels per millimetre.
    pub(crate) linear: [[f64; 2]; 2],
    /// The perspective `v`, per millimetre.
    pub(crate) persp: [f64; 2],
}

impl MarkerPose {
    /// The pose of the marker at `xy_board_mm` under the board-to-fit-frame homography `h`.
    pub(crate) fn from_homography(h: &Homography, xy: [f64; 2]) -> Option<Self> {
        let m = h.rows();
        let w0 = m[2][0] * xy[0] + m[2][1] * xy[1] + m[2][2];
        let center = h.apply(xy)?;
        let w = [m[2][0], m[2][1]];
        let linear = [0, 1].map(|r| [0, 1].map(|k| (m[r][k] - center[r] * w[k]) / w0));
        let pose = Self { center, linear, persp: [w[0] / w0, w[1] / w0] };
        pose.inverse_linear().map(|_| pose)
    }

    /// `L⁻¹`, when `L` is invertible.
    pub(crate) fn inverse_linear(&self) -> Option<[[f64; 2]; 2]> {
        let [[a, b], [c, d]] = self.linear;
        let det = a * d - b * c;
        if !(det.is_finite() && det.abs() > 1e-12) {
            return None;
        }
        Some([[d / det, -b / det], [-c / det, a / det]])
    }

    /// The largest image radius, in pixels, of the circle of `radius` millimetres: `L`'s
    /// larger singular value times the radius, widened by the perspective.
    pub(crate) fn radius_px(&self, radius: f64) -> f64 {
        let [_, largest] = self.singular_values();
        largest * radius / (1.0 - self.persp_norm() * radius).max(MIN_DENOMINATOR)
    }

    /// The smallest image radius, in pixels, of the circle of `radius` millimetres: `L`'s
    /// smaller singular value times the radius, narrowed by the perspective.
    pub(crate) fn smallest_radius_px(&self, radius: f64) -> f64 {
        let [smallest, _] = self.singular_values();
        smallest * radius / (1.0 + self.persp_norm() * radius)
    }

    /// `L`'s singular values, smaller first, from the eigenvalues of `LᵀL` in closed form.
    fn singular_values(&self) -> [f64; 2] {
        let [[a, b], [c, d]] = self.linear;
        let sum_sq = a * a + b * b + c * c + d * d;
        let det = a * d - b * c;
        let spread = ((sum_sq * sum_sq - 4.0 * det * det).max(0.0)).sqrt();
        [(0.5 * (sum_sq - spread)).max(0.0).sqrt(), (0.5 * (sum_sq + spread)).sqrt()]
    }

    /// `|v|`, per millimetre.
    fn persp_norm(&self) -> f64 {
        (self.persp[0] * self.persp[0] + self.persp[1] * self.persp[1]).sqrt()
    }

    /// The board point (millimetres from the centre) seen at the fit-frame point `x`, given
    /// `inv = L⁻¹`; `None` beyond the vanishing line.
    pub(crate) fn board_offset(&self, x: [f64; 2], inv: &[[f64; 2]; 2]) -> Option<[f64; 2]> {
        let d = [x[0] - self.center[0], x[1] - self.center[1]];
        let u = [inv[0][0] * d[0] + inv[0][1] * d[1], inv[1][0] * d[0] + inv[1][1] * d[1]];
        let den = 1.0 - (self.persp[0] * u[0] + self.persp[1] * u[1]);
        (den > MIN_DENOMINATOR).then(|| [u[0] / den, u[1] / den])
    }

    /// The board-to-fit-frame homography of the pose, `q ↦ x`.
    pub(crate) fn homography(&self) -> Homography {
        let ([[a, b], [c, d]], [vx, vy], [cx, cy]) = (self.linear, self.persp, self.center);
        Homography::from_rows([
            [a + cx * vx, b + cx * vy, cx],
            [c + cy * vx, d + cy * vy, cy],
            [vx, vy, 1.0],
        ])
    }
}

/// The marker's radii in millimetres and its code.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pattern {
    /// Edges of the ink annuli, inner then outer: inner ring, outer ring.
    pub(crate) rings: [[f64; 2]; 2],
    /// Code band, inner and outer edge.
    pub(crate) band: [f64; 2],
    /// Bit `k` set when sector `k` is dark; 0 for an uncoded marker.
    pub(crate) word: u16,
    /// Outer radius.
    pub(crate) radius: f64,
    /// How far out the fit may look, in outer radii: see [`region_radii`].
    pub(crate) region_radii: f64,
}

impl Pattern {
    /// The pattern of a marker printing `word` (`None`: uncoded, a blank band).
    pub(crate) fn new(model: &MarkerModel, word: Option<u16>) -> Self {
        let r = model.radius_mm;
        Self {
            rings: [model.inner_ring.map(|f| f * r), [model.ring_inner * r, r]],
            band: model.band.map(|f| f * r),
            word: word.unwrap_or(0),
            radius: r,
            region_radii: region_radii(model.pitch),
        }
    }

    fn dark(&self, sector: usize) -> f64 {
        f64::from((self.word >> (sector % N_SECTORS)) & 1)
    }
}

/// Fitted pixels lie within this many outer radii of the centre, on the board, at most: the
/// blurred outer edge out to three blur widths of a quarter radius. On the built-in board the
/// neighbouring markers' rings start three radii away, well outside.
const MAX_REGION_RADII: f64 = 1.8;

/// The fit region's radius, in outer radii, for markers whose centres are `pitch_radii` outer
/// radii apart: [`MAX_REGION_RADII`], or halfway across the white gap to the next marker when
/// that is nearer. The pattern holds one marker, so a neighbour's ring inside the region would
/// pull the fit towards it; halfway shares the gap's blurred tails equally between the two.
fn region_radii(pitch_radii: f64) -> f64 {
    MAX_REGION_RADII.min(1.0 + 0.5 * (pitch_radii - 2.0))
}

/// The map from a patch's pixels to the fit frame: exact without lens distortion, else a
/// second-order expansion about the patch centre from nine exact points. For a lens that moves
/// the image corners by 60 px it is off by under 0.005 px within 30 px of the centre, even in
/// a corner, and the error's leading term is cubic, odd about the centre, so it scales the
/// marker's image a little but does not move it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PatchFrame {
    /// Image point the expansion is about.
    pub(crate) origin: [f64; 2],
    /// Per fit coordinate: value, d/dx, d/dy, d²/dx²/2, d²/dxdy, d²/dy²/2.
    pub(crate) coef: [[f64; 6]; 2],
}

impl PatchFrame {
    /// The map around the image point `origin`, with `half` the half-width it must serve.
    pub(crate) fn new(frames: &Frames, origin: [f64; 2], half: f64) -> Option<Self> {
        let h = half.max(1.0);
        let at = |dx: f64, dy: f64| frames.to_fit([origin[0] + dx, origin[1] + dy]);
        let f0 = at(0.0, 0.0)?;
        let (fxp, fxm, fyp, fym) = (at(h, 0.0)?, at(-h, 0.0)?, at(0.0, h)?, at(0.0, -h)?);
        let (fpp, fpm, fmp, fmm) = (at(h, h)?, at(h, -h)?, at(-h, h)?, at(-h, -h)?);
        let coef = [0, 1].map(|k| {
            [
                f0[k],
                (fxp[k] - fxm[k]) / (2.0 * h),
                (fyp[k] - fym[k]) / (2.0 * h),
                (fxp[k] - 2.0 * f0[k] + fxm[k]) / (2.0 * h * h),
                (fpp[k] - fpm[k] - fmp[k] + fmm[k]) / (4.0 * h * h),
                (fyp[k] - 2.0 * f0[k] + fym[k]) / (2.0 * h * h),
            ]
        });
        Some(Self { origin, coef })
    }

    /// The fit-frame point of the image point `p`.
    pub(crate) fn fit_point(&self, p: [f64; 2]) -> [f64; 2] {
        let (dx, dy) = (p[0] - self.origin[0], p[1] - self.origin[1]);
        self.coef.map(|c| {
            c[0] + c[1] * dx + c[2] * dy + c[3] * dx * dx + c[4] * dx * dy + c[5] * dy * dy
        })
    }

    /// `∂(fit)/∂(image)` at the origin, row-major.
    pub(crate) fn jacobian(&self) -> [[f64; 2]; 2] {
        self.coef.map(|c| [c[1], c[2]])
    }
}

/// The image point whose fit-frame point is `p_fit`, by Newton steps on the expansion.
pub(crate) fn image_near(frame: &PatchFrame, p_fit: [f64; 2], jf_inv: [[f64; 2]; 2]) -> [f64; 2] {
    let mut x = frame.origin;
    for _ in 0..3 {
        let f = frame.fit_point(x);
        let d = [p_fit[0] - f[0], p_fit[1] - f[1]];
        x[0] += jf_inv[0][0] * d[0] + jf_inv[0][1] * d[1];
        x[1] += jf_inv[1][0] * d[0] + jf_inv[1][1] * d[1];
    }
    x
}

/// Dark fraction of the pixel at `q` across the two boundaries of its sector.
pub(crate) fn sector_fraction(pattern: &Pattern, q: [f64; 2], jq: &[[f64; 2]; 2]) -> f64 {
    let k = sector_of(q[0], q[1]);
    let n = N_SECTORS;
    let here = pattern.dark(k);
    let mut fraction = here;
    let below = pattern.dark(k + n - 1);
    if below != here
        && let Some(cdf) = below_boundary(k, q, jq)
    {
        fraction += (below - here) * cdf;
    }
    let above = pattern.dark(k + 1);
    if above != here
        && let Some(cdf) = below_boundary(k + 1, q, jq)
    {
        fraction += (above - here) * (1.0 - cdf);
    }
    fraction
}

/// The fraction of the pixel at `q` on the smaller-angle side of sector boundary `b`, `None`
/// where the boundary has no pixel-space normal.
#[inline(always)]
fn below_boundary(b: usize, q: [f64; 2], jq: &[[f64; 2]; 2]) -> Option<f64> {
    let m = BOUNDARY_NORMALS[b % N_SECTORS];
    // Signed distance beyond the boundary (millimetres), positive on the side of larger angle,
    // and the gradient of that distance in pixels.
    let s = m[0] * q[0] + m[1] * q[1];
    let grad = [jq[0][0] * m[0] + jq[1][0] * m[1], jq[0][1] * m[0] + jq[1][1] * m[1]];
    let g_sq = grad[0] * grad[0] + grad[1] * grad[1];
    // Most of the band's pixels lie wholly on one side: then the fraction is exactly what
    // `pixel_cdf` would return, without its square root and divisions.
    if g_sq > 0.0 && s * s > CLEAR_OF_BOUNDARY * g_sq {
        return Some(if s > 0.0 { 0.0 } else { 1.0 });
    }
    let g = g_sq.sqrt();
    (g > 0.0).then(|| pixel_cdf(-s / g, grad[0].abs() / g, grad[1].abs() / g))
}

/// A pixel whose centre is farther than `√CLEAR_OF_BOUNDARY` pixels from a straight edge lies
/// wholly on one side of it: a unit pixel reaches at most `√2 / 2` along any unit normal
/// (`pixel_cdf`'s `outer`), so `(s / g)² > ½` suffices. The relative margin of 10⁻⁴ is far
/// above the rounding of `s`, `g` and `outer`, so the shortcut is taken only where the exact
/// computation returns exactly 0 or 1 (`raster_tests.rs` checks it against the exact form).
const CLEAR_OF_BOUNDARY: f64 = 0.5 * (1.0 + 1e-4);

/// Unit normals `(−sin φ, cos φ)` of the sector boundaries at `φ = k · 22.5°`.
pub(super) const BOUNDARY_NORMALS: [[f64; 2]; N_SECTORS] = {
    // sin of 0°, 22.5°, 45°, 67.5°, 90°.
    const S: [f64; 5] = [
        0.0,
        0.382_683_432_365_089_8,
        std::f64::consts::FRAC_1_SQRT_2,
        0.923_879_532_511_286_7,
        1.0,
    ];
    let mut out = [[0.0; 2]; N_SECTORS];
    let mut k = 0;
    while k < N_SECTORS {
        // sin and cos of k · 22.5° from the first quadrant's table by symmetry.
        let (q, r) = (k / 4, k % 4);
        let (s, c) = (S[r], S[4 - r]);
        let (sin, cos) = match q {
            0 => (s, c),
            1 => (c, -s),
            2 => (-s, -c),
            _ => (-c, s),
        };
        out[k] = [-sin, cos];
        k += 1;
    }
    out
};

/// The fraction of a unit pixel on the side `nᵀ(y − centre) < t` of a straight edge with unit
/// normal `n = (±a, ±b)`: the distribution function at `t` of the sum of two uniform variables
/// of widths `a` and `b` (a trapezoid density).
pub(crate) fn pixel_cdf(t: f64, a: f64, b: f64) -> f64 {
    let (a, b) = if a >= b { (a, b) } else { (b, a) };
    let outer = 0.5 * (a + b);
    if t <= -outer {
        return 0.0;
    }
    if t >= outer {
        return 1.0;
    }
    let inner = 0.5 * (a - b);
    if t.abs() <= inner {
        return 0.5 + t / a;
    }
    // On a ramp: the tail beyond |t| is a triangle of area (outer − |t|)² / (2ab).
    let tail = (outer - t.abs()).powi(2) / (2.0 * a * b);
    if t < 0.0 { tail } else { 1.0 - tail }
}

pub(crate) fn mat_mul(a: [[f64; 2]; 2], b: [[f64; 2]; 2]) -> [[f64; 2]; 2] {
    [0, 1].map(|r| [0, 1].map(|c| a[r][0] * b[0][c] + a[r][1] * b[1][c]))
}

pub(crate) fn inverse2(m: [[f64; 2]; 2]) -> Option<[[f64; 2]; 2]> {
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    (det.is_finite() && det.abs() > 1e-12)
        .then(|| [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]])
}
