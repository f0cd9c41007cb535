//! Reading the image at sub-pixel positions, in either image frame, and along rays.
//!
//! Intensities are bilinear interpolations of the four nearest pixel centres. Gradients are
//! central differences at pixel centres, interpolated bilinearly in turn, so that a derivative
//! profile along a ray is continuous and its peak can be located to a fraction of the sample
//! step ([`edge_centroid`]); differencing bilinear intensities instead would give a
//! piecewise-constant derivative with a peak that snaps to pixel boundaries.
//!
//! Frames: fits run in the *fit frame*, which is the undistorted frame when the camera has lens
//! distortion and the image frame otherwise ([`Frames`]). Ray geometry is laid out in the fit
//! frame and every sample position is mapped to the image (forward distortion, closed form)
//! before reading pixels, so edge positions come out in the fit frame with no per-point
//! Newton inversion. Samples that fall outside the image, within one pixel of its border, make
//! the whole ray invalid rather than inventing values.

use crate::camera::Camera;
use crate::geometry::ImageFrame;
use crate::image::ImageView;

use super::gradient::GradientImage;

/// The map between the image frame and the fit frame.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frames {
    camera: Option<Camera>,
}

impl Frames {
    /// Frames for an optional camera; a camera without distortion changes nothing.
    pub(crate) fn new(camera: Option<Camera>) -> Self {
        Self { camera: camera.filter(|c| c.distortion.is_some()) }
    }

    /// The frame fits run in.
    pub(crate) fn fit_frame(self) -> ImageFrame {
        if self.camera.is_some() { ImageFrame::Undistorted } else { ImageFrame::Image }
    }

    /// A fit-frame point in the image.
    pub(crate) fn to_image(self, p_fit: [f64; 2]) -> [f64; 2] {
        match &self.camera {
            None => p_fit,
            Some(c) => c.distort_px(p_fit),
        }
    }

    /// An image point in the fit frame; `None` where the distortion cannot be undone.
    pub(crate) fn to_fit(self, p_img: [f64; 2]) -> Option<[f64; 2]> {
        match &self.camera {
            None => Some(p_img),
            Some(c) => c.undistort_px(p_img).ok(),
        }
    }
}

/// Reads an image through a frame map.
#[derive(Clone, Copy)]
pub(crate) struct Sampler<'a> {
    image: ImageView<'a>,
    frames: Frames,
    /// Largest coordinates a sample may have and still see its interpolation and difference
    /// neighbours: `width - 2`, `height - 2`.
    max_xy: [f64; 2],
    /// The image's differences, computed once; `None` differences on the fly (the reference
    /// path, bit-identical).
    gradient: Option<&'a GradientImage>,
}

impl<'a> Sampler<'a> {
    /// A sampler of `image` through `frames`.
    pub(crate) fn new(image: ImageView<'a>, frames: Frames) -> Self {
        let max_xy = [f64::from(image.width()) - 2.0, f64::from(image.height()) - 2.0];
        Self { image, frames, max_xy, gradient: None }
    }

    /// A sampler of `image` that reads gradients from `gradient`, which must have been computed
    /// from `image`; one of another size is ignored.
    pub(crate) fn with_gradient(
        image: ImageView<'a>,
        frames: Frames,
        gradient: &'a GradientImage,
    ) -> Self {
        let same_size = gradient.width() == image.width() as usize
            && gradient.height() == image.height() as usize;
        Self { gradient: same_size.then_some(gradient), ..Self::new(image, frames) }
    }

    /// The image's width and height in pixels.
    pub(crate) fn image_size(&self) -> [u32; 2] {
        [self.image.width(), self.image.height()]
    }

    /// The frame map.
    pub(crate) fn frames(&self) -> &Frames {
        &self.frames
    }

    /// Top-left pixel and fractional offsets of an image point, when it lies at least one pixel
    /// inside the border.
    #[inline]
    fn cell(&self, [x, y]: [f64; 2]) -> Option<(usize, usize, f32, f32)> {
        if !(x >= 1.0 && y >= 1.0 && x < self.max_xy[0] && y < self.max_xy[1]) {
            return None;
        }
        // Both coordinates are at least 1 here, where truncation is `floor` without the libm
        // call that `f64::floor` costs on baseline x86-64. Through `i64`, because converting
        // between `f64` and an unsigned integer takes several instructions there and a signed
        // one a single instruction; the image size limit keeps the values far inside `i64`.
        let (xi, yi) = (x as i64, y as i64);
        Some((xi as usize, yi as usize, (x - xi as f64) as f32, (y - yi as f64) as f32))
    }

    /// The raw value of image pixel `(x, y)`, when it exists.
    #[cfg(test)]
    pub(crate) fn pixel(&self, x: i64, y: i64) -> Option<f32> {
        let inside = x >= 0
            && y >= 0
            && x < i64::from(self.image.width())
            && y < i64::from(self.image.height());
        inside.then(|| self.px(x as usize, y as usize))
    }

    /// The pixels of row `y` at columns `xs` that lie inside the image, with the first one's
    /// column; `None` when none does.
    pub(crate) fn row_span(&self, y: i64, xs: std::ops::Range<i64>) -> Option<(i64, &'a [u8])> {
        let row = self.image.row(u32::try_from(y).ok()?)?;
        let lo = xs.start.max(0);
        let hi = xs.end.min(row.len() as i64);
        (lo < hi).then(|| (lo, &row[lo as usize..hi as usize]))
    }

    #[inline]
    fn px(&self, x: usize, y: usize) -> f32 {
        f32::from(self.image.data()[y * self.image.stride() + x])
    }

    /// Bilinear intensity at an image point.
    pub(crate) fn intensity_img(&self, p_img: [f64; 2]) -> Option<f32> {
        let (x, y, fx, fy) = self.cell(p_img)?;
        let top = self.px(x, y) + fx * (self.px(x + 1, y) - self.px(x, y));
        let bottom = self.px(x, y + 1) + fx * (self.px(x + 1, y + 1) - self.px(x, y + 1));
        Some(top + fy * (bottom - top))
    }

    /// Bilinear intensity at a fit-frame point.
    pub(crate) fn intensity(&self, p_fit: [f64; 2]) -> Option<f32> {
        self.intensity_img(self.frames.to_image(p_fit))
    }

    /// Bilinearly interpolated central-difference gradient at an image point, grey levels per
    /// pixel.
    #[inline]
    fn gradient_img(&self, p_img: [f64; 2]) -> Option<[f32; 2]> {
        let (x, y, fx, fy) = self.cell(p_img)?;
        if let Some(g) = self.gradient {
            // `cell` keeps x + 1 and y + 1 inside the image.
            return bilinear_diffs(g, x, y, fx, fy);
        }
        let gx = |x: usize, y: usize| 0.5 * (self.px(x + 1, y) - self.px(x - 1, y));
        let gy = |x: usize, y: usize| 0.5 * (self.px(x, y + 1) - self.px(x, y - 1));
        let lerp = |g: &dyn Fn(usize, usize) -> f32| {
            let top = g(x, y) + fx * (g(x + 1, y) - g(x, y));
            let bottom = g(x, y + 1) + fx * (g(x + 1, y + 1) - g(x, y + 1));
            top + fy * (bottom - top)
        };
        Some([lerp(&gx), lerp(&gy)])
    }

    /// Derivative of intensity along the ray `center + s · dir` (fit frame) at `s0 + j·step`
    /// for `j < n`, written to `out`. Returns `false`, leaving `out` unspecified, when any
    /// sample falls outside the image.
    pub(crate) fn ray_derivatives(
        &self,
        center: [f64; 2],
        dir: [f64; 2],
        s0: f64,
        step: f64,
        n: usize,
        out: &mut Vec<f32>,
    ) -> bool {
        self.ray_derivatives_prefix([center, dir], [s0, step], [n, n], out)
    }

    /// [`Self::ray_derivatives`] over the window of `n` samples, of which only the first
    /// `n_read` are computed into `out`: the window's other samples are only required to lie
    /// inside the image, and the direction is still the whole window's chord, so the values
    /// written, and the result, are those of the whole window. For a caller that reads the
    /// start of a ray but counts only rays that stay inside the image farther out.
    pub(crate) fn ray_derivatives_prefix(
        &self,
        [center, dir]: [[f64; 2]; 2],
        [s0, step]: [f64; 2],
        [n, n_read]: [usize; 2],
        out: &mut Vec<f32>,
    ) -> bool {
        out.clear();
        if n < 2 {
            return false;
        }
        let n_read = n_read.min(n);
        let at = |s: f64| [center[0] + s * dir[0], center[1] + s * dir[1]];
        // The ray's direction in the image: the chord of the window, which follows the local
        // distortion closely over a window a few pixels long.
        let a = self.frames.to_image(at(s0));
        let b = self.frames.to_image(at(s0 + step * (n - 1) as f64));
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len.is_nan() || len <= 0.0 {
            return false;
        }
        let (ux, uy) = ((dx / len) as f32, (dy / len) as f32);
        // Sized once and written in place: no capacity check per sample.
        out.resize(n_read, 0.0);
        if let (None, Some(g)) = (&self.frames.camera, self.gradient) {
            return self.straight_ray(g, at, [s0, step, (n - 1) as f64], [ux, uy], out);
        }
        for j in 0..n {
            let p_img = self.frames.to_image(at(s0 + step * j as f64));
            let Some([gx, gy]) = self.gradient_img(p_img) else { return false };
            if let Some(o) = out.get_mut(j) {
                *o = gx * ux + gy * uy;
            }
        }
        true
    }
}

impl Sampler<'_> {
    /// [`Sampler::ray_derivatives_prefix`] without lens distortion and with precomputed
    /// differences, the common case, into `out` (already sized to the samples read) for the
    /// window whose last sample is number `j_last`: the ray is straight in the image, so it
    /// stays inside the readable area if and only if both its ends do, and no sample needs its
    /// own check. Positions and arithmetic are those of the general path, so the result is bit
    /// for bit the same (the sampler tests compare the two).
    #[inline]
    fn straight_ray(
        &self,
        g: &GradientImage,
        at: impl Fn(f64) -> [f64; 2],
        [s0, step, j_last]: [f64; 3],
        [ux, uy]: [f32; 2],
        out: &mut [f32],
    ) -> bool {
        // Every sample position is `at(s0 + step · j)`, computed as on the general path. Both
        // the product and the sum are correctly rounded, and rounding is monotonic, so each
        // coordinate moves monotonically along the ray and lies between its values at the ends.
        let (first, last) = (at(s0), at(s0 + step * j_last));
        let (Some(a), Some(b)) = (self.cell(first), self.cell(last)) else { return false };
        // The general path also fails where a sample's block of differences is not in `g`; the
        // farthest block any sample of the window reads is at the ends' larger row and larger
        // column (monotonic coordinates again), so checking it stands for the samples not read.
        if a.1.max(b.1) * g.width() + a.0.max(b.0) + g.width() + 2 > g.diffs().len() {
            return false;
        }
        for (j, o) in out.iter_mut().enumerate() {
            let [x, y] = at(s0 + step * j as f64);
            // SAFETY: `x` and `y` lie between the ends' coordinates (see above), which `cell`
            // accepted: finite, at least 1 and below `width - 2` and `height - 2`, far inside
            // `i32`. `to_int_unchecked` truncates as `as` does, without the saturation checks
            // that `as` costs; truncation of a value of at least 1 is `floor`.
            #[allow(unsafe_code, reason = "the checked conversions cost 2 % of a call")]
            let (xi, yi) = unsafe { (x.to_int_unchecked::<i32>(), y.to_int_unchecked::<i32>()) };
            let (fx, fy) = ((x - f64::from(xi)) as f32, (y - f64::from(yi)) as f32);
            // The cell is inside the image, as `cell` checked at the ends.
            let Some([gx, gy]) = bilinear_diffs(g, xi as usize, yi as usize, fx, fy) else {
                return false;
            };
            *o = gx * ux + gy * uy;
        }
        true
    }
}

/// The bilinear blend at offsets `(fx, fy)` of the halved differences of pixels `(x, y)` to
/// `(x + 1, y + 1)`, grey levels per pixel; `None` if that block is not in `g`.
#[inline(always)]
fn bilinear_diffs(g: &GradientImage, x: usize, y: usize, fx: f32, fy: f32) -> Option<[f32; 2]> {
    let (w, d) = (g.width(), g.diffs());
    let i = y * w + x;
    // One range check covers all four reads.
    let block = d.get(i..i + w + 2)?;
    let (a, b, c, e) = (block[0], block[1], block[w], block[w + 1]);
    // The stored differences are already halved, exactly as the reference path halves them.
    let lerp = |k: usize| {
        let [a, b, c, e] = [a[k], b[k], c[k], e[k]];
        let top = a + fx * (b - a);
        let bottom = c + fx * (e - c);
        top + fy * (bottom - top)
    };
    Some([lerp(0), lerp(1)])
}

/// Fraction of the peak below which derivative samples do not count towards an edge's centroid:
/// half the peak keeps the core of a blurred edge and leaves out the tails, where a neighbouring
/// edge or noise dominates.
const CENTROID_FLOOR: f32 = 0.5;

/// Sub-sample position of an edge in a derivative profile, and its peak value.
///
/// The edge is the local maximum of `sign · values` nearest to index `target` among those
/// reaching half the window's maximum (so that a weaker neighbouring edge of the same sign does
/// not win just by being in the window, nor a stronger one far from where the edge should be).
/// Its position is the centroid of `sign · values − floor` over the contiguous run above
/// `floor = CENTROID_FLOOR · peak`. The centroid of a symmetric peak is its centre for any
/// sampling phase and it averages every sample of the run, so it is less biased by the pixel
/// grid and far less noisy than a parabola through the top three samples, markedly so for
/// wide, blurred edges. A run cut by the window's rim is kept unless the peak itself is on
/// the rim (then the edge is outside the window).
pub(crate) fn edge_centroid(values: &[f32], sign: f32, target: f64) -> Option<(f64, f32)> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let max = values.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(sign * v));
    if max.is_nan() || max <= 0.0 {
        return None;
    }
    let peak_j = nearest_peak(values, sign, 0.5 * max, target)?;
    let peak = sign * values[peak_j];
    let floor = CENTROID_FLOOR * peak;
    let mut j = peak_j;
    while j > 0 && sign * values[j - 1] > floor {
        j -= 1;
    }
    let (mut sum_w, mut sum_wj) = (0.0f64, 0.0f64);
    while j < n && sign * values[j] > floor {
        let w = f64::from(sign * values[j] - floor);
        sum_w += w;
        sum_wj += w * j as f64;
        j += 1;
    }
    (sum_w > 0.0).then(|| (sum_wj / sum_w, peak))
}

/// Largest `|target|` for which [`nearest_peak`] walks outwards from the target: below it the
/// distances `|j − target|` of distinct indices on one side of the target are distinct, so the
/// walk visits indices in the order of the full scan's comparison. Search windows are far
/// shorter; the bound only keeps absurd targets on the full scan.
const MAX_WALK_TARGET: f64 = 1e9;

/// The local maximum of `sign · values` (at least its left neighbour, above its right one) of at
/// least `floor` nearest to index `target`, the lower index on a tie, among `1..n − 1`.
///
/// The indices are visited in order of their distance from the target, two fronts moving out
/// from it, so the search stops at the first local maximum it meets: usually within a sample
/// or two, where a scan of the whole window would test every sample. The result is the full
/// scan's ([`nearest_peak_scan`]), as a test checks.
fn nearest_peak(values: &[f32], sign: f32, floor: f32, target: f64) -> Option<usize> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    // A NaN or infinite target, or one too far out, takes the full scan.
    if target.is_nan() || target.abs() >= MAX_WALK_TARGET {
        return nearest_peak_scan(values, sign, floor, target);
    }
    let is_peak = |j: usize| {
        let v = sign * values[j];
        v >= floor && v >= sign * values[j - 1] && v > sign * values[j + 1]
    };
    let dist = |j: usize| (j as f64 - target).abs();
    // The lower front starts at the last index at or below the target, the upper one after it;
    // either may start outside `1..n − 1`, and then only the other moves.
    let split = target.clamp(0.0, (n - 1) as f64) as usize;
    let mut lo = split.min(n - 2);
    let mut hi = lo + 1;
    loop {
        let lo_ok = lo >= 1;
        let hi_ok = hi <= n - 2;
        match (lo_ok, hi_ok) {
            (false, false) => return None,
            (true, true) if dist(lo) <= dist(hi) => {
                if is_peak(lo) {
                    return Some(lo);
                }
                lo -= 1;
            }
            (true, false) => {
                if is_peak(lo) {
                    return Some(lo);
                }
                lo -= 1;
            }
            _ => {
                if is_peak(hi) {
                    return Some(hi);
                }
                hi += 1;
            }
        }
    }
}

/// [`nearest_peak`] by testing every index: the reference, and the path for targets too far
/// out for the walk.
fn nearest_peak_scan(values: &[f32], sign: f32, floor: f32, target: f64) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for j in 1..values.len().saturating_sub(1) {
        let v = sign * values[j];
        if v >= floor && v >= sign * values[j - 1] && v > sign * values[j + 1] {
            let d = (j as f64 - target).abs();
            if best.is_none_or(|(_, bd)| d < bd) {
                best = Some((j, d));
            }
        }
    }
    best.map(|(j, _)| j)
}

#[cfg(test)]
#[path = "sampler_tests.rs"]
mod tests;
