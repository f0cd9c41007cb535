//! annulus: the target model of a ring-marker calibration board, and the geometry around it.
//!
//! A board is a hex or rect lattice of markers; each marker is an outer dark ring, a code band
//! of 16 sectors carrying a codeword, and an inner dark ring. This crate holds what a detector
//! and a board printer share:
//!
//! | module | contents |
//! |---|---|
//! | [`board`] | the board spec (TOML/JSON, validated with typed errors), marker layout, the built-in board |
//! | [`codebook`] | the generated `annulus16` codebook and its measured properties |
//! | [`camera`] | pinhole intrinsics with Brown–Conrady distortion, forward and inverse |
//! | [`fit`] | ellipse, homography and concentric-circle fits: direct, robust (RANSAC, IRLS) and projective |
//! | [`geometry`] | homographies, conics and ellipses; the pixel convention and image frames |
//! | [`print`](mod@print) | true-size SVG output of a board |
//! | [`error`] | the crate's one error type; [`Format`] reads TOML and JSON |
//!
//! Units and frames are in the names: `xy_board_mm` is a point on the printed page in
//! millimetres (frame defined in [`board`]), `center_img_px` a point in image pixels (convention
//! in [`geometry`]), `img_from_board` a homography from the first to the second.
//!
//! The crate does no file I/O and never prints; parsing takes text, output returns strings.
//!
//! ```
//! use annulus::{Board, Format};
//!
//! let board = Board::builtin();
//! assert_eq!(board.markers().len(), 195);
//! let same = Board::parse(&board.to_json(), Format::Json)?;
//! assert_eq!(same, board);
//! let svg = annulus::print::board_svg(&board);
//! assert!(svg.contains("width=\"256mm\""));
//! # Ok::<(), annulus::Error>(())
//! ```

pub mod board;
pub mod camera;
pub mod codebook;
pub mod detect;
pub mod error;
pub mod fit;
mod format;
pub mod geometry;
pub mod image;
pub mod print;
#[cfg(test)]
mod test_support;

pub use board::{Board, BoardSpec, Marker};
pub use camera::{BrownConrady, Camera};
#[cfg(feature = "batch")]
pub use detect::BatchWorkspace;
pub use detect::{DetectConfig, DetectedMarker, Detection, Detector, Workspace};
pub use error::{DetectError, Error, Format};
pub use geometry::{Conic, Ellipse, Homography, ImageFrame};
pub use image::ImageView;
