//! The performance lab: `perf-baseline` and the measuring pieces it shares with `ci` and
//! `bless` (the probe, callgrind, the profile, criterion's samples and their statistics).

pub mod baseline;
pub mod benchmarks;
pub mod callgrind;
pub mod hotspots;
pub mod probe;
pub mod profile;
pub mod schema;
pub mod stats;
pub mod summary;
