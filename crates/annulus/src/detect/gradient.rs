//! The image's central-difference gradient, computed once per call for every pixel.
//!
//! The edge fits read the gradient at hundreds of thousands of sub-pixel positions per image
//! (rays of quarter-pixel samples around every marker, twice), each a bilinear blend of the
//! central differences at the four surrounding pixels. Differencing on the fly reads sixteen
//! pixels per sample; neighbouring samples share cells, so computing every difference once and
//! reading four pairs per sample does the same arithmetic for a fraction of the work.
//!
//! Values are the central differences `(I(x+1) − I(x−1)) / 2` and `(I(y+1) − I(y−1)) / 2` in
//! `f32`, grey levels per pixel. For 8-bit pixels the undivided difference is an integer below
//! 512 in magnitude and its half a multiple of 0.5, both exact in `f32`, so results are
//! bit-identical to differencing on the fly ([`super::sampler`] keeps that path as the
//! reference, and its tests compare the two). Storing them ready to blend, rather than as the
//! `i16` undivided differences that would take half the memory, spares every sample eight
//! conversions and eight halvings: the edge fits took a fifth less time for 5 MiB more scratch
//! at 1280 × 1024. Pixels on the one-pixel border have no central difference and hold zero;
//! the sampler never reads them (it needs a pixel of margin).
//!
//! Frame: image pixels, row-major with the image's width as stride (not the view's stride).

use crate::image::ImageView;

/// Halved central differences `[∂x, ∂y]` of every pixel of an image, grey levels per pixel.
#[derive(Debug, Default)]
pub(crate) struct GradientImage {
    width: usize,
    height: usize,
    diffs: Vec<[f32; 2]>,
}

impl GradientImage {
    /// Recomputes the differences for `image`, reusing the buffer when the size is unchanged.
    pub(crate) fn compute(&mut self, image: &ImageView<'_>) {
        let (w, h) = (image.width() as usize, image.height() as usize);
        self.width = w;
        self.height = h;
        // Sized, not cleared: every interior entry is overwritten below, and the border is
        // zeroed explicitly, which spares a pass over the whole buffer on every call.
        self.diffs.resize(w * h, [0.0, 0.0]);
        if w < 3 || h < 3 {
            self.diffs.fill([0.0, 0.0]);
            return;
        }
        self.diffs[..w].fill([0.0, 0.0]);
        self.diffs[(h - 1) * w..].fill([0.0, 0.0]);
        for y in 1..h - 1 {
            // Invariant: 1 <= y < h - 1, so the three rows exist in a valid view.
            let (Some(up), Some(mid), Some(down)) =
                (image.row(y as u32 - 1), image.row(y as u32), image.row(y as u32 + 1))
            else {
                return;
            };
            let out = &mut self.diffs[y * w..(y + 1) * w];
            out[0] = [0.0, 0.0];
            out[w - 1] = [0.0, 0.0];
            // Slices of equal length let the compiler drop the bounds checks and vectorise.
            let (left, right) = (&mid[..w - 2], &mid[2..w]);
            let (above, below) = (&up[1..w - 1], &down[1..w - 1]);
            for (i, o) in out[1..w - 1].iter_mut().enumerate() {
                let dx = i16::from(right[i]) - i16::from(left[i]);
                let dy = i16::from(below[i]) - i16::from(above[i]);
                *o = [0.5 * f32::from(dx), 0.5 * f32::from(dy)];
            }
        }
    }

    /// Image width, the stride of [`Self::diffs`].
    #[inline]
    pub(crate) fn width(&self) -> usize {
        self.width
    }

    /// Image height.
    #[inline]
    pub(crate) fn height(&self) -> usize {
        self.height
    }

    /// The differences, row-major.
    #[inline]
    pub(crate) fn diffs(&self) -> &[[f32; 2]] {
        &self.diffs
    }
}
