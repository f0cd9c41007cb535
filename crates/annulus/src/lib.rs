//! annulus
pub mod board;
pub mod camera;
pub mod codebook;
pub mod error;
pub mod geometry;
pub mod print;

pub use board::{Board, BoardSpec, Marker};
pub use camera::{BrownConrady, Camera};
pub use error::{Error, Format};
pub use geometry::{Conic, Ellipse, Homography, ImageFrame};
