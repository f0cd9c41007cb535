//! Plane geometry shared by the detector, the generator and the scorer.
//!
//! # Pixel convention
//! Pixel `(i, j)` covers the square `[i - ½, i + ½] × [j - ½, j + ½]`; its centre has integer
//! coordinates. x runs right along a row, y down the columns. This is OpenCV's convention, so
//! intrinsics calibrated there carry over unchanged.
//!
//! # Frames
//! Image-plane quantities live in one of two frames, named by [`ImageFrame`]: the raw image as
//! the sensor saw it, or the undistorted image an ideal pinhole camera with the same intrinsics
//! would have seen. Without lens distortion the two coincide.

mod ellipse;
mod homography;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use ellipse::{Conic, Ellipse};
pub use homography::Homography;

/// Which image-plane frame a quantity is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFrame {
    /// Pixels of the image as captured, lens distortion included.
    Image,
    /// Pixels of the ideal pinhole image: lens distortion removed, same intrinsics.
    Undistorted,
}
