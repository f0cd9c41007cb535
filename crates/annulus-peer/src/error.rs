//! The crate's one error type.
//!
//! Every variant names the field, cell or value at fault, so a failed conversion says which
//! marker of which board disagreed, not only that something did. Errors of the two detectors
//! and of the generator are carried as sources, unchanged.

/// Why converting between annulus and ringgrid, or running either detector, failed.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    /// The ringgrid layout is not a hex lattice; annulus describes ringgrid's rect lattices
    /// differently (centred coordinates), and the comparison needs only the hex target.
    #[error("ringgrid target `{board}` has a {lattice} lattice; only hex lattices convert")]
    UnsupportedLattice {
        /// The ringgrid target's name.
        board: String,
        /// The lattice kind found.
        lattice: &'static str,
    },
    /// The ringgrid layout has plain (uncoded) markers, which annulus identifies differently
    /// (by geometry alone, without ringgrid's origin dots).
    #[error("ringgrid target `{board}` has plain markers; only coded targets convert")]
    PlainTarget {
        /// The ringgrid target's name.
        board: String,
    },
    /// The two boards hold different numbers of markers: ringgrid's rows do not alternate long
    /// and short starting with a long row, which is the one hex shape annulus describes.
    #[error(
        "ringgrid target `{board}` has {ringgrid} cells but the converted annulus board has \
         {annulus}: its rows do not alternate long, short, … from the first row"
    )]
    CellCount {
        /// The ringgrid target's name.
        board: String,
        /// Cells of the ringgrid layout.
        ringgrid: usize,
        /// Markers of the converted annulus board.
        annulus: usize,
    },
    /// A ringgrid cell is not where the converted board puts the marker of the same index.
    #[error(
        "ringgrid cell {index} (ringgrid ID {ringgrid_id:?}) is at {xy_ringgrid_mm:?} mm but \
         annulus marker {index} is at {xy_annulus_mm:?} mm ({error_mm:.2e} mm apart, at most \
         {tolerance_mm:.0e} allowed)"
    )]
    CellPosition {
        /// Index of the cell in ringgrid's generation order (row-major, like annulus).
        index: usize,
        /// The cell's ringgrid ID, if coded.
        ringgrid_id: Option<usize>,
        /// The cell's centre in ringgrid's board frame.
        xy_ringgrid_mm: [f64; 2],
        /// The annulus marker's centre.
        xy_annulus_mm: [f64; 2],
        /// Distance between the two.
        error_mm: f64,
        /// The largest distance accepted.
        tolerance_mm: f64,
    },
    /// A ringgrid cell's ID has no codeword in the ringgrid codebook profile it names.
    #[error("ringgrid ID {ringgrid_id} (cell {index}) has no codeword in the {profile} profile")]
    MissingCodeword {
        /// Index of the cell in generation order.
        index: usize,
        /// The cell's ringgrid ID.
        ringgrid_id: usize,
        /// The profile's name (`base` or `extended`).
        profile: &'static str,
    },
    /// A converted quantity is outside what the other library accepts.
    #[error("`{field}` is {value}, expected {expected}")]
    OutOfRange {
        /// Dotted path of the field.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// What would have been accepted.
        expected: &'static str,
    },
    /// The converted board spec was refused by annulus.
    #[error("annulus refuses the converted board `{board}`")]
    Board {
        /// The converted board's name.
        board: String,
        /// annulus's reason.
        #[source]
        source: annulus::Error,
    },
    /// A camera or detector configuration was refused by annulus.
    #[error("annulus refuses the detector configuration")]
    Config(#[source] annulus::Error),
    /// The image is not usable by one of the detectors.
    #[error("the {width} × {height} image with stride {stride} cannot be handed to ringgrid")]
    Image {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Bytes between row starts.
        stride: usize,
    },
    /// The detector `ringgrid` was asked for on a board that did not come from ringgrid.
    #[error("board `{board}` has no ringgrid layout, so ringgrid cannot run on it")]
    NoRinggridLayout {
        /// The board's name.
        board: String,
    },
    /// annulus's detector failed on an image.
    #[error("annulus detection failed")]
    AnnulusDetect(#[source] annulus::DetectError),
    /// ringgrid's detector failed on an image.
    #[error("ringgrid detection failed")]
    RinggridDetect(#[source] ringgrid::DetectError),
    /// The generator refuses the scenario with the substituted board.
    #[error("the generator refuses scenario `{scenario}` with board `{board}`")]
    Scenario {
        /// The scenario's name.
        scenario: String,
        /// The board substituted into it.
        board: String,
        /// The generator's reason.
        #[source]
        source: annulus_synth::SynthError,
    },
    /// The generator failed to render an image or its truth.
    #[error("cannot render image {image_index} of scenario `{scenario}`")]
    Render {
        /// The scenario's name.
        scenario: String,
        /// The image index.
        image_index: u32,
        /// The generator's reason.
        #[source]
        source: annulus_synth::SynthError,
    },
    /// A rendered image has no visible marker, so no true diameter hint exists for it.
    #[error("image {image_index} of scenario `{scenario}` shows no whole marker")]
    NoVisibleMarker {
        /// The scenario's name.
        scenario: String,
        /// The image index.
        image_index: u32,
    },
}
