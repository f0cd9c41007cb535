//! Tests of the A/B summary: pairing by round, the stage columns, and the quoted Markdown.

use super::*;

/// Rounds of `[proposals, fit_decode, homography, refine, total]` in nanoseconds, each round's
/// figures scaled by a load factor that both builds share within the round.
fn rounds(stage_ns: [u64; 5], speed: f64) -> Vec<Vec<u64>> {
    (0..12)
        .map(|round| {
            // A load that drifts by up to 40 % across rounds.
            let load = 1.0 + 0.4 * f64::from((round * 7) % 12) / 12.0;
            stage_ns.iter().map(|&ns| (ns as f64 * load * speed).round() as u64).collect()
        })
        .collect()
}

#[test]
fn ratios_pair_rounds_so_a_shared_load_cancels() {
    let stage_ns = [8_000_000, 26_000_000, 2_400_000, 30_000_000, 66_400_000];
    let base = rounds(stage_ns, 1.0);
    let current = rounds(stage_ns, 0.9);
    let stages = summarise(&base, &current).unwrap();
    assert_eq!(stages.len(), 5);
    assert_eq!(stages[4].stage, "total");
    for s in &stages {
        // The load moved every time by up to 40 %, yet every round's ratio is 0.9.
        assert!((s.ratio.median - 0.9).abs() < 1e-6, "{}: {}", s.stage, s.ratio.median);
        let [lo, hi] = s.ratio.ci95.unwrap();
        assert!(hi - lo < 1e-6, "{}: [{lo}, {hi}]", s.stage);
        // The unpaired medians spread with the load.
        let [b_lo, b_hi] = s.base.ci95_ns.unwrap();
        assert!(b_hi > b_lo, "{}", s.stage);
    }
}

#[test]
fn a_round_without_stage_times_is_an_error() {
    let report: ProbeReport = serde_json::from_value(serde_json::json!({
        "schema": annulus_benches::PROBE_SCHEMA,
        "scenario": "perf_1280x1024",
        "image_index": 0,
        "width": 1280,
        "height": 1024,
        "diameter_px": null,
        "n_markers": 0,
        "repeats": 0,
        "alloc_cold": {"count": 0, "bytes": 0},
        "alloc_warm": {"count": 0, "bytes": 0},
        "wall_ns": [],
        "stages": [],
        "peak_rss_kib": null
    }))
    .unwrap();
    let err = round_medians(&report).unwrap_err().to_string();
    assert!(err.contains("no `proposals` times"), "{err}");
}

#[test]
fn the_summary_names_the_base_the_command_and_every_stage() {
    let stage_ns = [8_000_000, 26_000_000, 2_400_000, 30_000_000, 66_400_000];
    let run = AbRun {
        base_rev: "HEAD".to_owned(),
        base_commit: "d0d4dc4f00000000000000000000000000000000".to_owned(),
        probe_args: "--scenario perf_1280x1024 --index 0 --repeats 7 --warmup 3".to_owned(),
        rounds: 12,
        stages: summarise(&rounds(stage_ns, 1.0), &rounds(stage_ns, 0.8)).unwrap(),
    };
    insta::assert_snapshot!(markdown(&run));
}

#[test]
fn too_few_rounds_give_no_interval_and_say_so() {
    let stage_ns = [8_000_000, 26_000_000, 2_400_000, 30_000_000, 66_400_000];
    let (base, current) = (rounds(stage_ns, 1.0), rounds(stage_ns, 1.1));
    let stages = summarise(&base[..3], &current[..3]).unwrap();
    assert!(stages.iter().all(|s| s.ratio.ci95.is_none()));
    let run = AbRun {
        base_rev: "main".to_owned(),
        base_commit: "abc".to_owned(),
        probe_args: String::new(),
        rounds: 3,
        stages,
    };
    assert!(markdown(&run).contains("(too few rounds for an interval)"));
}

#[test]
fn an_earlier_result_is_replaced_only_with_force() {
    let temp = tempfile::tempdir().expect("temp");
    let perf = temp.path();
    check_replaceable(perf, "after", false).expect("nothing to lose yet");
    std::fs::create_dir_all(perf.join("after")).expect("label folder");
    std::fs::write(perf.join("after").join(AB_JSON), "{}").expect("earlier result");
    let err = check_replaceable(perf, "after", false).unwrap_err().to_string();
    assert!(err.contains("already holds an A/B result") && err.contains("--force"), "{err}");
    check_replaceable(perf, "after", true).expect("forced");
}
