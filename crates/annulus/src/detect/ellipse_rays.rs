//! Casting rays from an ellipse's centre: where each ray meets the ellipse, and points on the
//! ellipse's affine circle parametrisation.
//!
//! An ellipse is the affine image of a circle, `p(t) = c + a·cos t·u + b·sin t·v` with `u` the
//! major-axis direction and `v` the minor one (`u` turned by +90°, towards +y). Up to a rotation
//! of `t`, equal steps of `t` are equal angles on the printed circle (to first order in the
//! perspective across one marker), which is what sector sampling needs.

use crate::geometry::Ellipse;

/// Unit vectors of the major and minor axes.
pub(crate) fn axes(e: &Ellipse) -> ([f64; 2], [f64; 2]) {
    let (s, c) = e.angle_rad.sin_cos();
    ([c, s], [-s, c])
}

/// Distance from the centre to the ellipse along the unit direction `dir`.
pub(crate) fn radius_along(e: &Ellipse, dir: [f64; 2]) -> f64 {
    let (u, v) = axes(e);
    let along_u = (dir[0] * u[0] + dir[1] * u[1]) / e.semi_major_px;
    let along_v = (dir[0] * v[0] + dir[1] * v[1]) / e.semi_minor_px;
    1.0 / (along_u * along_u + along_v * along_v).sqrt()
}

/// The point at the parameter `t` with `(sin t, cos t)` given of the ellipse scaled by `scale`
/// about `center`, with `(u, v)` its [`axes`]: callers that visit many points of one ellipse
/// work out the axes once, and a fixed set of parameters' sines and cosines once.
pub(crate) fn scaled_point_at(
    e: &Ellipse,
    (u, v): ([f64; 2], [f64; 2]),
    center: [f64; 2],
    scale: f64,
    (s, c): (f64, f64),
) -> [f64; 2] {
    let (a, b) = (scale * e.semi_major_px * c, scale * e.semi_minor_px * s);
    [center[0] + a * u[0] + b * v[0], center[1] + a * u[1] + b * v[1]]
}

/// Unit vector at `angle` radians from +x towards +y.
pub(crate) fn unit(angle: f64) -> [f64; 2] {
    let (s, c) = angle.sin_cos();
    [c, s]
}
