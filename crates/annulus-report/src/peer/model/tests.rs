//! Tests of the model's constructors: statuses from a gate score, the downsampled distribution,
//! the machine line, and ratios built from timings.

use annulus::ImageFrame;
use annulus_score::GateScore;

use super::*;
use crate::fixtures::{Homography, image};

#[test]
fn a_score_keeps_the_scorers_numbers_and_status() {
    let h = Homography { self_px: &[0.02], truth_px: &[0.03], frame: ImageFrame::Image };
    let score =
        GateScore::new("blur3", None, &[(0, image(&[0.1, 0.3], 3, 1, Some(h)))]).expect("valid");
    let peer = PeerDetectorScore::from_gate_score(&score);
    assert_eq!(peer.status, DetectorStatus::Ran);
    let m = peer.metrics.expect("metrics");
    assert_eq!((m.counts.n_missed, m.counts.n_visible, m.counts.n_wrong_id), (1, 3, 1));
    assert_eq!(m.recall, Some(2.0 / 3.0));
    assert_eq!(m.precision, Some(2.0 / 3.0));
    assert_eq!(m.center_error_px, score.aggregate.center_error_px);
    assert_eq!(peer.center_error_cdf_px, [0.1, 0.3]);
    assert_eq!(peer.images, score.images);

    let nothing = GateScore::new("blur3", None, &[(0, image(&[], 3, 0, None))]).expect("valid");
    let peer = PeerDetectorScore::from_gate_score(&nothing);
    assert_eq!(peer.status, DetectorStatus::FoundNothing);
    let m = peer.metrics.expect("the misses are still counted");
    assert_eq!((m.recall, m.counts.n_missed, m.center_error_px), (Some(0.0), 3, None));
}

#[test]
fn the_distribution_keeps_every_error_up_to_the_cap_then_percentiles() {
    let few: Vec<f64> = (1..=MAX_CDF_POINTS).map(|i| i as f64).collect();
    assert_eq!(cdf_points(&few), few);
    let many: Vec<f64> = (1..=1000).map(f64::from).collect();
    let points = cdf_points(&many);
    assert_eq!(points.len(), MAX_CDF_POINTS);
    assert_eq!((points[0], points[MAX_CDF_POINTS - 1]), (5.0, 1000.0), "0.5 % and 100 %");
    for (k, p) in (1..).zip(&points) {
        let expected = annulus_score::percentile(&many, 100.0 * f64::from(k) / 200.0);
        assert_eq!(Some(*p), expected, "k = {k}");
    }
    let odd: Vec<f64> = (1..=333).map(f64::from).collect();
    let points = cdf_points(&odd);
    assert_eq!(points[0], 2.0, "rank ⌈333/200⌉ = 2");
    assert!(points.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn the_machine_reads_as_one_line() {
    let mut machine = PeerMachine {
        cpu: "Test CPU".to_owned(),
        logical_cores: 1,
        memory_kib: None,
        os: "linux x86_64".to_owned(),
    };
    assert_eq!(machine.describe(), "Test CPU, 1 logical core, linux x86_64");
    machine.logical_cores = 16;
    machine.memory_kib = Some(64 * 1024 * 1024);
    assert_eq!(machine.describe(), "Test CPU, 16 logical cores, 64.0 GiB, linux x86_64");
}

#[test]
fn a_perf_scenario_pairs_ringgrid_with_each_annulus_variant() {
    let perf = PeerPerf::new(
        "perf_1280x1024",
        [1280, 1024],
        None,
        PeerTiming::from_samples_ns(vec![100, 200]),
        PeerTiming::from_samples_ns(vec![50, 400]),
        PeerTiming::from_samples_ns(vec![300, 400]),
    )
    .expect("paired");
    let ratio = perf.ratio_to(DetectorId::Annulus).expect("a ratio");
    assert_eq!((ratio.median, ratio.n_pairs), (2.0, 2), "ratios 3 and 2; the lower middle");
    assert_eq!(perf.ratio_to(DetectorId::AnnulusAuto).map(|r| r.median), Some(1.0));
    assert_eq!(perf.ratio_to(DetectorId::Ringgrid), None);

    let failed = PeerPerf::new(
        "x",
        [1, 1],
        None,
        PeerTiming::from_samples_ns(vec![100, 200]),
        PeerTiming::failed("boom"),
        PeerTiming::from_samples_ns(vec![300, 400]),
    )
    .expect("a detector without samples has no ratio, and that is no error");
    assert_eq!(failed.time_ratio.ringgrid_over_annulus_auto, None);

    let unpaired = PeerPerf::new(
        "x",
        [1, 1],
        None,
        PeerTiming::from_samples_ns(vec![100, 200, 300]),
        PeerTiming::from_samples_ns(vec![100, 200, 300]),
        PeerTiming::from_samples_ns(vec![300, 400]),
    );
    assert_eq!(unpaired, Err(ReportError::UnpairedRounds { n_numerator: 2, n_denominator: 3 }));
}

#[test]
fn every_detector_is_listed_once_in_table_order() {
    let keys: Vec<&str> = DetectorId::ALL.iter().map(|d| d.as_str()).collect();
    assert_eq!(keys, ["annulus", "annulus_auto", "ringgrid"]);
    let json = serde_json::to_string(&DetectorId::AnnulusAuto).expect("JSON");
    assert_eq!(json, "\"annulus_auto\"", "the serde name is the key");
}
