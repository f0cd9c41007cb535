//! Tests of the rasterizer: integrated ink area and exact interior pixels.

use std::f64::consts::PI;

use annulus::{Board, Format};
use nalgebra::Matrix3;

use super::*;
use crate::scenario::Levels;

const TINY_BOARD: &str = include_str!("../../../../fixtures/boards/tiny.toml");

/// The printed ink area of a board, from its geometry.
fn ink_area_mm2(board: &Board) -> f64 {
    let m = board.marker_spec();
    let annulus =
        |a: &annulus::board::Annulus| PI * (a.outer_edge_mm().powi(2) - a.inner_edge_mm().powi(2));
    let per_sector = annulus(&m.code_band) / 16.0;
    board
        .markers()
        .iter()
        .map(|mk| {
            annulus(&m.outer_ring)
                + annulus(&m.inner_ring)
                + per_sector * f64::from(mk.codeword.unwrap_or(0).count_ones())
        })
        .sum()
}

#[test]
fn rendered_ink_area_matches_the_geometry() {
    let board = Board::parse(TINY_BOARD, Format::Toml).expect("fixture");
    let scene = Scene::new(&board, &Levels { paper: 1.0, ink: 0.0, surround: 1.0 });
    let mm_per_px = 0.1;
    let [x0, y0, x1, y1] = board.page_bounds_mm();
    let map = PixelMap {
        camera: None,
        board_from_undistorted: Matrix3::new(mm_per_px, 0.0, x0, 0.0, mm_per_px, y0, 0.0, 0.0, 1.0),
    };
    let window = Window {
        origin: [0, 0],
        width: ((x1 - x0) / mm_per_px) as usize + 2,
        height: ((y1 - y0) / mm_per_px) as usize + 2,
    };
    for n in [4, 16] {
        let values = rasterize(&scene, &map, window, n).expect("no distortion to fail");
        let ink: f64 = values.iter().map(|v| 1.0 - v).sum::<f64>() * mm_per_px * mm_per_px;
        let want = ink_area_mm2(&board);
        // Coverage errors along edges cancel on average; what remains shrinks with n.
        let tolerance = if n == 4 { 2e-3 } else { 2e-4 };
        assert!((ink / want - 1.0).abs() < tolerance, "n {n}: {ink} vs {want} mm²");
    }
}

#[test]
fn pixels_away_from_edges_are_exact_and_edge_pixels_are_fractional() {
    let board = Board::parse(TINY_BOARD, Format::Toml).expect("fixture");
    let scene = Scene::new(&board, &Levels { paper: 1.0, ink: 0.0, surround: 0.5 });
    // 0.5 mm pixels, pixel centres on multiples of 0.5 mm from marker 0's centre.
    let map = PixelMap {
        camera: None,
        board_from_undistorted: Matrix3::new(0.5, 0.0, -10.0, 0.0, 0.5, -10.0, 0.0, 0.0, 1.0),
    };
    let window = Window { origin: [0, 0], width: 40, height: 40 };
    let v = rasterize(&scene, &map, window, 16).expect("renders");
    let at = |x_mm: f64, y_mm: f64| {
        v[((y_mm + 10.0) / 0.5) as usize * 40 + ((x_mm + 10.0) / 0.5) as usize]
    };
    assert_eq!(at(0.0, 0.0), 1.0, "white centre");
    assert_eq!(at(-3.5, 0.0), 0.0, "inside the outer ring (3.2 to 4.0 mm)");
    assert_eq!(at(-6.0, 0.0), 1.0, "paper");
    assert_eq!(at(-10.0, -10.0), 0.5, "beyond the page (margin 4 mm)");
    // The pixel centred at 4.0 mm straddles the ring's outer edge: half ink, half paper.
    let edge = at(-4.0, 0.0);
    assert!((edge - 0.5).abs() < 0.02, "edge pixel {edge}");
}
