//! Ellipse fitting: the direct least-squares fit, the Sampson distance, and a robust fit.
//!
//! # Direct fit
//! Fitzgibbon, Pilu & Fisher, "Direct least square fitting of ellipses", PAMI 21(5), 1999:
//! minimise the algebraic error `Σ wᵢ (aᵀ dᵢ)²` of the conic `a = (A, B, C, D, E, F)` over
//! the monomials `dᵢ = (x², xy, y², x, y, 1)`, subject to the ellipse constraint
//! `4AC − B² = 1`. We solve it in the numerically stable form of Halíř & Flusser, "Numerically
//! stable direct least squares fitting of ellipses", WSCG 1998: the scatter matrix splits into
//! quadratic and linear blocks, the linear part is eliminated (`a₂ = −S₃⁻¹ S₂ᵀ a₁`), and the
//! remaining 3 × 3 generalised eigenproblem `R a₁ = λ C₁ a₁` is solved through its
//! characteristic cubic. The eigenvector with `4AC − B² > 0` is the ellipse. Points are first
//! moved to a Hartley frame (see [`super`]), so the fit is as accurate at (20 000, 20 000) px
//! as at the origin. The three scatter blocks hold only the 15 weighted moments `Σ w xᵃ yᵇ`
//! with `a + b ≤ 4`, so each point adds to those once rather than to 27 block entries: the
//! robust fit refits on every pass, and this sum is most of a refit's cost.
//!
//! # Robust fit
//! RANSAC (Fischler & Bolles 1981) over 5-point samples scored by MSAC (Torr & Zisserman
//! 2000) on the Sampson distance, a refit on the consensus set, then iteratively reweighted
//! least squares with Tukey's biweight. Each IRLS weight also divides by the squared gradient
//! of the conic at the point, so the weighted algebraic error approximates the squared
//! geometric distance, which removes most of the algebraic fit's bias on partial arcs.
//!
//! # Edge cases
//! Fewer than 5 usable points, all points collinear or coincident, any non-finite point of
//! positive weight, and best fits that are not real ellipses give `None`.

use nalgebra::{Matrix3, Vector3};

use super::rng::SplitMix64;
use super::{FitScratch, Normalizer, cubic_roots, null_vector_rank2, pencil_cubic, weight_at};
use crate::geometry::{Conic, Ellipse};

/// Points needed to determine a conic.
const MIN_POINTS: usize = 5;

/// Smallest `det(S₃) / (tr(S₃)/3)³` of the linear scatter block accepted. In the Hartley
/// frame it is of order 1 for points spread in 2D and reaches zero only when they are
/// collinear, where `S₃` cannot be inverted.
const MIN_LINEAR_SCATTER_CONDITION: f64 = 1e-12;

/// Largest `|R a₁| / (|R| |a₁|)` for a candidate eigenvector: a root of the cubic that was
/// polished to the eigenvalue leaves a residual near rounding level; anything larger is a
/// spurious candidate (for instance a split double root).
const MAX_EIGEN_RESIDUAL: f64 = 1e-6;

/// Default inlier threshold: edge points of a sharp ring scatter by a few tenths of a pixel,
/// while blur, neighbouring rings and code-band edges sit well over a pixel away.
const DEFAULT_INLIER_THRESHOLD_PX: f64 = 1.0;

/// Default RANSAC iterations: with 30 % outliers a 5-point sample is clean with probability
/// 0.17, so 24 samples miss a clean one with probability about 1 %.
const DEFAULT_RANSAC_ITERATIONS: u32 = 24;

/// Default RANSAC confidence: stop sampling once a clean sample would have been drawn with this
/// probability, given the best inlier fraction so far (Hartley & Zisserman 2004, §4.7.1). The
/// same 1 % miss rate as [`DEFAULT_RANSAC_ITERATIONS`] at 30 % outliers, reached after about 5
/// samples instead of 24 when a ring's edge points are 95 % inliers, which is the usual case.
const DEFAULT_RANSAC_CONFIDENCE: f64 = 0.99;

/// Default IRLS iterations: reweighting converges to within 1e-3 px in two or three.
const DEFAULT_IRLS_ITERATIONS: u32 = 3;

/// Default RANSAC seed; any value works, a fixed one keeps runs reproducible.
const DEFAULT_SEED: u64 = 0x616E_6E75_6C75_7300;

/// Direct least-squares ellipse fit (Fitzgibbon, Pilu & Fisher 1999, in the numerically
/// stable form of Halíř & Flusser 1998), on Hartley-normalised points, optional per-point
/// weights. None when fewer than 5 points, degenerate, or not an ellipse.
///
/// Weights must be finite and non-negative; points of weight 0 are skipped and may be
/// non-finite. The conic is returned with unit Frobenius norm.
pub fn fit_conic_direct(points: &[[f64; 2]], weights: Option<&[f64]>) -> Option<Conic> {
    let norm = Normalizer::new(points, weights, MIN_POINTS)?;
    let (s1, s2, s3) = scatter_blocks(points, weights, &norm);
    let mean_diag = s3.trace() / 3.0;
    let det = s3.determinant();
    if det.is_nan() || det <= MIN_LINEAR_SCATTER_CONDITION * mean_diag.powi(3) {
        return None;
    }
    let to_linear = -(s3.try_inverse()? * s2.transpose());
    // The reduced scatter (a Schur complement, symmetric positive semi-definite).
    let r = s1 + s2 * to_linear;
    let r = (r + r.transpose()) * 0.5;
    // a₁ᵀ C₁ a₁ = 4AC − B².
    let c1 = Matrix3::new(0.0, 0.0, 2.0, 0.0, -1.0, 0.0, 2.0, 0.0, 0.0);
    let mut best: Option<(f64, Vector3<f64>)> = None;
    for root in cubic_roots(pencil_cubic(&r, &c1))? {
        if root.im != 0.0 {
            continue;
        }
        let Some(a1) = null_vector_rank2(&(r - c1 * root.re)) else { continue };
        let residual = (r * a1 - c1 * a1 * root.re).norm() / r.norm().max(f64::MIN_POSITIVE);
        let constraint = 4.0 * a1.x * a1.z - a1.y * a1.y;
        if residual <= MAX_EIGEN_RESIDUAL
            && constraint > 0.0
            && best.is_none_or(|(c, _)| constraint > c)
        {
            best = Some((constraint, a1));
        }
    }
    let (_, a1) = best?;
    let a2 = to_linear * a1;
    let (a, b, c, d, e, f) = (a1.x, a1.y, a1.z, a2.x, a2.y, a2.z);
    let in_frame = Matrix3::new(a, b / 2.0, d / 2.0, b / 2.0, c, e / 2.0, d / 2.0, e / 2.0, f);
    let n = norm.matrix();
    let m = n.transpose() * in_frame * n;
    let m = (m + m.transpose()) * (0.5 / m.norm());
    let conic = Conic { matrix: m };
    (m.iter().all(|v| v.is_finite()) && conic.to_ellipse().is_some()).then_some(conic)
}

/// The scatter blocks of the monomials of the normalised points, quadratic `q = (x², xy, y²)`
/// and linear `l = (x, y, 1)`: `Σ w q qᵀ`, `Σ w q lᵀ` and `Σ w l lᵀ`.
///
/// Their 27 entries are only the 15 weighted moments `Σ w xᵃ yᵇ` with `a + b ≤ 4`, so those
/// are summed, each once, and the blocks filled from them: about half the arithmetic of
/// accumulating the three outer products per point.
pub(super) fn scatter_blocks(
    points: &[[f64; 2]],
    weights: Option<&[f64]>,
    norm: &Normalizer,
) -> (Matrix3<f64>, Matrix3<f64>, Matrix3<f64>) {
    // m[k]: Σ w, x, y, x², xy, y², x³, x²y, xy², y³, x⁴, x³y, x²y², xy³, y⁴.
    let mut m = [0.0f64; 15];
    for (i, &p) in points.iter().enumerate() {
        let w = weight_at(weights, i);
        if w == 0.0 {
            continue;
        }
        let [x, y] = norm.apply(p);
        let (xx, xy, yy) = (x * x, x * y, y * y);
        let (wxx, wxy, wyy) = (w * xx, w * xy, w * yy);
        let terms = [
            w,
            w * x,
            w * y,
            wxx,
            wxy,
            wyy,
            wxx * x,
            wxx * y,
            wyy * x,
            wyy * y,
            wxx * xx,
            wxx * xy,
            wxx * yy,
            wyy * xy,
            wyy * yy,
        ];
        for (sum, t) in m.iter_mut().zip(terms) {
            *sum += t;
        }
    }
    let [w, x, y, xx, xy, yy, xxx, xxy, xyy, yyy, xxxx, xxxy, xxyy, xyyy, yyyy] = m;
    let s1 = Matrix3::new(xxxx, xxxy, xxyy, xxxy, xxyy, xyyy, xxyy, xyyy, yyyy);
    let s2 = Matrix3::new(xxx, xxy, xx, xxy, xyy, xy, xyy, yyy, yy);
    let s3 = Matrix3::new(xx, xy, x, xy, yy, y, x, y, w);
    (s1, s2, s3)
}

/// First-order (Sampson) geometric distance of a point from a conic, in the points' units.
///
/// `|pᵀ C p| / |∇(pᵀ C p)|`, always non-negative: exact for a line, and within a relative
/// error of order (distance / radius of curvature) for an ellipse. Infinite at a point where
/// the gradient vanishes off the curve (an ellipse's centre); NaN for a non-finite point.
pub fn sampson_distance(conic: &Conic, [x, y]: [f64; 2]) -> f64 {
    let (value, grad_sq) = value_and_gradient(conic, [x, y]);
    if value == 0.0 {
        return 0.0;
    }
    value.abs() / grad_sq.sqrt()
}

/// The algebraic value of the conic at `p` and the squared norm of its gradient.
fn value_and_gradient(conic: &Conic, [x, y]: [f64; 2]) -> (f64, f64) {
    let cp = conic.matrix * Vector3::new(x, y, 1.0);
    let value = x * cp.x + y * cp.y + cp.z;
    // The gradient of pᵀCp with respect to (x, y) is twice the first two entries of Cp.
    (value, 4.0 * (cp.x * cp.x + cp.y * cp.y))
}

/// Parameters of the robust fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RobustEllipseParams {
    /// Largest Sampson distance of an inlier, and the cutoff of the Tukey weights, in the
    /// points' units. Default 1.0 px.
    pub inlier_threshold_px: f64,
    /// RANSAC samples drawn; 0 starts from the direct fit on all points instead (which then
    /// must all be finite). Default
    /// 24.
    pub ransac_iterations: u32,
    /// Probability of having drawn at least one all-inlier sample at which sampling stops
    /// early, estimated from the best sample's inlier fraction; 1 or more draws every sample.
    /// Default 0.99.
    pub ransac_confidence: f64,
    /// Reweighting passes after the consensus refit. Default 3.
    pub irls_iterations: u32,
    /// Seed of the sampling stream. Default: a fixed constant.
    pub seed: u64,
}

impl Default for RobustEllipseParams {
    fn default() -> Self {
        Self {
            inlier_threshold_px: DEFAULT_INLIER_THRESHOLD_PX,
            ransac_iterations: DEFAULT_RANSAC_ITERATIONS,
            ransac_confidence: DEFAULT_RANSAC_CONFIDENCE,
            irls_iterations: DEFAULT_IRLS_ITERATIONS,
            seed: DEFAULT_SEED,
        }
    }
}

/// Result of a robust fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EllipseFit {
    /// The fitted conic, unit Frobenius norm.
    pub conic: Conic,
    /// The same curve as an ellipse.
    pub ellipse: Ellipse,
    /// Points within the inlier threshold of the result.
    pub n_inliers: usize,
    /// Root-mean-square Sampson distance of the inliers, in the points' units.
    pub rms_px: f64,
}

/// RANSAC over minimal 5-point samples (deterministic from `params.seed`), MSAC consensus on
/// Sampson distance, then a refit on the inliers and IRLS with Tukey weights on Sampson
/// distance. After the call, `scratch.inliers[i]` tells whether point `i` is an inlier.
///
/// Each IRLS weight is Tukey's biweight with cutoff `inlier_threshold_px`, divided by the
/// squared conic gradient at the point. Non-finite points are outliers. `None` when the
/// threshold is not positive and finite, no sample gives an ellipse, or fewer than 5 inliers
/// support the result; then `scratch.inliers` is all `false`.
pub fn fit_ellipse_robust(
    points: &[[f64; 2]],
    params: &RobustEllipseParams,
    scratch: &mut FitScratch,
) -> Option<EllipseFit> {
    scratch.reset(points.len());
    let threshold = params.inlier_threshold_px;
    if !(threshold.is_finite() && threshold > 0.0) || points.len() < MIN_POINTS {
        return None;
    }
    let mut conic = if params.ransac_iterations == 0 {
        fit_conic_direct(points, None)
    } else {
        ransac(points, params)
    }?;
    // Refit on the consensus set, then reweight. A pass that fails keeps the previous conic.
    let passes = 1 + params.irls_iterations;
    for pass in 0..passes {
        let tukey = pass > 0;
        if set_weights(points, &conic, threshold, tukey, &mut scratch.weights) < MIN_POINTS {
            break;
        }
        match fit_conic_direct(points, Some(&scratch.weights)) {
            Some(next) => conic = next,
            None => break,
        }
    }
    let (mut n_inliers, mut sum_sq) = (0usize, 0.0);
    for (flag, &p) in scratch.inliers.iter_mut().zip(points) {
        let d = sampson_distance(&conic, p);
        *flag = d <= threshold;
        if *flag {
            n_inliers += 1;
            sum_sq += d * d;
        }
    }
    let ellipse = conic.to_ellipse();
    match ellipse {
        Some(ellipse) if n_inliers >= MIN_POINTS => {
            let rms_px = (sum_sq / n_inliers as f64).sqrt();
            Some(EllipseFit { conic, ellipse, n_inliers, rms_px })
        }
        _ => {
            scratch.inliers.fill(false);
            None
        }
    }
}

/// The best conic by MSAC score over at most `params.ransac_iterations` 5-point samples, fewer
/// once `params.ransac_confidence` is reached ([`samples_needed`]).
fn ransac(points: &[[f64; 2]], params: &RobustEllipseParams) -> Option<Conic> {
    let threshold_sq = params.inlier_threshold_px.powi(2);
    let mut rng = SplitMix64::new(params.seed);
    let mut best: Option<(f64, Conic)> = None;
    let mut needed = f64::INFINITY;
    let mut drawn = 0u32;
    while drawn < params.ransac_iterations && f64::from(drawn) < needed {
        drawn += 1;
        let sample = rng.distinct::<MIN_POINTS>(points.len())?.map(|i| points[i]);
        let Some(conic) = fit_conic_direct(&sample, None) else { continue };
        // MSAC: inliers cost their squared distance, outliers (and NaN) the threshold's.
        let (mut cost, mut n_inliers) = (0.0, 0usize);
        for &p in points {
            let d = sampson_distance(&conic, p);
            if d * d < threshold_sq {
                cost += d * d;
                n_inliers += 1;
            } else {
                cost += threshold_sq;
            }
        }
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, conic));
            let fraction = n_inliers as f64 / points.len() as f64;
            needed = samples_needed(fraction, params.ransac_confidence);
        }
    }
    best.map(|(_, conic)| conic)
}

/// Samples after which an all-inlier 5-point sample has been drawn with probability
/// `confidence`, when a fraction `inliers` of the points are inliers: `ln(1 − p) / ln(1 − w⁵)`.
/// Infinite (never stop early) for a confidence of 1 or more or NaN, and without inliers; zero
/// when every point is an inlier.
pub(crate) fn samples_needed(inliers: f64, confidence: f64) -> f64 {
    if confidence.is_nan() || confidence >= 1.0 {
        return f64::INFINITY;
    }
    let clean = inliers.clamp(0.0, 1.0).powi(MIN_POINTS as i32);
    if clean >= 1.0 {
        return 0.0;
    }
    // Without a chance of a clean sample, or with one too small to register in `1 − w⁵`, no
    // number of samples reaches the confidence.
    let miss_per_sample = (1.0 - clean).ln();
    if miss_per_sample.is_nan() || miss_per_sample >= 0.0 {
        return f64::INFINITY;
    }
    (1.0 - confidence.max(0.0)).ln() / miss_per_sample
}

/// Fills `weights` for a refit around `conic` and returns how many are positive. Points
/// beyond the threshold get 0; inside, 1 or Tukey's biweight `(1 − (d/t)²)²`, divided by the
/// squared gradient so that the algebraic error approximates the geometric one. Weights are
/// rescaled to a largest value of 1.
fn set_weights(
    points: &[[f64; 2]],
    conic: &Conic,
    threshold: f64,
    tukey: bool,
    weights: &mut [f64],
) -> usize {
    let mut largest = 0.0f64;
    for (w, &p) in weights.iter_mut().zip(points) {
        let (value, grad_sq) = value_and_gradient(conic, p);
        let d = value.abs() / grad_sq.sqrt();
        *w = if d <= threshold && grad_sq > 0.0 && grad_sq.is_finite() {
            let robust = if tukey { (1.0 - (d / threshold).powi(2)).powi(2) } else { 1.0 };
            robust / grad_sq
        } else {
            0.0
        };
        largest = largest.max(*w);
    }
    if !(largest > 0.0 && largest.is_finite()) {
        weights.fill(0.0);
        return 0;
    }
    let mut positive = 0;
    for w in weights.iter_mut() {
        *w /= largest;
        positive += usize::from(*w > 0.0);
    }
    positive
}
