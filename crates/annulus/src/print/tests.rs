//! Tests of the SVG writer: sector runs, true size, well-formed XML.

use super::*;
use crate::codebook;

#[test]
fn dark_runs_wrap_around_sector_15() {
    assert_eq!(dark_runs(0x000f), vec![(0, 4)]);
    assert_eq!(dark_runs(0x8001), vec![(15, 2)]);
    assert_eq!(dark_runs(0x0505), vec![(0, 1), (2, 1), (8, 1), (10, 1)]);
    assert_eq!(dark_runs(0), vec![]);
    assert_eq!(dark_runs(u16::MAX), vec![(0, 16)]);
}

#[test]
fn runs_cover_exactly_the_dark_sectors() {
    for &word in codebook::builtin() {
        let mut rebuilt = 0u16;
        for (start, len) in dark_runs(word) {
            for k in start..start + len {
                rebuilt |= 1 << (k % 16);
            }
        }
        assert_eq!(rebuilt, word);
    }
}

#[test]
fn svg_has_true_size_and_one_path_per_part() {
    let board = Board::builtin();
    let svg = board_svg(&board);
    assert!(svg.contains("width=\"256mm\""), "{}", &svg[..400]);
    let [_, h] = board.page_size_mm();
    assert!(svg.contains(&format!("height=\"{}mm\"", num(h))));
    let n_runs: usize =
        board.markers().iter().map(|m| dark_runs(m.codeword.unwrap_or(0)).len()).sum();
    assert_eq!(svg.matches("<path").count(), 2 * board.markers().len() + n_runs);
    assert_eq!(svg.matches("<!-- id ").count(), 195);
}

#[test]
fn svg_is_well_formed_xml() {
    let svg = board_svg(&Board::builtin());
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert_eq!(doc.root_element().attribute("viewBox"), Some("-12 -12 256 190.2769"));
}

#[test]
fn numbers_are_compact() {
    assert_eq!(num(3.0), "3");
    assert_eq!(num(-0.00001), "0");
    assert_eq!(num(2.50004), "2.5");
    assert_eq!(num(-1.23456), "-1.2346");
}
