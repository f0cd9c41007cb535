//! The board spec: what a user writes in TOML or JSON to describe a printed target.
//!
//! All lengths are millimetres on the printed page. The spec is plain data; [`super::Board`]
//! validates it and derives the marker list. Unknown fields are rejected so that a typo is an
//! error rather than a silently ignored setting, and every spec names its `schema` version.

use serde::{Deserialize, Serialize};

use crate::error::{Format, Result};

/// The spec version this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;

/// Page margin used when a spec does not give one: room for the quiet zone around the outer
/// markers without wasting paper.
pub const DEFAULT_MARGIN_MM: f64 = 8.0;

/// A board as written by the user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardSpec {
    /// Spec format version; must be [`SCHEMA_VERSION`].
    pub schema: u32,
    /// Short name, used for output file names: letters, digits, `-`, `_` and `.` only.
    pub name: String,
    /// Where the markers sit.
    pub lattice: LatticeSpec,
    /// What one marker looks like.
    pub marker: MarkerSpec,
    /// How markers are told apart.
    pub coding: CodingSpec,
    /// White margin between the outermost marker edges and the page edge.
    #[serde(default = "default_margin_mm")]
    pub margin_mm: f64,
}

/// The arrangement of marker centres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatticeSpec {
    /// Hexagonal or rectangular arrangement.
    pub kind: LatticeKind,
    /// Number of rows (along board y).
    pub rows: u32,
    /// Number of markers per row (along board x).
    pub cols: u32,
    /// Distance between neighbouring marker centres.
    pub pitch_mm: f64,
    /// Hex only: odd rows hold `cols − 1` markers instead of `cols`, so that both side edges
    /// of the board are straight (rows of 14, 13, 14, … markers). Default `false`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub short_odd_rows: bool,
}

/// Lattice arrangements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LatticeKind {
    /// Rows `pitch · √3/2` apart, odd rows shifted by half a pitch: every marker has six
    /// neighbours at distance `pitch`.
    Hex,
    /// A square grid with spacing `pitch`.
    Rect,
}

/// The concentric parts of one marker, from the outside in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkerSpec {
    /// The dark outer ring.
    pub outer_ring: Annulus,
    /// The band of 16 equal sectors between the rings that carries the codeword.
    pub code_band: Annulus,
    /// The dark inner ring.
    pub inner_ring: Annulus,
}

/// A circular band given by its centre-line radius and its radial width.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annulus {
    /// Radius of the band's centre line.
    pub radius_mm: f64,
    /// Radial width; the band covers `radius_mm ± width_mm / 2`.
    pub width_mm: f64,
}

impl Annulus {
    /// Radius of the inner edge.
    pub fn inner_edge_mm(&self) -> f64 {
        self.radius_mm - 0.5 * self.width_mm
    }

    /// Radius of the outer edge.
    pub fn outer_edge_mm(&self) -> f64 {
        self.radius_mm + 0.5 * self.width_mm
    }
}

/// How markers carry their identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CodingSpec {
    /// Each marker shows its own codeword in the code band.
    Coded {
        /// Name of a built-in codebook; marker `i` gets word `first_id + i`, and that index is
        /// its ID.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        codebook: Option<String>,
        /// With `codebook`: the first word to use, so that several boards can share one
        /// codebook without sharing IDs.
        #[serde(default, skip_serializing_if = "is_zero")]
        first_id: u32,
        /// Alternatively, one explicit codeword per marker in row-major order; marker `i` gets
        /// ID `i`. Bit `k` is sector `k` (see [`crate::codebook`]).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        codewords: Option<Vec<u16>>,
        /// Which polarities of the code band the detector accepts. Default
        /// [`CodePolarity::Either`].
        #[serde(default, skip_serializing_if = "CodePolarity::is_default")]
        polarity: CodePolarity,
    },
    /// Markers have an empty code band; IDs are the row-major lattice index and must come from
    /// the geometry.
    Plain,
}

/// Which polarities of a code band a reader accepts, relative to the polarity of the rings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodePolarity {
    /// The band may also be read inverted (dark and light sectors swapped while the rings keep
    /// their polarity), as when a print process inverts only the fill. Words must then stay
    /// distinct from every rotation of every word's complement, their own included.
    #[default]
    Either,
    /// The band is read only in the polarity the rings show. Words need only be distinct under
    /// rotation, which admits codebooks that are not closed under inversion (such as those of
    /// other ring-marker systems).
    AsPrinted,
}

impl CodePolarity {
    fn is_default(&self) -> bool {
        *self == Self::Either
    }
}

impl BoardSpec {
    /// Parses a spec from text in `format`, without validating its values.
    pub fn parse(text: &str, format: Format) -> Result<Self> {
        format.deserialize(text)
    }

    /// The spec as pretty-printed JSON with every field written out.
    pub fn to_json(&self) -> String {
        // Invariant: the spec holds only strings, numbers and plain structs, which JSON can
        // always represent.
        #[allow(clippy::expect_used)]
        let json = serde_json::to_string_pretty(self).expect("a board spec is always valid JSON");
        json + "\n"
    }

    /// The spec as TOML with every field written out.
    pub fn to_toml(&self) -> String {
        // Invariant: as for JSON; the top level is a table, which TOML requires.
        #[allow(clippy::expect_used)]
        toml::to_string(self).expect("a board spec is always valid TOML")
    }
}

fn default_margin_mm() -> f64 {
    DEFAULT_MARGIN_MM
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn is_zero(value: &u32) -> bool {
    *value == 0
}
