//! annulus-peer: measures annulus against the peer detector ringgrid (0.13.2, pinned) on
//! identical images, through ringgrid's public API only.
//!
//! | module | contents |
//! |---|---|
//! | [`words`] | ringgrid codewords in annulus's sector and polarity convention; ringgrid's codebook as an ID → word table |
//! | [`board`] | a ringgrid `TargetLayout` as an annulus [`Board`](annulus::Board), checked cell by cell, with the ID map |
//! | [`camera`] | annulus's [`Camera`](annulus::Camera) as ringgrid's `CameraModel` |
//! | [`result`] | ringgrid's `DetectionResult` as an [`annulus::Detection`], so annulus's scorer judges both |
//! | [`error`] | [`PeerError`], the crate's one error type |
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
pub mod result;
pub mod words;

pub use board::{ConvertedBoard, convert_board, ringgrid_default_board};
pub use camera::ringgrid_camera;
pub use error::PeerError;
pub use result::convert_result;
