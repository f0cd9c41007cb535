//! What the fuzz targets share: the byte layout of a `detect` input, and the boards it can
//! select.
//!
//! A `detect` input is a fixed header followed by pixels. Every header byte means something, so
//! that any mutation of a seed is still a meaningful detector call:
//!
//! | bytes | field |
//! |---|---|
//! | 0 | flags, see the `FLAG_*` constants |
//! | 1 | board: [`BOARDS`]`[b % 3]` |
//! | 2, 3 | width − 1, height − 1 (so 1 to 256 pixels a side) |
//! | 4 | row padding as an `i8`: `stride = width + padding` (negative values test the stride check) |
//! | 5..21 | diameter prior: nominal, or `[min, max]` (two `f64`, little endian) |
//! | 21..37 | `min_marker_diameter_px`, `max_marker_diameter_px` (two `f64`) |
//! | 37..109 | camera: `fx, fy, cx, cy, k1, k2, p1, p2, k3` (nine `f64`) |
//! | 109.. | pixels, row by row with the stride; when too few, the detector also runs on them repeated to fill the image |
//!
//! The floating-point fields are raw bits, so mutations reach NaN, infinities, zero, negative
//! and enormous values, which the configuration's validation must refuse or the detector
//! survive.

use annulus::detect::DiameterPrior;
use annulus::{Board, BrownConrady, Camera, DetectConfig, Format};

/// A diameter prior is given.
pub const FLAG_PRIOR: u8 = 1 << 0;
/// The prior is a `[min, max]` range rather than a nominal diameter.
pub const FLAG_PRIOR_RANGE: u8 = 1 << 1;
/// A camera is given.
pub const FLAG_CAMERA: u8 = 1 << 2;
/// The camera has Brown–Conrady distortion.
pub const FLAG_DISTORTION: u8 = 1 << 3;
/// Switches the completion search off (it is on by default).
pub const FLAG_NO_COMPLETION: u8 = 1 << 4;
/// Also runs `Detector::detect` with a fresh workspace and compares it with the reused one.
pub const FLAG_FRESH_WORKSPACE: u8 = 1 << 5;
/// Sets `min_marker_diameter_px` and `max_marker_diameter_px` from the header.
pub const FLAG_DIAMETER_LIMITS: u8 = 1 << 6;
/// Records stage timings.
pub const FLAG_TIMINGS: u8 = 1 << 7;

/// Length of the header before the pixels.
pub const HEADER_LEN: usize = 109;

/// Longest image side an input can describe.
pub const MAX_SIDE_PX: u32 = 256;

/// The boards an input can select, as spec text: the built-in board (as JSON) and the two
/// shipped fixtures.
pub const BOARDS: [(&str, Format); 3] = [
    ("", Format::Json),
    (include_str!("../../fixtures/boards/tiny.toml"), Format::Toml),
    (include_str!("../../fixtures/boards/rect-plain.toml"), Format::Toml),
];

/// The board of index `index` of [`BOARDS`] (modulo their number); `None` if a fixture no
/// longer parses, which the seed writer reports.
pub fn board(index: u8) -> Option<Board> {
    match BOARDS[usize::from(index) % BOARDS.len()] {
        ("", _) => Some(Board::builtin()),
        (text, format) => Board::parse(text, format).ok(),
    }
}

/// A decoded `detect` input.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectInput<'a> {
    /// The header's flags.
    pub flags: u8,
    /// Index into [`BOARDS`] (any value; taken modulo their number).
    pub board: u8,
    /// Width in pixels, 1 to [`MAX_SIDE_PX`].
    pub width: u32,
    /// Height in pixels, 1 to [`MAX_SIDE_PX`].
    pub height: u32,
    /// Bytes from one row to the next; may be smaller than the width.
    pub stride: usize,
    /// The diameter prior's two numbers (the second only for a range).
    pub prior: [f64; 2],
    /// `min_marker_diameter_px` and `max_marker_diameter_px`.
    pub limits: [f64; 2],
    /// `fx, fy, cx, cy, k1, k2, p1, p2, k3`.
    pub camera: [f64; 9],
    /// The pixel bytes after the header.
    pub pixels: &'a [u8],
}

impl<'a> DetectInput<'a> {
    /// Splits `bytes` into header and pixels; `None` when the header is incomplete.
    pub fn decode(bytes: &'a [u8]) -> Option<Self> {
        let (header, pixels) = bytes.split_at_checked(HEADER_LEN)?;
        let mut numbers = [0.0; 13];
        for (n, chunk) in numbers.iter_mut().zip(header[5..].chunks_exact(8)) {
            let mut raw = [0; 8];
            raw.copy_from_slice(chunk);
            *n = f64::from_le_bytes(raw);
        }
        let width = u32::from(header[2]) + 1;
        let padding = i64::from(header[4] as i8);
        let mut camera = [0.0; 9];
        camera.copy_from_slice(&numbers[4..]);
        Some(Self {
            flags: header[0],
            board: header[1],
            width,
            height: u32::from(header[3]) + 1,
            stride: usize::try_from(i64::from(width) + padding).unwrap_or(0),
            prior: [numbers[0], numbers[1]],
            limits: [numbers[2], numbers[3]],
            camera,
            pixels,
        })
    }

    /// The input as bytes; the inverse of [`DetectInput::decode`] for sides of 1 to 256 pixels
    /// and a stride within 128 bytes below or 127 above the width.
    pub fn encode(&self) -> Vec<u8> {
        let side = |n: u32| u8::try_from(n.clamp(1, MAX_SIDE_PX) - 1).unwrap_or(u8::MAX);
        let padding = self.stride as i64 - i64::from(self.width);
        let mut out = Vec::with_capacity(HEADER_LEN + self.pixels.len());
        out.extend([self.flags, self.board, side(self.width), side(self.height)]);
        out.push(padding.clamp(-128, 127) as i8 as u8);
        for n in self.prior.iter().chain(&self.limits).chain(&self.camera) {
            out.extend(n.to_le_bytes());
        }
        out.extend_from_slice(self.pixels);
        out
    }

    /// Whether `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// The detector configuration the header describes (not validated).
    pub fn config(&self) -> DetectConfig {
        let [a, b] = self.prior;
        let marker_diameter_px = match (self.has(FLAG_PRIOR), self.has(FLAG_PRIOR_RANGE)) {
            (false, _) => None,
            (true, false) => Some(DiameterPrior::Nominal(a)),
            (true, true) => Some(DiameterPrior::Range([a, b])),
        };
        let [fx, fy, cx, cy, k1, k2, p1, p2, k3] = self.camera;
        let distortion = self.has(FLAG_DISTORTION).then_some(BrownConrady { k1, k2, p1, p2, k3 });
        let defaults = DetectConfig::default();
        let (min, max) = if self.has(FLAG_DIAMETER_LIMITS) {
            (self.limits[0], Some(self.limits[1]))
        } else {
            (defaults.min_marker_diameter_px, defaults.max_marker_diameter_px)
        };
        DetectConfig {
            marker_diameter_px,
            min_marker_diameter_px: min,
            max_marker_diameter_px: max,
            camera: self.has(FLAG_CAMERA).then_some(Camera { fx, fy, cx, cy, distortion }),
            complete_missing: !self.has(FLAG_NO_COMPLETION),
            timings: self.has(FLAG_TIMINGS),
        }
    }

    /// Bytes a buffer needs for this size and stride, as `ImageView::new` computes them.
    pub fn needed_len(&self) -> Option<usize> {
        self.stride.checked_mul(self.height as usize - 1)?.checked_add(self.width as usize)
    }
}
