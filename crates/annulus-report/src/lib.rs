//! annulus-report: compares two accuracy-validation runs gate by gate, and annulus with the peer
//! detector ringgrid ([`peer`]), and renders the results for people and for tools.
//!
//! A run ([`LabelRun`]) is what `cargo xtask validate` records for one label: provenance and
//! one `annulus_score::GateScore` per gate (`blur3`, `reference`, `distortion/<mode>`).
//! [`compare`] lines a run up with a baseline and gives a [`Comparison`]: every metric's
//! baseline, after and delta, the frame table, the threshold checks, the flags and the
//! [`Verdict`]. The renderers turn that into
//!
//! | output | function | reader |
//! |---|---|---|
//! | `accuracy-report.md` | [`markdown`] | reviewers: commands, artifacts, one table per gate, frames, checks, flags, verdict |
//! | `summary.json` | [`json_summary`] | tools (`cargo xtask finalize`): a [`Summary`] with stable field names |
//! | `report.html` | [`html`] | a person in a browser: the same content, plus SVG plots of the centre-error distribution and of per-image recall and error |
//! | terminal | [`terminal_table`] | the engineer running `cargo xtask validate` |
//!
//! # Flags
//! The values are the defaults of [`Thresholds`], which documents why each was chosen.
//!
//! | gate | metric | rule | level |
//! |---|---|---|---|
//! | `blur3` | `center_error_mean_px` | delta > +0.01 px | FAIL: needs algorithm review |
//! | `blur3` | `homography_self_mean_px` | delta > +0.02 px | ESCALATE: a homography regression to look at |
//! | `blur3` | `homography_truth_mean_px` | delta > +0.02 px | ESCALATE |
//! | every gate | `precision`, `recall` | always shown; a drop is noted | NOTE |
//! | every gate | each quantity's frames | differ between runs, or not compared in the image frame | FAIL |
//!
//! "delta > t" is strict and compared with a tolerance of 1e-9, so a delta of exactly `t`
//! passes, even when float rounding makes it a hair larger (`0.31 − 0.30` is
//! 0.010000000000000009). The verdict is FAIL if any flag is FAIL, else ESCALATE if any is
//! ESCALATE, else NO BASELINE without a baseline, else PASS.
//!
//! A value the baseline had and the run lost (no correct detection left, no homography) trips
//! its rule. A gate only one run has, or a skipped gate, is shown with a note and never fails;
//! a quantity measured by one run only is not a frame mismatch.
//!
//! # Peer comparison
//! [`peer`] renders `cargo xtask peer`'s [`peer::PeerRun`] (annulus and ringgrid side by side
//! on identical images: accuracy per gate, time, instructions and memory per perf scenario) as
//! `peer-report.md`, a headline table for the README, `peer.json`, an HTML page and a terminal
//! table.
//!
//! The crate does no I/O, never prints, and generates nothing time-dependent: the same inputs
//! give byte-identical outputs. Its one error type, [`ReportError`], is for building report
//! data from measurements that contradict themselves; rendering never fails.
//!
//! ```
//! use annulus_report::{
//!     GateRun, GateStatus, LabelRun, Provenance, Thresholds, Verdict, compare, markdown,
//! };
//! use annulus_score::GateScore;
//!
//! // An empty gate keeps the example short; `cargo xtask validate` scores real images.
//! let score = GateScore::new("blur3", None, &[])?;
//! let run = |label: &str| LabelRun {
//!     label: label.to_owned(),
//!     provenance: Provenance {
//!         commit: Some("abc1234".to_owned()),
//!         dirty: false,
//!         created_utc: "2025-01-02T03:04:05Z".to_owned(),
//!         machine: "ci".to_owned(),
//!         commands: vec![format!("cargo xtask validate --label {label}")],
//!         n_images: 0,
//!     },
//!     gates: vec![GateRun {
//!         gate: "blur3".to_owned(),
//!         mode: None,
//!         scenario: "blur3".to_owned(),
//!         scenario_hash: "5ca1ab1e".to_owned(),
//!         artifacts: vec!["blur3/summary.json".to_owned()],
//!         status: GateStatus::Scored { score: score.clone() },
//!     }],
//! };
//! let (baseline, after) = (run("main"), run("topic"));
//! let comparison = compare(&after, Some(&baseline), &Thresholds::default());
//! assert_eq!(comparison.verdict, Verdict::Pass);
//! assert!(!comparison.has_fail());
//! let report = markdown(&comparison, &after, Some(&baseline));
//! assert!(report.starts_with("# Accuracy report: topic vs main"));
//! assert!(report.trim_end().ends_with("the change may land as far as accuracy goes."));
//! # Ok::<(), annulus_score::ScoreError>(())
//! ```

mod compare;
mod comparison;
mod document;
mod error;
mod format;
mod frames;
mod html;
mod json;
mod markdown;
mod metrics;
pub mod peer;
mod plots;
mod run;
mod svg;
mod terminal;
pub mod thresholds;

#[cfg(test)]
mod fixtures;

pub use compare::compare;
pub use comparison::{
    CheckOutcome, Comparison, Flag, FlagLevel, FrameRow, GateComparison, GateState, MetricRow,
    ThresholdCheck, Verdict,
};
pub use error::ReportError;
pub use format::count as format_count;
pub use html::html;
pub use json::{RunInfo, SCHEMA_VERSION, Summary, json_summary};
pub use markdown::markdown;
pub use metrics::{
    CENTER_ERROR_MEAN_PX, HOMOGRAPHY_SELF_MEAN_PX, HOMOGRAPHY_TRUTH_MEAN_PX, PRECISION, RECALL,
};
pub use run::{GateRun, GateStatus, LabelRun, Provenance};
pub use terminal::terminal_table;
pub use thresholds::Thresholds;
