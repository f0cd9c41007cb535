//! ringgrid's target layouts as annulus boards, checked marker by marker.
//!
//! # What maps to what
//!
//! | ringgrid (`TargetLayout`) | annulus (`BoardSpec`) |
//! |---|---|
//! | `HexGeometry::rows` | `lattice.rows` |
//! | `HexGeometry::long_row_cols` | `lattice.cols` (the long rows' length) |
//! | `HexGeometry::pitch_mm` (axial; neighbours are `pitch · √3` apart) | `lattice.pitch_mm = pitch · √3` (the in-row spacing) |
//! | rows alternating long and short | `lattice.short_odd_rows = true` (when there is more than one row) |
//! | `RingGeometry` centre-line radii and `CodedRingSpec::ring_width_mm` | `outer_ring`, `inner_ring`: those radii and that width |
//! | the code band between the rings (`code_band_bounds_mm`) | `code_band`: exactly the gap between the rings, flush with both |
//! | the codeword of each cell's ID | `coding.codewords[i]`, converted by [`crate::words::annulus_word`] |
//! | the band is never printed inverted | `coding.polarity = as_printed` |
//! | the layout's name | `name`, with characters annulus does not allow replaced by `_` |
//!
//! # Frames and IDs
//!
//! Both libraries put the origin at the first cell's centre, x along a row and y down the rows
//! (ringgrid's `y = 1.5 · pitch · r` grows with the row), in millimetres on the printed page,
//! so `xy_board_mm` carries over unchanged. Both number cells in row-major order from the top
//! row, so annulus ID `i` is ringgrid's `i`-th cell; ringgrid's ID of that cell is its codebook
//! index (equal to `i` unless the layout has an `id_assignment`), recorded in
//! [`ConvertedBoard::id_of_ringgrid`].
//!
//! # Checks and edge cases
//!
//! The converted board is checked against every ringgrid cell: the cell counts must agree and
//! each cell must lie within [`POSITION_TOLERANCE_MM`] of the annulus marker of the same index
//! ([`PeerError::CellPosition`] names the first that does not). ringgrid stores centres in
//! single precision, which explains the few micrometres of disagreement that remain
//! ([`ConvertedBoard::max_position_error_mm`]). Rect lattices
//! ([`PeerError::UnsupportedLattice`]) and plain markers ([`PeerError::PlainTarget`]) are
//! refused. A hex layout whose first row is short (ringgrid picks the long rows by the parity of
//! the row's offset from the middle row) fails the count or position check, since annulus
//! always starts with a long row. The page margin is annulus's default
//! ([`annulus::board::DEFAULT_MARGIN_MM`]); ringgrid's default page has none, which changes
//! only how much white paper surrounds the markers in a synthetic image.

use std::collections::HashMap;

use annulus::Board;
use annulus::board::{
    Annulus, BoardSpec, CodePolarity, CodingSpec, DEFAULT_MARGIN_MM, LatticeKind, LatticeSpec,
    MarkerSpec, SCHEMA_VERSION,
};
use ringgrid::{LatticeGeometry, MarkerCoding, TargetLayout};

use crate::error::PeerError;
use crate::words::{annulus_word, profile_name, ringgrid_codewords};

/// Largest distance accepted between a ringgrid cell and the annulus marker of the same index:
/// ringgrid's single-precision centres are within about 2e-5 mm of the exact lattice on a
/// 200 mm board, and any real mismatch is a sizeable fraction of a pitch.
pub const POSITION_TOLERANCE_MM: f64 = 1e-4;

/// A ringgrid layout as an annulus board, with the ID correspondence.
#[derive(Debug, Clone)]
pub struct ConvertedBoard {
    /// The annulus board printing the same markers at the same places.
    pub board: Board,
    /// The ringgrid layout it came from (the peer detector is built from it).
    pub layout: TargetLayout,
    /// ringgrid ID → annulus ID of the same printed marker.
    pub id_of_ringgrid: HashMap<usize, u32>,
    /// The largest distance between a ringgrid cell and its annulus marker.
    pub max_position_error_mm: f64,
}

impl ConvertedBoard {
    /// The annulus ID of the marker ringgrid calls `ringgrid_id`, if the board has it.
    pub fn annulus_id(&self, ringgrid_id: usize) -> Option<u32> {
        self.id_of_ringgrid.get(&ringgrid_id).copied()
    }
}

/// ringgrid's default target (`TargetLayout::default_hex()`: 203 markers, 15 rows of 14 and 13)
/// as an annulus board.
pub fn ringgrid_default_board() -> Result<ConvertedBoard, PeerError> {
    convert_board(&TargetLayout::default_hex())
}

/// Converts a coded hex ringgrid layout into an annulus board and checks every cell; see the
/// module doc for the mapping and the refusals.
pub fn convert_board(layout: &TargetLayout) -> Result<ConvertedBoard, PeerError> {
    let hex = match layout.lattice() {
        LatticeGeometry::Hex(hex) => *hex,
        LatticeGeometry::Rect(_) => {
            return Err(PeerError::UnsupportedLattice {
                board: layout.name().to_owned(),
                lattice: "rect",
            });
        }
    };
    let MarkerCoding::Coded16(coding) = layout.coding() else {
        return Err(PeerError::PlainTarget { board: layout.name().to_owned() });
    };
    let spec = BoardSpec {
        schema: SCHEMA_VERSION,
        name: sanitized_name(layout.name()),
        lattice: LatticeSpec {
            kind: LatticeKind::Hex,
            rows: count("lattice.rows", hex.rows)?,
            cols: count("lattice.cols", hex.long_row_cols)?,
            pitch_mm: f64::from(hex.pitch_mm) * 3f64.sqrt(),
            short_odd_rows: hex.rows > 1,
        },
        marker: marker_spec(layout, f64::from(coding.ring_width_mm)),
        coding: CodingSpec::Coded {
            codebook: None,
            first_id: 0,
            codewords: Some(codewords(layout, coding.codebook_profile)?),
            polarity: CodePolarity::AsPrinted,
        },
        margin_mm: DEFAULT_MARGIN_MM,
    };
    let name = spec.name.clone();
    let board =
        Board::from_spec(spec).map_err(|source| PeerError::Board { board: name, source })?;
    let max_position_error_mm = check_cells(layout, &board)?;
    let id_of_ringgrid = layout
        .cells()
        .iter()
        .zip(board.markers())
        .filter_map(|(cell, marker)| Some((cell.id?, marker.id)))
        .collect();
    Ok(ConvertedBoard { board, layout: layout.clone(), id_of_ringgrid, max_position_error_mm })
}

/// The three concentric parts: ringgrid's stroked rings at their centre-line radii, and the
/// code band filling the gap between them exactly.
fn marker_spec(layout: &TargetLayout, ring_width_mm: f64) -> MarkerSpec {
    let ring = layout.ring();
    let outer_ring =
        Annulus { radius_mm: f64::from(ring.outer_radius_mm), width_mm: ring_width_mm };
    let inner_ring =
        Annulus { radius_mm: f64::from(ring.inner_radius_mm), width_mm: ring_width_mm };
    let (band_in, band_out) = (inner_ring.outer_edge_mm(), outer_ring.inner_edge_mm());
    let code_band = Annulus { radius_mm: 0.5 * (band_in + band_out), width_mm: band_out - band_in };
    MarkerSpec { outer_ring, code_band, inner_ring }
}

/// The annulus codeword of every cell, in generation (row-major) order.
fn codewords(
    layout: &TargetLayout,
    profile: ringgrid::CodebookProfile,
) -> Result<Vec<u16>, PeerError> {
    let table = ringgrid_codewords(profile);
    layout
        .cells()
        .iter()
        .enumerate()
        .map(|(index, cell)| {
            // Invariant: the layout is coded (checked by the caller), so every cell has an ID;
            // a missing one is reported like a missing word rather than trusted.
            let ringgrid_id = cell.id.unwrap_or(usize::MAX);
            table.get(ringgrid_id).copied().flatten().map(annulus_word).ok_or(
                PeerError::MissingCodeword { index, ringgrid_id, profile: profile_name(profile) },
            )
        })
        .collect()
}

/// Checks counts and positions; returns the largest position error.
fn check_cells(layout: &TargetLayout, board: &Board) -> Result<f64, PeerError> {
    let (cells, markers) = (layout.cells(), board.markers());
    if cells.len() != markers.len() {
        return Err(PeerError::CellCount {
            board: layout.name().to_owned(),
            ringgrid: cells.len(),
            annulus: markers.len(),
        });
    }
    let mut max_error_mm: f64 = 0.0;
    for (index, (cell, marker)) in cells.iter().zip(markers).enumerate() {
        let xy_ringgrid_mm = [f64::from(cell.xy_mm[0]), f64::from(cell.xy_mm[1])];
        let xy_annulus_mm = marker.xy_board_mm;
        let error_mm =
            (xy_ringgrid_mm[0] - xy_annulus_mm[0]).hypot(xy_ringgrid_mm[1] - xy_annulus_mm[1]);
        if error_mm.is_nan() || error_mm > POSITION_TOLERANCE_MM {
            return Err(PeerError::CellPosition {
                index,
                ringgrid_id: cell.id,
                xy_ringgrid_mm,
                xy_annulus_mm,
                error_mm,
                tolerance_mm: POSITION_TOLERANCE_MM,
            });
        }
        max_error_mm = max_error_mm.max(error_mm);
    }
    Ok(max_error_mm)
}

/// A row or column count as annulus's `u32`.
fn count(field: &'static str, n: usize) -> Result<u32, PeerError> {
    u32::try_from(n).map_err(|_| PeerError::OutOfRange {
        field,
        value: n as f64,
        expected: "at most 4294967295",
    })
}

/// `name` with every character annulus's board names do not allow (anything but ASCII letters,
/// digits, `-`, `_` and `.`) replaced by `_`, and a leading `.` too; `ringgrid` if empty.
pub fn sanitized_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    if out.starts_with('.') {
        out.replace_range(..1, "_");
    }
    if out.is_empty() { "ringgrid".to_owned() } else { out }
}

#[cfg(test)]
mod tests {
    use ringgrid::{CodedRingSpec, HexGeometry, OriginDots, RingGeometry};

    use super::*;

    #[test]
    fn the_default_target_converts_with_identity_ids() {
        let converted = ringgrid_default_board().expect("converts");
        let board = &converted.board;
        assert_eq!(board.markers().len(), 203);
        assert_eq!(board.name(), "ringgrid_200mm_hex");
        let lattice = &board.spec().lattice;
        assert_eq!((lattice.rows, lattice.cols, lattice.short_odd_rows), (15, 14, true));
        assert!((lattice.pitch_mm - 8.0 * 3f64.sqrt()).abs() < 1e-6);
        assert!(converted.max_position_error_mm < 1e-4);
        for id in 0..203 {
            assert_eq!(converted.annulus_id(id), Some(id as u32));
        }
        assert_eq!(converted.annulus_id(203), None);
        // Ring geometry: edges at 4.8 ± 0.576 and 3.2 ± 0.576 mm, the band flush between.
        let m = board.marker_spec();
        assert!((m.outer_ring.outer_edge_mm() - 5.376).abs() < 1e-6);
        assert!((m.code_band.outer_edge_mm() - 4.224).abs() < 1e-6);
        assert!((m.code_band.inner_edge_mm() - 3.776).abs() < 1e-6);
        assert!((m.inner_ring.inner_edge_mm() - 2.624).abs() < 1e-6);
        // Marker 14 opens the first short row, half a spacing in and 12 mm down.
        let first_short = board.markers()[14].xy_board_mm;
        assert!((first_short[0] - 4.0 * 3f64.sqrt()).abs() < 1e-4);
        assert!((first_short[1] - 12.0).abs() < 1e-4);
    }

    #[test]
    fn an_id_assignment_is_carried_into_the_map() {
        let n = TargetLayout::default_hex().n_cells();
        let ids: Vec<usize> = (0..n).map(|i| n - 1 - i).collect();
        let layout = TargetLayout::new(
            "reversed ids",
            LatticeGeometry::Hex(HexGeometry { rows: 15, long_row_cols: 14, pitch_mm: 8.0 }),
            RingGeometry { outer_radius_mm: 4.8, inner_radius_mm: 3.2 },
            MarkerCoding::Coded16(CodedRingSpec {
                ring_width_mm: 1.152,
                codebook_profile: ringgrid::CodebookProfile::Base,
                id_assignment: Some(ids),
            }),
            None,
        )
        .expect("valid layout");
        let converted = convert_board(&layout).expect("converts");
        assert_eq!(converted.board.name(), "reversed_ids");
        assert_eq!(converted.annulus_id(n - 1), Some(0));
        assert_eq!(converted.annulus_id(0), Some(n as u32 - 1));
        // Marker 0 prints ringgrid's last ID's word.
        let table = ringgrid_codewords(ringgrid::CodebookProfile::Base);
        let expected = table[n - 1].map(annulus_word);
        assert_eq!(converted.board.markers()[0].codeword, expected);
    }

    #[test]
    fn a_layout_starting_with_a_short_row_is_refused_by_cell() {
        // 14 rows with 13-marker long rows: ringgrid's parity rule makes row 0 short.
        let layout =
            TargetLayout::coded_hex(8.0, 14, 13, 4.8, 3.2, 1.152).expect("valid ringgrid layout");
        assert_eq!(layout.cells()[1].xy_mm[1], 0.0, "row 0 holds more than one cell");
        let err = convert_board(&layout).expect_err("annulus starts with a long row");
        assert!(
            matches!(err, PeerError::CellPosition { .. } | PeerError::CellCount { .. }),
            "{err}"
        );
    }

    #[test]
    fn rect_and_plain_layouts_are_refused() {
        let rect = TargetLayout::coded_rect(14.0, 4, 4, 4.8, 3.2, 1.152).expect("valid");
        assert!(matches!(
            convert_board(&rect),
            Err(PeerError::UnsupportedLattice { lattice: "rect", .. })
        ));
        let plain = TargetLayout::plain_hex(8.0, 5, 6, 4.8, 3.2, OriginDots::None).expect("valid");
        assert!(matches!(convert_board(&plain), Err(PeerError::PlainTarget { .. })));
    }

    #[test]
    fn names_are_sanitized() {
        assert_eq!(sanitized_name("ringgrid_200mm_hex"), "ringgrid_200mm_hex");
        assert_eq!(sanitized_name("lab bench/v2"), "lab_bench_v2");
        assert_eq!(sanitized_name(".hidden"), "_hidden");
        assert_eq!(sanitized_name(""), "ringgrid");
        assert_eq!(sanitized_name("p8.000"), "p8.000");
    }
}
