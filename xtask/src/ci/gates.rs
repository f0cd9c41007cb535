//! The CI gates' decisions, one row each, and the table `cargo xtask ci` prints.
//!
//! | gate | fails when |
//! |---|---|
//! | instructions | `measured > baseline × (1 + 2 %)`, in exact integer arithmetic |
//! | warm allocations | `measured > budget` (the committed count) |
//! | accuracy | a FAIL flag of the comparison, a centre-mean rise or a centre-bias shift over 0.01 px ([`super::accuracy`]) |
//!
//! A scenario measured but not in the baseline, or in the baseline but no longer measured,
//! fails too: the set of gates changed, and `cargo xtask bless` records the new one on purpose.

use std::fmt::Write as _;

use super::record::{ScenarioAllocs, ScenarioInstructions};
use crate::perf::format::count as grouped;

/// The largest tolerated rise of an instruction count, percent.
///
/// Instruction counts are exactly reproducible for one binary on one machine, so on the machine
/// that blessed the baseline any rise is real. Another machine may run slightly different code
/// in glibc (`memcpy`, `libm` routines picked for its CPU) and a toolchain update may reorder
/// code; 2 % absorbs those while still catching a regression that a wall-clock benchmark on this
/// noisy machine could not see.
pub const INSTRUCTION_TOLERANCE_PERCENT: u64 = 2;

/// A gate's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Within its limit.
    Pass,
    /// Outside its limit: CI fails.
    Fail,
    /// Worth a look, but CI passes (an ESCALATE flag, or a gain to bless).
    Warn,
}

impl Verdict {
    /// Upper-case name for the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "PASS",
            Self::Fail => "FAIL",
            Self::Warn => "WARN",
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq)]
pub struct GateRow {
    /// What is gated, e.g. `instructions perf_1280x1024`.
    pub gate: String,
    /// The committed value.
    pub baseline: String,
    /// This run's value.
    pub measured: String,
    /// The change.
    pub delta: String,
    /// The limit on the change.
    pub limit: String,
    /// The outcome.
    pub verdict: Verdict,
    /// Why, in a sentence, when it did not simply pass.
    pub message: Option<String>,
}

/// Whether `measured` instructions are within [`INSTRUCTION_TOLERANCE_PERCENT`] of `baseline`:
/// `measured · 100 ≤ baseline · 102`, so exactly +2 % passes and one instruction more fails.
pub fn instructions_within(baseline: u64, measured: u64) -> bool {
    u128::from(measured) * 100
        <= u128::from(baseline) * u128::from(100 + INSTRUCTION_TOLERANCE_PERCENT)
}

/// Whether `measured` warm allocations are within the committed `budget`.
pub fn allocs_within(budget: u64, measured: u64) -> bool {
    measured <= budget
}

/// The change from `baseline` to `measured` in percent of `baseline`.
fn percent(baseline: u64, measured: u64) -> f64 {
    if baseline == 0 {
        return if measured == 0 { 0.0 } else { f64::INFINITY };
    }
    (measured as f64 - baseline as f64) / baseline as f64 * 100.0
}

/// A row for a scenario only one side has.
fn unmatched(gate: String, in_baseline: bool) -> GateRow {
    let (baseline, measured, message) = if in_baseline {
        ("present", "not measured", "the baseline has this scenario but ci no longer measures it")
    } else {
        ("absent", "measured", "this scenario is not in the baseline")
    };
    GateRow {
        gate,
        baseline: baseline.to_owned(),
        measured: measured.to_owned(),
        delta: "–".to_owned(),
        limit: "–".to_owned(),
        verdict: Verdict::Fail,
        message: Some(format!("{message}: run `cargo xtask bless` to record the new set")),
    }
}

/// The instruction gate's rows, one per scenario of either side.
pub fn instruction_rows(
    baseline: &[ScenarioInstructions],
    measured: &[ScenarioInstructions],
) -> Vec<GateRow> {
    let mut rows = Vec::new();
    for m in measured {
        let gate = format!("instructions {}", m.scenario);
        let Some(b) = baseline.iter().find(|b| b.scenario == m.scenario) else {
            rows.push(unmatched(gate, false));
            continue;
        };
        let pct = percent(b.instructions, m.instructions);
        let (verdict, message) = if b.diameter_px != m.diameter_px {
            (
                Verdict::Fail,
                Some(format!(
                    "measured with diameter prior {:?} px but blessed with {:?} px: bless again",
                    m.diameter_px, b.diameter_px
                )),
            )
        } else if !instructions_within(b.instructions, m.instructions) {
            (
                Verdict::Fail,
                Some(format!(
                    "{}: {} instructions per detect call, {pct:+.2} % over the baseline's {}; \
                     find the cause with the profile (`cargo xtask perf-baseline`), or run \
                     `cargo xtask bless` if the cost is intended",
                    m.scenario,
                    grouped(m.instructions),
                    grouped(b.instructions)
                )),
            )
        } else if pct < -(INSTRUCTION_TOLERANCE_PERCENT as f64) {
            (
                Verdict::Warn,
                Some(format!(
                    "{}: {pct:+.2} % instructions; run `cargo xtask bless` to lock the gain in",
                    m.scenario
                )),
            )
        } else {
            (Verdict::Pass, None)
        };
        rows.push(GateRow {
            gate,
            baseline: grouped(b.instructions),
            measured: grouped(m.instructions),
            delta: format!("{pct:+.2} %"),
            limit: format!("+{INSTRUCTION_TOLERANCE_PERCENT}.00 %"),
            verdict,
            message,
        });
    }
    for b in baseline.iter().filter(|b| !measured.iter().any(|m| m.scenario == b.scenario)) {
        rows.push(unmatched(format!("instructions {}", b.scenario), true));
    }
    rows
}

/// The warm-allocation gate's rows, one per scenario of either side.
pub fn alloc_rows(budget: &[ScenarioAllocs], measured: &[ScenarioAllocs]) -> Vec<GateRow> {
    let mut rows = Vec::new();
    for m in measured {
        let gate = format!("warm allocations {}", m.scenario);
        let Some(b) = budget.iter().find(|b| b.scenario == m.scenario) else {
            rows.push(unmatched(gate, false));
            continue;
        };
        let within = allocs_within(b.warm.count, m.warm.count);
        let delta = i128::from(m.warm.count) - i128::from(b.warm.count);
        let (verdict, message) = if !within {
            (
                Verdict::Fail,
                Some(format!(
                    "{}: a warm detect call allocates {} times ({} B), over the budget of {}; \
                     reuse the workspace's buffers, or `cargo xtask bless` if intended",
                    m.scenario, m.warm.count, m.warm.bytes, b.warm.count
                )),
            )
        } else if delta < 0 {
            (
                Verdict::Warn,
                Some(format!(
                    "{}: {} fewer warm allocations; run `cargo xtask bless` to tighten the budget",
                    m.scenario, -delta
                )),
            )
        } else {
            (Verdict::Pass, None)
        };
        rows.push(GateRow {
            gate,
            baseline: b.warm.count.to_string(),
            measured: format!("{} ({} B)", m.warm.count, m.warm.bytes),
            delta: format!("{delta:+}"),
            limit: format!("≤ {}", b.warm.count),
            verdict,
            message,
        });
    }
    for b in budget.iter().filter(|b| !measured.iter().any(|m| m.scenario == b.scenario)) {
        rows.push(unmatched(format!("warm allocations {}", b.scenario), true));
    }
    rows
}

/// The table: gate, baseline, measured, delta, limit, verdict; then each message.
pub fn table(rows: &[GateRow]) -> String {
    let headers = ["gate", "baseline", "measured", "delta", "limit", "verdict"];
    let cells: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.gate.as_str(),
                r.baseline.as_str(),
                r.measured.as_str(),
                r.delta.as_str(),
                r.limit.as_str(),
                r.verdict.as_str(),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, row: &[&str; 6]| {
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            if i == 0 {
                let _ = write!(out, "{cell}{}", " ".repeat(pad));
            } else {
                let _ = write!(out, "  {}{cell}", " ".repeat(pad));
            }
        }
        out.push('\n');
    };
    line(&mut out, &headers);
    for row in &cells {
        line(&mut out, row);
    }
    for row in rows {
        if let Some(message) = &row.message {
            let _ = writeln!(out, "{}: {message}", row.verdict.as_str());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::record::AllocBudget;
    use super::*;

    fn instr(scenario: &str, n: u64) -> ScenarioInstructions {
        ScenarioInstructions { scenario: scenario.to_owned(), diameter_px: None, instructions: n }
    }

    fn allocs(scenario: &str, count: u64) -> ScenarioAllocs {
        ScenarioAllocs { scenario: scenario.to_owned(), warm: AllocBudget { count, bytes: 64 } }
    }

    #[test]
    fn exactly_two_percent_passes_and_one_more_instruction_fails() {
        assert!(instructions_within(1_000_000, 1_020_000));
        assert!(!instructions_within(1_000_000, 1_020_001));
        // A baseline that is not a multiple of 50: +2 % is 1 021.02, so 1 021 passes.
        assert!(instructions_within(1001, 1021));
        assert!(!instructions_within(1001, 1022));
        // No overflow near the top of u64.
        assert!(instructions_within(u64::MAX / 2, u64::MAX / 2));
        assert!(instructions_within(0, 0) && !instructions_within(0, 1));
    }

    #[test]
    fn the_budget_itself_passes_and_one_more_allocation_fails() {
        assert!(allocs_within(12, 12));
        assert!(!allocs_within(12, 13));
        assert!(allocs_within(0, 0) && !allocs_within(0, 1));
    }

    #[test]
    fn instruction_rows_decide_at_the_boundary() {
        let base = [instr("a", 1_000_000), instr("b", 1_000_000)];
        let rows = instruction_rows(&base, &[instr("a", 1_020_000), instr("b", 1_020_001)]);
        assert_eq!(rows[0].verdict, Verdict::Pass, "{rows:?}");
        assert_eq!(rows[0].delta, "+2.00 %");
        assert_eq!(rows[1].verdict, Verdict::Fail);
        assert!(rows[1].message.as_deref().unwrap().contains("b: 1,020,001 instructions"));
        let gain = instruction_rows(&base[..1], &[instr("a", 900_000)]);
        assert_eq!(gain[0].verdict, Verdict::Warn, "a gain is worth blessing");
    }

    #[test]
    fn a_changed_set_of_scenarios_or_prior_fails() {
        let rows = instruction_rows(&[instr("a", 5)], &[instr("c", 5)]);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(|r| r.verdict == Verdict::Fail), "{rows:?}");
        assert!(rows[0].message.as_deref().unwrap().contains("bless"));
        let mut hinted = instr("a", 5);
        hinted.diameter_px = Some(34.0);
        assert_eq!(instruction_rows(&[instr("a", 5)], &[hinted])[0].verdict, Verdict::Fail);
    }

    #[test]
    fn alloc_rows_pass_at_the_budget() {
        let rows = alloc_rows(&[allocs("a", 3)], &[allocs("a", 3)]);
        assert_eq!((rows[0].verdict, rows[0].delta.as_str()), (Verdict::Pass, "+0"));
        let rows = alloc_rows(&[allocs("a", 3)], &[allocs("a", 4)]);
        assert_eq!(rows[0].verdict, Verdict::Fail);
        assert_eq!(alloc_rows(&[allocs("a", 3)], &[allocs("a", 0)])[0].verdict, Verdict::Warn);
    }

    #[test]
    fn the_table_aligns_columns_and_lists_messages() {
        let rows = instruction_rows(&[instr("a", 100)], &[instr("a", 103)]);
        let t = table(&rows);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[0].starts_with("gate") && lines[0].ends_with("verdict"), "{t}");
        assert!(lines[1].starts_with("instructions a") && lines[1].ends_with("FAIL"), "{t}");
        assert_eq!(lines[0].find("baseline"), Some(lines[1].find("100").unwrap() - 5), "{t}");
        assert!(lines[2].starts_with("FAIL: a: 103 instructions"), "{t}");
    }
}
