//! The label's `summary.json`: the comparison and the provenance of both runs, for tools.
//!
//! Field names are stable; a change to their meaning bumps [`SCHEMA_VERSION`]. A reader such as
//! `cargo xtask finalize` deserializes [`Summary`] and reads `comparison.verdict`,
//! `comparison.flags`, and metric rows through [`Comparison::metric`], e.g.
//! `("blur3", "center_error_mean_px")`.

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::comparison::Comparison;
use crate::run::{LabelRun, Provenance};

/// The version of the summary's layout, incremented whenever a field changes meaning or goes
/// away (adding a field does not change it).
pub const SCHEMA_VERSION: u32 = 1;

/// What `summary.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// [`SCHEMA_VERSION`] at the time of writing.
    pub schema_version: u32,
    /// The run under test.
    pub after: RunInfo,
    /// The baseline, when there was one.
    pub baseline: Option<RunInfo>,
    /// The comparison, verdict and flags included.
    pub comparison: Comparison,
}

/// A run's label and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// The label.
    pub label: String,
    /// Where and how the run was made.
    pub provenance: Provenance,
}

impl Summary {
    /// The summary of `comparison` between `after` and `baseline`.
    pub fn new(comparison: &Comparison, after: &LabelRun, baseline: Option<&LabelRun>) -> Self {
        let info = |run: &LabelRun| RunInfo {
            label: run.label.clone(),
            provenance: run.provenance.clone(),
        };
        Self {
            schema_version: SCHEMA_VERSION,
            after: info(after),
            baseline: baseline.map(info),
            comparison: comparison.clone(),
        }
    }
}

/// The summary as pretty JSON (two-space indent, fields in declaration order, floats in their
/// shortest round-trip form), ending with a newline.
pub fn json_summary(
    comparison: &Comparison,
    after: &LabelRun,
    baseline: Option<&LabelRun>,
) -> String {
    let summary = Summary::new(comparison, after, baseline);
    // Invariant: the summary holds only strings, numbers, booleans, options and vectors, all of
    // which serde_json writes without failing (a non-finite float becomes `null`).
    #[allow(clippy::expect_used)]
    let mut json = serde_json::to_string_pretty(&summary).expect("the summary is plain data");
    json.push('\n');
    json
}
