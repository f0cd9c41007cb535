//! Number formatting of the perf reports, shared by the benchmark report, the final report, the
//! commit message and the terminal table, so that all of them print the same digits.
//!
//! - A duration prints with two decimals in the largest of ns, µs, ms and s that keeps it at
//!   least 1 (`950.00 µs`, `12.10 ms`, `1.50 s`); each value picks its own unit.
//! - A relative change prints signed with one decimal (`-25.5%`, `+3.0%`); one that rounds to
//!   zero prints as `0.0%`. Instruction counts, which are exact, get two decimals.
//! - Counts print whole with thousands separators (`1,234,567`), deltas signed (`+1,024`).
//! - p-values print with four decimals, or `p < 0.0001` below that.
//!
//! Rust's float formatting rounds the exact binary value half to even and does not depend on
//! the locale, so the output is deterministic.

#[cfg(test)]
mod tests;

/// Units of a duration, smallest first: name and nanoseconds per unit.
const UNITS: [(&str, f64); 4] = [("ns", 1.0), ("µs", 1e3), ("ms", 1e6), ("s", 1e9)];

/// Decimals of a duration.
const DURATION_DECIMALS: usize = 2;

/// Below this a p-value prints as `p < 0.0001`: more digits would only show the normal
/// approximation's tail error.
const SMALLEST_P: f64 = 1e-4;

/// A duration given in nanoseconds, e.g. `12.10 ms`.
pub fn duration(ns: f64) -> String {
    if !ns.is_finite() {
        return format!("{ns} ns");
    }
    // The largest unit in which the value is at least 1, judged after rounding, so that
    // 999.996 µs prints as `1.00 ms` rather than `1000.00 µs`.
    let (name, scale) = UNITS
        .iter()
        .rev()
        .copied()
        .find(|&(_, scale)| round(ns.abs() / scale) >= 1.0)
        .unwrap_or(UNITS[0]);
    format!("{:.DURATION_DECIMALS$} {name}", ns / scale)
}

/// `x` rounded to [`DURATION_DECIMALS`] decimals.
fn round(x: f64) -> f64 {
    let factor = 10f64.powi(DURATION_DECIMALS as i32);
    (x * factor).round() / factor
}

/// The relative change `after / baseline − 1` as a signed percentage with `decimals` decimals,
/// e.g. `-25.5%`; `0.0%` when it rounds to zero.
pub fn percent_change(baseline: f64, after: f64, decimals: usize) -> String {
    percent(100.0 * (after / baseline - 1.0), decimals)
}

/// A signed percentage, e.g. `+3.0%`; `0.0%` when it rounds to zero.
pub fn percent(value: f64, decimals: usize) -> String {
    let text = format!("{value:+.decimals$}");
    if text[1..].chars().all(|c| c == '0' || c == '.') {
        return format!("{}%", &text[1..]);
    }
    format!("{text}%")
}

/// A 95 % interval of a relative change given as a ratio, e.g. `[-27.1%, -23.9%]`.
pub fn percent_interval(ratio: [f64; 2]) -> String {
    format!("[{}, {}]", percent(100.0 * (ratio[0] - 1.0), 1), percent(100.0 * (ratio[1] - 1.0), 1))
}

/// The interval of a duration, e.g. `[11.95 ms, 12.30 ms]`.
pub fn duration_interval(lo_ns: f64, hi_ns: f64) -> String {
    format!("[{}, {}]", duration(lo_ns), duration(hi_ns))
}

/// `p = 0.0412`, or `p < 0.0001`.
pub fn p_value(p: f64) -> String {
    if p < SMALLEST_P { "p < 0.0001".to_owned() } else { format!("p = {p:.4}") }
}

/// The headline of a benchmark: `detect_1280x1024: 12.10 ms → 9.02 ms (-25.5%)`.
pub fn change_line(id: &str, baseline_ns: f64, after_ns: f64) -> String {
    format!(
        "{id}: {} → {} ({})",
        duration(baseline_ns),
        duration(after_ns),
        percent_change(baseline_ns, after_ns, 1)
    )
}

/// A whole number with thousands separators, e.g. `1,234,567`: the report crate's formatter,
/// so that the perf lab and the reports print counts alike.
pub use annulus_report::format_count as count;

/// `after − baseline` of two counts, signed with separators (`+1,024`, `-3`, `0`).
pub fn count_delta(baseline: u64, after: u64) -> String {
    match after.cmp(&baseline) {
        std::cmp::Ordering::Equal => "0".to_owned(),
        std::cmp::Ordering::Greater => format!("+{}", count(after - baseline)),
        std::cmp::Ordering::Less => format!("-{}", count(baseline - after)),
    }
}

/// The change of a count: `1,000 → 900 (-100, -10.00%)`; `1,000 → 1,000 (0)` when equal.
pub fn count_change(baseline: u64, after: u64) -> String {
    if baseline == after {
        return format!("{} → {} (0)", count(baseline), count(after));
    }
    let relative = if baseline == 0 {
        String::new()
    } else {
        format!(", {}", percent_change(baseline as f64, after as f64, 2))
    };
    format!("{} → {} ({}{relative})", count(baseline), count(after), count_delta(baseline, after))
}
