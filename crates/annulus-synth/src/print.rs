//! Raster output of a board for printing: the page at a chosen resolution, paper white and ink
//! black, every pixel area-integrated like the camera images (see [`crate::raster`]).

use annulus::Board;
use nalgebra::Matrix3;

use crate::error::{Result, SynthError};
use crate::image::GrayImage;
use crate::raster::{PixelMap, Window, rasterize};
use crate::scenario::Levels;
use crate::scene::Scene;

/// Millimetres per inch.
const MM_PER_INCH: f64 = 25.4;

/// Print resolution used when the caller does not choose one.
pub const DEFAULT_DPI: f64 = 300.0;

/// Samples per axis in edge pixels: at print resolutions an edge pixel is a few hundredths of a
/// millimetre, so 8 × 8 puts the coverage error far below what a printer reproduces.
const PRINT_SUPERSAMPLING: u32 = 8;

/// Largest raster accepted, in pixels: an A0 page at 600 dpi is about 700 megapixels; beyond
/// that a typo in the dpi is more likely than a real need.
const MAX_PRINT_PIXELS: f64 = 1e9;

/// The board's page rendered at `dpi` dots per inch.
pub fn rasterize_board(board: &Board, dpi: f64) -> Result<GrayImage> {
    if !(dpi.is_finite() && (10.0..=4800.0).contains(&dpi)) {
        return Err(SynthError::PrintResolution {
            dpi,
            expected: "the resolution must be between 10 and 4800 dpi",
        });
    }
    let mm_per_px = MM_PER_INCH / dpi;
    let [x0, y0, _, _] = board.page_bounds_mm();
    let [w_mm, h_mm] = board.page_size_mm();
    let (width, height) =
        ((w_mm / mm_per_px).round().max(1.0), (h_mm / mm_per_px).round().max(1.0));
    if width * height > MAX_PRINT_PIXELS {
        return Err(SynthError::PrintResolution {
            dpi,
            expected: "the page would take more than 1e9 pixels",
        });
    }
    let levels = Levels { paper: 1.0, ink: 0.0, surround: 1.0 };
    let scene = Scene::new(board, &levels);
    // Pixel (i, j) covers [x0 + i·s, x0 + (i + 1)·s] on the page, so its centre is half a
    // pixel in.
    let map = PixelMap {
        camera: None,
        board_from_undistorted: Matrix3::new(
            mm_per_px,
            0.0,
            x0 + 0.5 * mm_per_px,
            0.0,
            mm_per_px,
            y0 + 0.5 * mm_per_px,
            0.0,
            0.0,
            1.0,
        ),
    };
    let window = Window { origin: [0, 0], width: width as usize, height: height as usize };
    let values = rasterize(&scene, &map, window, PRINT_SUPERSAMPLING)?;
    Ok(GrayImage {
        width: width as u32,
        height: height as u32,
        pixels: values.iter().map(|v| (v * 255.0).round().clamp(0.0, 255.0) as u8).collect(),
    })
}
