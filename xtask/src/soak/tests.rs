//! Tests of the soak's pure parts: growth, the gate at its boundary, the summary's rates, the
//! report's wording, the binary's arguments and refusing to overwrite.

use annulus_benches::AllocCount;
use annulus_benches::soak::{MemorySample, SOAK_SCHEMA, SoakReport};

use super::report::{SOAK_FILE_SCHEMA, SoakFile, SoakProvenance, markdown, spread, terminal};
use super::verdict::{GROWTH_LIMIT_PERCENT, Growth, Verdict, growth, summarize, verdict};
use super::*;

fn sample(call: u64, rss_kib: u64, heap_live_bytes: u64) -> MemorySample {
    MemorySample { call, rss_kib, heap_live_bytes }
}

fn report(samples: Vec<MemorySample>, allocs: u64) -> SoakReport {
    SoakReport {
        schema: SOAK_SCHEMA,
        scenario: "soak_640x512".to_owned(),
        width: 640,
        height: 512,
        images: vec![
            "soak_640x512#0".to_owned(),
            "soak_640x512#1".to_owned(),
            "blank".to_owned(),
            "noise".to_owned(),
        ],
        diameter_px: None,
        warmup_calls: 8,
        alloc_warmup: AllocCount { count: 186, bytes: 6_930_657 },
        calls: 10_000,
        alloc_measured: AllocCount { count: allocs, bytes: allocs * 64 },
        calls_that_allocated: allocs.min(1),
        markers: 912_345,
        identified: 912_000,
        elapsed_ns: 1_000_000_000_000,
        samples,
        peak_rss_kib: Some(26_316),
    }
}

fn file(report: SoakReport) -> SoakFile {
    SoakFile {
        schema: SOAK_FILE_SCHEMA,
        provenance: SoakProvenance {
            commit: Some("abc123".to_owned()),
            dirty: false,
            created_utc: "2026-11-23T20:00:00Z".to_owned(),
            machine: "test machine".to_owned(),
            commands: vec!["cargo xtask soak".to_owned()],
            quick: false,
        },
        summary: summarize(&report).expect("samples"),
        report,
    }
}

#[test]
fn growth_is_measured_against_the_first_sample() {
    let g = growth(&[sample(0, 20_000, 1000), sample(50, 20_100, 1000), sample(100, 19_900, 900)])
        .expect("samples");
    assert_eq!((g.after_warmup_kib, g.max_kib, g.final_kib), (20_000, 20_100, 19_900));
    assert!((g.max_percent - 0.5).abs() < 1e-12, "{}", g.max_percent);
    assert!((g.final_percent + 0.5).abs() < 1e-12, "memory given back: {}", g.final_percent);
    assert_eq!(g.heap_growth_bytes, -100);
    assert_eq!(growth(&[]), None);
    assert_eq!(growth(&[sample(0, 0, 0)]), None, "no resident size to compare with");
    let flat = growth(&[sample(0, 100, 5)]).expect("one sample");
    assert_eq!((flat.max_percent, flat.final_percent), (0.0, 0.0));
}

#[test]
fn the_gate_fails_at_exactly_one_percent_and_passes_just_under() {
    assert_eq!(GROWTH_LIMIT_PERCENT, 1);
    let judge = |base: u64, max: u64| {
        let g = growth(&[sample(0, base, 0), sample(1, max, 0), sample(2, base, 0)]).expect("g");
        verdict(&g)
    };
    assert_eq!(judge(20_000, 20_000), Verdict::Pass);
    assert_eq!(judge(20_000, 20_199), Verdict::Pass, "0.995 %");
    assert_eq!(judge(20_000, 20_200), Verdict::Fail, "exactly 1 %: not under it");
    assert_eq!(judge(20_000, 40_000), Verdict::Fail);
    assert_eq!(judge(20_000, 10_000), Verdict::Pass, "shrinking is flat enough");
    // A transient rise fails even when the last sample is back down: flat means never above.
    let g = Growth {
        after_warmup_kib: 100,
        max_kib: 101,
        final_kib: 100,
        final_percent: 0.0,
        max_percent: 1.0,
        heap_growth_bytes: 0,
    };
    assert_eq!(verdict(&g), Verdict::Fail);
}

#[test]
fn the_summary_has_the_rates() {
    let r = report(vec![sample(0, 20_000, 10), sample(10_000, 20_000, 10)], 5);
    let s = summarize(&r).expect("summary");
    assert_eq!(s.verdict, Verdict::Pass);
    assert_eq!(s.limit_percent, 1);
    assert!((s.allocations_per_call - 0.0005).abs() < 1e-15);
    assert!((s.calls_per_second - 10.0).abs() < 1e-12, "10,000 calls in 1,000 s");
    let empty = SoakReport { samples: Vec::new(), ..r };
    assert!(summarize(&empty).is_none());
}

#[test]
fn the_report_states_every_figure() {
    let samples = (0..=100).map(|i| sample(i * 100, 20_000 + i, 14_423_820)).collect();
    let f = file(report(samples, 0));
    let md = markdown(&f);
    assert!(md.starts_with("# Soak: 10,000 `detect` calls on one workspace\n"), "{md}");
    assert!(md.contains("at commit `abc123`; test machine."), "{md}");
    assert!(
        md.contains("**PASS: resident size grew +0.50% at most over 10,000 calls on one workspace"),
        "{md}"
    );
    let images =
        "| images | 4 images of 640 × 512, cycled: 2 views of `soak_640x512`, and blank, noise |";
    assert!(md.contains(images), "{md}");
    assert!(md.contains("| resident after warm-up | 20,000 KiB |"), "{md}");
    assert!(md.contains("| resident max / final | 20,100 KiB / 20,100 KiB |"), "{md}");
    assert!(md.contains("| growth, final vs after warm-up | +0.50% |"), "{md}");
    assert!(md.contains("| allocations per measured call | 0 (0 in all, 0 B, in 0 calls) |"));
    assert!(md.contains("| warm-up | 8 calls, 186 allocations (6.61 MiB) |"), "{md}");
    assert!(md.contains("| calls per second | 10.00 |"), "{md}");
    assert!(md.contains("| live heap growth | 0 B |"), "{md}");
    assert!(md.contains("| markers reported (identified) | 912,345 (912,000) |"), "{md}");
    let table_rows = md.lines().filter(|l| l.ends_with(" B |") && l.contains(" KiB | ")).count();
    assert_eq!(table_rows, 11, "eleven samples of 101 in the table");
    assert!(md.contains("| 10,000 | 20,100 KiB | 14,423,820 B |"), "the last sample is shown");
    assert_eq!(markdown(&f), md, "deterministic");

    let text = terminal(&f);
    assert!(text.lines().last().expect("a verdict").starts_with("PASS: "), "{text}");
    assert!(text.contains("growth, max vs after warm-up       +0.50%"), "{text}");
}

#[test]
fn a_failed_soak_says_so() {
    let f = file(report(vec![sample(0, 1000, 0), sample(10_000, 1010, 4096)], 3));
    assert_eq!(f.summary.verdict, Verdict::Fail);
    let md = markdown(&f);
    assert!(md.contains("**FAIL: resident size grew +1.00% at most"), "{md}");
    assert!(md.contains("| live heap growth | +4096 B |"), "{md}");
    assert!(
        md.contains("| allocations per measured call | 0.0003 (3 in all, 192 B, in 1 calls) |")
    );
}

#[test]
fn spread_keeps_the_ends() {
    let all: Vec<u32> = (0..=100).collect();
    assert_eq!(spread(&all, 5), [0, 25, 50, 75, 100]);
    assert_eq!(spread(&all[..3], 5), [0, 1, 2], "fewer than asked: all of them");
    assert_eq!(spread(&all, 2), [0, 100]);
}

#[test]
fn the_binary_gets_about_a_hundred_samples() {
    assert_eq!(
        binary_args(10_000).join(" "),
        "--scenario soak_640x512 --calls 10000 --sample-every 100"
    );
    assert_eq!(binary_args(50).join(" "), "--scenario soak_640x512 --calls 50 --sample-every 1");
}

#[test]
fn results_are_replaced_only_with_force() {
    let temp = tempfile::tempdir().expect("temp");
    let dir = temp.path().join(LABEL);
    assert!(refuse_to_overwrite(&dir, false).is_ok(), "nothing there yet");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join(RUN_FILE), "{}").expect("written");
    let e = refuse_to_overwrite(&dir, false).expect_err("refused").to_string();
    assert!(e.contains("already holds soak results (soak.json); pass --force"), "{e}");
    assert!(refuse_to_overwrite(&dir, true).is_ok());
}

#[test]
fn a_report_round_trips_and_a_wrong_schema_is_refused() {
    let r = report(vec![sample(0, 1, 2)], 0);
    let json = serde_json::to_vec(&r).expect("JSON");
    assert_eq!(parse_report(&json).expect("parsed"), r);
    let other = SoakReport { schema: SOAK_SCHEMA + 1, ..r };
    let e = parse_report(&serde_json::to_vec(&other).expect("JSON")).expect_err("refused");
    assert!(e.to_string().contains("schema"), "{e}");
}
