//! Tests of pooling: counts add up, errors are pooled over markers, not averaged per image.

use super::*;
use crate::frames::{FrameMap, Quantity, of_image};
use crate::homography::{HomographyErrors, Residual};
use crate::matching::MarkerMatch;
use annulus::ImageFrame;

fn matched(id: u32, error: f64, visible: bool) -> MarkerMatch {
    MarkerMatch { id, visible, detected_img_px: [error, 0.0], truth_img_px: [0.0, 0.0] }
}

fn image(matches: Vec<MarkerMatch>, n_visible: usize, homography: Option<Vec<f64>>) -> ImageScore {
    image_in(matches, n_visible, homography, ImageFrame::Image)
}

fn image_in(
    matches: Vec<MarkerMatch>,
    n_visible: usize,
    homography: Option<Vec<f64>>,
    frame: ImageFrame,
) -> ImageScore {
    let n = matches.len();
    let n_correct_visible = matches.iter().filter(|m| m.visible).count();
    ImageScore {
        counts: Counts {
            n_visible,
            n_detected: n,
            n_identified: n,
            n_correct: n,
            n_correct_visible,
            n_missed: n_visible - n_correct_visible,
            ..Counts::default()
        },
        detections: Vec::new(),
        matches,
        missed: Vec::new(),
        frames: of_image(homography.as_ref().map(|_| frame)),
        homography: homography.map(|errors| HomographyErrors {
            frame,
            self_residuals: errors
                .iter()
                .map(|&e| Residual { id: 0, error_px: [0.0, e] })
                .collect(),
            truth_residuals: Vec::new(),
            n_self_unmapped: 0,
            n_truth_unmapped: 0,
        }),
    }
}

#[test]
fn counts_add_and_rates_are_pooled() {
    let a = image(vec![matched(0, 0.1, true)], 4, None);
    let b = image((1..=4).map(|i| matched(i, 0.1, true)).collect(), 4, None);
    let agg = Aggregate::new(&[a, b]).expect("same frames");
    assert_eq!(agg.n_images, 2);
    assert_eq!(agg.counts.n_visible, 8);
    assert_eq!(agg.counts.n_correct_visible, 5);
    assert_eq!(agg.counts.recall(), Some(5.0 / 8.0), "pooled, not the mean of 1/4 and 1");
    assert_eq!(agg.counts.precision(), Some(1.0));
    assert_eq!(agg.n_without_homography, 2);
    assert_eq!(agg.homography_self_px, None);
}

#[test]
fn errors_are_pooled_over_markers_of_all_images() {
    let a = image(vec![matched(0, 1.0, true), matched(1, 2.0, true)], 2, Some(vec![0.5]));
    let b = image(vec![matched(0, 3.0, true), matched(9, 100.0, false)], 2, Some(vec![1.5]));
    let agg = Aggregate::new(&[a, b]).expect("same frames");
    let center = agg.center_error_px.expect("three visible matches");
    assert_eq!(center.n, 3, "the match of a marker that is not visible is left out");
    assert_eq!((center.mean, center.p50, center.max), (2.0, 2.0, 3.0));
    let h = agg.homography_self_px.expect("two residuals");
    assert_eq!((h.n, h.mean, h.max), (2, 1.0, 1.5));
    assert_eq!(agg.homography_truth_px, None);
    assert_eq!(agg.n_without_homography, 0);
}

#[test]
fn nothing_to_pool() {
    let agg = Aggregate::new(&[]).expect("nothing to disagree");
    assert_eq!(agg.n_images, 0);
    assert_eq!(agg.counts.recall(), None);
    assert_eq!(agg.center_error_px, None);
}

#[test]
fn frames_are_pooled_when_they_agree() {
    let a = image_in(vec![matched(0, 1.0, true)], 1, Some(vec![0.5]), ImageFrame::Undistorted);
    let b = image_in(vec![matched(0, 1.0, true)], 1, None, ImageFrame::Undistorted);
    let agg = Aggregate::new(&[b, a]).expect("the same frames");
    let quantities: Vec<Quantity> = agg.frames.iter().map(|f| f.quantity).collect();
    assert_eq!(quantities, Quantity::ALL, "sorted, and the homography's from the second image");
    assert_eq!(agg.frames[0].map, FrameMap::Identity, "centres are compared as reported");
    assert_eq!(agg.frames[1].detected, ImageFrame::Undistorted);
    assert_eq!(agg.frames[1].compared_in, ImageFrame::Image);
    assert_eq!(agg.frames[1].map, FrameMap::LensModel);
}

#[test]
fn a_frame_mismatch_between_images_is_an_error() {
    let a = image_in(vec![matched(0, 1.0, true)], 1, Some(vec![0.5]), ImageFrame::Image);
    let b = image_in(vec![matched(0, 1.0, true)], 1, Some(vec![0.5]), ImageFrame::Undistorted);
    match Aggregate::new(&[a, b]) {
        Err(ScoreError::FrameMismatch { first, second }) => {
            assert_eq!(first.quantity, Quantity::HomographySelf);
            assert_eq!(
                (first.detected, second.detected),
                (ImageFrame::Image, ImageFrame::Undistorted)
            );
        }
        other => panic!("expected a frame mismatch, got {other:?}"),
    }
}
