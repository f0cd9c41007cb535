//! Tests of the comparison: deltas, each threshold below, at and above its boundary, frame
//! checks, gates in one run only, skipped gates, and the order of verdicts.

use annulus::ImageFrame;
use annulus_score::{FrameMap, Quantity};

use super::*;
use crate::comparison::CheckOutcome;
use crate::fixtures::{Homography, image, means, run, scored, skipped};
use crate::run::{GateRun, GateStatus};

fn blur3(center_px: f64, self_px: f64, truth_px: f64) -> LabelRun {
    run("x", vec![means("blur3", center_px, self_px, truth_px)])
}

/// The comparison of a baseline and a run of one `blur3` gate with the given means.
fn pair(before: (f64, f64, f64), after: (f64, f64, f64)) -> Comparison {
    let baseline = blur3(before.0, before.1, before.2);
    let mut run = blur3(after.0, after.1, after.2);
    run.label = "after".to_owned();
    compare(&run, Some(&baseline), &Thresholds::default())
}

fn levels(c: &Comparison) -> Vec<(FlagLevel, String)> {
    c.flags.iter().map(|f| (f.level, f.metric.clone())).collect()
}

fn check(c: &Comparison, metric: &str) -> CheckOutcome {
    c.checks.iter().find(|k| k.metric == metric).map(|k| k.outcome).expect("checked")
}

#[test]
fn every_metric_has_baseline_after_and_delta() {
    let c = pair((0.10, 0.20, 0.30), (0.105, 0.19, 0.30));
    let row = c.metric("blur3", CENTER_ERROR_MEAN_PX).expect("a row");
    assert_eq!((row.baseline, row.after, row.unit.as_str()), (Some(0.10), Some(0.105), "px"));
    assert_eq!(row.delta, Some(0.105 - 0.10));
    let names: Vec<&str> = c.gates[0].metrics.iter().map(|m| m.metric.as_str()).collect();
    assert_eq!(
        names,
        [
            "n_images",
            "precision",
            "recall",
            "decode_rate",
            "wrong_ids",
            "duplicates",
            "unidentified",
            "missed",
            "center_error_mean_px",
            "center_error_p50_px",
            "center_error_p95_px",
            "center_error_max_px",
            "homography_self_mean_px",
            "homography_self_p95_px",
            "homography_truth_mean_px",
            "homography_truth_p95_px",
            "images_without_homography",
        ]
    );
    let precision = c.metric("blur3", PRECISION).expect("precision is always a row");
    assert_eq!(
        (precision.baseline, precision.after, precision.delta),
        (Some(1.0), Some(1.0), Some(0.0))
    );
    assert_eq!(c.verdict, Verdict::Pass);
    assert!(c.flags.is_empty(), "{:?}", c.flags);
}

#[test]
fn center_mean_fails_only_above_the_boundary() {
    let t = Thresholds::default();
    assert_eq!(t.center_mean_fail_px, 0.01);
    let below = pair((0.10, 0.2, 0.2), (0.1099, 0.2, 0.2));
    assert_eq!(check(&below, CENTER_ERROR_MEAN_PX), CheckOutcome::Pass);
    // 0.31 − 0.30 is 0.010000000000000009 in doubles: the boundary up to rounding, which
    // passes; 0.11 − 0.10 rounds the other way.
    assert!(difference(0.30, 0.31) > 0.01 && difference(0.10, 0.11) < 0.01);
    let at = pair((0.30, 0.2, 0.2), (0.31, 0.2, 0.2));
    assert_eq!(check(&at, CENTER_ERROR_MEAN_PX), CheckOutcome::Pass);
    assert_eq!(at.verdict, Verdict::Pass);
    for (b, a) in [(0.10, 0.11), (0.25, 0.26), (1.0, 1.01), (0.0, 0.01)] {
        assert_eq!(pair((b, 0.2, 0.2), (a, 0.2, 0.2)).verdict, Verdict::Pass, "{b} to {a}");
    }
    let above = pair((0.10, 0.2, 0.2), (0.1101, 0.2, 0.2));
    assert_eq!(check(&above, CENTER_ERROR_MEAN_PX), CheckOutcome::Tripped);
    assert_eq!(levels(&above), [(FlagLevel::Fail, CENTER_ERROR_MEAN_PX.to_owned())]);
    assert_eq!(above.verdict, Verdict::Fail);
    assert!(above.has_fail());
    let flag = &above.flags[0];
    assert_eq!((flag.gate.as_str(), flag.threshold), ("blur3", Some(0.01)));
    assert_eq!(
        flag.message,
        "blur3: center_error_mean_px rose by +0.0101 px (0.1000 to 0.1101), more than the \
         +0.0100 px allowed: needs algorithm review."
    );
}

#[test]
fn an_improvement_never_flags() {
    let c = pair((0.30, 0.5, 0.5), (0.10, 0.1, 0.1));
    assert_eq!(c.verdict, Verdict::Pass);
    assert!(c.flags.is_empty());
}

#[test]
fn homography_self_escalates_only_above_the_boundary() {
    assert_eq!(Thresholds::default().homography_mean_escalate_px, 0.02);
    let at = pair((0.1, 0.30, 0.2), (0.1, 0.32, 0.2));
    assert_eq!(check(&at, HOMOGRAPHY_SELF_MEAN_PX), CheckOutcome::Pass);
    assert_eq!(at.verdict, Verdict::Pass);
    assert!(difference(0.30, 0.32) > 0.02, "the boundary up to rounding");
    let at_round = pair((0.1, 0.10, 0.2), (0.1, 0.12, 0.2));
    assert_eq!(at_round.verdict, Verdict::Pass);
    let above = pair((0.1, 0.30, 0.2), (0.1, 0.3201, 0.2));
    assert_eq!(check(&above, HOMOGRAPHY_SELF_MEAN_PX), CheckOutcome::Tripped);
    assert_eq!(levels(&above), [(FlagLevel::Escalate, HOMOGRAPHY_SELF_MEAN_PX.to_owned())]);
    assert_eq!(above.verdict, Verdict::Escalate);
    assert!(!above.has_fail());
}

#[test]
fn homography_truth_escalates_only_above_the_boundary() {
    let at = pair((0.1, 0.2, 0.30), (0.1, 0.2, 0.32));
    assert_eq!(check(&at, HOMOGRAPHY_TRUTH_MEAN_PX), CheckOutcome::Pass);
    let at_round = pair((0.1, 0.2, 0.10), (0.1, 0.2, 0.12));
    assert_eq!(at_round.verdict, Verdict::Pass);
    let above = pair((0.1, 0.2, 0.30), (0.1, 0.2, 0.3201));
    assert_eq!(levels(&above), [(FlagLevel::Escalate, HOMOGRAPHY_TRUTH_MEAN_PX.to_owned())]);
    assert_eq!(above.verdict, Verdict::Escalate);
}

#[test]
fn fail_outranks_escalate_and_flags_are_sorted_by_level() {
    let c = pair((0.10, 0.30, 0.30), (0.20, 0.40, 0.40));
    let order: Vec<FlagLevel> = c.flags.iter().map(|f| f.level).collect();
    assert_eq!(order, [FlagLevel::Fail, FlagLevel::Escalate, FlagLevel::Escalate]);
    assert_eq!(c.verdict, Verdict::Fail);
}

#[test]
fn only_the_flagged_gate_has_thresholds() {
    let baseline = run("b", vec![means("reference", 0.1, 0.1, 0.1)]);
    let after = run("a", vec![means("reference", 0.5, 0.5, 0.5)]);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    assert!(c.checks.is_empty());
    assert_eq!(levels(&c), [(FlagLevel::Note, String::new())], "blur3 is in neither run");
    assert_eq!(c.verdict, Verdict::Pass);
}

#[test]
fn a_lost_measurement_trips_its_rule() {
    let baseline = blur3(0.1, 0.2, 0.2);
    let after = run("a", vec![scored("blur3", None, vec![image(&[0.1], 1, 0, None)])]);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    assert_eq!(check(&c, HOMOGRAPHY_SELF_MEAN_PX), CheckOutcome::Tripped);
    assert_eq!(c.verdict, Verdict::Escalate);
    let flag = &c.flags[0];
    assert_eq!(flag.after, None);
    assert!(
        flag.message.contains("was 0.2000 px in the baseline and is missing"),
        "{}",
        flag.message
    );
    assert!(c.frames.iter().all(|r| !r.mismatch), "a quantity one run lacks is not a mismatch");
}

#[test]
fn rates_are_always_rows_and_a_drop_is_a_note() {
    let baseline = run("b", vec![scored("blur3", None, vec![image(&[0.1, 0.1], 2, 0, None)])]);
    let after = run("a", vec![scored("blur3", None, vec![image(&[0.1], 2, 1, None)])]);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let recall = c.metric("blur3", RECALL).expect("row");
    assert_eq!((recall.baseline, recall.after, recall.delta), (Some(1.0), Some(0.5), Some(-0.5)));
    assert_eq!(
        levels(&c),
        [(FlagLevel::Note, PRECISION.to_owned()), (FlagLevel::Note, RECALL.to_owned())]
    );
    assert_eq!(c.flags[1].message, "blur3: recall fell by -0.5000 (1.0000 to 0.5000).");
    assert_eq!(c.verdict, Verdict::Pass);
}

#[test]
fn a_frame_mismatch_between_runs_fails() {
    let h = |frame| Homography { self_px: &[0.1], truth_px: &[0.1], frame };
    let gate = |frame| scored("blur3", None, vec![image(&[0.1], 1, 0, Some(h(frame)))]);
    let baseline = run("b", vec![gate(ImageFrame::Image)]);
    let after = run("a", vec![gate(ImageFrame::Undistorted)]);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let rows: Vec<(Quantity, bool)> = c.frames.iter().map(|r| (r.quantity, r.mismatch)).collect();
    assert_eq!(
        rows,
        [
            (Quantity::CenterError, false),
            (Quantity::HomographySelf, true),
            (Quantity::HomographyTruth, true)
        ]
    );
    assert_eq!(
        levels(&c),
        [
            (FlagLevel::Fail, "homography_self_frames".to_owned()),
            (FlagLevel::Fail, "homography_truth_frames".to_owned())
        ]
    );
    assert_eq!(
        c.flags[0].message,
        "blur3: the frames of homography_self changed: baseline detected image, reference \
         image, compared in image, map identity; run detected undistorted, reference image, \
         compared in image, map lens_model. The errors are not comparable."
    );
    assert_eq!(c.verdict, Verdict::Fail);
}

/// `run` with its first gate's centre error compared in the undistorted frame.
fn compared_undistorted(mut run: LabelRun) -> LabelRun {
    if let GateStatus::Scored { score } = &mut run.gates[0].status {
        score.aggregate.frames[0].compared_in = ImageFrame::Undistorted;
    }
    run
}

#[test]
fn own_run_frames_are_checked_without_a_baseline() {
    let clean = compare(&blur3(0.1, 0.1, 0.1), None, &Thresholds::default());
    assert_eq!(clean.verdict, Verdict::NoBaseline);
    assert_eq!(clean.frames.len(), 3, "the frame table is there without a baseline");
    assert!(clean.frames.iter().all(|r| r.baseline.is_none() && r.after.is_some()));
    assert!(clean.checks.iter().all(|k| k.outcome == CheckOutcome::NotMeasured));
    assert!(clean.flags.is_empty());

    let bad = compare(&compared_undistorted(blur3(0.1, 0.1, 0.1)), None, &Thresholds::default());
    assert!(bad.frames[0].outside_image_frame);
    assert_eq!(levels(&bad), [(FlagLevel::Fail, "center_error_frames".to_owned())]);
    assert!(
        bad.flags[0].message.contains("the run compared center_error in the undistorted frame")
    );
    assert_eq!(bad.verdict, Verdict::Fail, "a FAIL outranks having no baseline");
}

#[test]
fn the_baselines_own_frames_are_checked_too() {
    let baseline = compared_undistorted(blur3(0.1, 0.1, 0.1));
    let c = compare(&blur3(0.1, 0.1, 0.1), Some(&baseline), &Thresholds::default());
    let row = &c.frames[0];
    assert!(row.mismatch && row.outside_image_frame);
    assert_eq!(row.after.map(|f| f.map), Some(FrameMap::Identity));
    assert_eq!(c.flags.len(), 2, "the change and the baseline's frame: {:?}", c.flags);
    assert!(c.flags[1].message.contains("the baseline compared center_error"));
    assert_eq!(c.verdict, Verdict::Fail);
}

#[test]
fn gates_in_one_run_are_shown_and_not_failed() {
    let baseline = run("b", vec![means("blur3", 0.1, 0.1, 0.1), means("reference", 0.1, 0.1, 0.1)]);
    let after = run("a", vec![means("distortion", 0.9, 0.9, 0.9), means("blur3", 0.1, 0.1, 0.1)]);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let keys: Vec<&str> = c.gates.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(keys, ["distortion", "blur3", "reference"], "the run's order, then the baseline's");
    let new = c.gate("distortion").expect("shown");
    assert_eq!(new.notes, ["Not in baseline."]);
    assert_eq!(
        (new.baseline_state.clone(), new.after_state.clone()),
        (GateState::Absent, GateState::Scored)
    );
    assert!(new.metrics.iter().all(|m| m.baseline.is_none() && m.delta.is_none()));
    let gone = c.gate("reference").expect("shown");
    assert_eq!(gone.notes, ["Not run: the baseline's values are shown alone."]);
    assert!(gone.metrics.iter().any(|m| m.baseline.is_some() && m.after.is_none()));
    assert_eq!(c.verdict, Verdict::Pass);
    assert!(c.flags.is_empty(), "{:?}", c.flags);
}

#[test]
fn skipped_gates_show_their_reason() {
    let reason = "the detector does not estimate distortion yet";
    let baseline =
        run("b", vec![blur3_gate(), skipped("distortion", Some("self_estimated"), reason)]);
    let after = run("a", vec![blur3_gate(), skipped("distortion", Some("self_estimated"), reason)]);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let gate = c.gate("distortion/self_estimated").expect("shown");
    assert_eq!(gate.mode.as_deref(), Some("self_estimated"));
    assert_eq!(gate.after_state, GateState::Skipped { reason: reason.to_owned() });
    assert_eq!(
        gate.notes,
        [format!("Skipped in the baseline: {reason}"), format!("Skipped in the run: {reason}")]
    );
    assert!(gate.metrics.is_empty());
    assert!(c.frames.iter().all(|r| r.gate == "blur3"));
    assert_eq!(c.verdict, Verdict::Pass);
}

fn blur3_gate() -> GateRun {
    means("blur3", 0.1, 0.1, 0.1)
}

#[test]
fn a_skipped_flagged_gate_is_noted_not_checked() {
    let baseline = run("b", vec![blur3_gate()]);
    let after = run("a", vec![skipped("blur3", None, "interrupted")]);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    assert!(c.checks.iter().all(|k| k.outcome == CheckOutcome::NotMeasured));
    assert_eq!(levels(&c), [(FlagLevel::Note, String::new())]);
    assert_eq!(c.verdict, Verdict::Pass);
}

#[test]
fn a_changed_scenario_is_noted() {
    let baseline = run("b", vec![blur3_gate()]);
    let mut after = run("a", vec![blur3_gate()]);
    after.gates[0].scenario_hash = "0ddba11".to_owned();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    assert_eq!(
        c.gates[0].notes,
        ["The scenario changed (baseline 5ca1ab1e, run 0ddba11): the deltas compare different \
          images."]
    );
}

#[test]
fn custom_thresholds_apply() {
    let thresholds = Thresholds { flagged_gate: "reference".to_owned(), ..Thresholds::default() };
    let baseline = run("b", vec![means("reference", 0.1, 0.1, 0.1)]);
    let after = run("a", vec![means("reference", 0.2, 0.1, 0.1)]);
    let c = compare(&after, Some(&baseline), &thresholds);
    assert_eq!(c.verdict, Verdict::Fail);
}

/// `after − before`, computed at run time as the comparison computes it.
fn difference(before: f64, after: f64) -> f64 {
    std::hint::black_box(after) - before
}

#[test]
fn homography_rises_below_the_boundary_pass() {
    let below = pair((0.1, 0.30, 0.30), (0.1, 0.3199, 0.3199));
    assert_eq!(check(&below, HOMOGRAPHY_SELF_MEAN_PX), CheckOutcome::Pass);
    assert_eq!(check(&below, HOMOGRAPHY_TRUTH_MEAN_PX), CheckOutcome::Pass);
    assert_eq!(below.verdict, Verdict::Pass);
}

#[test]
fn the_tolerance_absorbs_rounding_only() {
    let t = Thresholds::default();
    assert!(!t.exceeds(0.01 + 1e-12, 0.01));
    assert!(t.exceeds(0.01 + 1e-6, 0.01));
    assert!(!t.dropped(-1e-12));
    assert!(t.dropped(-1e-6));
}

#[test]
fn a_value_new_in_the_run_is_noted_not_checked() {
    let baseline = run("b", vec![scored("blur3", None, vec![image(&[0.1], 1, 0, None)])]);
    let after = blur3(0.1, 0.2, 0.2);
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    assert_eq!(check(&c, HOMOGRAPHY_SELF_MEAN_PX), CheckOutcome::NotMeasured);
    assert_eq!(
        levels(&c),
        [
            (FlagLevel::Note, HOMOGRAPHY_SELF_MEAN_PX.to_owned()),
            (FlagLevel::Note, HOMOGRAPHY_TRUTH_MEAN_PX.to_owned())
        ]
    );
    assert_eq!(c.verdict, Verdict::Pass);
}
