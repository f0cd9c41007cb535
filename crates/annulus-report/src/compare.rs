//! Comparing a run with its baseline: metric deltas per gate, the frame table, the threshold
//! checks, the flags and the verdict. The rules are documented in [`crate::thresholds`].

#[cfg(test)]
mod tests;

use crate::comparison::{
    CheckOutcome, Comparison, Flag, FlagLevel, GateComparison, GateState, MetricRow,
    ThresholdCheck, Verdict,
};
use crate::format;
use crate::frames;
use crate::metrics::{
    self, CENTER_ERROR_MEAN_PX, HOMOGRAPHY_SELF_MEAN_PX, HOMOGRAPHY_TRUTH_MEAN_PX, PRECISION,
    RECALL, UNIT_PX, UNIT_RATIO,
};
use crate::run::{GateRun, GateStatus, LabelRun};
use crate::thresholds::Thresholds;

/// Compares `after` with `baseline` gate by gate and applies `thresholds`.
///
/// Gates are matched by key (`gate` or `gate/mode`). A gate only one run has is shown, marked
/// "not in baseline" or "not run", and never flagged beyond a note; a skipped gate shows its
/// reason. Without a baseline, the frame table and the run's own frame check are still made,
/// and the verdict is [`Verdict::NoBaseline`] unless that check fails.
pub fn compare(
    after: &LabelRun,
    baseline: Option<&LabelRun>,
    thresholds: &Thresholds,
) -> Comparison {
    let mut gates = Vec::new();
    let mut frame_rows = Vec::new();
    let mut checks = Vec::new();
    let mut flags = Vec::new();
    for key in gate_keys(after, baseline) {
        let a = after.gate(&key);
        let b = baseline.and_then(|run| run.gate(&key));
        let gate = gate_comparison(&key, a, b, baseline.is_some());
        frame_rows.extend(frames::rows(
            &key,
            a.and_then(GateRun::score),
            b.and_then(GateRun::score),
        ));
        if both_scored(&gate) {
            flags.extend(rate_notes(&gate, thresholds));
        }
        if gate.gate == thresholds.flagged_gate {
            let (gate_checks, gate_flags) = threshold_checks(&gate, baseline.is_some(), thresholds);
            checks.extend(gate_checks);
            flags.extend(gate_flags);
        }
        gates.push(gate);
    }
    if !gates.iter().any(|g| g.gate == thresholds.flagged_gate) {
        flags.push(note(
            &thresholds.flagged_gate,
            "",
            format!(
                "{}: neither run has this gate, so its thresholds were not checked.",
                thresholds.flagged_gate
            ),
        ));
    }
    flags.extend(frames::flags(&frame_rows));
    // A stable sort keeps the gate order within each level.
    flags.sort_by_key(|f| f.level);
    let verdict = verdict(&flags, baseline.is_some());
    Comparison {
        after: after.label.clone(),
        baseline: baseline.map(|run| run.label.clone()),
        gates,
        frames: frame_rows,
        checks,
        flags,
        verdict,
    }
}

/// FAIL over ESCALATE over everything else; then whether there was anything to compare.
fn verdict(flags: &[Flag], has_baseline: bool) -> Verdict {
    if flags.iter().any(|f| f.level == FlagLevel::Fail) {
        Verdict::Fail
    } else if flags.iter().any(|f| f.level == FlagLevel::Escalate) {
        Verdict::Escalate
    } else if !has_baseline {
        Verdict::NoBaseline
    } else {
        Verdict::Pass
    }
}

/// Every gate key, once: the run's in order, then those only the baseline has.
fn gate_keys(after: &LabelRun, baseline: Option<&LabelRun>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let baseline_gates = baseline.map_or(&[][..], |run| &run.gates[..]);
    for gate in after.gates.iter().chain(baseline_gates) {
        let key = gate.key();
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

fn state(gate: Option<&GateRun>) -> GateState {
    match gate.map(|g| &g.status) {
        Some(GateStatus::Scored { .. }) => GateState::Scored,
        Some(GateStatus::Skipped { reason }) => GateState::Skipped { reason: reason.clone() },
        None => GateState::Absent,
    }
}

fn both_scored(gate: &GateComparison) -> bool {
    gate.after_state == GateState::Scored && gate.baseline_state == GateState::Scored
}

/// The rows and notes of gate `key`; at least one of `after` and `baseline` is `Some`.
fn gate_comparison(
    key: &str,
    after: Option<&GateRun>,
    baseline: Option<&GateRun>,
    has_baseline: bool,
) -> GateComparison {
    let (after_state, baseline_state) = (state(after), state(baseline));
    let mut notes = Vec::new();
    if has_baseline && baseline.is_none() {
        notes.push("Not in baseline.".to_owned());
    }
    if after.is_none() {
        notes.push("Not run: the baseline's values are shown alone.".to_owned());
    }
    for (run, state) in [("baseline", &baseline_state), ("run", &after_state)] {
        if let GateState::Skipped { reason } = state {
            notes.push(format!("Skipped in the {run}: {reason}"));
        }
    }
    if let (Some(a), Some(b)) = (after, baseline)
        && a.scenario_hash != b.scenario_hash
    {
        notes.push(format!(
            "The scenario changed (baseline {}, run {}): the deltas compare different images.",
            b.scenario_hash, a.scenario_hash
        ));
    }
    // Every key comes from a gate of one of the runs, so `any` is always `Some`.
    let any = after.or(baseline);
    GateComparison {
        key: key.to_owned(),
        gate: any.map_or_else(String::new, |g| g.gate.clone()),
        mode: any.and_then(|g| g.mode.clone()),
        scenario: any.map_or_else(String::new, |g| g.scenario.clone()),
        baseline_state,
        after_state,
        baseline_scenario_hash: baseline.map(|g| g.scenario_hash.clone()),
        after_scenario_hash: after.map(|g| g.scenario_hash.clone()),
        notes,
        metrics: metric_rows(after.and_then(GateRun::score), baseline.and_then(GateRun::score)),
    }
}

/// One row per metric when either run scored the gate.
fn metric_rows(
    after: Option<&annulus_score::GateScore>,
    baseline: Option<&annulus_score::GateScore>,
) -> Vec<MetricRow> {
    let Some(template) = after.or(baseline) else {
        return Vec::new();
    };
    let a = after.map(metrics::of_gate);
    let b = baseline.map(metrics::of_gate);
    metrics::of_gate(template)
        .into_iter()
        .enumerate()
        .map(|(i, (metric, unit, _))| {
            let pick = |values: &Option<Vec<(&str, &str, Option<f64>)>>| {
                values.as_ref().and_then(|v| v.get(i)).and_then(|(_, _, value)| *value)
            };
            let (baseline, after) = (pick(&b), pick(&a));
            MetricRow {
                metric: metric.to_owned(),
                unit: unit.to_owned(),
                baseline,
                after,
                delta: baseline.zip(after).map(|(b, a)| a - b),
            }
        })
        .collect()
}

/// A note for each rate that fell.
fn rate_notes(gate: &GateComparison, thresholds: &Thresholds) -> Vec<Flag> {
    gate.metrics
        .iter()
        .filter(|row| row.metric == PRECISION || row.metric == RECALL)
        .filter(|row| row.delta.is_some_and(|d| thresholds.dropped(d)))
        .map(|row| Flag {
            level: FlagLevel::Note,
            gate: gate.key.clone(),
            metric: row.metric.clone(),
            baseline: row.baseline,
            after: row.after,
            delta: row.delta,
            threshold: None,
            message: format!(
                "{}: {} fell by {} ({} to {}).",
                gate.key,
                row.metric,
                format::delta(row.delta, UNIT_RATIO),
                format::value(row.baseline, UNIT_RATIO),
                format::value(row.after, UNIT_RATIO),
            ),
        })
        .collect()
}

/// The numeric checks of the flagged gate `gate`, and the flags they raise.
fn threshold_checks(
    gate: &GateComparison,
    has_baseline: bool,
    thresholds: &Thresholds,
) -> (Vec<ThresholdCheck>, Vec<Flag>) {
    let rules = [
        (CENTER_ERROR_MEAN_PX, thresholds.center_mean_fail_px, FlagLevel::Fail),
        (HOMOGRAPHY_SELF_MEAN_PX, thresholds.homography_mean_escalate_px, FlagLevel::Escalate),
        (HOMOGRAPHY_TRUTH_MEAN_PX, thresholds.homography_mean_escalate_px, FlagLevel::Escalate),
    ];
    let mut checks = Vec::new();
    let mut flags = Vec::new();
    let compared = has_baseline && both_scored(gate);
    if has_baseline && !compared {
        flags.push(note(
            &gate.key,
            "",
            format!("{}: not scored in both runs, so its thresholds were not checked.", gate.key),
        ));
    }
    for (metric, threshold, level) in rules {
        let row = gate.metrics.iter().find(|m| m.metric == metric);
        let (baseline, after) = row.map_or((None, None), |r| (r.baseline, r.after));
        let delta = baseline.zip(after).map(|(b, a)| a - b);
        let outcome = match (compared, baseline, after, delta) {
            (false, ..) | (true, None, ..) => CheckOutcome::NotMeasured,
            (true, Some(_), None, _) => CheckOutcome::Tripped,
            (true, Some(_), Some(_), Some(d)) if thresholds.exceeds(d, threshold) => {
                CheckOutcome::Tripped
            }
            (true, ..) => CheckOutcome::Pass,
        };
        let check = ThresholdCheck {
            gate: gate.key.clone(),
            metric: metric.to_owned(),
            rule: format!(
                "delta > {} px is {}",
                format::delta(Some(threshold), UNIT_PX),
                level.as_str()
            ),
            threshold,
            level,
            baseline,
            after,
            delta,
            outcome,
        };
        if outcome == CheckOutcome::Tripped {
            flags.push(tripped_flag(&check));
        } else if compared && baseline.is_none() && after.is_some() {
            flags.push(note(
                &gate.key,
                metric,
                format!("{}: {metric} is new in the run, so it was not checked.", gate.key),
            ));
        }
        checks.push(check);
    }
    (checks, flags)
}

/// The flag of a tripped check.
fn tripped_flag(check: &ThresholdCheck) -> Flag {
    let consequence = match check.level {
        FlagLevel::Fail => "needs algorithm review",
        FlagLevel::Escalate => "a homography regression to look at",
        FlagLevel::Note => "for information",
    };
    let what = match check.delta {
        Some(_) => format!(
            "rose by {} px ({} to {})",
            format::delta(check.delta, UNIT_PX),
            format::value(check.baseline, UNIT_PX),
            format::value(check.after, UNIT_PX),
        ),
        None => format!(
            "was {} in the baseline and is missing from the run",
            format::with_unit(check.baseline, UNIT_PX)
        ),
    };
    Flag {
        level: check.level,
        gate: check.gate.clone(),
        metric: check.metric.clone(),
        baseline: check.baseline,
        after: check.after,
        delta: check.delta,
        threshold: Some(check.threshold),
        message: format!(
            "{}: {} {what}, more than the {} px allowed: {consequence}.",
            check.gate,
            check.metric,
            format::delta(Some(check.threshold), UNIT_PX),
        ),
    }
}

/// A note without numbers.
fn note(gate: &str, metric: &str, message: String) -> Flag {
    Flag {
        level: FlagLevel::Note,
        gate: gate.to_owned(),
        metric: metric.to_owned(),
        baseline: None,
        after: None,
        delta: None,
        threshold: None,
        message,
    }
}
