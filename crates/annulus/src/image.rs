//! The detector's input: a borrowed 8-bit grayscale view.
//!
//! Pixel `(x, y)` is the byte at `data[y * stride + x]`; rows may be padded (stride larger than
//! width), as camera drivers and cropped views often are. No image-crate type appears here, so
//! the core API stays independent of how pixels were loaded. Coordinates follow the convention
//! in [`crate::geometry`]: pixel centres at integers.
//!
//! Sizes are limited to [`MAX_IMAGE_SIDE_PX`] a side and [`MAX_IMAGE_PIXELS`] in all, so that
//! every index the detector computes fits comfortably in its integer types and a corrupt header
//! cannot make it reserve gigabytes of scratch memory.

use crate::error::DetectError;

/// Longest image side the detector accepts, in pixels.
pub const MAX_IMAGE_SIDE_PX: u32 = 32_768;

/// Most pixels the detector accepts in one image (256 Mpx; scratch memory is about 6 bytes a
/// pixel, so this caps a workspace near 1.5 GB).
pub const MAX_IMAGE_PIXELS: u64 = 1 << 28;

/// A borrowed 8-bit grayscale image, validated on construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageView<'a> {
    width: u32,
    height: u32,
    stride: usize,
    data: &'a [u8],
}

impl<'a> ImageView<'a> {
    /// A view of `data` as `height` rows of `width` pixels, `stride` bytes apart.
    ///
    /// The buffer needs `stride * (height - 1) + width` bytes at least; the last row need not be
    /// padded.
    pub fn new(
        width: u32,
        height: u32,
        stride: usize,
        data: &'a [u8],
    ) -> Result<Self, DetectError> {
        if width == 0 || height == 0 {
            return Err(DetectError::EmptyImage { width, height });
        }
        if width > MAX_IMAGE_SIDE_PX
            || height > MAX_IMAGE_SIDE_PX
            || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS
        {
            return Err(DetectError::ImageTooLarge {
                width,
                height,
                max_side: MAX_IMAGE_SIDE_PX,
                max_pixels: MAX_IMAGE_PIXELS,
            });
        }
        let width_bytes = width as usize;
        if stride < width_bytes {
            return Err(DetectError::StrideTooSmall { stride, width });
        }
        let needed = stride
            .checked_mul(height as usize - 1)
            .and_then(|n| n.checked_add(width_bytes))
            .unwrap_or(usize::MAX);
        if data.len() < needed {
            return Err(DetectError::BufferTooShort {
                len: data.len(),
                needed,
                width,
                height,
                stride,
            });
        }
        Ok(Self { width, height, stride, data })
    }

    /// A view of tightly packed rows (stride equal to width).
    pub fn packed(width: u32, height: u32, data: &'a [u8]) -> Result<Self, DetectError> {
        Self::new(width, height, width as usize, data)
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes from one row to the next.
    pub fn stride(&self) -> usize {
        self.stride
    }

    /// The underlying buffer.
    pub fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Row `y` (exactly `width` bytes); `None` past the last row.
    pub fn row(&self, y: u32) -> Option<&'a [u8]> {
        if y >= self.height {
            return None;
        }
        let start = y as usize * self.stride;
        self.data.get(start..start + self.width as usize)
    }
}
