//! Geometric fitting: ellipses to edge points, homographies to correspondences, and the
//! projective centre of concentric circles.
//!
//! | file | method | reference |
//! |---|---|---|
//! | `ellipse.rs` | direct least-squares ellipse fit; Sampson distance; RANSAC + IRLS | Fitzgibbon, Pilu & Fisher 1999; Halíř & Flusser 1998 |
//! | `homography.rs` | normalised DLT, Levenberg–Marquardt on transfer error, RANSAC | Hartley & Zisserman, *Multiple View Geometry*, 2nd ed., alg. 4.2, 4.6 |
//! | `concentric.rs` | centre and vanishing line from the pencil of two concentric circles' images; poles and polars | Kim, Gurdjos & Kweon, PAMI 2005; Hartley & Zisserman §2.8 |
//!
//! # Frames and units
//! Every function takes and returns points in one plane frame, usually image pixels; nothing
//! here assumes a pixel convention. Internally, each fit moves its points into a Hartley
//! frame (centroid at the origin, mean distance √2), so results do not depend on where in a
//! 20 000 px image the points lie, and maps its result back.
//!
//! # Failure and memory
//! No function panics: empty, mismatched, non-finite, coincident or collinear input gives
//! `None`. Nothing allocates except [`FitScratch`] growing to the largest input seen; the
//! linear algebra uses nalgebra's fixed-size, stack-allocated matrices. The generalised
//! 3 × 3 eigenvalues are roots of a characteristic cubic, found in closed form; the symmetric
//! eigen-solvers that remain run with a bounded iteration count, so no input makes them spin.
//!
//! # Determinism
//! The robust fits draw samples from a `SplitMix64` stream seeded by their parameters, so a
//! call is a pure function of its inputs.

mod concentric;
mod ellipse;
mod homography;
mod rng;

#[cfg(test)]
mod tests;

use nalgebra::{Matrix3, Vector3};

pub use concentric::{pole, projective_center, vanishing_line, vanishing_line_of};
pub use ellipse::{
    EllipseFit, RobustEllipseParams, fit_conic_direct, fit_ellipse_robust, sampson_distance,
};
pub use homography::{HomographyFit, RansacParams, fit_homography, fit_homography_ransac};

/// Reusable scratch so that robust fits do not allocate once warm.
///
/// One value serves both [`fit_ellipse_robust`] and [`fit_homography_ransac`]; its buffers
/// grow to the largest input seen and are then reused.
#[derive(Debug, Default, Clone)]
pub struct FitScratch {
    /// After a robust fit, `inliers[i]` tells whether point `i` is an inlier of the result.
    pub inliers: Vec<bool>,
    /// Per-point weights for the refits on the consensus set.
    weights: Vec<f64>,
}

impl FitScratch {
    /// Resizes both buffers to `n` points, cleared, without shrinking their capacity.
    fn reset(&mut self, n: usize) {
        self.inliers.clear();
        self.inliers.resize(n, false);
        self.weights.clear();
        self.weights.resize(n, 0.0);
    }
}

/// Relative size of the homogeneous coordinate below which a point is taken to be at
/// infinity. Coordinates up to 1e12 times the unit survive; pixels and millimetres never come
/// near that.
const MIN_RELATIVE_W: f64 = 1e-12;

/// Relative size of the leading coefficient of a cubic below which it is treated as a
/// quadratic or lower, i.e. as degenerate for our purposes (a singular conic in a pencil).
const MIN_LEADING_COEFFICIENT: f64 = 1e-12;

/// Smallest cross product of two rows, relative to the squared matrix norm, for a 3 × 3
/// matrix to count as rank 2. Noisy data keep it near 1e-3 or above; only a matrix of rank 1
/// or 0 (a double line, coincident conics) falls below.
const MIN_RANK2_CROSS: f64 = 1e-14;

/// A Hartley normalisation: the similarity `p ↦ s (p − c)` that moves the (weighted) centroid
/// of a point set to the origin and its mean distance from it to √2.
#[derive(Debug, Clone, Copy)]
struct Normalizer {
    center: [f64; 2],
    scale: f64,
}

impl Normalizer {
    /// The normalisation of `points` with optional non-negative `weights`; points of weight 0
    /// are ignored (they may be non-finite). `None` when a weight is negative or non-finite, a
    /// weighted point is not finite, fewer than `min_points` points have positive weight, or
    /// they all coincide.
    fn new(points: &[[f64; 2]], weights: Option<&[f64]>, min_points: usize) -> Option<Self> {
        if weights.is_some_and(|w| w.len() != points.len()) {
            return None;
        }
        let (mut sum_w, mut sum_x, mut sum_y, mut count) = (0.0, 0.0, 0.0, 0usize);
        for (i, &[x, y]) in points.iter().enumerate() {
            let w = weight_at(weights, i);
            if !(w.is_finite() && w >= 0.0) {
                return None;
            }
            if w == 0.0 {
                continue;
            }
            if !(x.is_finite() && y.is_finite()) {
                return None;
            }
            sum_w += w;
            sum_x += w * x;
            sum_y += w * y;
            count += 1;
        }
        if count < min_points || sum_w <= 0.0 {
            return None;
        }
        let center = [sum_x / sum_w, sum_y / sum_w];
        let mut sum_d = 0.0;
        for (i, &[x, y]) in points.iter().enumerate() {
            let w = weight_at(weights, i);
            if w > 0.0 {
                // Not `hypot`: its care against overflow costs several times a square root,
                // and finite points (checked above) near their centroid cannot overflow.
                let (dx, dy) = (x - center[0], y - center[1]);
                sum_d += w * (dx * dx + dy * dy).sqrt();
            }
        }
        let mean_d = sum_d / sum_w;
        // Coincident points: the spread is at rounding level of the coordinates themselves.
        let magnitude = center[0].abs().max(center[1].abs()).max(1.0);
        if !(mean_d.is_finite() && mean_d > 1e-12 * magnitude) {
            return None;
        }
        Some(Self { center, scale: std::f64::consts::SQRT_2 / mean_d })
    }

    /// The normalised coordinates of `p`.
    fn apply(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        [(x - self.center[0]) * self.scale, (y - self.center[1]) * self.scale]
    }

    /// The matrix `N` with `[n 1]ᵀ = N [p 1]ᵀ`.
    fn matrix(&self) -> Matrix3<f64> {
        let (s, [cx, cy]) = (self.scale, self.center);
        Matrix3::new(s, 0.0, -s * cx, 0.0, s, -s * cy, 0.0, 0.0, 1.0)
    }

    /// The inverse matrix `N⁻¹`, mapping normalised coordinates back.
    fn inverse_matrix(&self) -> Matrix3<f64> {
        let (r, [cx, cy]) = (1.0 / self.scale, self.center);
        Matrix3::new(r, 0.0, cx, 0.0, r, cy, 0.0, 0.0, 1.0)
    }
}

/// The weight of point `i`: 1 without weights.
fn weight_at(weights: Option<&[f64]>, i: usize) -> f64 {
    weights.map_or(1.0, |w| w.get(i).copied().unwrap_or(f64::NAN))
}

/// The Euclidean point of a homogeneous vector; `None` at or near infinity or when not finite.
fn dehomogenise(v: Vector3<f64>) -> Option<[f64; 2]> {
    if v.z.is_nan() || v.z.abs() <= MIN_RELATIVE_W * v.norm() {
        return None;
    }
    let p = [v.x / v.z, v.y / v.z];
    (p[0].is_finite() && p[1].is_finite()).then_some(p)
}

/// Coefficients `[c3, c2, c1, c0]` of `det(A − λB) = c3 λ³ + c2 λ² + c1 λ + c0`.
///
/// Expanding the determinant by multilinearity in the columns: `c0 = det A`, `c3 = −det B`,
/// and the middle coefficients sum the determinants with one or two columns taken from `B`.
fn pencil_cubic(a: &Matrix3<f64>, b: &Matrix3<f64>) -> [f64; 4] {
    let det = |c0: Vector3<f64>, c1: Vector3<f64>, c2: Vector3<f64>| c0.dot(&c1.cross(&c2));
    let (a0, a1, a2) =
        (a.column(0).into_owned(), a.column(1).into_owned(), a.column(2).into_owned());
    let (b0, b1, b2) =
        (b.column(0).into_owned(), b.column(1).into_owned(), b.column(2).into_owned());
    let one_b = det(b0, a1, a2) + det(a0, b1, a2) + det(a0, a1, b2);
    let two_b = det(a0, b1, b2) + det(b0, a1, b2) + det(b0, b1, a2);
    [-det(b0, b1, b2), two_b, -one_b, det(a0, a1, a2)]
}

/// A root of a cubic, possibly complex.
#[derive(Debug, Clone, Copy)]
struct Root {
    re: f64,
    im: f64,
}

/// The three roots of `c3 x³ + c2 x² + c1 x + c0`, real ones polished by Newton's method.
/// `None` when the leading coefficient vanishes relative to the others or any is not finite.
///
/// Closed form (Cardano, in the trigonometric form of Viète where all roots are real). It
/// replaces an iterative eigen-solver, which could fail to converge on adversarial input.
fn cubic_roots([c3, c2, c1, c0]: [f64; 4]) -> Option<[Root; 3]> {
    let largest = c3.abs().max(c2.abs()).max(c1.abs()).max(c0.abs());
    if !largest.is_finite() || c3.abs() <= MIN_LEADING_COEFFICIENT * largest {
        return None;
    }
    let (a, b, c) = (c2 / c3, c1 / c3, c0 / c3);
    // Depressed form y³ − 3q y − 2r = 0 with x = y − a/3.
    let q = (a * a - 3.0 * b) / 9.0;
    let r = (2.0 * a * a * a - 9.0 * a * b + 27.0 * c) / 54.0;
    let shift = a / 3.0;
    let mut roots = if r * r < q * q * q {
        let theta = (r / (q * q * q).sqrt()).clamp(-1.0, 1.0).acos();
        let m = -2.0 * q.sqrt();
        let third = std::f64::consts::TAU / 3.0;
        [0.0, 1.0, -1.0].map(|k| Root { re: m * (theta / 3.0 + k * third).cos() - shift, im: 0.0 })
    } else {
        let big = -r.signum() * (r.abs() + (r * r - q * q * q).sqrt()).cbrt();
        let small = if big == 0.0 { 0.0 } else { q / big };
        let re = -0.5 * (big + small) - shift;
        let im = 0.5 * 3f64.sqrt() * (big - small);
        [Root { re: big + small - shift, im: 0.0 }, Root { re, im }, Root { re, im: -im }]
    };
    for root in roots.iter_mut().filter(|root| root.im == 0.0) {
        root.re = polish_root(root.re, [1.0, a, b, c]);
    }
    roots.iter().all(|root| root.re.is_finite() && root.im.is_finite()).then_some(roots)
}

/// A few Newton steps on a real root, each kept only if it lowers the residual.
fn polish_root(mut x: f64, [c3, c2, c1, c0]: [f64; 4]) -> f64 {
    let value = |x: f64| ((c3 * x + c2) * x + c1) * x + c0;
    for _ in 0..3 {
        let slope = (3.0 * c3 * x + 2.0 * c2) * x + c1;
        if slope == 0.0 {
            break;
        }
        let next = x - value(x) / slope;
        let (before, after) = (value(x).abs(), value(next).abs());
        if after.is_nan() || after >= before {
            break;
        }
        x = next;
    }
    x
}

/// The unit null vector of a rank-2 3 × 3 matrix: the cross product of the two rows that
/// span the largest area. `None` when the matrix has rank below 2 or is not finite.
fn null_vector_rank2(m: &Matrix3<f64>) -> Option<Vector3<f64>> {
    let rows = [0, 1, 2].map(|i| m.row(i).transpose());
    let candidates = [rows[0].cross(&rows[1]), rows[0].cross(&rows[2]), rows[1].cross(&rows[2])];
    let best = candidates.iter().max_by(|u, v| u.norm_squared().total_cmp(&v.norm_squared()))?;
    let norm = best.norm();
    (norm.is_finite() && norm > MIN_RANK2_CROSS * m.norm_squared()).then(|| best / norm)
}
