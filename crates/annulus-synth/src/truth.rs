//! Ground truth: what a perfect detector would report for one image, and how it was made.
//!
//! For every marker of the board: its ID, board position, whether it is wholly inside the
//! image, and its true centre: the projection of the printed circles' common centre, then
//! distorted by the lens (`center_img_px`), not the centre of the imaged ellipse, which
//! perspective shifts. The undistorted centre and the ring ellipses (the images of the rings'
//! centre-line circles) are given in the undistorted frame, where circles image to exact
//! ellipses. [`Frames`] records which frame each quantity is in, so a consumer can check
//! instead of assuming.

use annulus::geometry::{Conic, Ellipse, ImageFrame};
use annulus::{Board, Camera, Homography};
use serde::{Deserialize, Serialize};

use crate::photometry::{BlurShape, Lighting};
use crate::pose::Pose;
use crate::scenario::{ImageSize, Levels};

/// The ground-truth format version.
pub const TRUTH_SCHEMA: u32 = 1;

/// Points sampled around a marker's outer edge to decide whether it is inside the image.
const VISIBILITY_SAMPLES: usize = 90;

/// Ground truth of one synthetic image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroundTruth {
    /// Format version; [`TRUTH_SCHEMA`].
    pub schema: u32,
    /// Name of the scenario the image belongs to.
    pub scenario: String,
    /// Index of the image within the scenario.
    pub image_index: u32,
    /// The scenario's base seed.
    pub seed: u64,
    /// Image size.
    pub image: ImageSize,
    /// Name of the board rendered.
    pub board: String,
    /// The frame of each image-plane quantity in this file.
    pub frames: Frames,
    /// Camera intrinsics and distortion.
    pub camera: Camera,
    /// The board's pose.
    pub pose: Pose,
    /// Homography from board millimetres to undistorted pixels.
    pub img_from_board: Homography,
    /// The blur applied.
    pub blur: BlurShape,
    /// The illumination applied.
    pub illumination: Lighting,
    /// Standard deviation of the additive noise, in units of full scale.
    pub noise_sigma: f64,
    /// Reflectances of paper, ink and surroundings.
    pub levels: Levels,
    /// Samples per axis in edge pixels.
    pub supersampling: u32,
    /// Every marker of the board, in ID order.
    pub markers: Vec<MarkerTruth>,
}

/// Which frame each image-plane quantity of a [`GroundTruth`] is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Frames {
    /// Frame of [`MarkerTruth::center_img_px`].
    pub center_img_px: ImageFrame,
    /// Frame of [`MarkerTruth::center_undistorted_px`].
    pub center_undistorted_px: ImageFrame,
    /// Frame of the ring ellipses.
    pub ellipses: ImageFrame,
    /// Output frame of [`GroundTruth::img_from_board`].
    pub img_from_board: ImageFrame,
}

impl Frames {
    /// The frames this crate writes.
    pub const WRITTEN: Self = Self {
        center_img_px: ImageFrame::Image,
        center_undistorted_px: ImageFrame::Undistorted,
        ellipses: ImageFrame::Undistorted,
        img_from_board: ImageFrame::Undistorted,
    };
}

/// Ground truth of one marker.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerTruth {
    /// The marker's ID.
    pub id: u32,
    /// Whether the whole marker, out to its outer edge, lies within the image (between the
    /// centres of the outermost pixel rows and columns) in front of the camera.
    pub visible: bool,
    /// Centre on the board.
    pub xy_board_mm: [f64; 2],
    /// True centre in image pixels (distorted); `None` behind the camera.
    pub center_img_px: Option<[f64; 2]>,
    /// True centre in undistorted pixels; `None` behind the camera.
    pub center_undistorted_px: Option<[f64; 2]>,
    /// Image of the outer ring's centre-line circle, undistorted frame.
    pub outer_ellipse: Option<Ellipse>,
    /// Image of the inner ring's centre-line circle, undistorted frame.
    pub inner_ellipse: Option<Ellipse>,
}

/// Everything [`marker_truths`] needs to know about the image.
pub(crate) struct View<'a> {
    pub(crate) board: &'a Board,
    pub(crate) camera: &'a Camera,
    pub(crate) pose: &'a Pose,
    pub(crate) img_from_board: &'a Homography,
    pub(crate) size: ImageSize,
}

/// Ground truth of every marker of the board in `view`.
pub(crate) fn marker_truths(view: &View<'_>) -> Vec<MarkerTruth> {
    let marker = view.board.marker_spec();
    let (outer_r, inner_r) = (marker.outer_ring.radius_mm, marker.inner_ring.radius_mm);
    let edge_r = view.board.marker_radius_mm();
    view.board
        .markers()
        .iter()
        .map(|m| {
            let c = m.xy_board_mm;
            let ellipse = |r| Conic::circle(c, r).mapped_by(view.img_from_board)?.to_ellipse();
            let center_undistorted_px =
                view.camera.project_undistorted(view.pose.cam_from_board(c));
            MarkerTruth {
                id: m.id,
                visible: is_visible(view, c, edge_r),
                xy_board_mm: c,
                center_img_px: center_undistorted_px.map(|p| view.camera.distort_px(p)),
                center_undistorted_px,
                outer_ellipse: ellipse(outer_r),
                inner_ellipse: ellipse(inner_r),
            }
        })
        .collect()
}

fn is_visible(view: &View<'_>, [cx, cy]: [f64; 2], radius_mm: f64) -> bool {
    let (max_x, max_y) = (f64::from(view.size.width) - 1.0, f64::from(view.size.height) - 1.0);
    (0..VISIBILITY_SAMPLES).all(|k| {
        let t = k as f64 * std::f64::consts::TAU / VISIBILITY_SAMPLES as f64;
        let p = [cx + radius_mm * t.cos(), cy + radius_mm * t.sin()];
        view.camera
            .project(view.pose.cam_from_board(p))
            .is_some_and(|[x, y]| (0.0..=max_x).contains(&x) && (0.0..=max_y).contains(&y))
    })
}
