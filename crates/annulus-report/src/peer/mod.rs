//! The side-by-side comparison of annulus with the peer detector ringgrid, as
//! `cargo xtask peer` measures it: accuracy on byte-identical images of ringgrid's default
//! board scored by the same code, annulus on its own board, and time, instructions and memory
//! per perf scenario.
//!
//! The caller (xtask) runs the detectors, scores them with `annulus-score` and builds a
//! [`PeerRun`]; this module only renders it, purely (no I/O, no clock):
//!
//! | output | function | reader |
//! |---|---|---|
//! | `peer-report.md` | [`peer_markdown`] | reviewers: provenance, headline, a table per gate, own board, speed and memory, method and honesty notes |
//! | headline between markers in `README.md` and `docs/performance/PEERS.md` | [`peer_headline_markdown`] | everyone: a caption and a small fixed table |
//! | `peer.json` | [`peer_json`] | tools: the whole [`PeerRun`], one object per detector keyed `annulus`, `annulus_auto`, `ringgrid` |
//! | `peer-report.html` | [`peer_html`] | a browser: the Markdown's content with centre-error distributions, per-image recall and time charts |
//! | terminal | [`peer_terminal_table`] | the engineer running `cargo xtask peer` |
//!
//! # Detectors
//! `annulus` is given the true marker diameter, the hint ringgrid gets on its fast path;
//! `annulus_auto` gets no hint; `ringgrid` is the peer. Every table shows all three, in that
//! order; a detector that failed, found nothing or was not run shows its status instead of
//! numbers, and the report's last section lists everything that did not run or was not
//! measured. The one exception is the own-board table, which leaves out a detector
//! deliberately not run on any of its gates (ringgrid, which reads only its own board) and
//! names it under the table.
//!
//! # Statistics
//! - A median is nearest rank: the ⌈n/2⌉-th smallest of n samples, always a measured value.
//! - Its 95 % interval is `[x₍ₖ₎, x₍ₙ₊₁₋ₖ₎]` of the sorted samples, with the largest k for which
//!   `P(B ≤ k − 1) ≤ 2.5 %`, B ~ Binomial(n, ½) (Conover §3.2): distribution-free, its exact
//!   coverage recorded. Below [`MIN_SAMPLES_FOR_CI`] = 6 samples no interval reaches 95 %, and
//!   none is given.
//! - [`TimeRatio`] is the median, with the same interval, of the per-round ratios
//!   `ringgrid_ns[i] / annulus_ns[i]`: pairing by round cancels what both detectors share in a
//!   round (load, clock), and above 1 means annulus is faster.
//! - Centre-error percentiles come from `annulus-score` (nearest rank too).

mod cells;
mod document;
mod html;
mod json;
mod markdown;
mod model;
mod ratio;
mod terminal;

pub use html::peer_html;
pub use json::peer_json;
pub use markdown::{peer_headline_markdown, peer_markdown};
pub use model::{
    Allocations, DetectorId, DetectorStatus, MAX_CDF_POINTS, PEER_SCHEMA_VERSION,
    PeerDetectorScore, PeerGate, PeerImageError, PeerMachine, PeerMetrics, PeerPerf,
    PeerProvenance, PeerRun, PeerTiming, TimeRatios,
};
pub use ratio::{CONFIDENCE, MIN_SAMPLES_FOR_CI, TimeRatio, TimeStats};
pub use terminal::peer_terminal_table;
