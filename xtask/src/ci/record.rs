//! The shape of `fixtures/baselines/ci.json`: what `cargo xtask ci` measures and `cargo xtask
//! bless` commits.
//!
//! A measurement and a committed baseline are the same [`CiRecord`]: `bless` writes the one it
//! measured, `ci` compares the one it measured with the committed one.

use std::path::{Path, PathBuf};

use annulus_report::LabelRun;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::files::{read_json, write_json};

/// Version of [`CiRecord`]'s shape; bumped on any incompatible change.
pub const CI_SCHEMA: u32 = 1;

/// The committed baseline, relative to the workspace root.
pub const BASELINE_PATH: &str = "fixtures/baselines/ci.json";

/// Everything the CI gates compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CiRecord {
    /// [`CI_SCHEMA`].
    pub schema: u32,
    /// Where and when it was measured.
    pub provenance: CiProvenance,
    /// Instructions of one warm `detect` call per CI scenario (callgrind).
    pub instructions: Vec<ScenarioInstructions>,
    /// Allocations of one warm `detect` call per CI scenario: in a committed baseline, the
    /// budget a run may not exceed.
    pub alloc_warm: Vec<ScenarioAllocs>,
    /// The quick accuracy gate.
    pub accuracy: CiAccuracy,
}

/// Where and when a record was measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CiProvenance {
    /// Git short hash.
    pub commit: Option<String>,
    /// Uncommitted changes at measurement time.
    pub dirty: bool,
    /// RFC 3339 UTC.
    pub created_utc: String,
    /// One line: CPU, cores, memory, OS. Instruction counts can differ slightly on another
    /// machine (glibc picks string and math routines for the CPU).
    pub machine: String,
    /// The commands run, in order.
    pub commands: Vec<String>,
}

/// Instructions of one warm call on one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioInstructions {
    /// Scenario name in `fixtures/scenarios/`.
    pub scenario: String,
    /// The diameter prior given to the detector, pixels.
    pub diameter_px: Option<f64>,
    /// Callgrind `Ir` of the call.
    pub instructions: u64,
}

/// Allocations of one warm call on one scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocBudget {
    /// Number of allocations (a `realloc` counts as one).
    pub count: u64,
    /// Bytes they requested (reported, not gated).
    pub bytes: u64,
}

/// [`AllocBudget`] of a named scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioAllocs {
    /// Scenario name.
    pub scenario: String,
    /// The warm call's allocations.
    pub warm: AllocBudget,
}

/// The quick accuracy gate: a few images of a few validate gates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CiAccuracy {
    /// Images per gate.
    pub n_images: u32,
    /// The gates' runs as `validate` records them (the sorted centre errors left out, which the
    /// comparison does not read and which would make the committed file long).
    pub run: LabelRun,
    /// Mean signed centre error per gate.
    pub center_bias: Vec<GateBias>,
}

/// The mean of `detected − true` over a gate's correct detections of visible markers: a
/// systematic offset of every centre shows here in full, where the mean error length barely
/// moves while the offset is smaller than the random error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateBias {
    /// The gate.
    pub gate: String,
    /// Centres averaged.
    pub n: usize,
    /// Mean x and y error, image pixels.
    pub bias_px: [f64; 2],
}

/// Reads the baseline at `path`, checked for its schema.
pub fn read(path: &Path) -> Result<CiRecord> {
    let record: CiRecord = read_json(path).with_context(|| {
        format!("reading the CI baseline (create it with `cargo xtask bless`): {}", path.display())
    })?;
    if record.schema != CI_SCHEMA {
        bail!(
            "{} has schema {} but this xtask reads schema {CI_SCHEMA}; re-create it with \
             `cargo xtask bless`",
            path.display(),
            record.schema
        );
    }
    Ok(record)
}

/// Writes `record` to `path` atomically.
pub fn write(path: &Path, record: &CiRecord) -> Result<()> {
    write_json(path, record)
}

/// The baseline path: `explicit` or the committed one under `root`.
pub fn baseline_path(root: &Path, explicit: Option<&PathBuf>) -> PathBuf {
    explicit.cloned().unwrap_or_else(|| root.join(BASELINE_PATH))
}
