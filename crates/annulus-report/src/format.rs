//! Number formatting shared by every renderer, so that the Markdown, HTML and terminal outputs
//! print the same digits.
//!
//! Pixel errors and rates get four decimals (0.1 mpx resolves every threshold, which are whole
//! hundredths); counts are whole numbers; deltas carry their sign (`+0.0012`, `-0.0030`), and a
//! delta that is exactly zero prints as `0`. A missing value prints as an en dash. Rust's float
//! formatting rounds the exact binary value half to even, and does not depend on the locale or
//! the platform, so the output is deterministic.

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
