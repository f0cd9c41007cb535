//! The input of a report: one validation run of one label, as `cargo xtask validate` records it.
//!
//! A run is plain data with serde, written next to the label's artifacts and read back when a
//! later run is compared with it. Everything time- or machine-dependent (the date, the machine
//! description, the commit) is supplied by the caller, so the crate itself stays deterministic.

use annulus_score::GateScore;
use serde::{Deserialize, Serialize};

/// One validation run of one label: where it came from and the score of every gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelRun {
    /// The label's name, e.g. `main` or `band-pull-v2`.
    pub label: String,
    /// Where and how the run was made.
    pub provenance: Provenance,
    /// The gates, in the order they ran.
    pub gates: Vec<GateRun>,
}

/// Where and how a run was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    /// The git short hash of the commit the run was built from, when known.
    pub commit: Option<String>,
    /// Whether the working tree had uncommitted changes at run time.
    pub dirty: bool,
    /// When the run was made, RFC 3339, supplied by the caller.
    pub created_utc: String,
    /// A one-line description of the machine, supplied by the caller.
    pub machine: String,
    /// The commands that produced this run, in order.
    pub commands: Vec<String>,
    /// Images scored per gate.
    pub n_images: u32,
}

/// One gate of a run: which scenario it scored and how it ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateRun {
    /// The gate's name: `blur3`, `reference`, `distortion`.
    pub gate: String,
    /// The mode within the gate, e.g. `true_camera`; `None` for a gate with one mode.
    pub mode: Option<String>,
    /// The scenario's name.
    pub scenario: String,
    /// A hex digest of the scenario and the board, so that a comparison can tell when two runs
    /// scored different images.
    pub scenario_hash: String,
    /// The gate's files, relative to the label directory, e.g. `blur3/summary.json`.
    pub artifacts: Vec<String>,
    /// The score, or why there is none.
    pub status: GateStatus,
}

/// How a gate ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
// A run holds a handful of gates, so the room a skipped one wastes costs nothing, and the score
// stays a plain `GateScore` for the callers that build it.
#[allow(clippy::large_enum_variant)]
pub enum GateStatus {
    /// The gate ran and was scored.
    Scored {
        /// The pooled score with its per-image rows.
        score: GateScore,
    },
    /// The gate was not run, deliberately.
    Skipped {
        /// Why, e.g. the detector has no self-estimated distortion yet.
        reason: String,
    },
}

impl GateRun {
    /// The gate's display key: `gate` alone, or `gate/mode`; the same as [`GateScore::key`].
    pub fn key(&self) -> String {
        match &self.mode {
            Some(mode) => format!("{}/{mode}", self.gate),
            None => self.gate.clone(),
        }
    }

    /// The score, when the gate was scored.
    pub fn score(&self) -> Option<&GateScore> {
        match &self.status {
            GateStatus::Scored { score } => Some(score),
            GateStatus::Skipped { .. } => None,
        }
    }
}

impl LabelRun {
    /// The gate with display key `key`, if the run has it.
    pub fn gate(&self, key: &str) -> Option<&GateRun> {
        self.gates.iter().find(|g| g.key() == key)
    }
}
