//! annulus-peer: measures annulus against the peer detector ringgrid (0.13.2, pinned) on
//! identical images, through ringgrid's public API only.
//!
//! | module | contents |
//! |---|---|
//! | [`words`] | ringgrid codewords in annulus's sector and polarity convention; ringgrid's codebook as an ID → word table |
//! | [`board`] | a ringgrid `TargetLayout` as an annulus [`Board`](annulus::Board), checked cell by cell, with the ID map |
//! | [`camera`] | annulus's [`Camera`](annulus::Camera) as ringgrid's `CameraModel` |
//! | [`result`] | ringgrid's `DetectionResult` as an [`annulus::Detection`], so annulus's scorer judges both |
//! | [`runner`] | one detector on one image: built outside the measurement, measured call by call |
//! | [`session`] | the `run` measurement in-process: every detector on the same rendered images, alternating order |
//! | [`report`] | the JSON types the `annulus-peer` binary prints and xtask reads |
//! | [`error`] | [`PeerError`], the crate's one error type |
//!
//! The binary (`src/bin/annulus-peer.rs`) adds the counting allocator, the command line and the
//! callgrind entry point; its module doc lists the commands.
//!
//! Only xtask uses this crate, as a library for the report types; no library crate of the
//! workspace depends on it, so ringgrid never enters annulus's own dependency tree. The crate
//! never prints; the binary does.
//!
//! ```
//! use annulus_peer::board::ringgrid_default_board;
//!
//! let converted = ringgrid_default_board()?;
//! assert_eq!(converted.board.markers().len(), 203);
//! assert_eq!(converted.annulus_id(202), Some(202));
//! # Ok::<(), annulus_peer::PeerError>(())
//! ```

pub mod board;
pub mod camera;
pub mod error;
pub mod report;
pub mod result;
pub mod runner;
pub mod session;
pub mod words;

pub use board::{ConvertedBoard, convert_board, ringgrid_default_board};
pub use camera::ringgrid_camera;
pub use error::PeerError;
pub use report::{
    BoardSource, DetectorRecord, ImageRecord, OneReport, PEER_SCHEMA, RINGGRID_VERSION, RunReport,
};
pub use result::convert_result;
pub use runner::{Call, DetectorKind, PeerBoard, PeerInput, Runner, true_diameter_hint_px};
pub use session::{RunOptions, run_scenario};
