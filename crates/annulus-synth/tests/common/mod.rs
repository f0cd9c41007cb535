//! Fixtures shared by the integration tests.

#![allow(dead_code, clippy::expect_used)]

use annulus::{Board, Format};
use annulus_synth::{Scenario, Synthesizer};

pub const TINY_SCENARIO: &str = include_str!("../../../../fixtures/scenarios/tiny.toml");
pub const TINY_BOARD: &str = include_str!("../../../../fixtures/boards/tiny.toml");

pub fn tiny_board() -> Board {
    Board::parse(TINY_BOARD, Format::Toml).expect("fixture board is valid")
}

pub fn scenario(text: &str) -> Scenario {
    Scenario::parse(text, Format::Toml).expect("scenario is valid")
}

pub fn tiny() -> Synthesizer {
    Synthesizer::new(scenario(TINY_SCENARIO), tiny_board()).expect("valid")
}

/// Bilinear sample of an 8-bit image at a pixel-centre coordinate.
pub fn sample(image: &annulus_synth::GrayImage, [x, y]: [f64; 2]) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |dx: f64, dy: f64| {
        let (i, j) = ((x0 + dx) as usize, (y0 + dy) as usize);
        f64::from(image.pixels[j * image.width as usize + i])
    };
    (1.0 - fy) * ((1.0 - fx) * at(0.0, 0.0) + fx * at(1.0, 0.0))
        + fy * ((1.0 - fx) * at(0.0, 1.0) + fx * at(1.0, 1.0))
}
