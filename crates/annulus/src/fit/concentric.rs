//! The projected centre and vanishing line of concentric circles, and poles of lines.
//!
//! # Method
//! Two concentric circles of radii `r₁ > r₂` are, in a frame centred on them,
//! `C₁ = diag(1, 1, −r₁²)` and `C₂ = diag(1, 1, −r₂²)`. Their pencil `C₁ − μ C₂` has the
//! generalised eigenvalues `μ = 1` (double), whose member `diag(0, 0, r₂² − r₁²)` is the line at
//! infinity counted twice, and `μ = r₁²/r₂²` (simple), whose member is the pair of lines from
//! the centre to the circular points, with the centre as its vertex. A homography maps
//! pencils to pencils and keeps the eigenvalues up to a common scale (`C ↦ H⁻ᵀ C H⁻¹`), so in
//! the image the simple eigenvalue's member has the projected centre as its vertex and the
//! double eigenvalue's member is the vanishing line of the plane, doubled. See Kim, Gurdjos &
//! Kweon, "Geometric and algebraic constraints of projected concentric circles and their
//! applications to camera calibration", PAMI 27(4), 2005.
//!
//! With noisy conics the double eigenvalue splits into two close (possibly complex) ones, so
//! the simple one is chosen as the eigenvalue standing apart from the closest pair, polished
//! by Newton's method, and the double one is taken as the mean of the pair, computed from the
//! sum of the roots (which rounding leaves accurate even when the split is large).
//!
//! A circle's centre is the pole of the line at infinity with respect to the circle; poles
//! and polars are projective, so the projected centre is also the pole of the vanishing line
//! with respect to the circle's image (Hartley & Zisserman, *Multiple View Geometry*, 2nd
//! ed., §2.8.1).
//!
//! # Frames and edge cases
//! Conics and lines are in one image frame, usually pixels. Each function works in a frame
//! centred on the outer ellipse and scaled by its size, so that a pencil 20 000 px from the
//! origin is as well conditioned as one at it. Singular or non-finite conics, coincident
//! conics (no simple eigenvalue), and results at infinity give `None`. Lines are returned
//! with unit norm, up to sign.

use nalgebra::{Matrix3, SymmetricEigen, Vector3};

use super::{Root, cubic_roots, dehomogenise, null_vector_rank2, pencil_cubic, polish_root};
use crate::geometry::{Conic, Homography};

/// Smallest separation of the simple eigenvalue from the double one, relative to the
/// larger (the relative gap is about twice the relative difference of the radii): images of
/// circles whose radii differ by less than about 5e-9 relative are treated as coincident.
/// Real ring markers have radius ratios of 1.2 or more.
const MIN_EIGENVALUE_SEPARATION: f64 = 1e-8;

/// Iteration cap of the 3 × 3 symmetric eigen-solver; it converges in a handful of sweeps.
const EIGEN_MAX_ITERATIONS: usize = 200;

/// The image of the centre of two concentric circles from their image conics: the vertex of
/// the degenerate pencil member `outer − μ·inner`, for the generalised eigenvalue μ that
/// stands apart from the other two. None when degenerate.
///
/// With noisy conics μ is still the eigenvalue farthest from the closest pair, and the vertex
/// is the null vector of the member computed as the largest cross product of two of its rows.
pub fn projective_center(outer: &Conic, inner: &Conic) -> Option<[f64; 2]> {
    let pencil = Pencil::new(outer, inner)?;
    let vertex = null_vector_rank2(&pencil.member(pencil.simple))?;
    dehomogenise(pencil.to_image * vertex)
}

/// The vanishing line of the plane of two concentric circles from their images (the
/// double-line member of the same pencil), as homogeneous line coefficients \[a, b, c\] with
/// a x + b y + c = 0.
pub fn vanishing_line(outer: &Conic, inner: &Conic) -> Option<[f64; 3]> {
    let pencil = Pencil::new(outer, inner)?;
    let member = pencil.member(pencil.double);
    // The member is ±l lᵀ up to noise; l is the eigenvector of its dominant eigenvalue.
    let eigen = SymmetricEigen::try_new(member, f64::EPSILON, EIGEN_MAX_ITERATIONS)?;
    let dominant = eigen.eigenvalues.iamax();
    let in_frame = eigen.eigenvectors.column(dominant).into_owned();
    // Lines map by the inverse transpose of the point map.
    let line = pencil.to_image.try_inverse()?.transpose() * in_frame;
    unit_line(line)
}

/// The pole of a line with respect to a conic: C⁻¹ l, dehomogenised. The image of a circle's
/// centre is the pole of the plane's vanishing line w.r.t. the circle's image.
pub fn pole(conic: &Conic, line: [f64; 3]) -> Option<[f64; 2]> {
    if !conic.matrix.iter().chain(&line).all(|v| v.is_finite()) {
        return None;
    }
    // In the frame x = T x', the conic is Tᵀ C T and the line Tᵀ l; the pole maps back by T.
    let to_image = frame_of(conic);
    let c = to_image.transpose() * conic.matrix * to_image;
    let l = to_image.transpose() * Vector3::from(line);
    let scale = c.norm();
    if scale.is_nan() || scale <= 0.0 {
        return None;
    }
    let in_frame = (c / scale).try_inverse()? * l;
    dehomogenise(to_image * in_frame)
}

/// The vanishing line of the board plane under `img_from_board`: H^{-T} (0, 0, 1).
///
/// Computed as the cross product of the first two columns of `H` (the images of the board's
/// x and y directions at infinity), which is `H⁻ᵀ (0, 0, 1)` up to scale and needs no
/// inverse. An affine `H` gives the line at infinity `[0, 0, ±1]`.
pub fn vanishing_line_of(img_from_board: &Homography) -> Option<[f64; 3]> {
    let m = img_from_board.matrix();
    let line = m.column(0).cross(&m.column(1));
    unit_line(line)
}

/// A line scaled to unit norm; `None` when zero or not finite.
fn unit_line(line: Vector3<f64>) -> Option<[f64; 3]> {
    let norm = line.norm();
    (norm.is_finite() && norm > 0.0).then(|| (line / norm).into())
}

/// A similarity `T` (image from frame) that centres `conic` and scales it to unit size when
/// it is an ellipse; the identity otherwise.
fn frame_of(conic: &Conic) -> Matrix3<f64> {
    match conic.to_ellipse() {
        Some(e) => {
            let s = (e.semi_major_px * e.semi_minor_px).sqrt();
            let [cx, cy] = e.center_px;
            let t = Matrix3::new(s, 0.0, cx, 0.0, s, cy, 0.0, 0.0, 1.0);
            if t.iter().all(|v| v.is_finite()) && s > 0.0 { t } else { Matrix3::identity() }
        }
        None => Matrix3::identity(),
    }
}

/// The pencil `outer − μ inner` in a well-conditioned frame, with its simple and double
/// eigenvalues.
struct Pencil {
    outer: Matrix3<f64>,
    inner: Matrix3<f64>,
    /// `T` with `x_image = T x_frame`.
    to_image: Matrix3<f64>,
    /// The eigenvalue whose member has the projected centre as vertex.
    simple: f64,
    /// The eigenvalue whose member is the vanishing line doubled.
    double: f64,
}

impl Pencil {
    /// The pencil of two conics; `None` when either is singular or not finite, or the
    /// eigenvalues do not separate into a simple one and a close pair.
    fn new(outer: &Conic, inner: &Conic) -> Option<Self> {
        if !outer.matrix.iter().chain(inner.matrix.iter()).all(|v| v.is_finite()) {
            return None;
        }
        let to_image = frame_of(outer);
        let in_frame = |c: &Conic| {
            let m = to_image.transpose() * c.matrix * to_image;
            let m = (m + m.transpose()) * 0.5;
            let norm = m.norm();
            (norm > 0.0).then(|| m / norm)
        };
        let (outer, inner) = (in_frame(outer)?, in_frame(inner)?);
        let coefficients = pencil_cubic(&outer, &inner);
        let roots = cubic_roots(coefficients)?;
        let distance = |a: Root, b: Root| (a.re - b.re).hypot(a.im - b.im);
        // The closest pair is the split double eigenvalue; the remaining one is simple.
        let simple_index = (0..3)
            .min_by(|&i, &j| {
                let pair = |k: usize| distance(roots[(k + 1) % 3], roots[(k + 2) % 3]);
                pair(i).total_cmp(&pair(j))
            })
            .unwrap_or(0);
        let simple = roots[simple_index];
        // A simple eigenvalue of a real cubic is real; an imaginary part means no clear pair.
        if simple.im != 0.0 {
            return None;
        }
        let [c3, c2, c1, c0] = coefficients;
        let simple = polish_root(simple.re, [1.0, c2 / c3, c1 / c3, c0 / c3]);
        let double = 0.5 * (-c2 / c3 - simple);
        let separation = (simple - double).abs();
        if separation.is_nan()
            || separation <= MIN_EIGENVALUE_SEPARATION * simple.abs().max(double.abs())
        {
            return None;
        }
        Some(Self { outer, inner, to_image, simple, double })
    }

    /// The member `outer − μ inner`.
    fn member(&self, mu: f64) -> Matrix3<f64> {
        self.outer - self.inner * mu
    }
}
