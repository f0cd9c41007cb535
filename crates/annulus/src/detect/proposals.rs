//! Candidate marker centres by gradient-based radial-symmetry voting.
//!
//! Method: the fast radial symmetry transform of Loy & Zelinsky (*Fast radial symmetry for
//! detecting points of interest*, IEEE PAMI 25(8), 2003), orientation-based and weighted by
//! gradient magnitude. Every pixel whose Sobel gradient is strong enough votes at the points a
//! distance `r` along and against its gradient, for each integer `r` of the level's radius
//! range; both directions are voted, so dark-on-light and light-on-dark markers are found alike.
//! The edges of a ring all point at its centre, so a marker piles up about `2πr · contrast`
//! votes there (the gradient magnitude integrated across an edge is its contrast).
//!
//! The vote runs row by row: the Sobel sums of a whole row over `f32` copies of the image rows,
//! then the edge test, magnitudes and directions eight pixels at a time in vector lanes, then
//! each edge pixel's votes, whose positions are computed eight radius steps at a time when the
//! pixel is far enough from the borders that none can fall outside. Every value is what the
//! one-pixel-at-a-time computation gives, to the bit (`proposals_tests` keeps it as the
//! reference).
//!
//! Scale: each pyramid level covers outer radii of [`LEVEL_RADIUS_PX`] level pixels, so a
//! search over any diameter range costs one vote per edge pixel and radius step on the
//! coarsest adequate level, instead of one full-resolution pass per scale.
//!
//! Peaks are the maxima of the 3 × 3 box sum of the votes within a window of half the smallest
//! radius (the 3 × 3 neighbourhood tested first, eight pixels at a time in vector lanes), above [`MIN_CONTRAST_GREY`]-based threshold and at least [`MIN_VOTE_CONCENTRATION`]
//! times the background vote level (noise and texture vote everywhere alike; a ring concentrates
//! its votes); the strongest [`MAX_CANDIDATES`] are kept. Border pixels (one pixel wide) do not
//! vote; votes outside the image are dropped.

use wide::f32x8;

use crate::image::ImageView;

use super::pyramid::to_level0;

#[cfg(test)]
#[path = "proposals_tests.rs"]
mod tests;

/// Outer radii, in level pixels, that a pyramid level searches. Below 5 px a marker's rings
/// blur together after 2 × 2 averaging; above 10 px the next level is as good and four times
/// cheaper.
const LEVEL_RADIUS_PX: [f64; 2] = [5.0, 10.0];

/// Relative widening of each pyramid level's voting range, so that a marker on the boundary
/// between two levels is still found by one of them.
const LEVEL_OVERLAP: f64 = 0.15;

/// Deepest pyramid level: radii up to 10 · 2¹² px cover any image the size limit allows.
pub(crate) const MAX_LEVEL: u32 = 12;

/// Smallest edge contrast, in grey levels, worth a vote: about four times the Sobel response to
/// sensor noise of 5 grey levels after 2 × 2 averaging.
const MIN_EDGE_GREY_PER_PX: f64 = 6.0;

/// Faintest marker the voting keeps, as the grey-level contrast of its edges.
const MIN_CONTRAST_GREY: f64 = 30.0;

/// Fraction of a full circle of votes a centre must collect: partial occlusion, the image
/// border or an oblique view can hide part of the ring.
const MIN_VOTE_FRACTION: f64 = 0.25;

/// Most candidates kept per level; a board of 1000 markers and clutter fit comfortably.
pub(crate) const MAX_CANDIDATES: usize = 4096;

/// Smallest ratio of a peak's votes to the background vote level: the lower of the mean over the
/// level and the mean over the peak's surroundings ([`BACKGROUND_BLOCKS`]). A ring concentrates
/// the votes of its whole circumference on its centre, so its peak stands far above the vote
/// level around it: the faintest markers measured
/// (a dense board of 972 markers 22 px across, a board under noise of σ = 25 grey levels, a
/// board at 45° tilt) stand 5 to 40 times above it. Where every pixel is an edge (white noise,
/// coarse texture) the votes land at random and their local maxima stand at most 2.8 times above
/// the mean (measured on 1280 x 1024 uniform and Gaussian noise), however strong the edges.
const MIN_VOTE_CONCENTRATION: f32 = 3.0;

/// Side of the blocks over which the background vote level is averaged, in smallest radii of
/// the level.
const BACKGROUND_BLOCK_RADII: f64 = 2.0;

/// The background of a peak is the mean vote over its own block and this many blocks on each
/// side: a square of about ten smallest radii, two to three lattice pitches of the built-in
/// board, so that a board in front of a cluttered scene is judged against its own surroundings.
/// The level's mean serves a board that fills the view with markers.
const BACKGROUND_BLOCKS: usize = 2;

/// A proposed marker centre.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Candidate {
    /// Centre in level-0 image pixels.
    pub(crate) center_img_px: [f64; 2],
    /// Outer radii searched around it, in level-0 pixels.
    pub(crate) radius_px: [f64; 2],
    /// Votes collected (3 × 3 sum) per pixel of the smallest circumference searched: about the
    /// edge contrast in grey levels times the fraction of the ring that voted. Comparable
    /// across levels.
    pub(crate) score: f32,
}

/// Scratch buffers of the voting stage.
#[derive(Debug, Default)]
pub(crate) struct VoteScratch {
    votes: Vec<f32>,
    /// Three-pixel sums along each row of `votes`, the first half of the box filter.
    row_sums: Vec<f32>,
    boxed: Vec<f32>,
    /// Sums of `boxed` over square blocks, for the background level of each peak.
    blocks: Vec<f32>,
    peaks: Vec<Candidate>,
    sobel: SobelRows,
}

/// The outer radii each pyramid level votes for (level pixels, widened by [`LEVEL_OVERLAP`]) to
/// cover `radius_px` (level-0 pixels), indexed by level; `None` for a level not needed.
///
/// Level `L` is responsible for the level-0 radii `[5, 10] · 2^L` (level 0 for everything up
/// to 10): its *share* is where the range meets that band. A level votes only where its share
/// is an interval, not a single point at the band's edge, and only when its share reaches
/// beyond the finer level's widened range. The default smallest diameter, 20 px, is radius 10,
/// level 0's upper edge; voting on level 0 for it cost a pass over the whole full-resolution
/// image for nothing. A hint of 33.7 px (radii 12.6 to 21.1) needs level 1 alone, whose range
/// widened to 23 px covers level 2's share, 20 to 21.1. A range that is a single radius on an
/// edge goes to the coarser level.
///
/// The finer level is the one kept: its candidates carry the narrower radius range, which the
/// scale search of the edge fit needs. A coarser level covering a finer level's share is not
/// enough to drop the finer one: with ringgrid's board hinted (radii 17.4 to 29), level 2
/// alone left six markers to the completion search that level 1's candidates fit.
pub(crate) fn level_plan(radius_px: [f64; 2]) -> [Option<[f64; 2]>; MAX_LEVEL as usize + 1] {
    const N_LEVELS: usize = MAX_LEVEL as usize + 1;
    let [r_lo, r_hi] = radius_px;
    let mut share = [None; N_LEVELS];
    for (level, slot) in share.iter_mut().enumerate() {
        let scale = f64::from(1u32 << level);
        let band_lo = if level == 0 { 0.0 } else { LEVEL_RADIUS_PX[0] * scale };
        let band_hi = LEVEL_RADIUS_PX[1] * scale;
        let (lo, hi) = (r_lo.max(band_lo), r_hi.min(band_hi));
        let used = if r_lo < r_hi { lo < hi } else { lo <= hi && lo < band_hi };
        if used {
            *slot = Some([lo, hi]);
        }
    }
    let widened = |s: Option<[f64; 2]>| {
        s.map(|[lo, hi]| [lo / (1.0 + LEVEL_OVERLAP), hi * (1.0 + LEVEL_OVERLAP)])
    };
    // Fine to coarse, so that the finer neighbour is decided (and kept) before it is relied on.
    let mut keep = share.map(|s| s.is_some());
    for level in 1..N_LEVELS {
        let Some([_, hi]) = share[level] else { continue };
        if keep[level - 1] && widened(share[level - 1]).is_some_and(|[_, w_hi]| w_hi >= hi) {
            keep[level] = false;
        }
    }
    let mut plan = [None; N_LEVELS];
    for (level, slot) in plan.iter_mut().enumerate() {
        let scale = f64::from(1u32 << level);
        if keep[level] {
            *slot = widened(share[level]).map(|[lo, hi]| [lo / scale, hi / scale]);
        }
    }
    plan
}

/// Votes on `image` (pyramid level `level`) for outer radii `radius_px` (level pixels) and
/// appends the peaks to `out`.
pub(crate) fn propose(
    image: &ImageView<'_>,
    level: u32,
    radius_px: [f64; 2],
    scratch: &mut VoteScratch,
    out: &mut Vec<Candidate>,
) {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let [r_lo, r_hi] = radius_px;
    if w < 3 || h < 3 || !(r_hi >= r_lo && r_lo > 0.0) {
        return;
    }
    vote(image, radius_px, &mut scratch.votes, &mut scratch.sobel);
    box3(&scratch.votes, w, h, &mut scratch.row_sums, &mut scratch.boxed);

    // A full circle at the smallest radius, at the faintest contrast, seen in part.
    let threshold = (MIN_VOTE_FRACTION * std::f64::consts::TAU * r_lo * MIN_CONTRAST_GREY) as f32;
    let window = ((0.5 * r_lo).round() as usize).max(2);
    let background = Background::new(&scratch.boxed, w, h, r_lo, &mut scratch.blocks);
    scratch.peaks.clear();
    let boxed = &scratch.boxed;
    let scale = f64::from(1u32 << level);
    for y in 1..h - 1 {
        let rows = [
            &boxed[(y - 1) * w..y * w],
            &boxed[y * w..(y + 1) * w],
            &boxed[(y + 1) * w..(y + 2) * w],
        ];
        let mut x = 1;
        while x < w - 1 {
            // Whole vectors where the row has room for them and their right neighbours, one
            // pixel at a time on the rest of the row.
            let (mut maxima, n) = if x + LANES < w {
                (local_maxima(rows, x, threshold), LANES)
            } else {
                // `lt` as the vector test compares, so that the two agree on every value.
                let kept = !rows[1][x].lt(&threshold) && within_window_max(boxed, w, h, x, y, 1);
                (u32::from(kept), 1)
            };
            while maxima != 0 {
                let xx = x + maxima.trailing_zeros() as usize;
                maxima &= maxima - 1;
                let v = rows[1][xx];
                if !within_window_max(boxed, w, h, xx, y, window) {
                    continue;
                }
                if v < MIN_VOTE_CONCENTRATION * background.level_at(&scratch.blocks, xx, y) {
                    continue;
                }
                let center = refine_peak(boxed, w, xx, y);
                scratch.peaks.push(Candidate {
                    center_img_px: to_level0(level, center),
                    radius_px: [r_lo * scale, r_hi * scale],
                    score: v / (std::f64::consts::TAU * r_lo) as f32,
                });
            }
            x += n;
        }
    }
    scratch.peaks.sort_unstable_by(|a, b| b.score.total_cmp(&a.score));
    scratch.peaks.truncate(MAX_CANDIDATES);
    out.extend_from_slice(&scratch.peaks);
}

/// Block sums of the boxed votes: the background vote level around any pixel in constant time.
struct Background {
    /// Block side in pixels.
    side: usize,
    /// Image size in pixels and in blocks.
    size: [usize; 2],
    blocks: [usize; 2],
    /// Mean boxed vote over the whole level.
    mean: f32,
}

impl Background {
    /// Sums `boxed` (`w × h`) into `blocks` of about [`BACKGROUND_BLOCK_RADII`] · `r_lo` pixels.
    fn new(boxed: &[f32], w: usize, h: usize, r_lo: f64, blocks: &mut Vec<f32>) -> Self {
        let side = ((BACKGROUND_BLOCK_RADII * r_lo).round() as usize).max(1);
        let (bw, bh) = (w.div_ceil(side), h.div_ceil(side));
        blocks.clear();
        blocks.resize(bw * bh, 0.0);
        for y in 0..h {
            let row = &boxed[y * w..(y + 1) * w];
            let block_row = &mut blocks[(y / side) * bw..(y / side + 1) * bw];
            for (bx, chunk) in row.chunks(side).enumerate() {
                block_row[bx] += chunk.iter().sum::<f32>();
            }
        }
        let mean = blocks.iter().sum::<f32>() / (w * h) as f32;
        Self { side, size: [w, h], blocks: [bw, bh], mean }
    }

    /// The background vote level at `(x, y)`: the lower of the level's mean and the mean over
    /// the [`BACKGROUND_BLOCKS`] neighbourhood of the block holding it.
    fn level_at(&self, blocks: &[f32], x: usize, y: usize) -> f32 {
        self.mean.min(self.mean_around(blocks, x, y))
    }

    /// Mean boxed vote over the [`BACKGROUND_BLOCKS`] neighbourhood of the block holding `(x, y)`.
    fn mean_around(&self, blocks: &[f32], x: usize, y: usize) -> f32 {
        let ([w, h], [bw, bh], side) = (self.size, self.blocks, self.side);
        let (bx, by) = (x / side, y / side);
        let (x0, x1) = (bx.saturating_sub(BACKGROUND_BLOCKS), (bx + BACKGROUND_BLOCKS).min(bw - 1));
        let (y0, y1) = (by.saturating_sub(BACKGROUND_BLOCKS), (by + BACKGROUND_BLOCKS).min(bh - 1));
        let mut sum = 0.0;
        for row in y0..=y1 {
            sum += blocks[row * bw + x0..=row * bw + x1].iter().sum::<f32>();
        }
        // Blocks on the right and bottom edges may be cut short.
        let width = ((x1 + 1) * side).min(w) - x0 * side;
        let height = ((y1 + 1) * side).min(h) - y0 * side;
        sum / (width * height) as f32
    }
}

/// Image rows and Sobel sums of one row at a time, the voting pass's scratch.
#[derive(Debug, Default)]
struct SobelRows {
    /// Three image rows as `f32`, row `y` in slot `y % 3`.
    grey: Vec<f32>,
    /// Sobel sums of pixels `1 ..= w - 2` of the current row, padded with zeros to whole
    /// vectors (a zero gradient is no edge).
    gx: Vec<f32>,
    gy: Vec<f32>,
}

/// Accumulates gradient-weighted votes for every radius step in `[r_lo, r_hi]`.
///
/// Row by row: the Sobel sums of the whole row over `f32` copies of the image rows (integers
/// below 2²⁴, so exact), then the edge test, magnitudes and directions eight pixels at a time,
/// then the votes of each edge pixel. Every value is the one the one-pixel-at-a-time
/// computation gives (the same IEEE operations on the same operands), and a pixel's votes all
/// add the same weight, so the order they are added in changes nothing.
fn vote(image: &ImageView<'_>, [r_lo, r_hi]: [f64; 2], votes: &mut Vec<f32>, rows: &mut SobelRows) {
    let (w, h) = (image.width() as usize, image.height() as usize);
    votes.clear();
    votes.resize(w * h, 0.0);
    if w < 3 || h < 3 {
        return;
    }
    let n_steps = ((r_hi - r_lo).floor() as usize) + 1;
    // Sobel sums eight times the central-difference gradient per pixel; the square of a sum is
    // an integer, exact in `f32`.
    let min_mag_sq = (8.0 * MIN_EDGE_GREY_PER_PX).powi(2) as i32 as f32;
    let n = w - 2;
    let padded = n.div_ceil(LANES) * LANES;
    rows.grey.resize(3 * w, 0.0);
    rows.gx.resize(padded, 0.0);
    rows.gy.resize(padded, 0.0);
    rows.gx[n..].fill(0.0);
    rows.gy[n..].fill(0.0);
    let ray = Ray { w, h, r_lo: r_lo as f32, n_steps };
    for y in 0..h {
        // Invariant: y < h, so the row exists in a valid view.
        let Some(row) = image.row(y as u32) else { return };
        let slot = &mut rows.grey[(y % 3) * w..(y % 3 + 1) * w];
        for (g, &p) in slot.iter_mut().zip(row) {
            *g = f32::from(p);
        }
        if y < 2 {
            continue;
        }
        // Pixel row `y - 1` has both neighbours now.
        let yc = y - 1;
        let grey = &rows.grey;
        let at = |r: usize| &grey[(r % 3) * w..(r % 3 + 1) * w];
        sobel_row([at(yc - 1), at(yc), at(y)], &mut rows.gx[..n], &mut rows.gy[..n]);
        for c in (0..padded).step_by(LANES) {
            let load = |v: &[f32]| {
                let mut lanes = [0.0f32; LANES];
                lanes.copy_from_slice(&v[c..c + LANES]);
                f32x8::new(lanes)
            };
            let (gx, gy) = (load(&rows.gx), load(&rows.gy));
            let mag_sq = gx * gx + gy * gy;
            let mut edges = mag_sq.simd_ge(f32x8::splat(min_mag_sq)).to_bitmask();
            if edges == 0 {
                continue;
            }
            // Lanes without an edge divide by zero here, and are not read.
            let mag = mag_sq.sqrt();
            let (nx, ny) = ((gx / mag).to_array(), (gy / mag).to_array());
            let weight = (mag * f32x8::splat(0.125)).to_array();
            while edges != 0 {
                let lane = edges.trailing_zeros() as usize;
                edges &= edges - 1;
                let x = 1 + c + lane;
                ray.vote(votes, [x, yc], [nx[lane], ny[lane]], weight[lane]);
            }
        }
    }
}

/// The Sobel sums `gx`, `gy` of pixels `1 ..= w - 2` of the middle of three rows `[up, mid,
/// down]`, over slices of equal length, which vectorise.
fn sobel_row([up, mid, down]: [&[f32]; 3], gx: &mut [f32], gy: &mut [f32]) {
    let n = gx.len();
    let (ul, uc, ur) = (&up[..n], &up[1..n + 1], &up[2..n + 2]);
    let (ml, mr) = (&mid[..n], &mid[2..n + 2]);
    let (dl, dc, dr) = (&down[..n], &down[1..n + 1], &down[2..n + 2]);
    for i in 0..n {
        gx[i] = (ur[i] - ul[i]) + 2.0 * (mr[i] - ml[i]) + (dr[i] - dl[i]);
        gy[i] = (dl[i] - ul[i]) + 2.0 * (dc[i] - uc[i]) + (dr[i] - ur[i]);
    }
}

/// What the votes of every edge pixel share: the level's size and the radius steps.
struct Ray {
    w: usize,
    h: usize,
    r_lo: f32,
    n_steps: usize,
}

impl Ray {
    /// Adds `weight` at the points `r` along and against the unit direction `[nx, ny]` from
    /// pixel `[x, y]`, for each radius step, rounded to the nearest pixel; points outside the
    /// level are dropped.
    #[inline]
    fn vote(&self, votes: &mut [f32], [x, y]: [usize; 2], [nx, ny]: [f32; 2], weight: f32) {
        let (w, n_steps) = (self.w, self.n_steps);
        let (xf, yf) = (x as f32, y as f32);
        let (wf, hf) = (w as f32, self.h as f32);
        // Most edge pixels are farther than the largest radius from every border, and then
        // every vote lands inside.
        let reach = self.r_lo + (n_steps - 1) as f32 + 1.0;
        let interior = xf >= reach && yf >= reach && xf + reach < wf - 1.0 && yf + reach < hf - 1.0;
        if !interior {
            for step in 0..n_steps {
                let r = self.r_lo + step as f32;
                for sign in [-1.0f32, 1.0] {
                    // Rounding to the nearest pixel: on non-negative values truncation is
                    // `floor`, and unlike `f32::floor` it needs no libm call on baseline x86-64
                    // (no SSE4.1). Negative positions are outside the image either way.
                    let vx = xf + sign * r * nx + 0.5;
                    let vy = yf + sign * r * ny + 0.5;
                    if vx >= 0.0 && vy >= 0.0 && vx < wf && vy < hf {
                        // Through `i32`: a float-to-unsigned conversion takes several
                        // instructions on x86-64 and a float-to-signed one a single
                        // instruction (plus its saturation check); the value is in range.
                        votes[vy as i32 as usize * w + vx as i32 as usize] += weight;
                    }
                }
            }
            return;
        }
        // Eight radius steps at a time. `sign · r · n` is `±(r · n)` exactly and `x + (−a)` is
        // `x − a`, so the positions are the scalar loop's to the bit; every one is inside the
        // level, where the unsaturated truncation is the `as` conversion.
        let (xs, ys, half) = (f32x8::splat(xf), f32x8::splat(yf), f32x8::splat(0.5));
        let (nxs, nys) = (f32x8::splat(nx), f32x8::splat(ny));
        let lane_steps = f32x8::new([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]);
        for s0 in (0..n_steps).step_by(LANES) {
            let r = f32x8::splat(self.r_lo) + (f32x8::splat(s0 as f32) + lane_steps);
            let (ax, ay) = (r * nxs, r * nys);
            let xp = ((xs + ax) + half).fast_trunc_int().to_array();
            let yp = ((ys + ay) + half).fast_trunc_int().to_array();
            let xm = ((xs - ax) + half).fast_trunc_int().to_array();
            let ym = ((ys - ay) + half).fast_trunc_int().to_array();
            for k in 0..(n_steps - s0).min(LANES) {
                votes[ym[k] as usize * w + xm[k] as usize] += weight;
                votes[yp[k] as usize * w + xp[k] as usize] += weight;
            }
        }
    }
}

/// 3 × 3 box sums of `src` into `dst` (zero on the one-pixel border), separably: each row's
/// three-pixel sums once, then three of them per output pixel, added in the order the direct
/// nine-term sum would add them, so the result is bit for bit the same.
///
/// Both buffers are sized, not cleared: every entry of `dst` is written (the border zeroed
/// explicitly) and every entry of `rows` read is written first, which spares two passes over
/// level-sized buffers on every call.
fn box3(src: &[f32], w: usize, h: usize, rows: &mut Vec<f32>, dst: &mut Vec<f32>) {
    dst.resize(w * h, 0.0);
    rows.resize(w * h, 0.0);
    if w < 3 || h < 3 {
        dst.fill(0.0);
        return;
    }
    dst[..w].fill(0.0);
    dst[(h - 1) * w..].fill(0.0);
    for (row_sums, row) in rows.chunks_exact_mut(w).zip(src.chunks_exact(w)) {
        // Equal-length slices let the compiler drop the bounds checks and vectorise.
        let (left, mid, right) = (&row[..w - 2], &row[1..w - 1], &row[2..]);
        for (i, o) in row_sums[1..w - 1].iter_mut().enumerate() {
            *o = left[i] + mid[i] + right[i];
        }
    }
    for y in 1..h - 1 {
        let (above, here, below) =
            (&rows[(y - 1) * w..y * w], &rows[y * w..(y + 1) * w], &rows[(y + 1) * w..(y + 2) * w]);
        let out = &mut dst[y * w..(y + 1) * w];
        out[0] = 0.0;
        out[w - 1] = 0.0;
        for x in 1..w - 1 {
            out[x] = above[x] + here[x] + below[x];
        }
    }
}

/// Pixels whose 3 × 3 test [`local_maxima`] runs at once, one per lane of an `f32x8`.
const LANES: usize = 8;

/// Bit `i` set when pixel `x + i` of the middle row of `rows` (the rows above, at and below it)
/// is at least `threshold` and the largest of its 3 × 3 neighbourhood, ties going to the first
/// in row-major order: [`within_window_max`] over a window of 1 for the [`LANES`] pixels from
/// `x`, which must have a left and a right neighbour in the row.
///
/// Most pixels above the threshold lie on the slope of a peak, with a larger neighbour; this
/// settles them eight at a time before the whole peak window is read. The comparisons are the
/// scalar test's (an earlier neighbour beats the centre when it is greater or equal, a later one
/// when it is greater; the threshold fails on `v < threshold`), so the pixels kept are the same.
fn local_maxima(rows: [&[f32]; 3], x: usize, threshold: f32) -> u32 {
    let at = |row: &[f32], from: usize| {
        let mut lanes = [0.0f32; LANES];
        lanes.copy_from_slice(&row[from..from + LANES]);
        f32x8::new(lanes)
    };
    let [above, here, below] = rows;
    let v = at(here, x);
    let earlier = at(above, x - 1).simd_ge(v)
        | at(above, x).simd_ge(v)
        | at(above, x + 1).simd_ge(v)
        | at(here, x - 1).simd_ge(v);
    let later = at(here, x + 1).simd_gt(v)
        | at(below, x - 1).simd_gt(v)
        | at(below, x).simd_gt(v)
        | at(below, x + 1).simd_gt(v);
    let beaten = v.simd_lt(f32x8::splat(threshold)) | earlier | later;
    !beaten.to_bitmask() & ((1 << LANES) - 1)
}

/// Whether `(x, y)` holds the largest value within `window` pixels; ties go to the first in
/// row-major order so that a plateau yields one peak.
fn within_window_max(v: &[f32], w: usize, h: usize, x: usize, y: usize, window: usize) -> bool {
    let center = v[y * w + x];
    let (y0, y1) = (y.saturating_sub(window), (y + window).min(h - 1));
    let (x0, x1) = (x.saturating_sub(window), (x + window).min(w - 1));
    for yy in y0..=y1 {
        for xx in x0..=x1 {
            let other = v[yy * w + xx];
            let earlier = (yy, xx) < (y, x);
            if other > center || (earlier && other == center) {
                return false;
            }
        }
    }
    true
}

/// Sub-pixel peak position by a parabola through the 3 × 3 neighbourhood along each axis.
fn refine_peak(v: &[f32], w: usize, x: usize, y: usize) -> [f64; 2] {
    let at = |xx: usize, yy: usize| f64::from(v[yy * w + xx]);
    let offset = |minus: f64, center: f64, plus: f64| {
        let curvature = minus - 2.0 * center + plus;
        if curvature < 0.0 { (0.5 * (minus - plus) / curvature).clamp(-0.5, 0.5) } else { 0.0 }
    };
    let dx = offset(at(x - 1, y), at(x, y), at(x + 1, y));
    let dy = offset(at(x, y - 1), at(x, y), at(x, y + 1));
    [x as f64 + dx, y as f64 + dy]
}
