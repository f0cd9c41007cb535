//! Model-based refinement of an identified marker: render the marker as the camera would see
//! it and fit the render to the pixels (render-and-compare).
//!
//! Edge-based fits locate where the intensity changes fastest, and under strong blur that is
//! not where the printed edge is: the outer ring is a thin dark bar beside the code band, whose
//! light and dark sectors pull its blurred edges by up to a pixel and a half at σ = 3 px, and
//! by a different amount in every direction when the blur is anisotropic. Once the marker's ID
//! is known, so is every sector, and the pull need not be modelled separately: the whole
//! patch is predicted and the prediction fitted.
//!
//! *Model.* The image of a marker is
//! `I(x) = g(x) · (P − K · (G_Σ ∗ D)(x))`, with `D` the ink fraction of each pixel under the
//! pose `x = c + L·q / (1 + vᵀq)` ([`super::marker_render`]), `G_Σ` an anisotropic Gaussian
//! point spread function of covariance `Σ` (pixels²), `P` the paper level, `K` the paper–ink
//! contrast and `g = 1 + γ·(x − x₀)/R` a linear illumination gradient across the patch. The
//! convolution is a product in the frequency domain ([`super::fft`]), on a patch large enough
//! that the transform's wrap-around stays out of the fitted pixels.
//!
//! *Fit.* Levenberg–Marquardt (Marquardt 1963) on the pixel residuals, which makes this a
//! Lucas–Kanade alignment (Lucas & Kanade 1981) of a rendered, blurred template, over 13
//! parameters: `c` (2), `L` (4), `Σ` (3), `P`, `K`, `γ` (2). The perspective `v` comes from
//! the start's homography and stays fixed; so does the region fitted, the pixels within
//! [`fit_region_radii`] outer radii of the start's centre on the board: the blurred rings and
//! a margin of paper as wide as the reach of the blur the marker is expected to have (the
//! start's). The paper beyond it, out to the reach of the widest blur the patch allows for,
//! still pins `P` and `γ`; it sees no ink, so it is kept as a few sums
//! ([`super::paper_ring`]) rather than in the transform's patch, which then only has to hold
//! the region. Every derivative is exact
//! and comes from the same transforms: the derivatives with respect to `Σ` are the spectrum
//! times `−2π² fᵢfⱼ`; moving `c` translates the blurred image, so its derivative is the image
//! gradient (spectrum times `2πi f`); and changing `L` by `dL` warps the pattern by
//! `A = dL·L⁻¹` about `c`, whose blurred image is the warped blurred image with the blur
//! changed by `AΣ + ΣAᵀ`: `∂B = −∇B·A(x − c) − (∂B/∂Σ)[AΣ + ΣAᵀ]`. One forward and three
//! inverse transforms per evaluation give the blurred image and all its derivatives.
//!
//! *Start and acceptance.* The pose starts from a homography with the edge-based projective
//! centre ([`super::center`]): the global one when it fits the whole board, the marker's local
//! one under unmodelled lens distortion (the caller, `Detector::refine_models`, chooses; an
//! error in the fixed `v` moves the fitted centre by some hundredths of a pixel, and a local
//! homography from blurred neighbours carries such errors). The blur starts from the last
//! marker refined (neighbouring markers share their blur). That start is usually within a few hundredths of a pixel, and
//! then the first step is taken without rendering again and ends the fit
//! ([`FIRST_STEP_TRUST_PX`]): one evaluation per marker. Otherwise every step is rendered and
//! kept only if it lowers the cost, two or three evaluations in all. The patch is sized for
//! [`BLUR_HEADROOM`] times the start's blur and grows when the fit asks for more. A fit is kept
//! when its centre moved less than [`MAX_SHIFT_RADII`] and the rings kept their contrast (and,
//! unless its first step was trusted, when it improved on the start); otherwise the marker
//! keeps its edge-based centre.
//!
//! The fitted `c` is the projective centre directly: the code band is part of the model, so
//! its pull is not in the estimate, and neither is any perspective bias.

use std::ops::Range;

use nalgebra::{SMatrix, SVector};

use rustfft::num_complex::Complex32;

use super::blur_filter::BlurFilter;
use super::fft::Fft2;
use super::fit_pixels::{
    FitPixels, KernelScratch, N_PARAMS, PADDED, Shared, accumulate, warp_terms,
};
use super::fit_region::{Gathered, Layout, fit_region_radii, gather};
use super::gram::gram_upper;
use super::marker_render::{MarkerPose, PatchFrame, Pattern, image_near, inverse2};
use super::paper_ring::PaperRing;
use super::raster::rasterise;
use super::sampler::Sampler;

/// Largest blur standard deviation fitted, in outer radii: half the radius blurs the rings
/// into one blob.
const MAX_BLUR_RADII: f64 = 0.5;

/// The patch leaves room for a blur this many times the start's standard deviation (the last
/// marker's fit); when a fit wants more, the patch grows to this many times what it wanted,
/// and at least by this factor, at most [`MAX_PATCH_GROWTHS`] times.
const BLUR_HEADROOM: f64 = 1.5;

/// Widest patch prepared, in image sides: a region at least half inside the image, with the
/// transform's margin for wrap-around, fits in twice the image's longer side.
const MAX_PATCH_OVER_IMAGE: f64 = 2.0;

/// Times a patch may grow for a wider blur.
const MAX_PATCH_GROWTHS: usize = 3;

/// Smallest determinant of a blur covariance, pixels⁴: a blur narrower than a tenth of a
/// pixel across is no different from none, and the fit must not collapse it to a line.
const MIN_BLUR_DET: f64 = 1e-4;

/// Blur lengths beyond which the Gaussian is treated as zero when sizing the patch: its weight
/// beyond 3.5σ along one axis is below 2.5e-4.
pub(crate) const KERNEL_REACH_SIGMAS: f64 = 3.5;

/// Blur standard deviation the fit starts from, in pixels, when no marker has been fitted yet.
const START_SIGMA_PX: f64 = 1.5;

/// Damping of the first Levenberg–Marquardt step, relative to the diagonal of `JᵀJ`: the start
/// is close (edge fits put the centre within half a pixel), so nearly a Gauss–Newton step.
const START_DAMPING: f64 = 1e-3;

/// Fewest of the region's pixels that must be inside the image. The model knows the whole
/// pattern, so half of it still pins the pose: a marker cut by the image border gets a measured
/// centre rather than one from a partial edge fit, which would pull the board homography.
const MIN_REGION_FRACTION: f64 = 0.5;

/// Iterations of Levenberg–Marquardt (accepted or rejected steps).
const MAX_ITERATIONS: usize = 12;

/// Convergence: a step that moves the centre less than this, in pixels, and less than
/// [`CONVERGENCE_RATIO`] times the step before, is the last. Gauss–Newton converges about
/// quadratically here, so the step it saves would have moved the centre by a thousandth of a
/// pixel or less.
const CENTER_TOLERANCE_PX: f64 = 1e-2;

/// See [`CENTER_TOLERANCE_PX`].
const CONVERGENCE_RATIO: f64 = 0.1;

/// A first step that moves the centre less than this, in pixels, is taken without rendering
/// and ends the fit. Gauss–Newton is then in its quadratic regime: on `perf_1280x1024` the step
/// after a first step of 0.01 px (the median) moves the centre by about 1e-4 px, and after the
/// largest, 0.046 px, by 0.004 px. Four fifths of the markers there start this close; the rest
/// are rendered again and checked as before.
const FIRST_STEP_TRUST_PX: f64 = 0.02;

/// A trusted first step must also leave the blur nearly where it started, each covariance
/// entry moving by less than this fraction of the larger variance: a start far from the
/// image's blur (the first marker, or a neighbour under other blur) puts the centre's step in
/// the quadratic regime before the blur's, and such a step left the centre up to 0.02 px off.
const BLUR_SETTLED_FRACTION: f64 = 0.05;

/// Faintest paper–ink contrast a refined marker may end with, in grey levels: the edge fit's
/// floor for a ring at all.
const MIN_CONTRAST_GREY: f64 = 12.0;

/// Farthest the refined centre may move from the start, in outer radii; a larger move means the
/// fit slid onto something else.
const MAX_SHIFT_RADII: f64 = 0.25;

type Normal = SMatrix<f64, N_PARAMS, N_PARAMS>;
type Params = SVector<f64, N_PARAMS>;

/// Scratch of the refinement.
#[derive(Debug, Default)]
pub(crate) struct RefineBuffers {
    fft: Fft2,
    spectrum: Vec<Complex32>,
    /// Blurred image and gradient; ∂/∂y and ∂/∂Σxx; ∂/∂Σxy and ∂/∂Σyy, as real and imaginary
    /// parts.
    images: [Vec<Complex32>; 3],
    pixels: FitPixels,
    /// The paper beyond the region, out to where a blur of the patch's allowance reaches.
    ring: PaperRing,
    kernel: KernelScratch,
    filter: BlurFilter,
    /// The Jacobian rows of the pixels that make up `JᵀJ`, in single precision.
    hessian_rows: Vec<[f32; PADDED]>,
    /// Blur of the last marker fitted, the next one's start.
    last_blur: Option<[f64; 3]>,
    /// Side of the largest patch prepared since the buffers were made.
    largest_patch: usize,
    /// Renders since the buffers were made: what the refinement costs, for tests.
    n_renders: usize,
}

impl RefineBuffers {
    /// Forgets the last blur, so that an image's result does not depend on the one before.
    pub(crate) fn start_image(&mut self) {
        self.last_blur = None;
    }

    /// Side of the largest patch prepared so far, in pixels.
    #[cfg(test)]
    pub(crate) fn largest_patch(&self) -> usize {
        self.largest_patch
    }

    /// Renders since the buffers were made.
    #[cfg(test)]
    pub(crate) fn n_renders(&self) -> usize {
        self.n_renders
    }

    /// The blur covariance `[Σxx, Σxy, Σyy]` (pixels²) of the last marker refined.
    #[cfg(test)]
    pub(crate) fn last_blur(&self) -> Option<[f64; 3]> {
        self.last_blur
    }
}

#[derive(Debug, Clone, Copy)]
struct State {
    pose: MarkerPose,
    blur: [f64; 3],
    paper: f64,
    contrast: f64,
    slope: [f64; 2],
}

/// The fixed geometry of one marker's fit.
struct Setup {
    pattern: Pattern,
    frame: PatchFrame,
    /// Image pixel of patch cell (0, 0).
    origin: [i64; 2],
    n: usize,
    /// Rows of the patch that hold fitted pixels.
    rows: Range<usize>,
    /// `∂fit/∂image` and its inverse.
    jf: [[f64; 2]; 2],
    jf_inv: [[f64; 2]; 2],
    max_var: f64,
    /// The start's outer radius and image centre, pixels: the pixels' offsets are from it.
    radius_px: f64,
    center_img: [f64; 2],
}

/// Refines a marker's pose from `start` (fit frame), starting from the blur of the last marker
/// refined (kept in `buf`) and leaving its own there. `None` when the region is mostly outside
/// the image, the fit does not improve on the start, or it ends implausibly: the centre moved
/// too far, or the rings lost their contrast.
pub(crate) fn refine(
    sampler: &Sampler<'_>,
    pattern: Pattern,
    polarity: f32,
    start: MarkerPose,
    buf: &mut RefineBuffers,
) -> Option<MarkerPose> {
    let radius_px = start.radius_px(pattern.radius);
    let max_room = MAX_BLUR_RADII * radius_px;
    let s0 = START_SIGMA_PX * START_SIGMA_PX;
    let last_blur = buf.last_blur.filter(|b| largest_variance(b).is_some());
    // The first step is trusted only from a blur fitted on a neighbour, not from the default.
    let blur_known = last_blur.is_some();
    let mut blur = last_blur.unwrap_or([s0, 0.0, s0]);
    let mut room = (BLUR_HEADROOM * largest_variance(&blur)?.sqrt()).min(max_room);
    let mut pose = start;
    for _ in 0..=MAX_PATCH_GROWTHS {
        let setup = prepare(sampler, pattern, &pose, radius_px, room, buf)?;
        let mut state = State { pose, blur, paper: 0.0, contrast: 0.0, slope: [0.0; 2] };
        if !render(&setup, &state, buf) {
            return None;
        }
        [state.paper, state.contrast] = photometric_start(buf)?;
        match levenberg_marquardt(&setup, state, blur_known, buf) {
            Fit::Converged(state) => {
                let shift = (state.pose.center[0] - start.center[0])
                    .hypot(state.pose.center[1] - start.center[1]);
                let contrast = f64::from(polarity) * state.contrast;
                if !(shift <= MAX_SHIFT_RADII * radius_px && contrast >= MIN_CONTRAST_GREY) {
                    return None;
                }
                buf.last_blur = Some(state.blur);
                return Some(state.pose);
            }
            Fit::Outgrown(state, wanted) if room < max_room => {
                // The blur wants more room than the patch gives: grow the patch for the blur
                // the fit asked for, and go on from where it stopped.
                pose = state.pose;
                blur = state.blur;
                let wanted = largest_variance(&wanted).map_or(0.0, f64::sqrt);
                room = (BLUR_HEADROOM * wanted).max(BLUR_HEADROOM * room).min(max_room);
            }
            _ => return None,
        }
    }
    None
}

/// Sizes and places the patch around the marker and gathers the pixels to fit: those within
/// [`fit_region_radii`] outer radii of the centre on the board for the expected blur
/// (`max_sigma / BLUR_HEADROOM`), and the paper ring beyond them for `max_sigma`.
fn prepare(
    sampler: &Sampler<'_>,
    pattern: Pattern,
    start: &MarkerPose,
    radius_px: f64,
    max_sigma: f64,
    buf: &mut RefineBuffers,
) -> Option<Setup> {
    let frames = sampler.frames();
    let center_img = frames.to_image(start.center);
    // The region holds the reach of the blur expected, the start's; the paper ring the reach
    // of the widest the patch allows. The transform wraps around: a fitted pixel on one side
    // of the region must be farther than the kernel's reach from the marker's far edge's
    // periodic copy. It must also hold the region, centred, with a pixel to spare on each side.
    let region_radii = fit_region_radii(pattern, start, max_sigma / BLUR_HEADROOM);
    let region_px = region_radii * radius_px;
    let wrap = region_px + radius_px + 1.0 + KERNEL_REACH_SIGMAS * max_sigma;
    let needed = wrap.max(2.0 * region_px + 4.0);
    // The region must lie mostly inside the image, so a patch much wider than the image can
    // only come from a broken start; refusing it bounds the memory a hostile image can claim.
    let [w, h] = sampler.image_size();
    let max_side = MAX_PATCH_OVER_IMAGE * f64::from(w.max(h));
    if needed.partial_cmp(&max_side) != Some(std::cmp::Ordering::Less) {
        return None;
    }
    let n = fft_size(needed.ceil() as usize);
    if !buf.fft.prepare(n) {
        return None;
    }
    buf.largest_patch = buf.largest_patch.max(n);
    let half = (n / 2) as i64;
    let origin = [center_img[0].round() as i64 - half, center_img[1].round() as i64 - half];
    let frame = PatchFrame::new(frames, center_img, 0.5 * n as f64)?;
    let jf = frame.jacobian();
    let jf_inv = inverse2(jf)?;
    let inv_l = start.inverse_linear()?;
    let region_mm = region_radii * pattern.radius;
    let ring_mm = fit_region_radii(pattern, start, max_sigma) * pattern.radius;
    let layout = Layout { start, frame: &frame, inv_l, jf_inv, center_img, origin, n, radius_px };
    let Gathered { rows, n_region } =
        gather(sampler, &layout, [region_mm, ring_mm], &mut buf.pixels, &mut buf.ring)?;
    // The region must lie mostly inside the image for the fit to mean anything.
    if rows.is_empty() || (buf.pixels.len() as f64) < MIN_REGION_FRACTION * n_region as f64 {
        return None;
    }
    // Sized, not cleared: `rasterise` zeroes the spectrum's grid and `render` writes every
    // entry of the images before anything reads them.
    for v in buf.images.iter_mut().chain([&mut buf.spectrum]) {
        v.resize(n * n, Complex32::default());
    }
    let max_var = max_sigma * max_sigma;
    Some(Setup { pattern, frame, origin, n, rows, jf, jf_inv, max_var, radius_px, center_img })
}

/// How a Levenberg–Marquardt run ended.
enum Fit {
    /// At a minimum (or out of iterations) after improving on the start.
    Converged(State),
    /// A step wanted a blur wider than the patch allows: the state reached and the blur wanted.
    Outgrown(State, [f64; 3]),
    /// No step improved on the start.
    Failed,
}

/// Levenberg–Marquardt from `state` (rendered into `buf`).
fn levenberg_marquardt(
    setup: &Setup,
    mut state: State,
    trust_first: bool,
    buf: &mut RefineBuffers,
) -> Fit {
    let mut normal = Normal::zeros();
    let mut rhs = Params::zeros();
    let Some(mut cost) = evaluate(setup, &state, buf, &mut normal, &mut rhs) else {
        return Fit::Failed;
    };
    let (mut trial_normal, mut trial_rhs) = (Normal::zeros(), Params::zeros());
    let mut damping = START_DAMPING;
    let mut improved = false;
    let mut last_moved = f64::INFINITY;
    for _ in 0..MAX_ITERATIONS {
        let mut system = normal;
        for k in 0..N_PARAMS {
            system[(k, k)] += damping * normal[(k, k)].max(1e-12);
        }
        let Some(step) = system.cholesky().map(|c| c.solve(&rhs)) else { break };
        let trial = apply(&state, &step);
        let moved = step[0].hypot(step[1]);
        let trusted_first = trust_first
            && !improved
            && moved < FIRST_STEP_TRUST_PX
            && blur_settled(&state.blur, &trial.blur);
        if trusted_first && largest_variance(&trial.blur).is_some_and(|v| v <= setup.max_var) {
            // The start was already this close: Gauss–Newton is in its quadratic regime, and
            // the step after this one would move the centre by about a thousandth of a pixel.
            // Take it without rendering.
            return Fit::Converged(trial);
        }
        if improved && moved < CENTER_TOLERANCE_PX && moved < CONVERGENCE_RATIO * last_moved {
            // Converging fast and already close: what this step leaves is smaller still, so
            // take it without rendering.
            state = trial;
            break;
        }
        let trial_cost = match largest_variance(&trial.blur) {
            Some(v) if v > setup.max_var => return Fit::Outgrown(state, trial.blur),
            Some(_) if render(setup, &trial, buf) => {
                evaluate(setup, &trial, buf, &mut trial_normal, &mut trial_rhs)
            }
            _ => None,
        };
        match trial_cost {
            Some(c) if c < cost => {
                state = trial;
                cost = c;
                normal = trial_normal;
                rhs = trial_rhs;
                damping = (damping * 0.1).max(1e-9);
                improved = true;
                last_moved = moved;
            }
            _ => damping *= 10.0,
        }
    }
    if improved { Fit::Converged(state) } else { Fit::Failed }
}

/// Patch sides on which `rustfft` is fastest for their size, in increasing order: products of
/// twos and threes, which it transforms with single SIMD butterflies, and 80. A 60-point
/// transform takes a five-point and a twelve-point pass and costs 1.7 times a 64-point one,
/// a 56-point one 1.3 times, and 96 points cost 1.7 times 80 (`cargo bench -p annulus-benches
/// --bench fft_sides`, a row pass of an `n × n` grid, on this project's 2-core x86-64 machines).
const FAST_SIDES: [usize; 16] = [8, 12, 16, 24, 32, 36, 48, 54, 64, 72, 80, 96, 108, 128, 144, 192];

/// The transform size used for a patch of at least `n` pixels: the smallest of [`FAST_SIDES`]
/// that holds it, and beyond them a product of small primes, on which the transform is fast.
fn fft_size(n: usize) -> usize {
    if let Some(&side) = FAST_SIDES.iter().find(|&&side| side >= n) {
        return side;
    }
    (n..)
        .find(|&m| {
            let mut r = m;
            for p in [2, 3, 5] {
                while r % p == 0 {
                    r /= p;
                }
            }
            r == 1 && m % 4 == 0
        })
        .unwrap_or(n)
}

/// Whether a step moves the blur covariance from `before` to `after` by less than
/// [`BLUR_SETTLED_FRACTION`] of its larger variance in every entry.
fn blur_settled(before: &[f64; 3], after: &[f64; 3]) -> bool {
    let Some(scale) = largest_variance(before) else { return false };
    before.iter().zip(after).all(|(b, a)| (a - b).abs() < BLUR_SETTLED_FRACTION * scale)
}

/// The larger eigenvalue of the covariance `[Σxx, Σxy, Σyy]`, when it is positive definite.
fn largest_variance(b: &[f64; 3]) -> Option<f64> {
    let [xx, xy, yy] = *b;
    let mean = 0.5 * (xx + yy);
    let spread = (0.25 * (xx - yy).powi(2) + xy * xy).sqrt();
    (xx > 0.0 && yy > 0.0 && xx * yy - xy * xy > MIN_BLUR_DET).then_some(mean + spread)
}

/// The state moved by a Levenberg–Marquardt step.
fn apply(s: &State, d: &Params) -> State {
    let mut t = *s;
    t.pose.center = [s.pose.center[0] + d[0], s.pose.center[1] + d[1]];
    t.pose.linear = [
        [s.pose.linear[0][0] + d[2], s.pose.linear[0][1] + d[3]],
        [s.pose.linear[1][0] + d[4], s.pose.linear[1][1] + d[5]],
    ];
    t.blur = [s.blur[0] + d[6], s.blur[1] + d[7], s.blur[2] + d[8]];
    t.paper = s.paper + d[9];
    t.contrast = s.contrast + d[10];
    t.slope = [s.slope[0] + d[11], s.slope[1] + d[12]];
    t
}

/// Renders the coverage, transforms it, and fills the three image pairs: the blurred coverage
/// `B` and `∂B/∂x`; `∂B/∂y` and `∂B/∂Σxx`; `∂B/∂Σxy` and `∂B/∂Σyy`.
fn render(setup: &Setup, s: &State, buf: &mut RefineBuffers) -> bool {
    let n = setup.n;
    buf.n_renders += 1;
    let Some(ink_rows) =
        rasterise(&s.pose, &setup.pattern, &setup.frame, setup.origin, n, &mut buf.spectrum)
    else {
        return false;
    };
    buf.fft.forward(&mut buf.spectrum, ink_rows);
    buf.filter.apply(&buf.spectrum, s.blur, n, &mut buf.images);
    for image in &mut buf.images {
        buf.fft.inverse(image, setup.rows.clone());
    }
    true
}

/// Paper level and contrast by linear least squares on the rendered `B`, without gradient.
fn photometric_start(buf: &RefineBuffers) -> Option<[f64; 2]> {
    let (mut n, mut sb, mut sbb, mut so, mut sob) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (index, value) in buf.pixels.live() {
        let (b, value) = (f64::from(buf.images[0][index].re), f64::from(value));
        n += 1.0;
        sb += b;
        sbb += b * b;
        so += value;
        sob += value * b;
    }
    let det = n * sbb - sb * sb;
    if det.is_nan() || det.abs() <= 1e-9 {
        return None;
    }
    // value ≈ P − K b.
    let paper = (sbb * so - sb * sob) / det;
    let slope = (n * sob - sb * so) / det;
    Some([paper, -slope])
}

/// The squared residual of the rendered state, and the normal equations `JᵀJ`, `Jᵀr`
/// ([`super::fit_pixels`] sums them over the region's pixels).
///
/// `Jᵀr` and the cost decide where the fit ends and use every pixel. `JᵀJ` only steers the
/// steps: it is summed over half the pixels (a checkerboard, doubled), which halves the dominant
/// cost of an evaluation and leaves the minimum where it is. The paper ring's terms are added
/// whole, from its sums.
fn evaluate(
    setup: &Setup,
    s: &State,
    buf: &mut RefineBuffers,
    jtj: &mut Normal,
    jtr: &mut Params,
) -> Option<f64> {
    let inv_l = s.pose.inverse_linear()?;
    let mi = setup.jf_inv;
    let center_img = image_near(&setup.frame, s.pose.center, mi);
    let (a_jf, d_sigma) = warp_terms(inv_l, setup.jf, mi, s.blur);
    let shared = Shared {
        slope: s.slope,
        inv_radius: 1.0 / setup.radius_px,
        paper: s.paper,
        contrast: s.contrast,
        jf_inv: mi,
        a_jf,
        d_sigma,
        center_shift: [center_img[0] - setup.center_img[0], center_img[1] - setup.center_img[1]],
    };
    let sums =
        accumulate(&buf.pixels, &buf.images, &shared, &mut buf.hessian_rows, &mut buf.kernel);
    for (a, v) in sums.jtr.iter().enumerate() {
        jtr[a] = *v;
    }
    let outer = gram_upper(&buf.hessian_rows, N_PARAMS);
    for a in 0..N_PARAMS {
        for b in a..N_PARAMS {
            let v = 2.0 * f64::from(outer[a][b]);
            jtj[(a, b)] = v;
            jtj[(b, a)] = v;
        }
    }
    let ring = buf.ring.terms(s.paper, s.slope);
    *jtj += ring.jtj;
    *jtr += ring.jtr;
    let cost = sums.cost + ring.cost;
    cost.is_finite().then_some(cost)
}
