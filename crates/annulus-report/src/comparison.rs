//! The result of comparing two runs: per-gate metric rows, the frame table, threshold checks,
//! flags and the verdict. Plain data with serde; every renderer reads only this and the runs.

use annulus_score::{Quantity, QuantityFrames};
use serde::{Deserialize, Serialize};

/// A run compared with its baseline, gate by gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The label of the run under test.
    pub after: String,
    /// The label of the baseline, when there is one.
    pub baseline: Option<String>,
    /// Every gate of either run: the run's gates in order, then those only the baseline has.
    pub gates: Vec<GateComparison>,
    /// The frames of every quantity of every gate, in gate order then quantity order.
    pub frames: Vec<FrameRow>,
    /// The numeric threshold checks on the flagged gate, tripped or not.
    pub checks: Vec<ThresholdCheck>,
    /// Everything worth a reader's attention, most severe first.
    pub flags: Vec<Flag>,
    /// The outcome.
    pub verdict: Verdict,
}

/// One gate in both runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateComparison {
    /// `gate` or `gate/mode`.
    pub key: String,
    /// The gate's name.
    pub gate: String,
    /// The mode within the gate, if any.
    pub mode: Option<String>,
    /// The scenario's name (the run's, or the baseline's when the run lacks the gate).
    pub scenario: String,
    /// How the gate ended in the baseline.
    pub baseline_state: GateState,
    /// How the gate ended in the run.
    pub after_state: GateState,
    /// The baseline's scenario digest, when the baseline has the gate.
    pub baseline_scenario_hash: Option<String>,
    /// The run's scenario digest, when the run has the gate.
    pub after_scenario_hash: Option<String>,
    /// Sentences about the gate's status: skipped, "not in baseline", "not run", a changed
    /// scenario.
    pub notes: Vec<String>,
    /// One row per metric, in a fixed order; empty when neither run scored the gate.
    pub metrics: Vec<MetricRow>,
}

/// How a gate ended in one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum GateState {
    /// Scored.
    Scored,
    /// Skipped deliberately.
    Skipped {
        /// Why.
        reason: String,
    },
    /// The run has no such gate (or there is no baseline).
    Absent,
}

/// One metric of one gate: both values and their difference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricRow {
    /// Stable `snake_case` name, e.g. `center_error_mean_px`.
    pub metric: String,
    /// `px`, `ratio`, `markers` or `images`.
    pub unit: String,
    /// The baseline's value; `None` when absent.
    pub baseline: Option<f64>,
    /// The run's value; `None` when absent.
    pub after: Option<f64>,
    /// `after − baseline`, when both exist.
    pub delta: Option<f64>,
}

/// The frames of one quantity of one gate in both runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FrameRow {
    /// The gate's key.
    pub gate: String,
    /// The quantity.
    pub quantity: Quantity,
    /// Its frames in the baseline, when measured there.
    pub baseline: Option<QuantityFrames>,
    /// Its frames in the run, when measured there.
    pub after: Option<QuantityFrames>,
    /// Both runs measured the quantity and their frames differ.
    pub mismatch: bool,
    /// A run compared the quantity in a frame other than the image frame.
    pub outside_image_frame: bool,
}

/// One numeric threshold applied to one gate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdCheck {
    /// The gate's key.
    pub gate: String,
    /// The metric checked.
    pub metric: String,
    /// The rule in words, e.g. `delta > +0.0100 px`.
    pub rule: String,
    /// The largest delta that passes, in the metric's unit.
    pub threshold: f64,
    /// The level of the flag raised when the rule trips.
    pub level: FlagLevel,
    /// The baseline's value.
    pub baseline: Option<f64>,
    /// The run's value.
    pub after: Option<f64>,
    /// `after − baseline`.
    pub delta: Option<f64>,
    /// How the check ended.
    pub outcome: CheckOutcome,
}

/// How a threshold check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckOutcome {
    /// Within the threshold.
    Pass,
    /// The rule tripped and raised a flag of the check's level.
    Tripped,
    /// Nothing to compare: no baseline, the gate missing or skipped in a run, or no value in
    /// either run.
    NotMeasured,
}

/// Something a reader should look at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    /// How serious it is.
    pub level: FlagLevel,
    /// The gate's key.
    pub gate: String,
    /// The metric, or `<quantity>_frames` for a frame flag.
    pub metric: String,
    /// The baseline's value, if numeric.
    pub baseline: Option<f64>,
    /// The run's value, if numeric.
    pub after: Option<f64>,
    /// `after − baseline`, if numeric.
    pub delta: Option<f64>,
    /// The threshold that tripped, if numeric.
    pub threshold: Option<f64>,
    /// One sentence saying what happened.
    pub message: String,
}

/// How serious a flag is; ordered from most to least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagLevel {
    /// The change needs an algorithm review before it lands.
    Fail,
    /// A homography regression someone should look at.
    Escalate,
    /// For information.
    Note,
}

/// The outcome of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A baseline was compared and nothing tripped.
    Pass,
    /// No FAIL, but at least one ESCALATE.
    Escalate,
    /// At least one FAIL.
    Fail,
    /// No baseline to compare with, and the run's own checks passed.
    NoBaseline,
}

impl Comparison {
    /// Whether any flag is a FAIL.
    pub fn has_fail(&self) -> bool {
        self.flags.iter().any(|f| f.level == FlagLevel::Fail)
    }

    /// The gate with key `key`.
    pub fn gate(&self, key: &str) -> Option<&GateComparison> {
        self.gates.iter().find(|g| g.key == key)
    }

    /// The row of `metric` in gate `key`, e.g. `("blur3", "center_error_mean_px")`.
    pub fn metric(&self, key: &str, metric: &str) -> Option<&MetricRow> {
        self.gate(key)?.metrics.iter().find(|m| m.metric == metric)
    }
}

impl FlagLevel {
    /// `FAIL`, `ESCALATE` or `NOTE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fail => "FAIL",
            Self::Escalate => "ESCALATE",
            Self::Note => "NOTE",
        }
    }
}

impl Verdict {
    /// `PASS`, `ESCALATE`, `FAIL` or `NO BASELINE`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Escalate => "ESCALATE",
            Self::Fail => "FAIL",
            Self::NoBaseline => "NO BASELINE",
        }
    }

    /// What the verdict asks of the reader, in one sentence.
    pub fn meaning(self) -> &'static str {
        match self {
            Self::Pass => "no threshold tripped: the change may land as far as accuracy goes.",
            Self::Escalate => {
                "a homography regression to look at: someone should review it before it lands."
            }
            Self::Fail => "needs algorithm review: the change must not land as it is.",
            Self::NoBaseline => {
                "nothing to compare with: the run's own checks passed, and it can serve as a \
                 baseline."
            }
        }
    }
}

impl CheckOutcome {
    /// `pass`, `tripped` or `not measured`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Tripped => "tripped",
            Self::NotMeasured => "not measured",
        }
    }
}
