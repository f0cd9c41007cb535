//! The printed outputs agree: the SVG, drawn by an independent renderer (resvg), matches the
//! PNG raster up to anti-aliasing along edges, on the same pixel grid.

#![allow(clippy::expect_used)]

mod common;

use annulus::Board;
use annulus_synth::rasterize_board;
use resvg::{tiny_skia, usvg};

/// usvg converts the SVG's `mm` size to pixels at this resolution.
const USVG_DPI: f64 = 96.0;

/// The board's SVG drawn by resvg at `dpi` on the grid of [`rasterize_board`], shifted by
/// `shift_px`.
fn svg_raster(board: &Board, dpi: f64, size: [u32; 2], shift_px: [f32; 2]) -> Vec<u8> {
    let svg = annulus::print::board_svg(board);
    let tree = usvg::Tree::from_str(&svg, &usvg::Options::default()).expect("our SVG parses");
    let mut pixmap = tiny_skia::Pixmap::new(size[0], size[1]).expect("non-empty");
    pixmap.fill(tiny_skia::Color::WHITE);
    let scale = (dpi / USVG_DPI) as f32;
    let transform =
        tiny_skia::Transform::from_scale(scale, scale).post_translate(shift_px[0], shift_px[1]);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    // Opaque grey on white: every channel holds the grey level.
    pixmap.data().chunks_exact(4).map(|rgba| rgba[0]).collect()
}

fn mean_abs_diff(a: &[u8], b: &[u8]) -> f64 {
    a.iter().zip(b).map(|(x, y)| f64::from(x.abs_diff(*y))).sum::<f64>() / a.len() as f64
}

/// Checks agreement; `max_mean` allows for resvg flattening arcs into chords, which loses
/// about 0.5 % of the ink at 100 dpi (our raster keeps the analytic ink area at any dpi).
fn compare(board: &Board, dpi: f64, max_mean: f64) {
    let ours = rasterize_board(board, dpi).expect("renders");
    let size = [ours.width, ours.height];
    let theirs = svg_raster(board, dpi, size, [0.0, 0.0]);
    let mean = mean_abs_diff(&ours.pixels, &theirs);
    assert!(mean < max_mean, "mean difference {mean} grey levels at {dpi} dpi");
    // A misplaced sector or ring would differ by ~255 over many pixels; anti-aliasing only
    // differs by part of the range on edge pixels.
    let n_gross = ours.pixels.iter().zip(&theirs).filter(|(a, b)| a.abs_diff(**b) > 96).count();
    assert_eq!(n_gross, 0, "pixels differing by more than 96 levels at {dpi} dpi");
    // Same grid: moving either drawing by a quarter pixel makes the agreement worse.
    for shift in [[0.25, 0.0], [-0.25, 0.0], [0.0, 0.25], [0.0, -0.25]] {
        let shifted = mean_abs_diff(&ours.pixels, &svg_raster(board, dpi, size, shift));
        assert!(shifted > 2.0 * mean, "shift {shift:?}: {shifted} vs {mean}");
    }
}

#[test]
fn svg_and_png_of_the_default_board_agree() {
    compare(&Board::builtin(), 100.0, 1.0);
}

#[test]
fn svg_and_png_of_a_small_board_agree_at_high_resolution() {
    compare(&common::tiny_board(), 600.0, 0.4);
}
