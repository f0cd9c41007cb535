//! An 8-bit grayscale image and its PNG encoding.
//!
//! PNGs are written with fixed encoder settings and no timestamps, so equal pixels always give
//! equal bytes. A physical resolution (`pHYs` chunk) can be attached so that printed boards come
//! out at their true size.

use crate::error::{Result, SynthError};

/// Metres per inch, for converting dpi to PNG's pixels-per-metre.
const METRES_PER_INCH: f64 = 0.0254;

/// A row-major 8-bit grayscale image without padding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height` pixel values, row by row.
    pub pixels: Vec<u8>,
}

impl GrayImage {
    /// The image as PNG bytes, optionally tagged with a print resolution in dots per inch.
    pub fn to_png(&self, dpi: Option<f64>) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, self.width, self.height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Fast);
        if let Some(dpi) = dpi {
            let per_metre = (dpi / METRES_PER_INCH).round() as u32;
            encoder.set_pixel_dims(Some(png::PixelDimensions {
                xppu: per_metre,
                yppu: per_metre,
                unit: png::Unit::Meter,
            }));
        }
        let png_error = |e: png::EncodingError| SynthError::Png(e.to_string());
        let mut writer = encoder.write_header().map_err(png_error)?;
        writer.write_image_data(&self.pixels).map_err(png_error)?;
        writer.finish().map_err(png_error)?;
        Ok(bytes)
    }
}
