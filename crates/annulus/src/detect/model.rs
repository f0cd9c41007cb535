//! The marker as the detector sees it: every edge radius as a fraction of the outer radius, the
//! code lookup table, and the lattice spacing.
//!
//! All image-side searches are scaled by the fitted outer ellipse, so the detector needs the
//! board's geometry only as ratios to the outer edge (the outer ring's outer edge, `R`). The
//! code table maps every 16-bit word the band can show, under any of the 16 rotations and both
//! polarities, to the marker that prints it; it is a dense 64 K-entry array, so a lookup is one
//! load and needs no hashing.

use crate::board::{Board, CodePolarity, CodingSpec};
use crate::codebook::{self, N_SECTORS};

/// Marker of the code table's empty slots.
const NO_MARKER: u32 = u32::MAX;

/// The board's marker geometry as ratios of the outer radius, and its code table.
#[derive(Debug, Clone)]
pub(crate) struct MarkerModel {
    /// Outer ring, inner edge / R.
    pub(crate) ring_inner: f64,
    /// Code band inner and outer edges / R.
    pub(crate) band: [f64; 2],
    /// Inner ring, inner and outer edges / R.
    pub(crate) inner_ring: [f64; 2],
    /// Outer radius in board millimetres.
    pub(crate) radius_mm: f64,
    /// Smallest distance between two marker centres, in units of R.
    pub(crate) pitch: f64,
    /// Whether the board carries codes.
    pub(crate) coded: bool,
    /// For each observed word: `marker_idx << 8 | inverted << 4 | rotation`, or [`NO_MARKER`].
    table: Vec<u32>,
}

/// A codeword found in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CodeHit {
    /// Index of the marker in the board's list.
    pub(crate) marker_idx: usize,
    /// Sectors the observed word is rotated by relative to the printed one.
    pub(crate) rotation: u32,
    /// Whether the word was read with inverted polarity.
    pub(crate) inverted: bool,
}

impl MarkerModel {
    /// The model of `board`'s markers.
    pub(crate) fn new(board: &Board) -> Self {
        let spec = board.marker_spec();
        let r = spec.outer_ring.outer_edge_mm();
        let mut table = vec![NO_MARKER; 1 << N_SECTORS];
        let coded = matches!(board.spec().coding, CodingSpec::Coded { .. });
        // A board whose band is read only as printed keeps inverted reads out of the table:
        // its words need not be distinct under inversion, so an inverted entry could shadow
        // another marker's word.
        let polarities: &[bool] = match board.spec().coding {
            CodingSpec::Coded { polarity: CodePolarity::AsPrinted, .. } => &[false],
            _ => &[false, true],
        };
        for (idx, marker) in board.markers().iter().enumerate() {
            let Some(word) = marker.codeword else { continue };
            for rotation in 0..N_SECTORS as u32 {
                for &inverted in polarities {
                    let shown = codebook::rotate(if inverted { !word } else { word }, rotation);
                    // Board validation guarantees that no two markers share a rotation (nor,
                    // when both polarities are read, an inverted rotation), so no slot is
                    // written twice.
                    table[usize::from(shown)] =
                        (idx as u32) << 8 | u32::from(inverted) << 4 | rotation;
                }
            }
        }
        Self {
            ring_inner: spec.outer_ring.inner_edge_mm() / r,
            band: [spec.code_band.inner_edge_mm() / r, spec.code_band.outer_edge_mm() / r],
            inner_ring: [spec.inner_ring.inner_edge_mm() / r, spec.inner_ring.outer_edge_mm() / r],
            radius_mm: r,
            pitch: min_spacing_mm(board) / r,
            coded,
            table,
        }
    }

    /// The marker showing `word` (bit k = sector k dark) in some rotation and polarity.
    pub(crate) fn lookup(&self, word: u16) -> Option<CodeHit> {
        let entry = self.table[usize::from(word)];
        (entry != NO_MARKER).then_some(CodeHit {
            marker_idx: (entry >> 8) as usize,
            rotation: entry & 0xf,
            inverted: entry & 0x10 != 0,
        })
    }
}

/// Distance between nearest marker centres (the lattice pitch for boards of two or more).
fn min_spacing_mm(board: &Board) -> f64 {
    let pitch = board.spec().lattice.pitch_mm;
    if board.markers().len() < 2 { pitch.max(4.0 * board.marker_radius_mm()) } else { pitch }
}
