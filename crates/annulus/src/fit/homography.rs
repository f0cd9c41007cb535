//! Homography estimation: normalised DLT, Levenberg–Marquardt refinement, and RANSAC.
//!
//! # Linear estimate
//! The normalised direct linear transform of Hartley & Zisserman, *Multiple View Geometry*,
//! 2nd ed., alg. 4.2: both point sets are moved to Hartley frames (centroid at the origin,
//! mean distance √2), each correspondence gives two rows of `A h = 0`, and `h` is the
//! eigenvector of the smallest eigenvalue of the 9 × 9 matrix `Σ wᵢ AᵢᵀAᵢ`, accumulated on the
//! stack and decomposed by nalgebra's `SymmetricEigen` with a bounded iteration count.
//!
//! # Refinement
//! Levenberg–Marquardt (H&Z §A6.2) on the weighted squared transfer error in the destination,
//! `Σ wᵢ |dstᵢ − H(srcᵢ)|²`, over all nine entries of `H` in the Hartley frames; the scale of
//! `h`, to which the error is blind, is pinned by a gauge term and renormalised every step.
//!
//! # RANSAC
//! H&Z alg. 4.6: 4-point samples, rejected when three of the points are nearly collinear in
//! either plane; MSAC scoring on transfer error; the number of samples adapts to the best
//! inlier ratio so far and the requested confidence; a refit on all inliers; one final
//! collection of inliers.
//!
//! # Frames and edge cases
//! The result maps `src` to `dst`, whatever their units (`img_from_board` maps board mm to image
//! px). Fewer than 4 points, mismatched slice lengths, non-finite weighted points, collinear or
//! coincident configurations, and singular results give `None`.

use nalgebra::{Matrix3, SMatrix, SVector, SymmetricEigen, Vector3};

use super::rng::SplitMix64;
use super::{FitScratch, MIN_RELATIVE_W, Normalizer, weight_at};
use crate::geometry::Homography;

/// Points needed to determine a homography.
const MIN_POINTS: usize = 4;

/// Smallest ratio of the second-smallest to the largest eigenvalue of `AᵀA`. It is of order
/// 1e-3 or more for points in general position in the Hartley frames, and at rounding level
/// when the null space is more than one-dimensional (three collinear of four points, or all
/// points on a line).
const MIN_EIGEN_GAP: f64 = 1e-12;

/// Iteration cap of the 9 × 9 symmetric eigen-solver; it converges in a few dozen sweeps, the
/// cap only guards against non-convergence on pathological input.
const EIGEN_MAX_ITERATIONS: usize = 1000;

/// Levenberg–Marquardt iterations. From the DLT start the transfer error converges in two or
/// three steps; the rest are for rejected steps while the damping adapts.
const LM_MAX_ITERATIONS: usize = 10;

/// Relative decrease of the cost below which refinement stops as converged.
const LM_MIN_RELATIVE_DECREASE: f64 = 1e-12;

/// Smallest `|det H| / |H|³` of an accepted homography (scale-free); anything smaller maps the
/// plane onto a line.
const MIN_RELATIVE_DET: f64 = 1e-12;

/// Largest `|cross(b − a, c − a)| / (longest side)²` of a nearly collinear triple in a RANSAC
/// sample: 0.01 means a height of about 1 % of the longest side, where the minimal solution's
/// error is amplified a hundredfold.
const COLLINEAR_TOLERANCE: f64 = 0.01;

/// Default inlier threshold on transfer error: marker centres are accurate to a few tenths of
/// a pixel, and uncorrected lens distortion adds up to a pixel or two over a board.
const DEFAULT_THRESHOLD_PX: f64 = 3.0;

/// Default cap on RANSAC samples: at 50 % inliers, 0.999 confidence needs 110 samples; the cap
/// covers inlier ratios down to about 25 %.
const DEFAULT_MAX_ITERATIONS: u32 = 2000;

/// Default probability that at least one sample is outlier-free.
const DEFAULT_CONFIDENCE: f64 = 0.999;

/// Default RANSAC seed; any value works, a fixed one keeps runs reproducible.
const DEFAULT_SEED: u64 = 0x686F_6D6F_6772_6170;

/// Normalised DLT (Hartley & Zisserman, alg. 4.2) followed by a few Gauss–Newton/LM
/// iterations that minimise the squared transfer error in dst; optional weights. None for < 4
/// points or degenerate configurations.
///
/// Weights must be finite and non-negative; pairs of weight 0 are skipped and may be
/// non-finite. The result is normalised as [`Homography::from_matrix`] does.
pub fn fit_homography(
    src: &[[f64; 2]],
    dst: &[[f64; 2]],
    weights: Option<&[f64]>,
) -> Option<Homography> {
    estimate(src, dst, weights, true)
}

/// The DLT estimate, refined when `refine` is set.
fn estimate(
    src: &[[f64; 2]],
    dst: &[[f64; 2]],
    weights: Option<&[f64]>,
    refine: bool,
) -> Option<Homography> {
    if src.len() != dst.len() {
        return None;
    }
    let norm_src = Normalizer::new(src, weights, MIN_POINTS)?;
    let norm_dst = Normalizer::new(dst, weights, MIN_POINTS)?;
    let pairs = || {
        (0..src.len()).filter_map(move |i| {
            let w = weight_at(weights, i);
            (w > 0.0).then(|| (w, norm_src.apply(src[i]), norm_dst.apply(dst[i])))
        })
    };
    let mut ata = SMatrix::<f64, 9, 9>::zeros();
    for (w, [x, y], [u, v]) in pairs() {
        let r1 = SVector::<f64, 9>::from([0.0, 0.0, 0.0, -x, -y, -1.0, v * x, v * y, v]);
        let r2 = SVector::<f64, 9>::from([x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, -u]);
        ata.ger(w, &r1, &r1, 1.0);
        ata.ger(w, &r2, &r2, 1.0);
    }
    let eigen = SymmetricEigen::try_new(ata, f64::EPSILON, EIGEN_MAX_ITERATIONS)?;
    let mut order = [0usize, 1, 2, 3, 4, 5, 6, 7, 8];
    order.sort_unstable_by(|&i, &j| eigen.eigenvalues[i].total_cmp(&eigen.eigenvalues[j]));
    let largest = eigen.eigenvalues[order[8]];
    let second = eigen.eigenvalues[order[1]];
    if second.is_nan() || second <= MIN_EIGEN_GAP * largest {
        return None;
    }
    let mut h: SVector<f64, 9> = eigen.eigenvectors.column(order[0]).into_owned();
    if refine {
        h = levenberg_marquardt(h, pairs);
    }
    let in_frames = Matrix3::from_row_slice(h.as_slice());
    let m = norm_dst.inverse_matrix() * in_frames * norm_src.matrix();
    let scale = m.norm();
    let relative_det = m.determinant() / scale.powi(3);
    (m.iter().all(|v| v.is_finite()) && relative_det.abs() > MIN_RELATIVE_DET)
        .then(|| Homography::from_matrix(&m))
}

/// The weighted squared transfer error of `h` (row-major, Hartley frames) over `pairs`, with
/// the normal equations `JᵀJ` and `Jᵀr` when `normal` is given. `None` when a point maps to
/// infinity.
fn transfer_cost<I>(
    h: &SVector<f64, 9>,
    pairs: I,
    mut normal: Option<(&mut SMatrix<f64, 9, 9>, &mut SVector<f64, 9>)>,
) -> Option<f64>
where
    I: Iterator<Item = (f64, [f64; 2], [f64; 2])>,
{
    let hm = Matrix3::from_row_slice(h.as_slice());
    let mut cost = 0.0;
    for (w, [x, y], [u, v]) in pairs {
        let p = Vector3::new(x, y, 1.0);
        let q = hm * p;
        if q.z.is_nan() || q.z.abs() <= MIN_RELATIVE_W * q.norm() {
            return None;
        }
        let (pu, pv) = (q.x / q.z, q.y / q.z);
        let (ru, rv) = (pu - u, pv - v);
        cost += w * (ru * ru + rv * rv);
        if let Some((jtj, jtr)) = normal.as_mut() {
            // ∂(pu)/∂h = (pᵀ, 0, −pu pᵀ) / q_z and ∂(pv)/∂h = (0, pᵀ, −pv pᵀ) / q_z.
            let s = 1.0 / q.z;
            let (px, py) = (p * s, p * (-pu * s));
            let (qx, qy) = (p * s, p * (-pv * s));
            let ju = SVector::<f64, 9>::from([px.x, px.y, px.z, 0.0, 0.0, 0.0, py.x, py.y, py.z]);
            let jv = SVector::<f64, 9>::from([0.0, 0.0, 0.0, qx.x, qx.y, qx.z, qy.x, qy.y, qy.z]);
            jtj.ger(w, &ju, &ju, 1.0);
            jtj.ger(w, &jv, &jv, 1.0);
            jtr.axpy(w * ru, &ju, 1.0);
            jtr.axpy(w * rv, &jv, 1.0);
        }
    }
    cost.is_finite().then_some(cost)
}

/// Levenberg–Marquardt on the transfer error from the start `h`; returns the best `h` found
/// (the start itself when no step improves it).
fn levenberg_marquardt<F, I>(mut h: SVector<f64, 9>, pairs: F) -> SVector<f64, 9>
where
    F: Fn() -> I,
    I: Iterator<Item = (f64, [f64; 2], [f64; 2])>,
{
    h /= h.norm();
    let mut jtj = SMatrix::<f64, 9, 9>::zeros();
    let mut jtr = SVector::<f64, 9>::zeros();
    let Some(mut cost) = transfer_cost(&h, pairs(), Some((&mut jtj, &mut jtr))) else {
        return h;
    };
    let mut damping = 1e-3;
    for _ in 0..LM_MAX_ITERATIONS {
        if cost == 0.0 {
            break;
        }
        let mean_diag = jtj.trace() / 9.0;
        // The error does not change along h itself; the gauge term h hᵀ keeps the step off it.
        let mut system = jtj + h * h.transpose() * mean_diag;
        for k in 0..9 {
            system[(k, k)] += damping * jtj[(k, k)].max(1e-12 * mean_diag);
        }
        let Some(step) = system.cholesky().map(|c| c.solve(&-jtr)) else { break };
        let mut next = h + step;
        next /= next.norm();
        let mut next_jtj = SMatrix::<f64, 9, 9>::zeros();
        let mut next_jtr = SVector::<f64, 9>::zeros();
        match transfer_cost(&next, pairs(), Some((&mut next_jtj, &mut next_jtr))) {
            Some(next_cost) if next_cost < cost => {
                let decrease = (cost - next_cost) / cost;
                (h, cost, jtj, jtr) = (next, next_cost, next_jtj, next_jtr);
                damping *= 0.1;
                if decrease < LM_MIN_RELATIVE_DECREASE {
                    break;
                }
            }
            _ => damping *= 10.0,
        }
    }
    h
}

/// RANSAC parameters for homographies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RansacParams {
    /// Largest transfer error `|dst − H(src)|` of an inlier, in dst units. Default
    /// 3.0 px.
    pub threshold_px: f64,
    /// Most samples drawn, whatever the confidence. Default 2000.
    pub max_iterations: u32,
    /// Probability in (0, 1) that at least one sample is outlier-free, which sets the adaptive
    /// sample count. Default 0.999.
    pub confidence: f64,
    /// Seed of the sampling stream. Default: a fixed constant.
    pub seed: u64,
}

impl Default for RansacParams {
    fn default() -> Self {
        Self {
            threshold_px: DEFAULT_THRESHOLD_PX,
            max_iterations: DEFAULT_MAX_ITERATIONS,
            confidence: DEFAULT_CONFIDENCE,
            seed: DEFAULT_SEED,
        }
    }
}

/// Result of a robust homography fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HomographyFit {
    /// The map from src to dst.
    pub homography: Homography,
    /// Pairs whose transfer error is within the threshold.
    pub n_inliers: usize,
    /// Root-mean-square transfer error of the inliers, in dst units.
    pub rms_px: f64,
}

/// RANSAC on 4-point samples (reject samples with three nearly collinear points), adaptive
/// iteration count from `confidence`, final refit on all inliers with `fit_homography`, then
/// re-collect inliers once. scratch.inliers as above. The returned homography maps src → dst.
///
/// `None` for invalid parameters (threshold not positive and finite, confidence outside
/// (0, 1), no iterations), mismatched lengths, or fewer than 4 inliers; then
/// `scratch.inliers` is all `false`.
pub fn fit_homography_ransac(
    src: &[[f64; 2]],
    dst: &[[f64; 2]],
    params: &RansacParams,
    scratch: &mut FitScratch,
) -> Option<HomographyFit> {
    scratch.reset(src.len());
    let valid = params.threshold_px.is_finite()
        && params.threshold_px > 0.0
        && params.confidence > 0.0
        && params.confidence < 1.0
        && params.max_iterations > 0;
    if !valid || src.len() != dst.len() || src.len() < MIN_POINTS {
        return None;
    }
    let best = ransac(src, dst, params)?;
    let threshold = params.threshold_px;
    let mark = |h: &Homography, inliers: &mut [bool]| {
        let (mut n, mut sum_sq) = (0usize, 0.0);
        for ((flag, &s), &d) in inliers.iter_mut().zip(src).zip(dst) {
            let e = transfer_error(h, s, d);
            *flag = e <= threshold;
            if *flag {
                n += 1;
                sum_sq += e * e;
            }
        }
        (n, sum_sq)
    };
    mark(&best, &mut scratch.inliers);
    for (w, &inlier) in scratch.weights.iter_mut().zip(&scratch.inliers) {
        *w = if inlier { 1.0 } else { 0.0 };
    }
    let homography = fit_homography(src, dst, Some(&scratch.weights)).unwrap_or(best);
    let (n_inliers, sum_sq) = mark(&homography, &mut scratch.inliers);
    if n_inliers < MIN_POINTS {
        scratch.inliers.fill(false);
        return None;
    }
    Some(HomographyFit { homography, n_inliers, rms_px: (sum_sq / n_inliers as f64).sqrt() })
}

/// The best minimal-sample homography by MSAC score, with adaptive termination.
fn ransac(src: &[[f64; 2]], dst: &[[f64; 2]], params: &RansacParams) -> Option<Homography> {
    let n = src.len();
    let threshold_sq = params.threshold_px.powi(2);
    let mut rng = SplitMix64::new(params.seed);
    let mut best: Option<(f64, Homography)> = None;
    let mut needed = params.max_iterations;
    let mut drawn = 0u32;
    while drawn < needed {
        drawn += 1;
        let idx = rng.distinct::<MIN_POINTS>(n)?;
        let (s, d) = (idx.map(|i| src[i]), idx.map(|i| dst[i]));
        if has_collinear_triple(&s) || has_collinear_triple(&d) {
            continue;
        }
        let Some(h) = estimate(&s, &d, None, false) else { continue };
        let (mut cost, mut n_inliers) = (0.0, 0usize);
        for (&p, &q) in src.iter().zip(dst) {
            let e_sq = transfer_error(&h, p, q).powi(2);
            if e_sq <= threshold_sq {
                cost += e_sq;
                n_inliers += 1;
            } else {
                cost += threshold_sq;
            }
        }
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, h));
            let ratio = n_inliers as f64 / n as f64;
            needed = needed.min(samples_needed(ratio, params.confidence));
        }
    }
    best.map(|(_, h)| h)
}

/// Samples needed to draw one all-inlier 4-point sample with probability `confidence`, given
/// the inlier ratio, capped to `u32::MAX`.
fn samples_needed(inlier_ratio: f64, confidence: f64) -> u32 {
    let clean = inlier_ratio.powi(MIN_POINTS as i32);
    if clean >= 1.0 {
        return 1;
    }
    if clean.is_nan() || clean <= 0.0 {
        return u32::MAX;
    }
    let n = (1.0 - confidence).ln() / (1.0 - clean).ln();
    // Saturating conversion: NaN gives 0 and is lifted to 1; huge values clamp to the cap.
    (n.ceil() as u32).max(1)
}

/// Transfer error `|dst − H(src)|`; infinite when `src` maps to infinity, NaN for NaN input.
fn transfer_error(h: &Homography, src: [f64; 2], [u, v]: [f64; 2]) -> f64 {
    match h.apply(src) {
        Some([x, y]) => (x - u).hypot(y - v),
        None if src.iter().any(|c| c.is_nan()) => f64::NAN,
        None => f64::INFINITY,
    }
}

/// Whether any three of the four points are nearly collinear (or coincident).
fn has_collinear_triple(p: &[[f64; 2]; 4]) -> bool {
    [[0, 1, 2], [0, 1, 3], [0, 2, 3], [1, 2, 3]].iter().any(|&[i, j, k]| {
        let (a, b, c) = (p[i], p[j], p[k]);
        let ab = [b[0] - a[0], b[1] - a[1]];
        let ac = [c[0] - a[0], c[1] - a[1]];
        let bc = [c[0] - b[0], c[1] - b[1]];
        let cross = ab[0] * ac[1] - ab[1] * ac[0];
        let longest_sq = [ab, ac, bc].iter().map(|e| e[0] * e[0] + e[1] * e[1]).fold(0.0, f64::max);
        // Also catches NaN coordinates: the comparison is then false.
        cross.is_nan() || cross.abs() <= COLLINEAR_TOLERANCE * longest_sq
    })
}
