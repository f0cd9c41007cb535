//! Tests of the board model: layout, fixtures, typed validation errors, round trips.

use proptest::prelude::*;

use crate::test_support::seeded;

use super::*;
use crate::error::{CodewordDefect, Error};

const DEFAULT_TOML: &str = include_str!("../../../../fixtures/boards/default.toml");
const RECT_PLAIN_TOML: &str = include_str!("../../../../fixtures/boards/rect-plain.toml");

fn spec_with(edit: impl FnOnce(&mut BoardSpec)) -> BoardSpec {
    let mut spec = Board::builtin().spec().clone();
    edit(&mut spec);
    spec
}

/// A 1 × 3 board with explicit codewords, read in `polarity`.
fn explicit_spec(words: Vec<u16>, polarity: CodePolarity) -> BoardSpec {
    spec_with(|s| {
        s.lattice.rows = 1;
        s.lattice.cols = 3;
        s.coding =
            CodingSpec::Coded { codebook: None, first_id: 0, codewords: Some(words), polarity };
    })
}

fn error_of(edit: impl FnOnce(&mut BoardSpec)) -> Error {
    match Board::from_spec(spec_with(edit)) {
        Ok(_) => panic!("the edited spec was accepted"),
        Err(e) => e,
    }
}

fn toml_error(text: &str) -> String {
    match Board::parse(text, Format::Toml) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn builtin_board_has_the_documented_layout() {
    let board = Board::builtin();
    assert_eq!(board.markers().len(), 195);
    assert_eq!(board.name(), "annulus-default");
    assert_eq!(board.marker_radius_mm(), 4.0);
    let [w, h] = board.page_size_mm();
    assert!((w - 256.0).abs() < 1e-9, "page width {w}");
    assert!((h - (12.0 * 16.0 * HEX_ROW_STEP + 24.0)).abs() < 1e-9, "page height {h}");
    assert!(w < 297.0 - 20.0 && h < 210.0 - 10.0, "fits A4 landscape with printer margins");
    let book = codebook::builtin();
    for (i, m) in board.markers().iter().enumerate() {
        assert_eq!(m.id as usize, i);
        assert_eq!(m.codeword, Some(book[i]));
    }
}

#[test]
fn fixture_default_toml_is_the_builtin_board() {
    assert_eq!(Board::parse(DEFAULT_TOML, Format::Toml), Ok(Board::builtin()));
}

#[test]
fn rect_plain_fixture_parses() {
    let board = Board::parse(RECT_PLAIN_TOML, Format::Toml).expect("fixture is valid");
    assert_eq!(board.markers().len(), 54);
    assert!(board.markers().iter().all(|m| m.codeword.is_none()));
    assert_eq!(board.markers()[10].xy_board_mm, [25.0, 25.0]);
}

#[test]
fn hex_neighbours_are_one_pitch_apart() {
    let board = Board::builtin();
    let m = board.markers();
    let dist = |a: usize, b: usize| {
        let [ax, ay] = m[a].xy_board_mm;
        let [bx, by] = m[b].xy_board_mm;
        (ax - bx).hypot(ay - by)
    };
    // Marker 16 is row 1, col 1; its six neighbours are 1, 2 (row 0), 15, 17 (row 1) and
    // 31, 32 (row 2).
    for n in [1, 2, 15, 17, 31, 32] {
        assert!((dist(16, n) - 16.0).abs() < 1e-9, "16 to {n}: {}", dist(16, n));
    }
    assert!(dist(16, 0) > 16.0 * 1.5);
}

#[test]
fn marker_by_id_respects_first_id() {
    let spec = spec_with(|s| {
        s.coding = CodingSpec::Coded {
            codebook: Some("annulus16".into()),
            first_id: 500,
            codewords: None,
            polarity: Default::default(),
        }
    });
    let board = Board::from_spec(spec).expect("valid");
    assert_eq!(board.marker_by_id(500).map(|m| m.row), Some(0));
    assert_eq!(board.marker_by_id(694).map(|m| (m.row, m.col)), Some((12, 14)));
    assert_eq!(board.marker_by_id(499), None);
    assert_eq!(board.marker_by_id(695), None);
    assert_eq!(board.markers()[0].codeword, Some(codebook::builtin()[500]));
}

#[test]
fn unknown_fields_and_bad_syntax_name_the_problem() {
    let typo = DEFAULT_TOML.replace("pitch_mm = 16.0", "pitch_mn = 16.0");
    let message = toml_error(&typo);
    assert!(message.contains("pitch_mn"), "{message}");
    assert!(message.contains("line 11"), "{message}");
    let extra = DEFAULT_TOML.replace("kind = \"coded\"", "kind = \"coded\"\ncolour = \"red\"");
    assert!(toml_error(&extra).contains("colour"));
    let kind = DEFAULT_TOML.replace("\"hex\"", "\"hexagonal\"");
    assert!(toml_error(&kind).contains("hexagonal"));
    let json = Board::parse("{\"schema\": 1,", Format::Json).map(|_| ()).unwrap_err();
    assert!(matches!(json, Error::Parse { format: Format::Json, .. }), "{json}");
}

#[test]
fn schema_version_is_checked() {
    let e = error_of(|s| s.schema = 2);
    assert_eq!(e, Error::SchemaVersion { field: "schema", found: 2, supported: 1 });
    assert!(e.to_string().contains("`schema` is 2"));
}

#[test]
fn non_positive_sizes_name_their_field() {
    assert_eq!(
        error_of(|s| s.marker.outer_ring.width_mm = -0.8),
        Error::NotPositive { field: "marker.outer_ring.width_mm", value: -0.8 }
    );
    assert_eq!(
        error_of(|s| s.lattice.pitch_mm = 0.0),
        Error::NotPositive { field: "lattice.pitch_mm", value: 0.0 }
    );
    let nan = error_of(|s| s.marker.code_band.radius_mm = f64::NAN);
    assert!(matches!(nan, Error::NotPositive { field: "marker.code_band.radius_mm", .. }));
    assert!(matches!(
        error_of(|s| s.margin_mm = -1.0),
        Error::OutOfRange { field: "margin_mm", .. }
    ));
    assert!(matches!(
        error_of(|s| s.lattice.rows = 0),
        Error::OutOfRange { field: "lattice.rows", .. }
    ));
    assert!(matches!(
        error_of(|s| s.marker.inner_ring.width_mm = 3.0),
        Error::OutOfRange { field: "marker.inner_ring.width_mm", .. }
    ));
}

#[test]
fn overlapping_parts_are_refused_and_touching_parts_accepted() {
    let e = error_of(|s| s.marker.code_band.width_mm = 1.6);
    assert_eq!(
        e,
        Error::PartsOverlap {
            inner: "marker.inner_ring",
            inner_edge_mm: 1.8,
            outer: "marker.code_band",
            outer_edge_mm: 1.7,
        }
    );
    let e = error_of(|s| s.marker.outer_ring.radius_mm = 3.3);
    assert!(matches!(e, Error::PartsOverlap { outer: "marker.outer_ring", .. }), "{e}");
    // A band flush against both rings is a legitimate design.
    let flush = spec_with(|s| s.marker.code_band = Annulus { radius_mm: 2.5, width_mm: 1.4 });
    assert!(Board::from_spec(flush).is_ok());
}

#[test]
fn overlapping_neighbours_are_refused() {
    let e = error_of(|s| s.lattice.pitch_mm = 8.0);
    assert_eq!(e, Error::NeighboursOverlap { diameter_mm: 8.0, pitch_mm: 8.0 });
    // A single marker has no neighbours to overlap.
    let single = spec_with(|s| {
        s.lattice.rows = 1;
        s.lattice.cols = 1;
        s.lattice.pitch_mm = 1.0;
    });
    assert!(Board::from_spec(single).is_ok());
}

#[test]
fn coding_errors_are_typed() {
    let e = error_of(|s| {
        s.lattice.rows = 40;
        s.lattice.cols = 30;
    });
    assert_eq!(
        e,
        Error::TooFewCodewords { field: "coding.codebook", n_markers: 1200, n_codewords: 1001 }
    );
    let e = error_of(|s| {
        s.coding = CodingSpec::Coded {
            codebook: Some("annulus16".into()),
            first_id: 900,
            codewords: None,
            polarity: CodePolarity::Either,
        }
    });
    assert!(matches!(e, Error::TooFewCodewords { n_codewords: 101, .. }), "{e}");
    let e = error_of(|s| {
        s.coding = CodingSpec::Coded {
            codebook: Some("aruco".into()),
            first_id: 0,
            codewords: None,
            polarity: CodePolarity::Either,
        }
    });
    assert!(e.to_string().contains("\"aruco\""), "{e}");
    let e = error_of(|s| {
        s.coding = CodingSpec::Coded {
            codebook: None,
            first_id: 0,
            codewords: None,
            polarity: CodePolarity::Either,
        }
    });
    assert_eq!(e, Error::CodewordSource);
    let e = error_of(|s| s.lattice.rows = 200_000);
    assert_eq!(e, Error::TooManyMarkers { n_markers: 3_000_000, max: MAX_MARKERS });
}

#[test]
fn explicit_codewords_are_checked() {
    let explicit = |words: Vec<u16>| explicit_spec(words, CodePolarity::Either);
    let ok = Board::from_spec(explicit(vec![0x000f, 0x003f, 0x0017])).expect("valid");
    assert_eq!(ok.markers()[2].codeword, Some(0x0017));
    let defect = |words| match Board::from_spec(explicit(words)) {
        Err(Error::BadCodeword { index, defect, .. }) => (index, defect),
        other => panic!("{other:?}"),
    };
    assert_eq!(defect(vec![0x000f, 0x0f0f, 0x0017]), (1, CodewordDefect::RotationallySymmetric));
    assert_eq!(defect(vec![0x000f, 0x003f, 0x00f0]), (2, CodewordDefect::RotationOf(0)));
    assert_eq!(defect(vec![0x000f, 0xfff0, 0x0017]), (1, CodewordDefect::InvertedRotationOf(0)));
    assert_eq!(defect(vec![0x000f, 0x00ff, 0x0017]), (1, CodewordDefect::SelfInverse));
    let short = Board::from_spec(explicit(vec![0x000f])).unwrap_err();
    assert_eq!(
        short,
        Error::TooFewCodewords { field: "coding.codewords", n_markers: 3, n_codewords: 1 }
    );
}

#[test]
fn names_must_be_safe_file_stems() {
    for bad in ["", "../etc", ".hidden", "a b", "board/1"] {
        let e = error_of(|s| s.name = bad.into());
        assert_eq!(e, Error::InvalidName { name: bad.into() });
    }
}

#[test]
fn canonical_json_round_trips() {
    let board = Board::builtin();
    let json = board.to_json();
    assert!(json.contains("\"codebook\": \"annulus16\""));
    assert!(!json.contains("first_id"), "zero first_id is left out");
    assert_eq!(Board::parse(&json, Format::Json), Ok(board));
}

#[test]
fn short_odd_rows_drop_the_last_marker_of_odd_rows() {
    let board = Board::from_spec(spec_with(|s| {
        s.lattice.rows = 3;
        s.lattice.cols = 4;
        s.lattice.short_odd_rows = true;
    }))
    .expect("valid");
    let cells: Vec<(u32, u32, u32)> =
        board.markers().iter().map(|m| (m.id, m.row, m.col)).collect();
    let rows = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
    let cols = [0, 1, 2, 3, 0, 1, 2, 0, 1, 2, 3];
    let expected: Vec<(u32, u32, u32)> =
        (0..11).map(|i| (i, rows[i as usize], cols[i as usize])).collect();
    assert_eq!(cells, expected);
    // The odd row keeps its half-pitch shift, so its last marker is inside the even rows' span.
    let last_odd = board.markers()[6].xy_board_mm;
    assert!(
        (last_odd[0] - 2.5 * 16.0).abs() < 1e-12
            && (last_odd[1] - 16.0 * 0.75f64.sqrt()).abs() < 1e-12
    );
    assert_eq!(board.marker_by_id(7).map(|m| (m.row, m.col)), Some((2, 0)));
    // Both side edges are straight: the page is as wide as an even row.
    assert!((board.page_size_mm()[0] - (3.0 * 16.0 + 2.0 * (4.0 + 8.0))).abs() < 1e-12);
    let spec = board.spec();
    assert_eq!(Board::parse(&spec.to_toml(), Format::Toml).map(|b| b.markers().len()), Ok(11));
    assert!(spec.to_json().contains("\"short_odd_rows\": true"));
    assert!(!Board::builtin().to_json().contains("short_odd_rows"), "false is left out");
}

#[test]
fn short_odd_rows_need_a_hex_lattice_of_two_columns() {
    let e = error_of(|s| {
        s.lattice.kind = LatticeKind::Rect;
        s.lattice.short_odd_rows = true;
    });
    assert!(matches!(e, Error::NotApplicable { field: "lattice.short_odd_rows", .. }), "{e}");
    let e = error_of(|s| {
        s.lattice.cols = 1;
        s.lattice.short_odd_rows = true;
    });
    assert!(matches!(e, Error::OutOfRange { field: "lattice.cols", .. }), "{e}");
    // The codebook must cover the shorter lattice only: 13 rows of 15 and 14 make 188 markers.
    let board = Board::from_spec(spec_with(|s| s.lattice.short_odd_rows = true)).expect("valid");
    assert_eq!(board.markers().len(), 7 * 15 + 6 * 14);
}

#[test]
fn as_printed_polarity_admits_words_that_are_not_inversion_safe() {
    let inverted_pair = vec![0x000f, 0xfff0, 0x0017];
    let self_inverse = vec![0x000f, 0x00ff, 0x0017];
    let e = Board::from_spec(explicit_spec(inverted_pair.clone(), CodePolarity::Either))
        .expect_err("unsafe under inversion");
    assert!(e.to_string().contains("as_printed"), "the message names the way out: {e}");
    assert!(Board::from_spec(explicit_spec(self_inverse.clone(), CodePolarity::Either)).is_err());
    for words in [inverted_pair, self_inverse] {
        let board = Board::from_spec(explicit_spec(words, CodePolarity::AsPrinted)).expect("valid");
        assert!(board.to_json().contains("\"polarity\": \"as_printed\""));
        assert_eq!(Board::parse(&board.spec().to_toml(), Format::Toml).as_ref(), Ok(&board));
    }
    // Rotations stay forbidden in either polarity.
    let e = Board::from_spec(explicit_spec(vec![0x000f, 0x00f0, 0x0017], CodePolarity::AsPrinted));
    assert!(matches!(e, Err(Error::BadCodeword { defect: CodewordDefect::RotationOf(0), .. })));
}

#[test]
fn parts_designed_flush_may_differ_in_the_last_bits() {
    // The edges of a band between two rings, converted from single precision as another
    // system's spec would be: flush in intent, a few ulps apart in f64.
    let (ring_w, outer_r, inner_r) = (f64::from(1.152f32), f64::from(4.8f32), f64::from(3.2f32));
    let (band_in, band_out) = (inner_r + ring_w / 2.0, outer_r - ring_w / 2.0);
    let board = Board::from_spec(spec_with(|s| {
        s.marker.outer_ring = Annulus { radius_mm: outer_r, width_mm: ring_w };
        s.marker.inner_ring = Annulus { radius_mm: inner_r, width_mm: ring_w };
        s.marker.code_band = Annulus {
            radius_mm: 0.5 * (band_in + band_out),
            width_mm: (band_out - band_in) * (1.0 + 1e-12),
        };
    }));
    assert!(board.is_ok(), "{board:?}");
    let e = error_of(|s| s.marker.code_band.width_mm += 0.5);
    assert!(matches!(e, Error::PartsOverlap { .. }), "a real overlap is still refused: {e}");
}

fn arb_spec() -> impl Strategy<Value = BoardSpec> {
    (
        prop::bool::ANY,
        1u32..20,
        1u32..20,
        (0.2f64..1.0, 0.05f64..0.3, 0.05f64..0.3, 0.05f64..0.3),
        1.0f64..50.0,
        prop::bool::ANY,
        0.0f64..20.0,
        prop::bool::ANY,
    )
        .prop_map(
            |(hex, rows, cols, (outer_frac, w_out, w_band, w_in), pitch, coded, margin, short)| {
                let short_odd_rows = hex && short;
                // Build nested parts from the outside in, so that every spec is valid.
                let outer_edge = 0.45 * pitch * outer_frac;
                let outer_ring = Annulus {
                    radius_mm: outer_edge * (1.0 - w_out / 2.0),
                    width_mm: outer_edge * w_out,
                };
                let band_outer = 0.98 * outer_ring.inner_edge_mm();
                let code_band = Annulus {
                    radius_mm: band_outer * (1.0 - w_band / 2.0),
                    width_mm: band_outer * w_band,
                };
                let in_outer = 0.98 * code_band.inner_edge_mm();
                let inner_ring =
                    Annulus { radius_mm: in_outer * (1.0 - w_in / 2.0), width_mm: in_outer * w_in };
                BoardSpec {
                    schema: SCHEMA_VERSION,
                    name: format!("prop-{rows}x{cols}"),
                    lattice: LatticeSpec {
                        kind: if hex { LatticeKind::Hex } else { LatticeKind::Rect },
                        rows,
                        cols: if short_odd_rows { cols.max(2) } else { cols },
                        pitch_mm: pitch,
                        short_odd_rows,
                    },
                    marker: MarkerSpec { outer_ring, code_band, inner_ring },
                    coding: if coded {
                        CodingSpec::Coded {
                            codebook: Some("annulus16".into()),
                            first_id: 3,
                            codewords: None,
                            polarity: CodePolarity::Either,
                        }
                    } else {
                        CodingSpec::Plain
                    },
                    margin_mm: margin,
                }
            },
        )
}

proptest! {
    #![proptest_config(seeded(256))]

    #[test]
    fn spec_survives_toml_then_json(spec in arb_spec()) {
        let board = Board::from_spec(spec.clone()).expect("generated specs are valid");
        let from_toml = Board::parse(&spec.to_toml(), Format::Toml).expect("TOML re-reads");
        let from_json = Board::parse(&from_toml.to_json(), Format::Json).expect("JSON re-reads");
        prop_assert_eq!(&from_json, &board);
        prop_assert_eq!(from_json.spec(), &spec);
    }

    #[test]
    fn nearest_marker_is_exact_everywhere(spec in arb_spec(), fx in -0.3f64..1.3, fy in -0.3f64..1.3) {
        let board = Board::from_spec(spec).expect("valid");
        let [x0, y0, x1, y1] = board.page_bounds_mm();
        let (w, h) = (x1 - x0, y1 - y0);
        let p = [x0 + fx * w, y0 + fy * h];
        let dist = |i: usize| {
            let [mx, my] = board.markers()[i].xy_board_mm;
            (p[0] - mx).hypot(p[1] - my)
        };
        let brute = (0..board.markers().len()).map(dist).fold(f64::INFINITY, f64::min);
        prop_assert!((dist(board.nearest_marker(p)) - brute).abs() < 1e-9);
    }

    #[test]
    fn nearest_marker_finds_the_marker_under_any_point_of_its_disc(
        spec in arb_spec(), pick in 0.0f64..1.0, r in 0.0f64..1.0, angle in 0.0f64..std::f64::consts::TAU,
    ) {
        let board = Board::from_spec(spec).expect("valid");
        let idx = ((board.markers().len() - 1) as f64 * pick).round() as usize;
        let [cx, cy] = board.markers()[idx].xy_board_mm;
        let radius = r * board.marker_radius_mm();
        let point = [cx + radius * angle.cos(), cy + radius * angle.sin()];
        prop_assert_eq!(board.nearest_marker(point), idx);
    }
}

#[test]
fn format_is_guessed_from_extension_then_content() {
    assert_eq!(Format::guess(Some("JSON"), "schema = 1"), Format::Json);
    assert_eq!(Format::guess(Some("toml"), "{"), Format::Toml);
    assert_eq!(Format::guess(None, "  \n{\"schema\": 1}"), Format::Json);
    assert_eq!(Format::guess(Some("txt"), "schema = 1"), Format::Toml);
}
