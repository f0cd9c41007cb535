//! The performance lab: what `perf-baseline` records (`schema`), and comparing two labels'
//! records and closing a change with a report and a commit message (`compare`, `finalize`).
//!
//! | module | role |
//! |---|---|
//! | [`schema`] | `target/perf/<label>/perf.json` |
//! | [`significance`] | medians with intervals, Mann–Whitney U, bootstrap of a ratio: is a change real |
//! | [`comparison`] | two `perf.json` lined up, with verdicts (`benchmark-comparison.json`) |
//! | [`format`](mod@format) | durations, percentages, counts, p-values |
//! | [`bench_report`] | `benchmark-report.md` and the terminal table |
//! | [`compare`] | `cargo xtask compare` |
//! | [`final_report`] | `final-report.md` and the commit message draft |
//! | [`finalize`] | `cargo xtask finalize` |

pub mod bench_report;
pub mod compare;
pub mod comparison;
pub mod final_report;
pub mod finalize;
pub mod format;
pub mod schema;
pub mod significance;

#[cfg(test)]
mod fixtures;
