//! Fitting one marker: outer ring by radial edge sampling and a robust ellipse fit, then the
//! inner ring, then the ring contrast.
//!
//! 1. *Scale and polarity* ([`coarse_outer`]). From the proposed centre, [`N_COARSE_RAYS`] rays
//!    sample the gradient along themselves; their mean derivative profile `D(s)` is matched
//!    against the outer ring's two edges, `score(R) = D(R) − D(ρ·R)` with `ρ` the ring's inner
//!    edge over its outer edge. The best `|score|` gives the radius `R₀`, its sign the polarity
//!    (dark rings on light paper, or the inverse). Matching the ring's edge pair, rather than
//!    taking the outermost edge, keeps neighbouring markers out of the search however wide the
//!    radius range is.
//! 2. *Outer edge points*. Each ray's strongest edge of the right sign within
//!    `[0.75, 1.35]·R₀` is one point; a robust conic fit (RANSAC, then Huber IRLS on Sampson
//!    distance, [`crate::fit::fit_ellipse_robust`]) gives a first ellipse.
//! 3. *Refinement* ([`refine_outer`], twice, or once when the first pass moves the ellipse by
//!    under [`SETTLED_PX`]). Rays from the ellipse's centre search a window
//!    around where each meets the ellipse, at quarter-pixel steps of the interpolated gradient
//!    profile; the edge is the centroid of the derivative peak ([`super::sampler::edge_centroid`]:
//!    sub-sample, not snapped to the grid). The refit gives the outer conic.
//! 4. *Inner ring* ([`fit_inner`]). The inner edge of the inner ring (the rim of the light
//!    centre disc) is found the same way at its expected fraction of the outer ellipse. It is
//!    the one edge of the marker with no code sector beside it, so blur moves it the same way
//!    all around. No identified marker takes its centre from it (the model refinement gives
//!    that, and the projective centre uses a homography's vanishing line when there is one),
//!    so it is searched for more cheaply than the outer edge: one ray per two pixels of its
//!    circumference ([`INNER_RAYS`]) and samples every half pixel ([`INNER_STEP_PX`]), which
//!    together cost less than half of what the outer edge's pass costs.
//! 5. *Contrast*: paper just outside the ring against ink in the middle of it; too faint a ring
//!    is rejected.
//!
//! Under blur these edges are not where the print's edges are: beside a light code sector the
//! outer ring is a thin dark bar whose blurred edge peaks outside the true one (by about 1.5 px
//! at σ = 3 px), beside a dark sector it is not, so the fitted ellipse leans towards the light
//! sectors by up to half a pixel. That is ample for identification; the centres of identified
//! markers are then refined by fitting the marker's rendered image, code band and blur
//! included ([`super::refine_model`]).
//!
//! All geometry is in the fit frame ([`super::sampler`]). No step allocates once the scratch
//! buffers have grown.

use std::f64::consts::TAU;

use crate::fit::{EllipseFit, FitScratch, RobustEllipseParams, fit_ellipse_robust};
use crate::geometry::Ellipse;

use super::ellipse_rays::{Phase, TABLED_HALF, TABLED_WHOLE, axes, fan, radius_along};
use super::model::MarkerModel;
use super::output::Rejection;
use super::sampler::{Sampler, edge_centroid};

#[cfg(test)]
#[path = "marker_fit_tests.rs"]
mod tests;

/// Rays of the scale and polarity search: enough to average out the code band and a partial
/// occlusion, few enough to be cheap at every candidate.
pub(crate) const N_COARSE_RAYS: usize = 32;

/// Sample step of the coarse search, in pixels.
const COARSE_STEP_PX: f64 = 0.5;

/// Sample step of the refinement, in pixels: fine enough that the parabola through three
/// samples of a blurred edge's derivative peak sits within a hundredth of a pixel.
const FINE_STEP_PX: f64 = 0.25;

/// Smallest half-width of an edge search window, in pixels: wide enough to hold the core of an
/// edge blurred by σ = 4 px, whose derivative stays above half its peak for ±1.2σ.
const MIN_WINDOW_PX: f64 = 5.0;

/// How far, in pixels, a refinement pass may move the ellipse (centre, axes and their
/// directions together) and still be taken as final: a quarter of a pixel is a twentieth of the
/// narrowest search window's half-width, and the model refinement of an identified marker
/// starts from its centre anyway.
const SETTLED_PX: f64 = 0.25;

/// Fewest and most rays of the refinement; in between, one ray per two pixels of circumference.
/// The model refinement, not these edges, gives an identified marker its centre, from the
/// global homography's view whenever that fits the board: the edges need only decode the
/// marker and seed the homographies, and half the rays of one per pixel left every gate's
/// recall as it was.
const FINE_RAYS: [usize; 2] = [48, 128];

/// Fewest and most rays of the inner ring's fit; in between, one ray per two pixels of its
/// circumference, in opposite pairs, as for the outer ring. The inner ring decides no
/// identified marker's centre (the model refinement does, and [`super::center`] takes the
/// vanishing line from a homography whenever there is one); it is reported, verifies reads
/// when too few markers are decoded to check one another, and gives the projective centre
/// without a homography, for all of which half the rays of one per pixel are ample.
const INNER_RAYS: [usize; 2] = [24, 64];

/// Sample step of the inner ring's edge search, in pixels: twice the outer ring's. The
/// centroid of the derivative peak ([`edge_centroid`]) still places an edge to a small
/// fraction of the step, and the inner ring needs less than the outer one (see
/// [`INNER_RAYS`]).
const INNER_STEP_PX: f64 = 0.5;

// Every fan the fits cast is in the ray table ([`super::ellipse_rays::fan`]).
const _: () = {
    let (lo, hi) = (*TABLED_HALF.start(), *TABLED_HALF.end());
    assert!(N_COARSE_RAYS == TABLED_WHOLE && N_CONTRAST_RAYS == TABLED_WHOLE);
    assert!(FINE_RAYS[0] >= lo && FINE_RAYS[1] <= hi && INNER_RAYS[0] >= lo && INNER_RAYS[1] <= hi);
};

/// Rays of the contrast measurement, paper and ink sampled once on each.
const N_CONTRAST_RAYS: usize = 32;

/// Fraction of rays that must yield an edge point for a fit to be attempted.
const MIN_RAY_FRACTION: f64 = 0.5;

/// Fraction of the median edge strength below which a ray's edge is taken as missing (the ray
/// crossed a gap or an occluder).
const MIN_STRENGTH_FRACTION: f32 = 0.3;

/// Flattest ellipse accepted, as minor over major axis: a circle seen at 72° from frontal. More
/// oblique views leave too few pixels across the code band to read it.
const MIN_AXIS_RATIO: f64 = 0.3;

/// Faintest ring accepted, in grey levels between paper and ink.
const MIN_RING_CONTRAST_GREY: f32 = 12.0;

/// Smallest ratio of ring contrast to the spread of the paper or the ink samples around it,
/// whichever is steadier (blur lets the code band mottle one of them). A
/// real ring is uniform along its length, blur and uneven light included; an "ellipse" fitted to
/// clutter or noise is not.
const MIN_CONTRAST_TO_SPREAD: f32 = 3.0;

/// Range of an inner ring's semi-axis over the outer ring's scaled by the board's fraction:
/// blur and the edge fit's noise move a small inner ring's axes by up to a fifth.
const INNER_AXIS_RATIO: std::ops::Range<f64> = 0.8..1.25;

/// Outer ellipses with a minor over major axis above this are too round for their axis
/// direction to be measured against the inner ring's (a circle seen within 30° of frontal).
const ROUND_AXIS_RATIO: f64 = 0.85;

/// Largest angle between the inner and outer rings' major axes, radians (20°): perspective
/// turns a concentric circle's image by a few degrees at most, and noise on a marker elongated
/// enough to be checked by less.
const MAX_INNER_TURN_RAD: f64 = 0.35;

/// Smallest inner-disc radius, in pixels, worth fitting: below it too few pixels carry the edge.
const MIN_INNER_RADIUS_PX: f64 = 2.5;

/// A fitted marker, before identification.
#[derive(Debug, Clone, Copy)]
pub(crate) struct MarkerFit {
    /// The outer edge of the outer ring.
    pub(crate) outer: EllipseFit,
    /// The inner edge of the inner ring, when it could be fitted.
    pub(crate) inner: Option<EllipseFit>,
    /// +1 for dark rings on light paper, −1 for the inverse.
    pub(crate) polarity: f32,
    /// Paper minus ink, in grey levels (positive).
    pub(crate) contrast: f32,
    /// Fraction of refinement rays that found the edge.
    pub(crate) support: f64,
}

/// Scratch buffers of marker fitting.
#[derive(Debug, Default)]
pub(crate) struct FitBuffers {
    profile: Vec<f32>,
    mean: Vec<f32>,
    points: Vec<[f64; 2]>,
    rays: Vec<usize>,
    strengths: Vec<f32>,
    sorted: Vec<f32>,
    pub(crate) fit: FitScratch,
}

/// Fits a marker around a proposed centre (fit frame) with outer radius in `radius_px`.
pub(crate) fn fit_from_center(
    sampler: &Sampler<'_>,
    model: &MarkerModel,
    center: [f64; 2],
    radius_px: [f64; 2],
    buf: &mut FitBuffers,
) -> Result<MarkerFit, Rejection> {
    let (r0, polarity) = coarse_outer(sampler, model, center, radius_px, buf)?;
    let first = coarse_points(sampler, center, r0, polarity, buf)?;
    check_shape(&first.ellipse, [0.6 * radius_px[0], 1.5 * radius_px[1]])?;
    finish(sampler, model, first.ellipse, polarity, buf)
}

/// Fits a marker whose outer edge should be near `predicted` (fit frame), as the completion
/// search does.
pub(crate) fn fit_from_ellipse(
    sampler: &Sampler<'_>,
    model: &MarkerModel,
    predicted: &Ellipse,
    polarity: f32,
    buf: &mut FitBuffers,
) -> Result<MarkerFit, Rejection> {
    finish(sampler, model, *predicted, polarity, buf)
}

/// Refines the outer ellipse twice, then fits the inner ring and measures contrast.
fn finish(
    sampler: &Sampler<'_>,
    model: &MarkerModel,
    start: Ellipse,
    polarity: f32,
    buf: &mut FitBuffers,
) -> Result<MarkerFit, Rejection> {
    let (mid, mid_support) = refine_outer(sampler, &start, polarity, 0.15, buf)?;
    // A pass that barely moved the ellipse leaves the next one nothing to find: its rays would
    // meet the edge within a fraction of a pixel of these, and their windows would hold the
    // same edges. Then the first pass's fit is the result.
    let (outer, support) = if settled(&start, &mid.ellipse) {
        (mid, mid_support)
    } else {
        refine_outer(sampler, &mid.ellipse, polarity, 0.1, buf)?
    };
    let size = start.semi_major_px;
    check_shape(&outer.ellipse, [0.7 * size, 1.4 * size])?;
    let contrast = ring_contrast(sampler, model, &outer.ellipse, polarity)?;
    let inner = fit_inner(sampler, model, &outer.ellipse, polarity, buf);
    Ok(MarkerFit { outer, inner, polarity, contrast, support })
}

/// Whether the refinement moved the ellipse from `before` to `after` by less than
/// [`SETTLED_PX`] everywhere: its centre, and each axis's end.
fn settled(before: &Ellipse, after: &Ellipse) -> bool {
    let shift =
        (after.center_px[0] - before.center_px[0]).hypot(after.center_px[1] - before.center_px[1]);
    let axes = (after.semi_major_px - before.semi_major_px)
        .abs()
        .max((after.semi_minor_px - before.semi_minor_px).abs());
    // An axis turned by dθ moves its end by about a·dθ; angles are modulo π, and a near circle's
    // angle is arbitrary and moves nothing.
    let turn = {
        let d = (after.angle_rad - before.angle_rad).rem_euclid(std::f64::consts::PI);
        d.min(std::f64::consts::PI - d)
    };
    let roundness = after.semi_major_px - after.semi_minor_px;
    shift + axes + turn * roundness < SETTLED_PX
}

/// Finds the outer radius and polarity from the mean derivative profile.
fn coarse_outer(
    sampler: &Sampler<'_>,
    model: &MarkerModel,
    center: [f64; 2],
    [r_lo, r_hi]: [f64; 2],
    buf: &mut FitBuffers,
) -> Result<(f64, f32), Rejection> {
    // The score reads the profile from the ring's inner edge at the smallest radius out to the
    // largest radius, so the stretch inside is not sampled (on the grid of whole steps from the
    // centre, as before). The rays still reach 1.3 times the largest radius: a ray that leaves
    // the image there does not count, which keeps rays that graze the border out of the mean.
    let first = (model.ring_inner * r_lo / COARSE_STEP_PX).floor().max(0.0);
    let s_first = first * COARSE_STEP_PX;
    let n = ((1.3 * r_hi - s_first) / COARSE_STEP_PX).ceil() as usize + 2;
    // The score below reads the profile at radii up to `r_hi` only, between samples `i` and
    // `i + 1` with `i ≤ ⌊r_hi / step − first⌋`: the samples beyond (a third of the ray's) are
    // never read, so they are not computed, and the rays are still required to stay inside the
    // image out to 1.3 times the largest radius. One sample is kept beyond the bound.
    let n_read = (((r_hi / COARSE_STEP_PX - first).floor().max(0.0) as usize) + 3).min(n);
    buf.mean.clear();
    buf.mean.resize(n, 0.0);
    let mut n_valid = 0usize;
    let rays = fan(N_COARSE_RAYS, Phase::Whole);
    let step = [s_first, COARSE_STEP_PX];
    for k in 0..N_COARSE_RAYS {
        let dir = rays.dir(k);
        if sampler.ray_derivatives_prefix([center, dir], step, [n, n_read], &mut buf.profile) {
            n_valid += 1;
            for (m, &d) in buf.mean.iter_mut().zip(&buf.profile) {
                *m += d;
            }
        }
    }
    if (n_valid as f64) < MIN_RAY_FRACTION * N_COARSE_RAYS as f64 {
        return Err(Rejection::NoEdge);
    }
    let at = |s: f64| -> f32 {
        let x = (s / COARSE_STEP_PX - first).max(0.0);
        let i = (x.floor() as usize).min(n - 2);
        let f = (x - i as f64) as f32;
        buf.mean[i] + f * (buf.mean[i + 1] - buf.mean[i])
    };
    let mut best = (0.0f64, 0.0f32);
    let mut r = r_lo;
    while r <= r_hi {
        let score = at(r) - at(model.ring_inner * r);
        if score.abs() > best.1.abs() {
            best = (r, score);
        }
        r += 0.5 * COARSE_STEP_PX;
    }
    if best.1 == 0.0 {
        return Err(Rejection::NoEdge);
    }
    Ok((best.0, best.1.signum()))
}

/// One edge point per coarse ray near `r0`, and a robust ellipse through them.
fn coarse_points(
    sampler: &Sampler<'_>,
    center: [f64; 2],
    r0: f64,
    polarity: f32,
    buf: &mut FitBuffers,
) -> Result<EllipseFit, Rejection> {
    let s0 = 0.75 * r0;
    let n = ((1.35 - 0.75) * r0 / COARSE_STEP_PX).ceil() as usize + 1;
    let rays = fan(N_COARSE_RAYS, Phase::Whole);
    collect_rays(N_COARSE_RAYS, buf, |k, buf| {
        let dir = rays.dir(k);
        if !sampler.ray_derivatives(center, dir, s0, COARSE_STEP_PX, n, &mut buf.profile) {
            return None;
        }
        let (j, strength) = edge_centroid(&buf.profile, polarity, (r0 - s0) / COARSE_STEP_PX)?;
        let s = s0 + j * COARSE_STEP_PX;
        Some(([center[0] + s * dir[0], center[1] + s * dir[1]], strength))
    })?;
    robust_fit(buf, 1.0, N_COARSE_RAYS)
}

/// Re-locates the edge near `ellipse` along rays from its centre, within `±window` of the ray's
/// distance to the ellipse (at least 1.5 px), and refits.
fn refine_outer(
    sampler: &Sampler<'_>,
    ellipse: &Ellipse,
    polarity: f32,
    window: f64,
    buf: &mut FitBuffers,
) -> Result<(EllipseFit, f64), Rejection> {
    // An even count, so that the rays come in opposite pairs and weigh both sides alike: half
    // the circumference in pixels, rounded, pairs of rays.
    let n_rays = 2
        * ((0.25 * TAU * ellipse.semi_major_px).round() as usize)
            .clamp(FINE_RAYS[0] / 2, FINE_RAYS[1] / 2);
    let center = ellipse.center_px;
    let (rays, ellipse_axes) = (fan(n_rays, Phase::Half), axes(ellipse));
    collect_rays(n_rays, buf, |k, buf| {
        let dir = rays.dir(k);
        let s = radius_along(ellipse, ellipse_axes, dir);
        edge_near(sampler, center, dir, [s, FINE_STEP_PX], window, polarity, buf)
    })?;
    let n_points = buf.points.len();
    let fit = robust_fit(buf, 1.0, n_rays)?;
    Ok((fit, n_points as f64 / n_rays as f64))
}

/// The strongest edge of sign `polarity` within `±max(window·s, MIN_WINDOW_PX)` of `s` along a
/// ray, sampled every `step` pixels.
#[allow(clippy::too_many_arguments, reason = "one ray's search, called from two places")]
fn edge_near(
    sampler: &Sampler<'_>,
    center: [f64; 2],
    dir: [f64; 2],
    [s, step]: [f64; 2],
    window: f64,
    polarity: f32,
    buf: &mut FitBuffers,
) -> Option<([f64; 2], f32)> {
    let half = (window * s).max(MIN_WINDOW_PX);
    let s0 = s - half;
    let n = (2.0 * half / step).ceil() as usize + 1;
    if s0 <= 0.0 || !sampler.ray_derivatives(center, dir, s0, step, n, &mut buf.profile) {
        return None;
    }
    let (j, strength) = edge_centroid(&buf.profile, polarity, half / step)?;
    let s = s0 + j * step;
    Some(([center[0] + s * dir[0], center[1] + s * dir[1]], strength))
}

/// Fits the rim of the light centre disc (the inner ring's inner edge).
fn fit_inner(
    sampler: &Sampler<'_>,
    model: &MarkerModel,
    outer: &Ellipse,
    polarity: f32,
    buf: &mut FitBuffers,
) -> Option<EllipseFit> {
    let fraction = model.inner_ring[0];
    if fraction * outer.semi_minor_px < MIN_INNER_RADIUS_PX {
        return None;
    }
    // Half the ring's width, so that the window stays off the ring's outer edge.
    let window = 0.5 * (model.inner_ring[1] - model.inner_ring[0]) / fraction;
    let n_rays = 2
        * ((0.25 * TAU * fraction * outer.semi_major_px).round() as usize)
            .clamp(INNER_RAYS[0] / 2, INNER_RAYS[1] / 2);
    let center = outer.center_px;
    let (rays, outer_axes) = (fan(n_rays, Phase::Half), axes(outer));
    collect_rays(n_rays, buf, |k, buf| {
        let dir = rays.dir(k);
        let s = fraction * radius_along(outer, outer_axes, dir);
        // Going outwards the centre disc is paper and the ring ink: the opposite sign.
        edge_near(sampler, center, dir, [s, INNER_STEP_PX], window, -polarity, buf)
    })
    .ok()?;
    let fit = robust_fit(buf, 0.5, n_rays).ok()?;
    inner_matches_outer(&fit.ellipse, outer, fraction).then_some(fit)
}

/// Whether `inner` has the shape of `outer` scaled by `fraction`, as the image of a concentric
/// circle has: each semi-axis within [`INNER_AXIS_RATIO`] of the scaled one, and, when the outer
/// ellipse is elongated enough for its axes to have a direction, the major axes aligned within
/// [`MAX_INNER_TURN_RAD`]. An edge of a neighbouring ring or of merged, squashed rings can pass
/// for an inner ring of the right size, but not of the right shape.
fn inner_matches_outer(inner: &Ellipse, outer: &Ellipse, fraction: f64) -> bool {
    let major = inner.semi_major_px / (fraction * outer.semi_major_px);
    let minor = inner.semi_minor_px / (fraction * outer.semi_minor_px);
    if !(INNER_AXIS_RATIO.contains(&major) && INNER_AXIS_RATIO.contains(&minor)) {
        return false;
    }
    if outer.semi_minor_px > ROUND_AXIS_RATIO * outer.semi_major_px {
        return true;
    }
    let turn = (inner.angle_rad - outer.angle_rad).rem_euclid(std::f64::consts::PI);
    turn.min(std::f64::consts::PI - turn) <= MAX_INNER_TURN_RAD
}

/// Paper-minus-ink contrast around the outer ellipse.
fn ring_contrast(
    sampler: &Sampler<'_>,
    model: &MarkerModel,
    outer: &Ellipse,
    polarity: f32,
) -> Result<f32, Rejection> {
    let ring_mid = 0.5 * (1.0 + model.ring_inner);
    let (mut paper, mut ink, mut n) = (0.0f32, 0.0f32, 0usize);
    let (mut paper_sq, mut ink_sq) = (0.0f32, 0.0f32);
    let (rays, outer_axes) = (fan(N_CONTRAST_RAYS, Phase::Whole), axes(outer));
    for k in 0..N_CONTRAST_RAYS {
        let dir = rays.dir(k);
        let s = radius_along(outer, outer_axes, dir);
        let at = |f: f64| {
            let p = [outer.center_px[0] + f * s * dir[0], outer.center_px[1] + f * s * dir[1]];
            sampler.intensity(p)
        };
        if let (Some(p), Some(i)) = (at(1.0 + 0.5 * (1.0 - model.ring_inner)), at(ring_mid)) {
            paper += p;
            ink += i;
            paper_sq += p * p;
            ink_sq += i * i;
            n += 1;
        }
    }
    if n < N_CONTRAST_RAYS / 2 {
        return Err(Rejection::NoEdge);
    }
    let (paper, ink) = (paper / n as f32, ink / n as f32);
    let spread = |sum_sq: f32, mean: f32| (sum_sq / n as f32 - mean * mean).max(0.0).sqrt();
    let noise = spread(paper_sq, paper).min(spread(ink_sq, ink)).max(1.0);
    let contrast = polarity * (paper - ink);
    if contrast < MIN_RING_CONTRAST_GREY || contrast < MIN_CONTRAST_TO_SPREAD * noise {
        return Err(Rejection::LowContrast);
    }
    Ok(contrast)
}

/// Runs `edge` for each of `n_rays` rays, keeps the points whose strength is not far below the
/// median, and checks there are enough.
fn collect_rays(
    n_rays: usize,
    buf: &mut FitBuffers,
    mut edge: impl FnMut(usize, &mut FitBuffers) -> Option<([f64; 2], f32)>,
) -> Result<(), Rejection> {
    buf.points.clear();
    buf.rays.clear();
    buf.strengths.clear();
    for k in 0..n_rays {
        if let Some((p, strength)) = edge(k, buf) {
            buf.points.push(p);
            buf.rays.push(k);
            buf.strengths.push(strength);
        }
    }
    if (buf.points.len() as f64) < MIN_RAY_FRACTION * n_rays as f64 {
        return Err(Rejection::NoEdge);
    }
    buf.sorted.clear();
    buf.sorted.extend_from_slice(&buf.strengths);
    let mid = buf.sorted.len() / 2;
    let median = *buf.sorted.select_nth_unstable_by(mid, f32::total_cmp).1;
    if median.is_nan() || median <= 0.0 {
        return Err(Rejection::NoEdge);
    }
    let floor = MIN_STRENGTH_FRACTION * median;
    let mut kept = 0;
    for i in 0..buf.points.len() {
        if buf.strengths[i] >= floor {
            buf.points[kept] = buf.points[i];
            buf.rays[kept] = buf.rays[i];
            kept += 1;
        }
    }
    buf.points.truncate(kept);
    buf.rays.truncate(kept);
    if (kept as f64) < MIN_RAY_FRACTION * n_rays as f64 {
        return Err(Rejection::NoEdge);
    }
    Ok(())
}

/// Robust ellipse through `buf.points`, requiring half the rays as inliers.
fn robust_fit(
    buf: &mut FitBuffers,
    threshold_px: f64,
    n_rays: usize,
) -> Result<EllipseFit, Rejection> {
    let params = RobustEllipseParams { inlier_threshold_px: threshold_px, ..Default::default() };
    let fit = fit_ellipse_robust(&buf.points, &params, &mut buf.fit).ok_or(Rejection::FitFailed)?;
    if (fit.n_inliers as f64) < MIN_RAY_FRACTION * n_rays as f64 {
        return Err(Rejection::FitFailed);
    }
    Ok(fit)
}

/// Rejects ellipses that are too flat or whose major semi-axis is outside `size_px`.
fn check_shape(e: &Ellipse, [lo, hi]: [f64; 2]) -> Result<(), Rejection> {
    let ratio = e.semi_minor_px / e.semi_major_px;
    if !(ratio >= MIN_AXIS_RATIO && e.semi_major_px >= lo && e.semi_major_px <= hi) {
        return Err(Rejection::BadShape);
    }
    Ok(())
}
