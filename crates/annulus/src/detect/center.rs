//! The image of each marker's centre: the projective centre, free of the perspective bias of
//! the ellipse centre.
//!
//! Under perspective the centre of a circle's image ellipse is not the image of the circle's
//! centre. The image of the centre is the pole of the plane's vanishing line with respect to
//! the ellipse (Hartley & Zisserman, *Multiple View Geometry*, 2nd ed., §8.6 and result 2.15),
//! and it is the same point for every circle concentric with it. Two concentric circles give the
//! vanishing line themselves: their conic pencil contains the line at infinity, doubled
//! ([`crate::fit::vanishing_line`]), and its other degenerate member has its vertex at the
//! projected centre ([`crate::fit::projective_center`]); this is the "concentric circles"
//! construction of Kim, Gurdjos & Kweon (*Geometric and algebraic constraints of projected
//! concentric circles*, IEEE PAMI 27(4), 2005).
//!
//! A single marker's inner conic is small and noisy, so once a homography is known its
//! vanishing line is used instead: the local homography of the marker's neighbours (which
//! follows lens distortion when no camera is given) or the global one. The centre is then the
//! pole of that line with respect to the outer conic, whose edge points are the most numerous
//! and the sharpest. Without any homography, the pencil of the outer and inner conics gives the
//! centre; without an inner conic, the ellipse centre is the last resort.

use crate::fit::{pole, projective_center, vanishing_line_of};
use crate::geometry::Homography;

use super::found::Found;

/// Farthest the projective centre may sit from the ellipse centre, in outer radii. The
/// perspective bias is a few hundredths of a radius at any plausible tilt; a larger shift means
/// a degenerate conic or vanishing line, and the ellipse centre is safer.
const MAX_SHIFT_RADII: f64 = 0.1;

/// Replaces each marker's centre estimate by its projective centre.
pub(crate) fn refine_centers(found: &mut [Found], global: Option<&Homography>) {
    for f in found.iter_mut() {
        f.center_fit = projective(f, global);
    }
}

/// The projective centre of one marker by the best means available.
pub(crate) fn projective(f: &Found, global: Option<&Homography>) -> [f64; 2] {
    let outer = &f.fit.outer;
    let fallback = outer.ellipse.center_px;
    let h = f.local.as_ref().or(global);
    let candidate = match h.and_then(vanishing_line_of) {
        Some(line) => pole(&outer.conic, line),
        None => {
            f.fit.inner.as_ref().and_then(|inner| projective_center(&outer.conic, &inner.conic))
        }
    };
    match candidate {
        Some(c) if shift_ok(c, fallback, outer.ellipse.semi_minor_px) => c,
        _ => fallback,
    }
}

fn shift_ok(c: [f64; 2], ellipse_center: [f64; 2], radius: f64) -> bool {
    let d = (c[0] - ellipse_center[0]).hypot(c[1] - ellipse_center[1]);
    d.is_finite() && d <= MAX_SHIFT_RADII * radius
}
