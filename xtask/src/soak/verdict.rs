//! Judging a soak: how much resident memory grew after the warm-up, and whether that passes the
//! gate. Pure functions of an [`annulus_benches::soak::SoakReport`], so that the rules are tested
//! without running the detector.
//!
//! The gate is on the *largest* sample, not only the last: memory that is "flat" never rises 1 %
//! above where the warm-up left it, even for a while. The comparison is done in whole KiB with
//! integers (`100 · (max − base) ≥ LIMIT · base` fails), so a value exactly at the limit fails
//! however floating point would have rounded it.

use annulus_benches::soak::{MemorySample, SoakReport};
use serde::{Deserialize, Serialize};

/// Resident-size growth, in percent of the size after the warm-up, at or above which the soak
/// fails: the "keep memory flat (growth under 1 %)". Page-granular noise on a process
/// of about 20 MiB is a few pages, under 0.1 %; a leak of a few hundred bytes a call reaches
/// 1 % within the 10,000 calls.
pub const GROWTH_LIMIT_PERCENT: u64 = 1;

/// Resident memory over the measured calls, against the first sample (right after the warm-up).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Growth {
    /// Resident size right after the warm-up, KiB.
    pub after_warmup_kib: u64,
    /// Largest resident size sampled, KiB (the first sample included).
    pub max_kib: u64,
    /// Resident size after the last call, KiB.
    pub final_kib: u64,
    /// `final / after_warmup − 1`, percent; negative when memory was given back.
    pub final_percent: f64,
    /// `max / after_warmup − 1`, percent; never negative.
    pub max_percent: f64,
    /// Live heap bytes after the last call minus after the warm-up (the counting allocator's
    /// exact figure, which no page rounding blurs).
    pub heap_growth_bytes: i64,
}

/// The gate's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The largest sample is under the limit.
    Pass,
    /// It is at or above the limit.
    Fail,
}

/// What the soak measured, summed up: the growth, the verdict and the rates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoakSummary {
    /// Resident memory over the measured calls.
    pub growth: Growth,
    /// The gate on [`Growth::max_kib`].
    pub verdict: Verdict,
    /// [`GROWTH_LIMIT_PERCENT`] when judged.
    pub limit_percent: u64,
    /// Heap allocations per measured call (the target is 0).
    pub allocations_per_call: f64,
    /// Measured calls per second of wall time.
    pub calls_per_second: f64,
}

/// The growth of `samples` (in call order, the first taken right after the warm-up); `None`
/// without samples, or when the first is zero (no resident size to compare with).
pub fn growth(samples: &[MemorySample]) -> Option<Growth> {
    let first = samples.first()?;
    let last = samples.last()?;
    let base = first.rss_kib;
    if base == 0 {
        return None;
    }
    let max_kib = samples.iter().map(|s| s.rss_kib).max().unwrap_or(base);
    let percent = |kib: u64| 100.0 * (kib as f64 - base as f64) / base as f64;
    let heap = |s: &MemorySample| i64::try_from(s.heap_live_bytes).unwrap_or(i64::MAX);
    Some(Growth {
        after_warmup_kib: base,
        max_kib,
        final_kib: last.rss_kib,
        final_percent: percent(last.rss_kib),
        max_percent: percent(max_kib),
        heap_growth_bytes: heap(last) - heap(first),
    })
}

/// The gate: [`Verdict::Fail`] when the largest sample is [`GROWTH_LIMIT_PERCENT`] or more above
/// the first, decided in integers.
pub fn verdict(growth: &Growth) -> Verdict {
    let grown = u128::from(growth.max_kib.saturating_sub(growth.after_warmup_kib));
    let limit = u128::from(GROWTH_LIMIT_PERCENT) * u128::from(growth.after_warmup_kib);
    if 100 * grown >= limit { Verdict::Fail } else { Verdict::Pass }
}

/// The summary of `report`; `None` when it has no usable memory samples.
pub fn summarize(report: &SoakReport) -> Option<SoakSummary> {
    let growth = growth(&report.samples)?;
    let seconds = report.elapsed_ns as f64 / 1e9;
    Some(SoakSummary {
        growth,
        verdict: verdict(&growth),
        limit_percent: GROWTH_LIMIT_PERCENT,
        allocations_per_call: if report.calls == 0 {
            0.0
        } else {
            report.alloc_measured.count as f64 / report.calls as f64
        },
        calls_per_second: if seconds > 0.0 { report.calls as f64 / seconds } else { 0.0 },
    })
}
