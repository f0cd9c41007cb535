//! Tests of how many renders the model refinement spends: a start within
//! `FIRST_STEP_TRUST_PX` of the fit ends after one, and lands where the full fit does.

use super::marker_render::Pattern;
use super::model::MarkerModel;
use super::refine_model::{RefineBuffers, refine};
use super::sampler::{Frames, Sampler};
use super::tests::{draw_blurred, test_pose};
use crate::board::Board;
use crate::image::ImageView;

/// Blur of the test image, pixels² (σ = 1.2 px, round), and the marker drawn.
const COV: [f64; 3] = [1.44, 0.0, 1.44];
const IDX: usize = 41;

/// Refines from `truth` moved by `offset_px`, with the blur start at the truth's (as when the
/// marker before had the same blur); returns the centre error in pixels and the renders spent.
fn refine_from(offset_px: [f64; 2], buf: &mut RefineBuffers) -> (f64, usize) {
    let board = Board::builtin();
    let model = MarkerModel::new(&board);
    let truth = test_pose([40.37, 39.81]);
    let size = 80;
    let pixels = draw_blurred(&board, IDX, &truth, size, COV, 2.0);
    let image = ImageView::packed(size as u32, size as u32, &pixels).unwrap();
    let sampler = Sampler::new(image, Frames::new(None));
    let pattern = Pattern::new(&model, board.markers()[IDX].codeword);
    let mut start = truth;
    start.center = [truth.center[0] + offset_px[0], truth.center[1] + offset_px[1]];
    let before = buf.n_renders();
    let pose = refine(&sampler, pattern, 1.0, start, buf).expect("refines");
    let err = (pose.center[0] - truth.center[0]).hypot(pose.center[1] - truth.center[1]);
    (err, buf.n_renders() - before)
}

#[test]
fn a_close_start_takes_one_render_and_lands_where_the_full_fit_does() {
    // A first fit from afar settles the blur, as the markers before it would have.
    let mut buf = RefineBuffers::default();
    let (far_err, far_renders) = refine_from([0.35, -0.25], &mut buf);
    assert!(far_renders >= 2, "a start 0.4 px off is checked: {far_renders} renders");
    assert!(far_err < 0.02, "full fit off by {far_err} px");
    // A start a hundredth of a pixel from the truth: one render, and the trusted step lands
    // within a few thousandths of the full fit's centre.
    let (near_err, near_renders) = refine_from([0.008, 0.006], &mut buf);
    assert_eq!(near_renders, 1, "a close start is not rendered again");
    assert!((near_err - far_err).abs() < 0.003, "trusted {near_err} px vs full {far_err} px");
}

#[test]
fn the_first_marker_of_an_image_is_checked_however_close_its_start() {
    // No blur fitted yet: the default start blur is off, and the step is rendered and checked.
    let mut buf = RefineBuffers::default();
    let (err, renders) = refine_from([0.008, 0.006], &mut buf);
    assert!(renders >= 2, "the default blur's step is checked: {renders} renders");
    assert!(err < 0.02, "off by {err} px");
}
