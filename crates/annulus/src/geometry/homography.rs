//! Homographies: projective maps between planes, `dst ~ H · [x, y, 1]ᵀ`.
//!
//! Stored row-major and normalised so that the bottom-right entry is 1 where possible, which
//! makes serialised matrices comparable by eye. A point that maps to (or from) the line at
//! infinity has no image; [`Homography::apply`] returns `None` for it instead of a huge number.

use nalgebra::{Matrix3, Vector3};
use serde::{Deserialize, Serialize};

/// Smallest |w| accepted when dehomogenising; below it the point is treated as at infinity.
/// Pixel and millimetre coordinates are at most about 1e6, so genuine points have |w| far above.
const MIN_W: f64 = 1e-12;

/// A 3 × 3 projective map between two planes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Homography {
    rows: [[f64; 3]; 3],
}

impl Homography {
    /// The identity map.
    pub const IDENTITY: Self = Self { rows: [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]] };

    /// Builds a homography from its rows, normalised so that the bottom-right entry is 1 (or,
    /// when that entry is near 0, so that the matrix has unit Frobenius norm).
    pub fn from_rows(rows: [[f64; 3]; 3]) -> Self {
        Self::from_matrix(&Matrix3::from_fn(|r, c| rows[r][c]))
    }

    /// Builds a homography from an nalgebra matrix, normalised as in [`Homography::from_rows`].
    pub fn from_matrix(m: &Matrix3<f64>) -> Self {
        let scale = if m[(2, 2)].abs() > 1e-9 * m.norm() { m[(2, 2)] } else { m.norm() };
        let m = m / scale;
        Self { rows: [0, 1, 2].map(|r| [m[(r, 0)], m[(r, 1)], m[(r, 2)]]) }
    }

    /// The matrix rows.
    pub fn rows(&self) -> [[f64; 3]; 3] {
        self.rows
    }

    /// The matrix as nalgebra's type.
    pub fn matrix(&self) -> Matrix3<f64> {
        Matrix3::from_fn(|r, c| self.rows[r][c])
    }

    /// Maps a point; `None` when it lands at infinity or any input is not finite.
    pub fn apply(&self, [x, y]: [f64; 2]) -> Option<[f64; 2]> {
        let h = &self.rows;
        let w = h[2][0] * x + h[2][1] * y + h[2][2];
        if w.is_nan() || w.abs() <= MIN_W {
            return None;
        }
        let u = (h[0][0] * x + h[0][1] * y + h[0][2]) / w;
        let v = (h[1][0] * x + h[1][1] * y + h[1][2]) / w;
        (u.is_finite() && v.is_finite()).then_some([u, v])
    }

    /// The inverse map, if the matrix is invertible.
    pub fn inverse(&self) -> Option<Self> {
        self.matrix().try_inverse().map(|m| Self::from_matrix(&m))
    }

    /// The map `self ∘ first`: apply `first`, then `self`.
    pub fn after(&self, first: &Self) -> Self {
        Self::from_matrix(&(self.matrix() * first.matrix()))
    }

    /// The 2 × 2 Jacobian `∂(u, v)/∂(x, y)` at a point, row-major; `None` where the point maps
    /// to infinity.
    pub fn jacobian(&self, [x, y]: [f64; 2]) -> Option<[[f64; 2]; 2]> {
        let h = &self.rows;
        let p = self.matrix() * Vector3::new(x, y, 1.0);
        let w = p.z;
        if w.is_nan() || w.abs() <= MIN_W {
            return None;
        }
        let (u, v) = (p.x / w, p.y / w);
        Some([
            [(h[0][0] - u * h[2][0]) / w, (h[0][1] - u * h[2][1]) / w],
            [(h[1][0] - v * h[2][0]) / w, (h[1][1] - v * h[2][1]) / w],
        ])
    }
}
