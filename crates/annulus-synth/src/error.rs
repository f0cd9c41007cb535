//! The crate's one error type. Variants carry the offending field (as a dotted path into the
//! scenario file) and value; callers that read files add the path as context.

use annulus::Format;

/// Everything that can go wrong while reading a scenario or rendering an image.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// The scenario text is not well-formed (syntax, types, unknown fields).
    #[error("invalid {format} scenario: {message}")]
    Parse {
        /// The format being read.
        format: Format,
        /// The parser's message, with line and column where it has them.
        message: String,
    },
    /// The scenario names a schema version this build does not read.
    #[error("scenario `schema` is {found}, but this build reads version {supported}")]
    SchemaVersion {
        /// The version found.
        found: u32,
        /// The one version this build reads.
        supported: u32,
    },
    /// A scenario value is outside its accepted range.
    #[error("scenario `{field}` = {value} is out of range: {expected}")]
    OutOfRange {
        /// Dotted path of the field.
        field: &'static str,
        /// The value found.
        value: f64,
        /// The accepted range, in words.
        expected: &'static str,
    },
    /// A `[lo, hi]` range has `lo > hi` or a non-finite end.
    #[error("scenario `{field}` = [{lo}, {hi}] is not a range: need finite lo <= hi")]
    BadRange {
        /// Dotted path of the field.
        field: &'static str,
        /// Lower end found.
        lo: f64,
        /// Upper end found.
        hi: f64,
    },
    /// The camera section is invalid, or the board spec the scenario uses is.
    #[error(transparent)]
    Model(#[from] annulus::Error),
    /// The camera's distortion cannot be inverted somewhere the image needs it.
    #[error(
        "the camera's distortion folds over at image pixel ({x:.1}, {y:.1}), inside the area \
         being rendered; reduce the distortion coefficients or the image size"
    )]
    DistortionFolds {
        /// Pixel x.
        x: f64,
        /// Pixel y.
        y: f64,
    },
    /// A board cannot be printed at the resolution asked for.
    #[error("cannot print the board at {dpi} dpi: {expected}")]
    PrintResolution {
        /// The resolution asked for, in dots per inch.
        dpi: f64,
        /// The accepted resolutions, in words.
        expected: &'static str,
    },
    /// The drawn pose puts the camera in the board plane, so the board has no image.
    #[error("image {image_index}: the drawn pose sees the board edge-on; lower `pose.tilt_deg`")]
    DegeneratePose {
        /// Index of the image.
        image_index: u32,
    },
    /// The requested image index is beyond the scenario's count.
    #[error("image index {index} is beyond the scenario's {count} images")]
    IndexOutOfRange {
        /// Index asked for.
        index: u32,
        /// Images in the scenario.
        count: u32,
    },
    /// PNG encoding failed.
    #[error("PNG encoding failed: {0}")]
    Png(String),
}

/// Shorthand for results of this crate.
pub type Result<T, E = SynthError> = std::result::Result<T, E>;
