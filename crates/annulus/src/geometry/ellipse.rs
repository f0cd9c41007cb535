//! Conics and ellipses, and how circles on the board appear in the image.
//!
//! A conic is the zero set of `a x² + b xy + c y² + d x + e y + f`, held as the symmetric 3 × 3
//! matrix `C` with `[x y 1] C [x y 1]ᵀ = 0`. Under a homography `H` that maps points
//! `p' ~ H p`, a conic maps to `C' = H⁻ᵀ C H⁻¹` (Hartley & Zisserman, *Multiple View Geometry*,
//! 2nd ed., §2.2.3). A circle's image is thus an ellipse whose centre is in general *not* the
//! image of the circle's centre; the difference is the perspective bias that projective-centre
//! methods remove.

use nalgebra::{Matrix2, Matrix3, Vector2};
use serde::{Deserialize, Serialize};

use super::Homography;

/// A conic section as its symmetric matrix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conic {
    /// The symmetric matrix `C` with `[x y 1] C [x y 1]ᵀ = 0` on the curve.
    pub matrix: Matrix3<f64>,
}

/// An ellipse in image pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ellipse {
    /// Centre of the ellipse (not, in general, the image of the circle's centre).
    pub center_px: [f64; 2],
    /// Semi-major axis length.
    pub semi_major_px: f64,
    /// Semi-minor axis length.
    pub semi_minor_px: f64,
    /// Direction of the major axis, from +x towards +y, in `(-π/2, π/2]`.
    pub angle_rad: f64,
}

impl Conic {
    /// The circle of `radius` around `center`.
    pub fn circle([cx, cy]: [f64; 2], radius: f64) -> Self {
        Self {
            matrix: Matrix3::new(
                1.0,
                0.0,
                -cx,
                0.0,
                1.0,
                -cy,
                -cx,
                -cy,
                cx * cx + cy * cy - radius * radius,
            ),
        }
    }

    /// The conic's image under the point map `h`; `None` when `h` is singular.
    pub fn mapped_by(&self, h: &Homography) -> Option<Self> {
        let inv = h.matrix().try_inverse()?;
        let m = inv.transpose() * self.matrix * inv;
        // Scale to unit norm and re-symmetrise so that repeated maps stay well conditioned.
        let m = (m + m.transpose()) * (0.5 / m.norm());
        Some(Self { matrix: m })
    }

    /// The algebraic value `[x y 1] C [x y 1]ᵀ`: zero on the curve.
    pub fn eval(&self, [x, y]: [f64; 2]) -> f64 {
        let p = nalgebra::Vector3::new(x, y, 1.0);
        (p.transpose() * self.matrix * p)[(0, 0)]
    }

    /// The ellipse this conic describes, or `None` for a hyperbola, parabola, or an empty or
    /// degenerate conic.
    pub fn to_ellipse(&self) -> Option<Ellipse> {
        let m = &self.matrix;
        let quad = Matrix2::new(m[(0, 0)], m[(0, 1)], m[(1, 0)], m[(1, 1)]);
        let center = quad.try_inverse()? * -Vector2::new(m[(0, 2)], m[(1, 2)]);
        // Value of the quadratic form at the centre: the curve is quadᵀ-level set at -f0.
        let f0 = m[(2, 2)] + m[(0, 2)] * center.x + m[(1, 2)] * center.y;
        let (a, b, c) = (quad[(0, 0)], quad[(0, 1)], quad[(1, 1)]);
        let mean = 0.5 * (a + c);
        let spread = (0.25 * (a - c).powi(2) + b * b).sqrt();
        let (l_small, l_large) = (mean - spread, mean + spread);
        // An ellipse needs both eigenvalues of the same sign as -f0.
        let major_sq = -f0 / l_small;
        let minor_sq = -f0 / l_large;
        if !(l_small * l_large > 0.0 && major_sq > 0.0 && minor_sq > 0.0) {
            return None;
        }
        let (major_sq, minor_sq) =
            if major_sq >= minor_sq { (major_sq, minor_sq) } else { (minor_sq, major_sq) };
        // The major axis is the eigenvector of the eigenvalue nearest zero in magnitude.
        let small = if l_small.abs() <= l_large.abs() { l_small } else { l_large };
        let angle = wrap_half_turn(f64::atan2(small - a, b));
        let angle = if b == 0.0 {
            // Axis-aligned: atan2 above is undefined; pick the axis by the diagonal entries.
            if a.abs() <= c.abs() { 0.0 } else { std::f64::consts::FRAC_PI_2 }
        } else {
            angle
        };
        Some(Ellipse {
            center_px: [center.x, center.y],
            semi_major_px: major_sq.sqrt(),
            semi_minor_px: minor_sq.sqrt(),
            angle_rad: angle,
        })
    }
}

impl Ellipse {
    /// The conic of this ellipse, scaled to unit norm.
    pub fn to_conic(&self) -> Conic {
        let (s, c) = self.angle_rad.sin_cos();
        let (ia, ib) = (self.semi_major_px.powi(-2), self.semi_minor_px.powi(-2));
        // Quadratic form R diag(1/a², 1/b²) Rᵀ, with R the rotation by the axis angle.
        let q = Matrix2::new(
            c * c * ia + s * s * ib,
            c * s * (ia - ib),
            c * s * (ia - ib),
            s * s * ia + c * c * ib,
        );
        let [x0, y0] = self.center_px;
        let center = Vector2::new(x0, y0);
        let lin = -(q * center);
        let f = (center.transpose() * q * center)[(0, 0)] - 1.0;
        let m =
            Matrix3::new(q[(0, 0)], q[(0, 1)], lin.x, q[(1, 0)], q[(1, 1)], lin.y, lin.x, lin.y, f);
        Conic { matrix: m / m.norm() }
    }

    /// The point of the ellipse at parameter `t` (radians from the major axis).
    pub fn point_at(&self, t: f64) -> [f64; 2] {
        let (s, c) = self.angle_rad.sin_cos();
        let (u, v) = (self.semi_major_px * t.cos(), self.semi_minor_px * t.sin());
        [self.center_px[0] + c * u - s * v, self.center_px[1] + s * u + c * v]
    }
}

/// Wraps an axis direction into `(-π/2, π/2]` (an axis has no sign).
fn wrap_half_turn(angle: f64) -> f64 {
    use std::f64::consts::{FRAC_PI_2, PI};
    let mut a = angle % PI;
    if a > FRAC_PI_2 {
        a -= PI;
    } else if a <= -FRAC_PI_2 {
        a += PI;
    }
    a
}
