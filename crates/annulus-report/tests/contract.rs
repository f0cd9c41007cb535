//! The crate's contract with its callers, through the public API only: the JSON shape of a
//! recorded run (`cargo xtask validate` writes it and reads a baseline back), and the fields of
//! `summary.json` that `cargo xtask finalize` reads.

// Helpers outside `#[test]` functions build fixtures that cannot fail.
#![allow(clippy::expect_used)]

use annulus::ImageFrame;
use annulus_report::{
    CENTER_ERROR_MEAN_PX, FlagLevel, GateRun, GateStatus, LabelRun, Provenance, Summary,
    Thresholds, Verdict, compare, html, json_summary, markdown, terminal_table,
};
use annulus_score::{
    Counts, FrameMap, GateScore, ImageScore, MarkerMatch, Quantity, QuantityFrames,
};

/// An image with one correct detection whose centre is off by `error_px`.
fn image(error_px: f64) -> ImageScore {
    ImageScore {
        counts: Counts {
            n_visible: 1,
            n_detected: 1,
            n_identified: 1,
            n_correct: 1,
            n_correct_visible: 1,
            ..Counts::default()
        },
        detections: Vec::new(),
        matches: vec![MarkerMatch {
            id: 3,
            visible: true,
            detected_img_px: [error_px, 0.0],
            truth_img_px: [0.0, 0.0],
        }],
        missed: Vec::new(),
        homography: None,
        frames: vec![QuantityFrames {
            quantity: Quantity::CenterError,
            detected: ImageFrame::Image,
            reference: ImageFrame::Image,
            compared_in: ImageFrame::Image,
            map: FrameMap::Identity,
        }],
    }
}

fn run(label: &str, error_px: f64) -> LabelRun {
    let score = GateScore::new("blur3", None, &[(0, image(error_px))]).expect("valid");
    LabelRun {
        label: label.to_owned(),
        provenance: Provenance {
            commit: None,
            dirty: true,
            created_utc: "2025-01-02T03:04:05Z".to_owned(),
            machine: "ci".to_owned(),
            commands: vec!["cargo xtask validate".to_owned()],
            n_images: 1,
        },
        gates: vec![
            GateRun {
                gate: "blur3".to_owned(),
                mode: None,
                scenario: "blur3".to_owned(),
                scenario_hash: "5ca1ab1e".to_owned(),
                artifacts: vec!["blur3/summary.json".to_owned()],
                status: GateStatus::Scored { score },
            },
            GateRun {
                gate: "distortion".to_owned(),
                mode: Some("self_estimated".to_owned()),
                scenario: "distortion".to_owned(),
                scenario_hash: "0ddba11".to_owned(),
                artifacts: Vec::new(),
                status: GateStatus::Skipped { reason: "not implemented".to_owned() },
            },
        ],
    }
}

#[test]
fn a_recorded_run_reads_back_unchanged() {
    let original = run("main", 0.05);
    let json = serde_json::to_string_pretty(&original).expect("serialisable");
    let back: LabelRun = serde_json::from_str(&json).expect("readable");
    assert_eq!(back, original);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(value["gates"][0]["status"]["status"], "scored");
    assert_eq!(value["gates"][1]["status"]["status"], "skipped");
    assert_eq!(value["gates"][1]["status"]["reason"], "not implemented");
    assert_eq!(original.gates[1].key(), "distortion/self_estimated");
}

#[test]
fn finalize_finds_the_verdict_flags_and_blur3_mean_in_the_summary() {
    let (baseline, after) = (run("main", 0.05), run("topic", 0.07));
    let comparison = compare(&after, Some(&baseline), &Thresholds::default());
    assert_eq!(comparison.verdict, Verdict::Fail);
    assert!(comparison.has_fail());
    let summary: Summary =
        serde_json::from_str(&json_summary(&comparison, &after, Some(&baseline)))
            .expect("the summary reads back");
    assert_eq!(summary.comparison.verdict, Verdict::Fail);
    assert_eq!(summary.comparison.flags[0].level, FlagLevel::Fail);
    let mean = summary.comparison.metric("blur3", CENTER_ERROR_MEAN_PX).expect("a row");
    assert_eq!((mean.baseline, mean.after), (Some(0.05), Some(0.07)));
    assert_eq!(summary.baseline.map(|b| b.label).as_deref(), Some("main"));
}

#[test]
fn every_output_renders_a_run_without_a_baseline() {
    let after = run("first", 0.05);
    let comparison = compare(&after, None, &Thresholds::default());
    assert_eq!(comparison.verdict, Verdict::NoBaseline);
    assert!(markdown(&comparison, &after, None).contains("**NO BASELINE**"));
    assert!(html(&comparison, &after, None).contains("<svg"));
    assert!(json_summary(&comparison, &after, None).contains("\"verdict\": \"no_baseline\""));
    assert!(terminal_table(&comparison).contains("verdict: NO BASELINE"));
}
