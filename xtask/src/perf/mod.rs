//! The performance lab: recording a label's performance (`perf-baseline`), the measuring pieces
//! it shares with `ci` and `bless` (the probe, callgrind, the profile, criterion's samples),
//! and comparing two labels' records and closing a change with a report and a commit message
//! (`compare`, `finalize`).
//!
//! | module | role |
//! |---|---|
//! | [`baseline`] | `cargo xtask perf-baseline` |
//! | [`benchmarks`] | running criterion and reading its samples |
//! | [`probe`] | running `annulus-probe` (allocations, stage times, peak memory) |
//! | [`callgrind`] | instruction counts under valgrind |
//! | [`profile`], [`hotspots`] | `perf record`, folded stacks, flamegraph, top functions |
//! | [`stats`] | medians and their intervals for `perf.json` |
//! | [`summary`] | the table `perf-baseline` prints |
//! | [`schema`] | `target/perf/<label>/perf.json` |
//! | [`significance`] | medians with intervals, Mann–Whitney U, bootstrap of a ratio: is a change real |
//! | [`comparison`] | two `perf.json` lined up, with verdicts (`benchmark-comparison.json`) |
//! | [`format`](mod@format) | durations, percentages, counts, p-values |
//! | [`bench_report`] | `benchmark-report.md` and the terminal table |
//! | [`compare`] | `cargo xtask compare` |
//! | [`final_report`] | `final-report.md` and the commit message draft |
//! | [`finalize`] | `cargo xtask finalize` |
//! | [`ab`] | `cargo xtask ab`: the working tree against a git revision, interleaved |

pub mod ab;
pub mod baseline;
pub mod bench_report;
pub mod benchmarks;
pub mod callgrind;
pub mod compare;
pub mod comparison;
pub mod final_report;
pub mod finalize;
pub mod format;
pub mod hotspots;
pub mod probe;
pub mod profile;
pub mod schema;
pub mod significance;
pub mod stats;
pub mod summary;

#[cfg(test)]
mod fixtures;
