//! The bless diff: changed, unchanged, new and removed values, and the first baseline.

use annulus_report::{LabelRun, Provenance};

use super::*;
use crate::ci::record::{
    AllocBudget, CI_SCHEMA, CiAccuracy, CiProvenance, GateBias, ScenarioAllocs,
    ScenarioInstructions,
};

fn record(commit: &str, instructions: &[(&str, u64)], warm: u64, bias_x: f64) -> CiRecord {
    CiRecord {
        schema: CI_SCHEMA,
        provenance: CiProvenance {
            commit: Some(commit.to_owned()),
            dirty: false,
            created_utc: "2025-01-02T03:04:05Z".to_owned(),
            machine: "test machine".to_owned(),
            commands: Vec::new(),
        },
        instructions: instructions
            .iter()
            .map(|&(scenario, n)| ScenarioInstructions {
                scenario: scenario.to_owned(),
                diameter_px: None,
                instructions: n,
            })
            .collect(),
        alloc_warm: vec![ScenarioAllocs {
            scenario: "a".to_owned(),
            warm: AllocBudget { count: warm, bytes: 96 },
        }],
        accuracy: CiAccuracy {
            n_images: 3,
            run: LabelRun {
                label: "ci".to_owned(),
                provenance: Provenance {
                    commit: None,
                    dirty: false,
                    created_utc: String::new(),
                    machine: String::new(),
                    commands: Vec::new(),
                    n_images: 3,
                },
                gates: Vec::new(),
            },
            center_bias: vec![GateBias {
                gate: "reference".to_owned(),
                n: 576,
                bias_px: [bias_x, 0.0],
            }],
        },
    }
}

#[test]
fn shows_every_value_old_to_new() {
    let old = record("aaa", &[("a", 1_000_000), ("gone", 5)], 12, -0.0015);
    let new = record("bbb", &[("a", 1_012_345), ("b", 7)], 12, -0.0015);
    let text = diff(Some(&old), &new);
    // Compared with runs of spaces collapsed: the padding is checked separately.
    let lines: Vec<String> =
        text.lines().map(|l| l.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
    assert_eq!(
        lines,
        [
            "~ instructions a 1,000,000 → 1,012,345 (+1.23 %)",
            "+ instructions b 7 (new)",
            "warm allocations a 12 (96 B) (unchanged)",
            "accuracy reference center_bias_px (-0.0015, +0.0000) (unchanged)",
            "accuracy images per gate 3 (unchanged)",
            "- instructions gone 5 (removed)",
            "3 value(s) changed",
            "old: commit aaa on test machine",
            "new: commit bbb on test machine",
        ],
        "{text}"
    );
    // The keys hold no digit or parenthesis, so the first one on a line starts its value.
    let column = |l: &str| l.find(|c: char| c.is_ascii_digit() || c == '(');
    let starts: Vec<Option<usize>> = text.lines().take(6).map(column).collect();
    assert!(starts.windows(2).all(|w| w[0] == w[1]), "values line up: {starts:?}\n{text}");
}

#[test]
fn the_first_baseline_is_all_new() {
    let new = record("bbb", &[("a", 10)], 0, 0.0);
    let text = diff(None, &new);
    assert!(text.contains("+ instructions a"), "{text}");
    assert!(text.contains("old: none (first baseline)"), "{text}");
    assert!(!text.contains('~') && !text.contains("- "), "{text}");
}
