//! Loading PNG files as the 8-bit grayscale pixels the detector takes.
//!
//! 8-bit grayscale passes through unchanged. Every other kind of PNG is converted, and the
//! conversion is announced on stderr in one `note:` line, because the detector then sees
//! different numbers than the file holds:
//!
//! - 1-, 2- and 4-bit grayscale is expanded to 8 bits by the `png` crate (full scale stays full
//!   scale: a 1-bit `1` becomes 255);
//! - 16-bit grayscale becomes `round(v / 257)`, which maps 0 to 0 and 65535 to 255 exactly (the
//!   `png` crate's own `STRIP_16` truncates instead, which biases every pixel down by half a
//!   level);
//! - RGB, RGBA, palette and gray + alpha become the Rec. 601 luma
//!   `0.299 R + 0.587 G + 0.114 B`, rounded to the nearest level after scaling 16-bit samples as
//!   above. Alpha is ignored: a calibration image has no meaningful transparency.
//!
//! Gamma, colour-space and `sBIT` chunks are ignored; the samples are taken as stored. Only the
//! first frame of an animated PNG is read.
//!
//! The image size is checked against the detector's limits ([`ImageView::new`]) from the header,
//! before any pixel buffer is allocated, so a corrupt or hostile header cannot make the CLI
//! reserve gigabytes.

use std::fmt;
use std::io::{Cursor, ErrorKind};
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use png::{BitDepth, ColorType, DecodingError, Transformations};

use annulus::{DetectError, ImageView};

/// The eight bytes every PNG file starts with.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// Rec. 601 luma weights of red, green and blue.
const LUMA_WEIGHTS: [f64; 3] = [0.299, 0.587, 0.114];

/// An 8-bit grayscale image with tightly packed rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrayImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` bytes, row after row.
    pub pixels: Vec<u8>,
}

impl GrayImage {
    /// The detector's view of these pixels.
    pub fn view(&self) -> Result<ImageView<'_>, DetectError> {
        ImageView::packed(self.width, self.height, &self.pixels)
    }
}

/// What a file held before it was converted, for the `note:` line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceKind {
    /// Bits per sample in the file.
    pub bits: u8,
    /// Colour type in the file.
    pub color: ColorType,
}

impl fmt::Display for SourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let color = match self.color {
            ColorType::Grayscale => "gray",
            ColorType::GrayscaleAlpha => "gray+alpha",
            ColorType::Rgb => "RGB",
            ColorType::Rgba => "RGBA",
            ColorType::Indexed => "palette",
        };
        write!(f, "{}-bit {color}", self.bits)
    }
}

/// Reads the PNG at `path` as 8-bit gray, printing a `note:` line to stderr if it was converted.
pub fn read_gray_png(path: &Path) -> Result<GrayImage> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read image {}", path.display()))?;
    let (image, source) =
        decode_gray_png(&bytes).with_context(|| format!("image {}", path.display()))?;
    if let Some(kind) = source {
        eprintln!("note: {} is {kind}; converted to 8-bit gray", path.display());
    }
    Ok(image)
}

/// Decodes PNG bytes to 8-bit gray; the second value names the file's pixel format when it was
/// anything other than 8-bit gray.
pub fn decode_gray_png(bytes: &[u8]) -> Result<(GrayImage, Option<SourceKind>)> {
    if bytes.is_empty() {
        bail!("not a PNG file (the file is empty)");
    }
    if !bytes.starts_with(&PNG_SIGNATURE) {
        bail!("not a PNG file (it does not start with the PNG signature)");
    }
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    // EXPAND turns palettes into RGB(A) and low-bit gray into 8-bit gray; 16-bit samples are
    // kept so that they can be rounded rather than truncated.
    decoder.set_transformations(Transformations::EXPAND);
    // The size is checked as soon as the header is read, before any pixel buffer exists.
    let header = decoder.read_header_info().map_err(describe_png_error)?;
    let (width, height) = (header.width, header.height);
    let source = SourceKind { bits: header.bit_depth as u8, color: header.color_type };
    check_size(width, height)?;
    let mut reader = decoder.read_info().map_err(describe_png_error)?;

    let (out_color, out_depth) = reader.output_color_type();
    let len = reader
        .output_buffer_size()
        .ok_or_else(|| anyhow!("{width} x {height} px is too large to decode on this machine"))?;
    let mut buffer = vec![0u8; len];
    let frame = reader.next_frame(&mut buffer).map_err(describe_png_error)?;
    buffer.truncate(frame.buffer_size());

    let pixels = match (out_color, out_depth) {
        (ColorType::Grayscale, BitDepth::Eight) => buffer,
        (color, BitDepth::Eight) => luma8(&buffer, color.samples()),
        (color, BitDepth::Sixteen) => luma16(&buffer, color.samples()),
        (color, depth) => bail!("unexpected decoded pixel format {color:?} at {depth:?}"),
    };
    let converted = !(source.color == ColorType::Grayscale && source.bits == 8);
    Ok((GrayImage { width, height, pixels }, converted.then_some(source)))
}

/// Fails when the detector would refuse an image of this size.
fn check_size(width: u32, height: u32) -> Result<()> {
    // An empty buffer makes `ImageView::new` check the size first; only the size errors matter
    // here, the buffer is checked again once it is decoded.
    match ImageView::new(width, height, width as usize, &[]) {
        Err(e @ (DetectError::ImageTooLarge { .. } | DetectError::EmptyImage { .. })) => {
            Err(e.into())
        }
        _ => Ok(()),
    }
}

/// Says what kind of damage a decoding error means, in the user's terms.
fn describe_png_error(err: DecodingError) -> anyhow::Error {
    match err {
        DecodingError::IoError(e) if e.kind() == ErrorKind::UnexpectedEof => {
            anyhow!("truncated PNG: the file ends before the image data does")
        }
        DecodingError::IoError(e) => anyhow!("cannot read the PNG data: {e}"),
        DecodingError::Format(e) => anyhow!("corrupt PNG: {}", chunk_names(&e.to_string())),
        DecodingError::LimitsExceeded => anyhow!("the PNG exceeds the decoder's memory limits"),
        other => anyhow!("cannot decode the PNG: {}", chunk_names(&other.to_string())),
    }
}

/// The `png` crate's messages print a chunk as its `Debug` form, `ChunkType { type: IDAT,
/// critical: true, ... }`; this puts the chunk's name (`IDAT`) in its place.
fn chunk_names(message: &str) -> String {
    const OPEN: &str = "ChunkType { type: ";
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let (Some(comma), Some(close)) = (after.find(','), after.find('}')) else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(&after[..comma.min(close)]);
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Luma of 8-bit pixels with `samples` samples each (gray, gray + alpha, RGB or RGBA).
fn luma8(data: &[u8], samples: usize) -> Vec<u8> {
    data.chunks_exact(samples)
        .map(|p| {
            let level = luma(samples, |i| f64::from(p[i]));
            // The luma weights sum to one, so the level is in [0, 255] already.
            level.round().clamp(0.0, 255.0) as u8
        })
        .collect()
}

/// Luma of 16-bit big-endian pixels with `samples` samples each, scaled to 8 bits.
fn luma16(data: &[u8], samples: usize) -> Vec<u8> {
    data.chunks_exact(2 * samples)
        .map(|p| {
            let level = luma(samples, |i| f64::from(u16::from_be_bytes([p[2 * i], p[2 * i + 1]])));
            (level / 257.0).round().clamp(0.0, 255.0) as u8
        })
        .collect()
}

/// The Rec. 601 luma of one pixel whose `i`-th sample is `sample(i)`; gray (with or without
/// alpha) is its own luma.
fn luma(samples: usize, sample: impl Fn(usize) -> f64) -> f64 {
    if samples >= 3 {
        LUMA_WEIGHTS.iter().enumerate().map(|(i, w)| w * sample(i)).sum()
    } else {
        sample(0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// Encodes one PNG in memory.
    fn encode(width: u32, height: u32, color: ColorType, depth: BitDepth, data: &[u8]) -> Vec<u8> {
        encode_with(width, height, color, depth, data, None)
    }

    fn encode_with(
        width: u32,
        height: u32,
        color: ColorType,
        depth: BitDepth,
        data: &[u8],
        palette: Option<Vec<u8>>,
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        if let Some(palette) = palette {
            encoder.set_palette(palette);
        }
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(data).unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn eight_bit_gray_passes_through_without_a_note() {
        let data = [0, 1, 127, 128, 254, 255];
        let png = encode(3, 2, ColorType::Grayscale, BitDepth::Eight, &data);
        let (image, note) = decode_gray_png(&png).unwrap();
        assert_eq!((image.width, image.height, image.pixels), (3, 2, data.to_vec()));
        assert_eq!(note, None);
    }

    #[test]
    fn sixteen_bit_gray_is_rounded_not_truncated() {
        let values: [u16; 6] = [0, 128, 129, 257, 385, 65535];
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_be_bytes()).collect();
        let png = encode(6, 1, ColorType::Grayscale, BitDepth::Sixteen, &data);
        let (image, note) = decode_gray_png(&png).unwrap();
        // 128/257 = 0.498, 129/257 = 0.502, 385/257 = 1.498.
        assert_eq!(image.pixels, [0, 0, 1, 1, 1, 255]);
        assert_eq!(note.map(|k| k.to_string()).as_deref(), Some("16-bit gray"));
    }

    #[test]
    fn colour_becomes_rec601_luma_and_alpha_is_ignored() {
        let rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 100, 50];
        let png = encode(4, 1, ColorType::Rgb, BitDepth::Eight, &rgb);
        let (image, note) = decode_gray_png(&png).unwrap();
        // 0.299 * 255 = 76.2, 0.587 * 255 = 149.7, 0.114 * 255 = 29.1,
        // 0.299 * 200 + 0.587 * 100 + 0.114 * 50 = 124.2.
        assert_eq!(image.pixels, [76, 150, 29, 124]);
        assert_eq!(note.map(|k| k.to_string()).as_deref(), Some("8-bit RGB"));

        let rgba = [255, 0, 0, 0, 10, 20, 30, 7];
        let (image, _) =
            decode_gray_png(&encode(2, 1, ColorType::Rgba, BitDepth::Eight, &rgba)).unwrap();
        assert_eq!(image.pixels, [76, 18]);

        let gray_alpha = [90, 0, 200, 255];
        let (image, note) =
            decode_gray_png(&encode(2, 1, ColorType::GrayscaleAlpha, BitDepth::Eight, &gray_alpha))
                .unwrap();
        assert_eq!(image.pixels, [90, 200]);
        assert_eq!(note.map(|k| k.to_string()).as_deref(), Some("8-bit gray+alpha"));

        let rgb16: Vec<u8> =
            [65535u16, 65535, 65535, 0, 0, 65535].iter().flat_map(|v| v.to_be_bytes()).collect();
        let (image, note) =
            decode_gray_png(&encode(2, 1, ColorType::Rgb, BitDepth::Sixteen, &rgb16)).unwrap();
        assert_eq!(image.pixels, [255, 29]);
        assert_eq!(note.map(|k| k.to_string()).as_deref(), Some("16-bit RGB"));
    }

    #[test]
    fn palettes_and_low_bit_gray_are_expanded() {
        let palette = vec![0, 0, 0, 255, 255, 255, 0, 255, 0];
        let png = encode_with(3, 1, ColorType::Indexed, BitDepth::Eight, &[2, 1, 0], Some(palette));
        let (image, note) = decode_gray_png(&png).unwrap();
        assert_eq!(image.pixels, [150, 255, 0]);
        assert_eq!(note.map(|k| k.to_string()).as_deref(), Some("8-bit palette"));

        // One byte holds eight 1-bit pixels: 1010_0000 is white, black, white, black, ...
        let (image, note) =
            decode_gray_png(&encode(4, 1, ColorType::Grayscale, BitDepth::One, &[0b1010_0000]))
                .unwrap();
        assert_eq!(image.pixels, [255, 0, 255, 0]);
        assert_eq!(note.map(|k| k.to_string()).as_deref(), Some("1-bit gray"));

        // Two 4-bit pixels: 15 and 1, i.e. 255 and 17.
        let (image, _) =
            decode_gray_png(&encode(2, 1, ColorType::Grayscale, BitDepth::Four, &[0xf1])).unwrap();
        assert_eq!(image.pixels, [255, 17]);
    }

    #[test]
    fn damage_is_named() {
        let message = |bytes: &[u8]| format!("{:#}", decode_gray_png(bytes).unwrap_err());
        assert!(message(b"P5\n2 2\n255\n....").contains("not a PNG"));
        let png = encode(64, 64, ColorType::Grayscale, BitDepth::Eight, &[7; 64 * 64]);
        assert!(message(&png[..png.len() / 2]).contains("truncated"), "{}", message(&png[..40]));
        assert!(message(&png[..20]).contains("truncated"), "{}", message(&png[..20]));
        assert_eq!(message(b""), "not a PNG file (the file is empty)");
    }

    #[test]
    fn chunk_types_are_named_by_their_four_letters() {
        let debug = "CRC error: expected 0x1 have 0x2 while decoding ChunkType { type: IDAT, \
                     critical: true, private: false, reserved: false, safecopy: false } chunk.";
        assert_eq!(
            chunk_names(debug),
            "CRC error: expected 0x1 have 0x2 while decoding IDAT chunk."
        );
        assert_eq!(chunk_names("no chunk here"), "no chunk here");
        assert_eq!(chunk_names("cut ChunkType { type: IDAT"), "cut ChunkType { type: IDAT");
    }

    #[test]
    fn oversized_headers_are_refused_before_decoding() {
        // A header claiming 40 000 x 40 000 px with no image data behind it.
        let mut png = PNG_SIGNATURE.to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend(40_000u32.to_be_bytes());
        ihdr.extend(40_000u32.to_be_bytes());
        ihdr.extend([8, 0, 0, 0, 0]);
        png.extend(13u32.to_be_bytes());
        png.extend(&ihdr);
        png.extend(crc32fast::hash(&ihdr).to_be_bytes());
        let message = format!("{:#}", decode_gray_png(&png).unwrap_err());
        assert!(message.contains("40000 x 40000 px") && message.contains("at most"), "{message}");
    }
}
