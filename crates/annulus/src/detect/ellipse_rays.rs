//! Casting rays from an ellipse's centre: where each ray meets the ellipse, and points on the
//! ellipse's affine circle parametrisation.
//!
//! An ellipse is the affine image of a circle, `p(t) = c + a·cos t·u + b·sin t·v` with `u` the
//! major-axis direction and `v` the minor one (`u` turned by +90°, towards +y). Up to a rotation
//! of `t`, equal steps of `t` are equal angles on the printed circle (to first order in the
//! perspective across one marker), which is what sector sampling needs.
//!
//! *Ray fans.* The edge fits cast fans of `n` rays at the angles `2π·(k + φ)/n` around every
//! candidate, several fans per candidate, and a fan's directions are the same for every
//! candidate with that ray count. [`fan`] serves them from a table built once per process for
//! the counts the fits use (whole fans of [`TABLED_WHOLE`] rays, half-offset fans of every even
//! count in [`TABLED_HALF`]): about 4,000 directions, 64 KiB, instead of a sine and a cosine
//! per ray and candidate. Each entry is computed by the same expression as the direct path, so
//! the directions are bit for bit those of [`unit`]; any other count is computed directly.

use std::f64::consts::TAU;
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use crate::geometry::Ellipse;

/// The ray count of the whole fans in the table (phase 0): the scale search's and the
/// contrast's.
pub(crate) const TABLED_WHOLE: usize = 32;

/// The even ray counts of the half-offset fans in the table (phase ½): every count the outer
/// and inner refinements can choose.
pub(crate) const TABLED_HALF: RangeInclusive<usize> = 24..=128;

/// Where the first ray of a fan points, in ray steps from +x.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Ray `k` at `2π·k/n`.
    Whole,
    /// Ray `k` at `2π·(k + ½)/n`.
    Half,
}

/// The unit directions of a fan of rays (fit frame).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Fan {
    /// Read from the table.
    Tabled { dirs: &'static [[f64; 2]], phase: Phase },
    /// Computed per ray: a count the table does not hold.
    Direct { n: usize, phase: Phase },
}

impl Fan {
    /// Direction of ray `k` (`k < n`).
    #[inline]
    pub(crate) fn dir(&self, k: usize) -> [f64; 2] {
        match *self {
            // A ray past the fan (no caller asks for one) is computed as the direct path would.
            Fan::Tabled { dirs, phase } => {
                dirs.get(k).copied().unwrap_or_else(|| direction(k, dirs.len(), phase))
            }
            Fan::Direct { n, phase } => direction(k, n, phase),
        }
    }
}

/// The fan of `n` rays with the given phase.
pub(crate) fn fan(n: usize, phase: Phase) -> Fan {
    let table = TABLE.get_or_init(Table::new);
    let tabled = match phase {
        Phase::Whole if n == TABLED_WHOLE => Some(&table.whole[..]),
        Phase::Half if TABLED_HALF.contains(&n) && n.is_multiple_of(2) => {
            let i = (n - TABLED_HALF.start()) / 2;
            table.half_offsets.get(i).and_then(|&at| table.half.get(at..at + n))
        }
        _ => None,
    };
    tabled.map_or(Fan::Direct { n, phase }, |dirs| Fan::Tabled { dirs, phase })
}

/// The direction of ray `k` of `n` at `phase`, as the fits computed it before the table.
fn direction(k: usize, n: usize, phase: Phase) -> [f64; 2] {
    match phase {
        Phase::Whole => unit(TAU * k as f64 / n as f64),
        Phase::Half => unit(TAU * (k as f64 + 0.5) / n as f64),
    }
}

static TABLE: OnceLock<Table> = OnceLock::new();

/// Every tabled fan, the half-offset ones one after another.
struct Table {
    whole: Vec<[f64; 2]>,
    half: Vec<[f64; 2]>,
    /// Start in `half` of the fan of `TABLED_HALF.start() + 2·i` rays.
    half_offsets: Vec<usize>,
}

impl Table {
    fn new() -> Self {
        let whole = (0..TABLED_WHOLE).map(|k| direction(k, TABLED_WHOLE, Phase::Whole)).collect();
        let (mut half, mut half_offsets) = (Vec::new(), Vec::new());
        for n in TABLED_HALF.step_by(2) {
            half_offsets.push(half.len());
            half.extend((0..n).map(|k| direction(k, n, Phase::Half)));
        }
        Self { whole, half, half_offsets }
    }
}

/// Unit vectors of the major and minor axes.
pub(crate) fn axes(e: &Ellipse) -> ([f64; 2], [f64; 2]) {
    let (s, c) = e.angle_rad.sin_cos();
    ([c, s], [-s, c])
}

/// Distance from the centre to the ellipse along the unit direction `dir`, with `(u, v)` the
/// ellipse's [`axes`]: a caller casting many rays at one ellipse works them out once.
pub(crate) fn radius_along(e: &Ellipse, (u, v): ([f64; 2], [f64; 2]), dir: [f64; 2]) -> f64 {
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

#[cfg(test)]
#[path = "ellipse_rays_tests.rs"]
mod tests;
