//! The target model: a validated board and its markers.
//!
//! # Board frame
//! Board coordinates (`xy_board_mm`) are millimetres on the printed page. The origin is the
//! centre of the first marker (row 0, column 0), x runs along a row and y down the rows, as on
//! the printed page read normally. The frame is right-handed with z pointing into the page, away
//! from a camera that sees the printed side.
//!
//! # Lattices
//! A rect lattice puts marker `(row, col)` at `(col · pitch, row · pitch)`. A hex lattice puts it
//! at `((col + ½·(row mod 2)) · pitch, row · pitch · √3/2)`: odd rows shift right by half a pitch,
//! and every inner marker has six neighbours at exactly `pitch`. With `short_odd_rows` a hex
//! lattice's odd rows stop one marker early (`cols − 1` markers), so both side edges are
//! straight; the other markers keep their positions.
//!
//! Markers are numbered in row-major order; a marker's ID is its index plus the coding's
//! `first_id`. The page is the markers' bounding box grown by `margin_mm` on every side.

mod default;
mod spec;
mod validate;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::codebook;
use crate::error::{Format, Result};

pub use spec::{
    Annulus, BoardSpec, CodePolarity, CodingSpec, DEFAULT_MARGIN_MM, LatticeKind, LatticeSpec,
    MarkerSpec, SCHEMA_VERSION,
};
pub use validate::MAX_MARKERS;

/// Row spacing of a hex lattice in pitches.
const HEX_ROW_STEP: f64 = 0.866_025_403_784_438_6; // √3 / 2

/// A validated board: the spec plus the marker list derived from it.
///
/// Serialises as its spec; deserialising validates, so a `Board` in hand is always valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BoardSpec", into = "BoardSpec")]
pub struct Board {
    spec: BoardSpec,
    markers: Vec<Marker>,
}

/// One marker of a board.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// The marker's ID.
    pub id: u32,
    /// Lattice row.
    pub row: u32,
    /// Lattice column.
    pub col: u32,
    /// Centre in the board frame.
    pub xy_board_mm: [f64; 2],
    /// The word printed in the code band, in the board's reading orientation; `None` on plain
    /// boards.
    pub codeword: Option<u16>,
}

impl Board {
    /// Validates `spec` and lays out its markers.
    pub fn from_spec(spec: BoardSpec) -> Result<Self> {
        validate::validate(&spec)?;
        let markers = layout(&spec);
        Ok(Self { spec, markers })
    }

    /// Parses and validates a spec written in `format`.
    pub fn parse(text: &str, format: Format) -> Result<Self> {
        Self::from_spec(BoardSpec::parse(text, format)?)
    }

    /// The built-in board: coded hex, 15 × 13 = 195 markers of 8 mm on a 16 mm pitch, which
    /// prints on A4 landscape and shows markers about 32 px across when it fills most of a
    /// 1280 × 1024 view.
    pub fn builtin() -> Self {
        // Invariant: the built-in spec is valid; a unit test builds it.
        #[allow(clippy::expect_used)]
        Self::from_spec(default::builtin_spec()).expect("the built-in board spec is valid")
    }

    /// The spec this board was built from.
    pub fn spec(&self) -> &BoardSpec {
        &self.spec
    }

    /// The board's name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }

    /// All markers in row-major order.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// The marker with `id`, if the board has one.
    pub fn marker_by_id(&self, id: u32) -> Option<&Marker> {
        let first = self.markers.first()?.id;
        let marker = self.markers.get(usize::try_from(id.checked_sub(first)?).ok()?)?;
        (marker.id == id).then_some(marker)
    }

    /// The concentric parts of every marker.
    pub fn marker_spec(&self) -> &MarkerSpec {
        &self.spec.marker
    }

    /// Radius of a marker's outermost edge (the outer ring's outer edge).
    pub fn marker_radius_mm(&self) -> f64 {
        self.spec.marker.outer_ring.outer_edge_mm()
    }

    /// The page as `[x_min, y_min, x_max, y_max]` in the board frame.
    pub fn page_bounds_mm(&self) -> [f64; 4] {
        let grow = self.marker_radius_mm() + self.spec.margin_mm;
        let (mut x_min, mut y_min) = (f64::INFINITY, f64::INFINITY);
        let (mut x_max, mut y_max) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for m in &self.markers {
            let [x, y] = m.xy_board_mm;
            x_min = x_min.min(x);
            x_max = x_max.max(x);
            y_min = y_min.min(y);
            y_max = y_max.max(y);
        }
        [x_min - grow, y_min - grow, x_max + grow, y_max + grow]
    }

    /// Width and height of the printed page.
    pub fn page_size_mm(&self) -> [f64; 2] {
        let [x0, y0, x1, y1] = self.page_bounds_mm();
        [x1 - x0, y1 - y0]
    }

    /// The centre of the marker bounding box, in the board frame.
    pub fn center_board_mm(&self) -> [f64; 2] {
        let [x0, y0, x1, y1] = self.page_bounds_mm();
        [0.5 * (x0 + x1), 0.5 * (y0 + y1)]
    }

    /// Index of the marker whose centre is nearest to `xy_board_mm`, in constant time.
    ///
    /// Exact for every point of the plane, inside the lattice or outside it. The nearest
    /// centre always lies in the row nearest to the point (clamped to the lattice) or in one of
    /// its two neighbours: rows farther away are at least one row step farther in y and gain at
    /// most half a pitch in x from the hex shift, which never pays off.
    pub fn nearest_marker(&self, xy_board_mm: [f64; 2]) -> usize {
        let lattice = &self.spec.lattice;
        let [x, y] = xy_board_mm;
        let rows = i64::from(lattice.rows);
        let row_step = match lattice.kind {
            LatticeKind::Hex => HEX_ROW_STEP * lattice.pitch_mm,
            LatticeKind::Rect => lattice.pitch_mm,
        };
        // Clamp before widening, so that points beyond the first or last row still compare
        // the two outermost rows (whose hex shifts differ).
        // `(t + 0.5) as i64` rounds to nearest for t >= -0.5 and errs only below that, where
        // the clamp to 0 gives the same answer; it avoids a libm call on the renderer's hot path.
        let nearest_row = ((y / row_step + 0.5) as i64).clamp(0, rows - 1);
        let mut best = (f64::INFINITY, 0usize);
        for row in (nearest_row - 1).max(0)..=(nearest_row + 1).min(rows - 1) {
            let row = row as u32;
            let shift = self.row_shift_mm(row);
            let last_col = i64::from(row_len(lattice, row)) - 1;
            let col = (((x - shift) / lattice.pitch_mm + 0.5) as i64).clamp(0, last_col);
            let idx = row_start(lattice, row) + col as usize;
            // Invariant: row < rows and col < row_len(row), so idx indexes the row-major
            // marker list.
            let [mx, my] = self.markers[idx].xy_board_mm;
            let d2 = (x - mx).powi(2) + (y - my).powi(2);
            if d2 < best.0 {
                best = (d2, idx);
            }
        }
        best.1
    }

    /// The spec as canonical pretty JSON (every field written out).
    pub fn to_json(&self) -> String {
        self.spec.to_json()
    }

    fn row_shift_mm(&self, row: u32) -> f64 {
        match self.spec.lattice.kind {
            LatticeKind::Hex if row % 2 == 1 => 0.5 * self.spec.lattice.pitch_mm,
            _ => 0.0,
        }
    }
}

impl TryFrom<BoardSpec> for Board {
    type Error = crate::error::Error;

    fn try_from(spec: BoardSpec) -> Result<Self> {
        Self::from_spec(spec)
    }
}

impl From<Board> for BoardSpec {
    fn from(board: Board) -> Self {
        board.spec
    }
}

/// Number of markers in row `row`.
fn row_len(lattice: &LatticeSpec, row: u32) -> u32 {
    if lattice.short_odd_rows && row % 2 == 1 { lattice.cols - 1 } else { lattice.cols }
}

/// Index of the first marker of row `row` in the row-major list.
fn row_start(lattice: &LatticeSpec, row: u32) -> usize {
    let (pairs, odd) = (row as usize / 2, row as usize % 2);
    let pair_len = row_len(lattice, 0) as usize + row_len(lattice, 1) as usize;
    pairs * pair_len + odd * row_len(lattice, 0) as usize
}

/// Number of markers on the lattice, without overflow for any row and column count.
pub(crate) fn n_markers(lattice: &LatticeSpec) -> u64 {
    let (rows, cols) = (u64::from(lattice.rows), u64::from(lattice.cols));
    if lattice.short_odd_rows { rows * cols - rows / 2 } else { rows * cols }
}

/// Positions and codewords of every marker of a validated spec.
fn layout(spec: &BoardSpec) -> Vec<Marker> {
    let lattice = &spec.lattice;
    let pitch = lattice.pitch_mm;
    let (first_id, words): (u32, Option<&[u16]>) = match &spec.coding {
        CodingSpec::Coded { codebook: Some(name), first_id, .. } => {
            (*first_id, codebook::by_name(name).map(|book| &book[*first_id as usize..]))
        }
        CodingSpec::Coded { codewords: Some(words), .. } => (0, Some(words.as_slice())),
        CodingSpec::Coded { .. } | CodingSpec::Plain => (0, None),
    };
    let mut markers = Vec::with_capacity(n_markers(lattice) as usize);
    for row in 0..lattice.rows {
        for col in 0..row_len(lattice, row) {
            let idx = markers.len();
            let (x, y) = match lattice.kind {
                LatticeKind::Hex => (
                    (f64::from(col) + 0.5 * f64::from(row % 2)) * pitch,
                    f64::from(row) * HEX_ROW_STEP * pitch,
                ),
                LatticeKind::Rect => (f64::from(col) * pitch, f64::from(row) * pitch),
            };
            markers.push(Marker {
                id: first_id + idx as u32,
                row,
                col,
                xy_board_mm: [x, y],
                codeword: words.and_then(|w| w.get(idx).copied()),
            });
        }
    }
    markers
}
