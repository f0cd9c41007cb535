//! Where the model fit looks: the region's radius on the board, sized by a blur and measured
//! along the marker's narrowest image radius; the bounding box of its image; and the gathering
//! of its pixels ([`gather`]) into the transform patch's runs and, beyond it, into the paper
//! ring ([`super::paper_ring`]), for [`super::refine_model`].
//!
//! The region and the ring are the images of two concentric discs on the board, each convex,
//! so each holds one run of pixels per image row. [`gather`] tests only the runs' ends, walking
//! from the previous row's ends ([`run_ends`]): a few board mappings per row where a scan from
//! the bounding box's sides took a dozen.
//!
//! Frames: board millimetres about the marker's centre; image pixels for the box and the rows.
//! A degenerate pose gets the widest region; too strong a perspective to bound gets the whole
//! patch.

use std::ops::Range;

use super::fit_pixels::FitPixels;
use super::marker_render::{MarkerPose, PatchFrame, Pattern, mat_mul};
use super::paper_ring::PaperRing;
use super::refine_model::KERNEL_REACH_SIGMAS;
use super::sampler::Sampler;

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

/// Where a region's pixels are laid out: the start pose, the patch, and the maps its cells
/// share.
pub(crate) struct Layout<'a> {
    pub(crate) start: &'a MarkerPose,
    pub(crate) frame: &'a PatchFrame,
    /// `L⁻¹` of the start, and `∂(image)/∂(fit)` of the patch.
    pub(crate) inv_l: [[f64; 2]; 2],
    pub(crate) jf_inv: [[f64; 2]; 2],
    /// The start's image centre, and the image pixel of patch cell `(0, 0)`, and the patch side.
    pub(crate) center_img: [f64; 2],
    pub(crate) origin: [i64; 2],
    pub(crate) n: usize,
    /// The start's outer radius, pixels: the paper ring's offsets are in these units.
    pub(crate) radius_px: f64,
}

/// What [`gather`] laid out.
pub(crate) struct Gathered {
    /// Patch rows holding fitted pixels inside the image.
    pub(crate) rows: Range<usize>,
    /// Cells of the region, inside the image or not.
    pub(crate) n_region: usize,
}

/// Gathers the pixels within `region_mm` of the start's centre on the board into `pixels`
/// (patch runs, for the rendered model) and those beyond it out to `ring_mm` into `ring` (the
/// paper ring, [`super::paper_ring`]), reading grey values from `sampler`. `None` when the
/// region reaches the patch's outermost rows or columns: the transform's patch must hold it.
pub(crate) fn gather(
    sampler: &Sampler<'_>,
    layout: &Layout<'_>,
    [region_mm, ring_mm]: [f64; 2],
    pixels: &mut FitPixels,
    ring: &mut PaperRing,
) -> Option<Gathered> {
    let Layout { start, frame, inv_l, jf_inv, center_img, origin, n, radius_px } = *layout;
    let origin_offset = [origin[0] as f64 - center_img[0], origin[1] as f64 - center_img[1]];
    pixels.clear(n, origin_offset);
    *ring = PaperRing::default();
    let ring_mm = ring_mm.max(region_mm);
    let (region_sq, ring_sq) = (region_mm * region_mm, ring_mm * ring_mm);
    // The ring reaches beyond the patch. Half a side more on every side is ample: the patch
    // is wider than the region's diameter, and the ring's radius is under 1.5 times the
    // region's.
    let pad = (n / 2) as i64;
    let ring_origin = [origin[0] - pad, origin[1] - pad];
    let [ring_cols, ring_rows] =
        region_box(start, jf_inv, ring_mm, center_img, ring_origin, n + 2 * pad as usize);
    // Whether image pixel (x, y) is within `radius_sq` of the centre on the board.
    let within = |x: i64, y: i64, radius_sq: f64| {
        let q = start.board_offset(frame.fit_point([x as f64, y as f64]), &inv_l);
        q.is_some_and(|q| q[0] * q[0] + q[1] * q[1] <= radius_sq)
    };
    let (patch_x, patch_y) = (origin[0]..origin[0] + n as i64, origin[1]..origin[1] + n as i64);
    let mut rows = n..0;
    let mut n_region = 0usize;
    let ring_xs = ring_origin[0] + ring_cols.start as i64..ring_origin[0] + ring_cols.end as i64;
    // The runs' ends move little from row to row, so each row's search starts from the last
    // row's ends.
    let mid = (ring_xs.start + ring_xs.end) / 2;
    let (mut outer_guess, mut inner_guess) = ([mid; 2], [mid; 2]);
    for j in ring_rows {
        let y = ring_origin[1] + j as i64;
        // The region and the ring's disc are images of discs on the board, convex (an ellipse,
        // or the focus's side of a hyperbola under extreme perspective), so each one's cells
        // on a row form one run (`region_tests.rs` checks the one run under perspective and
        // lens distortion), and the region's run lies within the ring disc's.
        let Some((outer_first, outer_last)) =
            run_ends(ring_xs.clone(), outer_guess, |x| within(x, y, ring_sq))
        else {
            continue;
        };
        outer_guess = [outer_first, outer_last];
        let inner = run_ends(outer_first..outer_last + 1, inner_guess, |x| within(x, y, region_sq));
        let paper = |xs: Range<i64>, ring: &mut PaperRing| {
            let Some((lo, values)) = sampler.row_span(y, xs) else { return };
            let rho_y = (y as f64 - center_img[1]) / radius_px;
            for (x, &v) in (lo..).zip(values) {
                let rho_x = (x as f64 - center_img[0]) / radius_px;
                ring.add([rho_x, rho_y], f64::from(v));
            }
        };
        let Some((first, last)) = inner else {
            paper(outer_first..outer_last + 1, ring);
            continue;
        };
        inner_guess = [first, last];
        paper(outer_first..first, ring);
        paper(last + 1..outer_last + 1, ring);
        // The patch must hold the region with a cell to spare all round.
        let spare = |r: &Range<i64>, v: i64| v > r.start && v < r.end - 1;
        if !(spare(&patch_y, y) && spare(&patch_x, first) && spare(&patch_x, last)) {
            return None;
        }
        n_region += (last + 1 - first) as usize;
        // The run's cells inside the image: a run the border cuts is still one run.
        let Some((lo, values)) = sampler.row_span(y, first..last + 1) else { continue };
        let (row, col) = ((y - origin[1]) as usize, (lo - origin[0]) as usize);
        pixels.push_run(row, col, values.len(), |k| f32::from(values[k]));
        rows = rows.start.min(row)..rows.end.max(row + 1);
    }
    pixels.finish();
    Some(Gathered { rows, n_region })
}

/// The first and last of `range` where `inside` holds, when it holds on one contiguous run of
/// `range` or nowhere: the same ends as a scan from each side, found by walking from the
/// guessed ends `guess`, which costs a few tests when the guess is close.
pub(crate) fn run_ends(
    range: Range<i64>,
    guess: [i64; 2],
    inside: impl Fn(i64) -> bool,
) -> Option<(i64, i64)> {
    if range.is_empty() {
        return None;
    }
    let (lo, hi) = (range.start, range.end - 1);
    // From a cell of the run, its first cell.
    let run_start = |mut x: i64| {
        while x > lo && inside(x - 1) {
            x -= 1;
        }
        x
    };
    let g = guess[0].clamp(lo, hi);
    let first = if inside(g) {
        // Inside: the run starts at or left of the guess.
        run_start(g)
    } else if let Some(x) = (g + 1..=hi).find(|&x| inside(x)) {
        // Outside, and the run lies to the right: its first cell is the first one met.
        x
    } else {
        // Outside, and the run, if any, lies to the left: the first cell met is its last.
        run_start((lo..g).rev().find(|&x| inside(x))?)
    };
    let g = guess[1].clamp(first, hi);
    let last = if inside(g) {
        let mut last = g;
        while last < hi && inside(last + 1) {
            last += 1;
        }
        last
    } else {
        // Outside, right of `first`, which is inside: the run ends between them.
        (first..g).rev().find(|&x| inside(x)).unwrap_or(first)
    };
    Some((first, last))
}
