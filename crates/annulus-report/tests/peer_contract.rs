//! The peer report's contract with `cargo xtask peer`, through the public API only: a run built
//! from `annulus-score` gate scores and raw per-round timings renders every output, and
//! `peer.json` reads back into the same run.

// Helpers outside `#[test]` functions build fixtures that cannot fail.
#![allow(clippy::expect_used)]

use annulus::ImageFrame;
use annulus_report::ReportError;
use annulus_report::peer::{
    Allocations, DetectorStatus, PEER_SCHEMA_VERSION, PeerDetectorScore, PeerGate, PeerMachine,
    PeerPerf, PeerProvenance, PeerRun, PeerTiming, peer_headline_markdown, peer_html, peer_json,
    peer_markdown, peer_terminal_table,
};
use annulus_score::{
    Counts, FrameMap, GateScore, ImageScore, MarkerMatch, Quantity, QuantityFrames,
};

/// An image with one visible marker, found with a centre error of `error_px` or missed.
fn image(error_px: Option<f64>) -> ImageScore {
    let found = usize::from(error_px.is_some());
    ImageScore {
        counts: Counts {
            n_visible: 1,
            n_detected: found,
            n_identified: found,
            n_correct: found,
            n_correct_visible: found,
            n_missed: 1 - found,
            ..Counts::default()
        },
        detections: Vec::new(),
        matches: error_px
            .map(|e| MarkerMatch {
                id: 0,
                visible: true,
                detected_img_px: [e, 0.0],
                truth_img_px: [0.0, 0.0],
            })
            .into_iter()
            .collect(),
        missed: if found == 1 { Vec::new() } else { vec![0] },
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

fn scored(error_px: Option<f64>) -> PeerDetectorScore {
    let score = GateScore::new("blur3", None, &[(0, image(error_px))]).expect("valid");
    PeerDetectorScore::from_gate_score(&score)
}

fn run() -> PeerRun {
    let provenance = PeerProvenance {
        created_utc: "2026-11-24T10:00:00Z".to_owned(),
        commit: None,
        dirty: true,
        machine: PeerMachine {
            cpu: "ci".to_owned(),
            logical_cores: 2,
            memory_kib: None,
            os: "linux x86_64".to_owned(),
        },
        ringgrid_version: "0.13.2".to_owned(),
        peer_board: "ringgrid's default board".to_owned(),
        own_board: "annulus's built-in board".to_owned(),
        commands: vec!["cargo xtask peer".to_owned()],
        artifacts: vec!["target/perf/peer/peer.json".to_owned()],
        notes: Vec::new(),
    };
    let gate = PeerGate {
        gate: "blur3".to_owned(),
        mode: None,
        scenario: "blur3".to_owned(),
        scenario_hash: "5ca1ab1e".to_owned(),
        n_images: 1,
        diameter_hint_px: Some(40.0),
        annulus: scored(Some(0.03)),
        annulus_auto: scored(Some(0.04)),
        ringgrid: scored(None),
    };
    let warm = Allocations { count: 0, bytes: 0 };
    let timing = |ms: [u64; 6]| PeerTiming {
        alloc_warm: Some(warm),
        ..PeerTiming::from_samples_ns(ms.iter().map(|m| m * 1_000_000).collect())
    };
    let perf = PeerPerf::new(
        "perf_1280x1024",
        [1280, 1024],
        Some(40.0),
        timing([200, 210, 190, 204, 194, 220]),
        timing([240, 250, 230, 245, 235, 260]),
        timing([100, 105, 95, 102, 97, 110]),
    )
    .expect("paired rounds");
    PeerRun::new(provenance, vec![gate], Vec::new(), vec![perf])
}

#[test]
fn a_run_built_from_scores_and_timings_renders_everywhere() {
    let run = run();
    assert_eq!(run.schema_version, PEER_SCHEMA_VERSION);
    assert_eq!(run.gates[0].ringgrid.status, DetectorStatus::FoundNothing);
    let ratio = run.perf[0].time_ratio.ringgrid_over_annulus.expect("a ratio");
    assert_eq!(ratio.median, 0.5, "ringgrid takes half of annulus's time in every round");
    assert_eq!(ratio.ci95, Some([0.5, 0.5]));
    let md = peer_markdown(&run);
    assert!(md.starts_with("# annulus vs ringgrid 0.13.2\n"));
    assert!(md.contains("- `ringgrid` found nothing on `blur3`."), "{md}");
    let headline = peer_headline_markdown(&run);
    assert!(
        headline.contains("| `blur3` centre error mean (px) | 0.0300 | 0.0400 | found nothing |")
    );
    assert!(headline.contains("| 200.00 ms [190.00, 220.00] |"), "{headline}");
    assert!(peer_html(&run).contains("<svg"));
    assert!(peer_terminal_table(&run).contains("an unknown commit"));
}

#[test]
fn peer_json_reads_back_into_the_same_run() {
    let original = run();
    let back: PeerRun = serde_json::from_str(&peer_json(&original)).expect("readable");
    assert_eq!(back, original);
}

#[test]
fn timings_that_do_not_pair_up_are_refused() {
    let result = PeerPerf::new(
        "perf_1280x1024",
        [1280, 1024],
        None,
        PeerTiming::from_samples_ns(vec![1, 2, 3]),
        PeerTiming::from_samples_ns(vec![1, 2, 3]),
        PeerTiming::from_samples_ns(vec![1, 2]),
    );
    assert_eq!(result, Err(ReportError::UnpairedRounds { n_numerator: 2, n_denominator: 3 }));
}
