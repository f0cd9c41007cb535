//! Brown–Conrady lens distortion (Brown, "Decentering distortion of lenses", 1966), with
//! OpenCV's parameter order and sign conventions.
//!
//! On normalised coordinates `(x, y)` with `r² = x² + y²`:
//!
//! ```text
//! x_d = x (1 + k1 r² + k2 r⁴ + k3 r⁶) + 2 p1 x y + p2 (r² + 2 x²)
//! y_d = y (1 + k1 r² + k2 r⁴ + k3 r⁶) + p1 (r² + 2 y²) + 2 p2 x y
//! ```
//!
//! The forward map is closed-form; the inverse is found by Newton's method on the forward map
//! with its analytic Jacobian, started at the distorted point. It converges in a handful of
//! iterations inside the field of view; where the Jacobian's determinant is not positive the
//! model folds over and no inverse is reported.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Newton iterations allowed before giving up; convergence normally takes 3 to 6.
const MAX_NEWTON_ITERATIONS: usize = 50;

/// Step size (in normalised units) at which Newton's method counts as converged: about
/// 1e-11 px at a 1000 px focal length, far below any measurement this crate makes.
const NEWTON_TOLERANCE: f64 = 1e-14;

/// Largest |coefficient| accepted: real lenses stay far below, and larger values are typos.
const MAX_COEFFICIENT: f64 = 1e3;

/// Radial (`k1`, `k2`, `k3`) and tangential (`p1`, `p2`) distortion coefficients.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrownConrady {
    /// Radial coefficient of r².
    #[serde(default)]
    pub k1: f64,
    /// Radial coefficient of r⁴.
    #[serde(default)]
    pub k2: f64,
    /// First tangential coefficient.
    #[serde(default)]
    pub p1: f64,
    /// Second tangential coefficient.
    #[serde(default)]
    pub p2: f64,
    /// Radial coefficient of r⁶.
    #[serde(default)]
    pub k3: f64,
}

impl BrownConrady {
    /// Checks that every coefficient is finite and of plausible size.
    pub fn validate(&self) -> Result<()> {
        let fields = [
            ("camera.distortion.k1", self.k1),
            ("camera.distortion.k2", self.k2),
            ("camera.distortion.p1", self.p1),
            ("camera.distortion.p2", self.p2),
            ("camera.distortion.k3", self.k3),
        ];
        for (field, value) in fields {
            if !(value.is_finite() && value.abs() <= MAX_COEFFICIENT) {
                return Err(Error::OutOfRange {
                    field,
                    value,
                    expected: "a finite number between -1000 and 1000",
                });
            }
        }
        Ok(())
    }

    /// Applies the distortion to normalised coordinates.
    pub fn distort(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        let r2 = x * x + y * y;
        let radial = 1.0 + r2 * (self.k1 + r2 * (self.k2 + r2 * self.k3));
        [
            x * radial + 2.0 * self.p1 * x * y + self.p2 * (r2 + 2.0 * x * x),
            y * radial + self.p1 * (r2 + 2.0 * y * y) + 2.0 * self.p2 * x * y,
        ]
    }

    /// The Jacobian `∂(x_d, y_d)/∂(x, y)`, row-major.
    pub fn jacobian(&self, [x, y]: [f64; 2]) -> [[f64; 2]; 2] {
        let r2 = x * x + y * y;
        let radial = 1.0 + r2 * (self.k1 + r2 * (self.k2 + r2 * self.k3));
        // d(radial)/dx = x · d_radial and likewise for y.
        let d_radial = 2.0 * self.k1 + r2 * (4.0 * self.k2 + 6.0 * self.k3 * r2);
        let cross = d_radial * x * y + 2.0 * self.p1 * x + 2.0 * self.p2 * y;
        [
            [radial + d_radial * x * x + 2.0 * self.p1 * y + 6.0 * self.p2 * x, cross],
            [cross, radial + d_radial * y * y + 6.0 * self.p1 * y + 2.0 * self.p2 * x],
        ]
    }

    /// Inverts [`BrownConrady::distort`]; `None` where Newton's method fails or the model folds.
    pub fn undistort(&self, distorted: [f64; 2]) -> Option<[f64; 2]> {
        let mut p = distorted;
        for _ in 0..MAX_NEWTON_ITERATIONS {
            let [dx, dy] = self.distort(p);
            let (ex, ey) = (dx - distorted[0], dy - distorted[1]);
            let [[a, b], [c, d]] = self.jacobian(p);
            let det = a * d - b * c;
            if det.is_nan() || det <= 0.0 {
                return None;
            }
            let step = [(d * ex - b * ey) / det, (a * ey - c * ex) / det];
            p = [p[0] - step[0], p[1] - step[1]];
            if step[0].abs().max(step[1].abs()) < NEWTON_TOLERANCE {
                let [[a, b], [c, d]] = self.jacobian(p);
                return (a * d - b * c > 0.0 && p[0].is_finite() && p[1].is_finite()).then_some(p);
            }
        }
        None
    }
}
