//! Fuzz target `board_spec`: board specs read from arbitrary text, as TOML and as JSON.
//!
//! Checks: `BoardSpec::parse` and `Board::parse` return typed errors and never panic; any spec
//! that parses can be written back as JSON and TOML (their `expect`s claim so); a valid board
//! reads back equal from its own JSON and TOML, finds each marker by ID and as the nearest
//! marker to its own centre, and can be printed and handed to a detector.

#![no_main]

use annulus::{Board, BoardSpec, DetectConfig, Detector, Format};
use libfuzzer_sys::fuzz_target;

/// Boards with more markers than this skip the SVG, which grows with the marker count and
/// would only slow the run down.
const MAX_PRINTED_MARKERS: usize = 2_000;

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    for format in [Format::Toml, Format::Json] {
        if let Ok(spec) = BoardSpec::parse(text, format) {
            let _ = spec.to_json();
            let _ = spec.to_toml();
        }
        if let Ok(board) = Board::parse(text, format) {
            check(&board);
        }
    }
});

/// Everything a valid board promises.
fn check(board: &Board) {
    let from_json = Board::parse(&board.to_json(), Format::Json);
    assert_eq!(from_json.as_ref(), Ok(board), "JSON round trip");
    let from_toml = Board::parse(&board.spec().to_toml(), Format::Toml);
    assert_eq!(from_toml.as_ref(), Ok(board), "TOML round trip");

    for (idx, marker) in board.markers().iter().enumerate() {
        assert_eq!(board.marker_by_id(marker.id), Some(marker));
        assert_eq!(board.nearest_marker(marker.xy_board_mm), idx, "{marker:?}");
    }
    let [x0, y0, x1, y1] = board.page_bounds_mm();
    for xy in [[x0, y0], [x1, y1], [f64::MAX, f64::MIN], [f64::NAN, 0.0], [-1e300, 1e300]] {
        assert!(board.nearest_marker(xy) < board.markers().len());
    }
    if board.markers().len() <= MAX_PRINTED_MARKERS {
        let svg = annulus::print::board_svg(board);
        assert!(svg.trim_end().ends_with("</svg>"), "unterminated SVG");
    }
    if let Err(e) = Detector::new(board.clone(), DetectConfig::default()) {
        panic!("a valid board was refused by the detector: {e}");
    }
}
