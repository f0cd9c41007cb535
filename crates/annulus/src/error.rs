//! The crate's one error type.
//!
//! Every variant carries the offending value and, where there is one, the dotted path of the
//! field it came from (`marker.outer_ring.width_mm`), so that a message alone tells the user what
//! to change. File names are not known here (the crate does no I/O); callers that read files add
//! the path as context.

pub use crate::format::Format;

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text is not a well-formed spec of the expected format (syntax, types, unknown fields).
    #[error("invalid {format}: {message}")]
    Parse {
        /// Which format was being read.
        format: Format,
        /// The parser's message, including the line and column where it has them.
        message: String,
    },
    /// The `schema` field names a version this build does not read.
    #[error("`{field}` is {found}, but this build reads version {supported}")]
    SchemaVersion {
        /// Dotted path of the field.
        field: &'static str,
        /// The version found.
        found: u32,
        /// The one version this build reads.
        supported: u32,
    },
    /// The board name cannot be used as a file name.
    #[error(
        "`name` = {name:?} must be non-empty and use only letters, digits, `-`, `_` and `.` \
         (not first), because it names the output files"
    )]
    InvalidName {
        /// The name found.
        name: String,
    },
    /// A length, scale or other quantity that must be positive and finite is not.
    #[error("`{field}` must be a positive finite number, got {value}")]
    NotPositive {
        /// Dotted path of the field.
        field: &'static str,
        /// The value found.
        value: f64,
    },
    /// A number is finite but outside the range this crate supports.
    #[error("`{field}` = {value} is out of range: {expected}")]
    OutOfRange {
        /// Dotted path of the field.
        field: &'static str,
        /// The value found.
        value: f64,
        /// The accepted range, in words.
        expected: &'static str,
    },
    /// A setting that does not apply to the rest of the spec.
    #[error("`{field}` does not apply here: {reason}")]
    NotApplicable {
        /// Dotted path of the field.
        field: &'static str,
        /// Why, in words.
        reason: &'static str,
    },
    /// Two concentric parts of the marker overlap radially.
    #[error(
        "`{inner}` reaches out to radius {inner_edge_mm} mm, past the inner edge of `{outer}` \
         at {outer_edge_mm} mm: the parts overlap"
    )]
    PartsOverlap {
        /// Dotted path of the part nearer the centre.
        inner: &'static str,
        /// Outer edge radius of that part.
        inner_edge_mm: f64,
        /// Dotted path of the part farther out.
        outer: &'static str,
        /// Inner edge radius of that part.
        outer_edge_mm: f64,
    },
    /// Neighbouring markers touch or overlap.
    #[error(
        "markers overlap their neighbours: outer diameter {diameter_mm} mm is not smaller than \
         `lattice.pitch_mm` = {pitch_mm} mm"
    )]
    NeighboursOverlap {
        /// Outer diameter of a marker (outer edge of the outer ring).
        diameter_mm: f64,
        /// Distance between neighbouring marker centres.
        pitch_mm: f64,
    },
    /// The lattice has more markers than this crate accepts.
    #[error("the lattice has {n_markers} markers; at most {max} are supported")]
    TooManyMarkers {
        /// Markers the lattice would have.
        n_markers: u64,
        /// The documented limit.
        max: u64,
    },
    /// A coded board has more markers than codewords to give them.
    #[error(
        "the board has {n_markers} markers but `{field}` provides only {n_codewords} codewords"
    )]
    TooFewCodewords {
        /// Dotted path of the codeword source.
        field: &'static str,
        /// Markers on the board.
        n_markers: usize,
        /// Codewords available.
        n_codewords: usize,
    },
    /// An explicitly listed codeword cannot identify a marker.
    #[error("`coding.codewords[{index}]` = {word:#06x} {defect}")]
    BadCodeword {
        /// Position in the list.
        index: usize,
        /// The codeword.
        word: u16,
        /// What is wrong with it.
        defect: CodewordDefect,
    },
    /// The coding section names no codeword source, or two.
    #[error("`coding` must give exactly one of `codebook` or `codewords` for a coded board")]
    CodewordSource,
    /// The coding section names a codebook this build does not have.
    #[error("`coding.codebook` = {name:?} is not a built-in codebook (known: {known})")]
    UnknownCodebook {
        /// The name found.
        name: String,
        /// The built-in names, comma separated.
        known: &'static str,
    },
    /// An image cannot be processed by the detector.
    #[error(transparent)]
    Detect(#[from] DetectError),
    /// A lens-distortion model cannot be inverted at a point the caller asked about.
    #[error("lens distortion cannot be undone at ({x:.3}, {y:.3}) px: the model folds over there")]
    Undistort {
        /// Image x of the point, in pixels.
        x: f64,
        /// Image y of the point, in pixels.
        y: f64,
    },
}

/// Why the detector cannot process an image.
///
/// These are the only failures of detection: an image in which no board is found is not an
/// error but a [`crate::Detection`] with zero markers. [`Error`] wraps this type, so callers
/// that handle both specs and images can use `?` into one error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DetectError {
    /// The image has no pixels.
    #[error("the image is empty ({width} x {height} px)")]
    EmptyImage {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// Rows would overlap: the stride is smaller than the width.
    #[error("the row stride {stride} is smaller than the width {width}")]
    StrideTooSmall {
        /// Bytes from one row to the next.
        stride: usize,
        /// Width in pixels (one byte each).
        width: u32,
    },
    /// The pixel buffer ends before the last row does.
    #[error(
        "the pixel buffer holds {len} bytes but a {width} x {height} image with stride {stride} \
         needs {needed}"
    )]
    BufferTooShort {
        /// Bytes in the buffer.
        len: usize,
        /// Bytes the image needs: `stride * (height - 1) + width`.
        needed: usize,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Bytes from one row to the next.
        stride: usize,
    },
    /// The image is larger than the detector's documented limit.
    #[error(
        "the image is {width} x {height} px; the detector accepts at most {max_side} px a side \
         and {max_pixels} pixels in all"
    )]
    ImageTooLarge {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Longest side accepted.
        max_side: u32,
        /// Most pixels accepted.
        max_pixels: u64,
    },
}

/// Why an explicitly listed codeword was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CodewordDefect {
    /// Some rotation other than the identity maps the word onto itself, so its reading
    /// orientation is ambiguous.
    #[error("is rotationally symmetric, so its orientation cannot be read")]
    RotationallySymmetric,
    /// The word is a rotation of an earlier word in the list.
    #[error("is a rotation of `coding.codewords[{0}]`, so the two markers cannot be told apart")]
    RotationOf(usize),
    /// The word's complement is a rotation of an earlier word in the list.
    #[error(
        "is an inverted rotation of `coding.codewords[{0}]`, so the two markers cannot be told \
         apart when polarity is unknown (set `coding.polarity = \"as_printed\"` if the band \
         is never read inverted)"
    )]
    InvertedRotationOf(usize),
    /// The word's complement is one of its own rotations.
    #[error(
        "is its own inverse under rotation, so its polarity cannot be read (set \
         `coding.polarity = \"as_printed\"` if the band is never read inverted)"
    )]
    SelfInverse,
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
