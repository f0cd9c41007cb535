//! The built-in board.
//!
//! Sizing: marker outer diameter 8 mm on a 16 mm hex pitch, 15 columns by 13 rows. The markers'
//! bounding box is 240 × 174 mm, so the page (8 mm margin) is 256 × 190 mm and fits A4
//! landscape with room for printer margins. Seen frontally at 4 px/mm (for example a 1200 px
//! focal length at 300 mm), markers are 32 px across and the board covers 960 × 697 px of a
//! 1280 × 1024 image, leaving room for tilt and in-plane rotation.
//!
//! Radial layout (outer edge radius R = 4 mm): outer ring 3.2–4.0 mm, gap, code band
//! 2.0–3.0 mm, gap, inner ring 1.2–1.8 mm, white centre. The 0.2 mm gaps keep every ring edge
//! clean against white in sharp images; the code band is as wide as the rings allow, because
//! its 16 sectors (about 4 px of arc each at 32 px) are what blur destroys first.

use super::spec::{
    Annulus, BoardSpec, CodePolarity, CodingSpec, DEFAULT_MARGIN_MM, LatticeKind, LatticeSpec,
    MarkerSpec, SCHEMA_VERSION,
};
use crate::codebook;

/// The spec of [`super::Board::builtin`].
pub(super) fn builtin_spec() -> BoardSpec {
    BoardSpec {
        schema: SCHEMA_VERSION,
        name: "annulus-default".to_owned(),
        lattice: LatticeSpec {
            kind: LatticeKind::Hex,
            rows: 13,
            cols: 15,
            pitch_mm: 16.0,
            short_odd_rows: false,
        },
        marker: MarkerSpec {
            outer_ring: Annulus { radius_mm: 3.6, width_mm: 0.8 },
            code_band: Annulus { radius_mm: 2.5, width_mm: 1.0 },
            inner_ring: Annulus { radius_mm: 1.5, width_mm: 0.6 },
        },
        coding: CodingSpec::Coded {
            codebook: Some(codebook::BUILTIN_NAME.to_owned()),
            first_id: 0,
            codewords: None,
            polarity: CodePolarity::Either,
        },
        margin_mm: DEFAULT_MARGIN_MM,
    }
}
