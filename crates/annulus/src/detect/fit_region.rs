//! Where the model fit looks: the region's radius on the board, sized by the blur the patch
//! allows and measured along the marker's narrowest image radius, and the bounding box of its
//! image in the transform patch, from which the region's pixels are gathered
//! ([`super::refine_model`]). Frames: board millimetres about the marker's centre; image
//! pixels for the box. A degenerate pose gets the widest region; too strong a perspective to
//! bound gets the whole patch.

use std::ops::Range;

use super::marker_render::{MarkerPose, Pattern, mat_mul};
use super::refine_model::KERNEL_REACH_SIGMAS;

/// Paper beyond the blurred outer edge that the fit region keeps, in pixels, over the kernel's
/// reach: a pixel of flat paper all round pins the paper level and the light gradient, and
/// covers the start pose being off by a fraction of a pixel.
const REGION_MARGIN_PX: f64 = 1.0;

/// The patch columns and rows that can hold a pixel within `region_mm` of the start's centre
/// on the board: the bounding box of the region's image, with room for the lens expansion's
/// curvature. Cells outside it cannot be in the region, and skipping them spares a board
/// mapping for each; the whole patch when the perspective is too strong to bound.
pub(crate) fn region_box(
    start: &MarkerPose,
    jf_inv: [[f64; 2]; 2],
    region_mm: f64,
    center_img: [f64; 2],
    origin: [i64; 2],
    n: usize,
) -> [Range<usize>; 2] {
    // The image offset of a board point `q` is `Jf⁻¹·L·q / (1 + vᵀq)`, and `1 + vᵀq` is at least
    // `1 − |v|·|q|`: each image axis moves by at most its row of `Jf⁻¹·L` times this reach.
    let v_reach = start.persp[0].hypot(start.persp[1]) * region_mm;
    let reach = region_mm / (1.0 - v_reach);
    let m = mat_mul(jf_inv, start.linear);
    [0, 1].map(|k| {
        // 5 % and two pixels over the affine bound cover the second-order lens expansion
        // (under 0.005 px here) and the rounding of the patch's origin many times over.
        let half = 1.05 * m[k][0].hypot(m[k][1]) * reach + 2.0;
        if !(v_reach < 0.5 && half.is_finite()) {
            return 0..n;
        }
        let lo = ((center_img[k] - half).floor() as i64 - origin[k]).clamp(0, n as i64);
        let hi = ((center_img[k] + half).ceil() as i64 + 1 - origin[k]).clamp(0, n as i64);
        lo as usize..hi as usize
    })
}

/// The fit region's radius on the board, in outer radii, for a patch that allows blur up to
/// `max_sigma` pixels: the outer edge, the blur kernel's reach beyond it and
/// [`REGION_MARGIN_PX`], measured along the marker's narrowest image radius so that the margin
/// holds in every direction; never beyond `pattern.region_radii`, which keeps the neighbours
/// out. Pixels farther out see flat paper only: they add nothing to the pose or the blur and
/// cost as much as any other, and they make the transform's patch larger.
pub(crate) fn fit_region_radii(pattern: Pattern, start: &MarkerPose, max_sigma: f64) -> f64 {
    let reach_px = KERNEL_REACH_SIGMAS * max_sigma + REGION_MARGIN_PX;
    let narrowest_px = start.smallest_radius_px(pattern.radius);
    // A degenerate pose (zero or NaN radius) falls back to the widest region.
    let wanted = 1.0 + reach_px / narrowest_px;
    if wanted.is_finite() { wanted.min(pattern.region_radii) } else { pattern.region_radii }
}
