//! Number formatting shared by every renderer, so that the Markdown, HTML and terminal outputs
//! print the same digits.
//!
//! Pixel errors and rates get four decimals (0.1 mpx resolves every threshold, which are whole
//! hundredths); counts are whole numbers; deltas carry their sign (`+0.0012`, `-0.0030`), and a
//! delta that is exactly zero prints as `0`. A missing value prints as an en dash.
//!
//! The peer report adds resources: counts of events (instructions, allocations) whole with
//! thousands separators (`1,234,567`); sizes in binary units with one decimal (`512 B`,
//! `14.1 MiB`), each in the largest unit that keeps it at least 1 after rounding; times per
//! image in milliseconds with two decimals (10 µs resolves any difference that matters between
//! calls of milliseconds or more); time ratios with two decimals and a times sign (`3.12×`).
//!
//! Rust's float formatting rounds the exact binary value half to even, and does not depend on
//! the locale or the platform, so the output is deterministic. xtask's `perf/format.rs` has its
//! own thousands separator (`count`); it could use this one.

#[cfg(test)]
mod tests;

use crate::metrics::is_count;

/// What a missing value prints as.
pub(crate) const MISSING: &str = "–";

/// Decimals of pixel errors and rates.
const DECIMALS: usize = 4;

/// `value` in `unit`: a whole number for counts, four decimals otherwise.
pub(crate) fn value(value: Option<f64>, unit: &str) -> String {
    match value {
        None => MISSING.to_owned(),
        Some(v) if is_count(unit) => format!("{v:.0}"),
        Some(v) => format!("{v:.DECIMALS$}"),
    }
}

/// `delta` in `unit`, signed; exactly zero prints as `0`.
pub(crate) fn delta(delta: Option<f64>, unit: &str) -> String {
    match delta {
        None => MISSING.to_owned(),
        // A float pattern compares with `==`, so `-0.0` prints as `0` too.
        Some(0.0) => "0".to_owned(),
        Some(d) if is_count(unit) => format!("{d:+.0}"),
        Some(d) => format!("{d:+.DECIMALS$}"),
    }
}

/// A value followed by its unit, for sentences: `0.1234 px`, `0.9800`, `3 markers`.
pub(crate) fn with_unit(v: Option<f64>, unit: &str) -> String {
    match v {
        Some(_) if unit != crate::metrics::UNIT_RATIO => format!("{} {unit}", value(v, unit)),
        _ => value(v, unit),
    }
}

/// A whole number with thousands separators: `0`, `999`, `1,000`, `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Binary units of a size, smallest first.
const BYTE_UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];

/// A size in bytes: whole bytes below 1 KiB, else one decimal in the largest binary unit that
/// keeps the printed value below 1024 (`1023 B`, `1.0 KiB`, `14.1 MiB`; 1,048,575 B prints as
/// `1.0 MiB`, never `1024.0 KiB`).
pub(crate) fn bytes(n: u64) -> String {
    if n < 1024 {
        return format!("{n} B");
    }
    // Sizes far below 2⁵³ bytes convert exactly; larger ones are rounded far below a printed
    // decimal.
    let mut value = n as f64 / 1024.0;
    let mut unit = 1;
    // The printed text decides, so that rounding up to 1024.0 moves to the next unit.
    while unit + 1 < BYTE_UNITS.len()
        && format!("{value:.1}").parse::<f64>().is_ok_and(|v| v >= 1024.0)
    {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", BYTE_UNITS[unit])
}

/// A time given in nanoseconds, in milliseconds with two decimals: `236.04 ms`.
pub(crate) fn ms(ns: u64) -> String {
    format!("{} ms", ms_number(ns))
}

/// [`ms`] without the unit, for intervals whose unit is said once: `236.04`.
pub(crate) fn ms_number(ns: u64) -> String {
    // Nanosecond counts below 2⁵³ (104 days) convert exactly; the quotient is rounded once.
    format!("{:.2}", ns as f64 / 1e6)
}

/// A ratio with two decimals and a times sign: `3.12×`.
pub(crate) fn times(ratio: f64) -> String {
    format!("{ratio:.2}×")
}
