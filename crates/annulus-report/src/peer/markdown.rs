//! `peer-report.md` and the headline table pasted into the README and
//! `docs/performance/PEERS.md`, as GitHub-flavoured Markdown through the crate's shared
//! renderer (escaping, code spans, fenced commands). Neither output has trailing spaces, and
//! both end with exactly one newline.

#[cfg(test)]
mod tests;

use super::document;
use super::model::PeerRun;

/// The full peer report (`peer-report.md`): the headline, provenance (date, commit, machine,
/// ringgrid's version, boards, commands, artifacts), the detectors, a table per gate with every
/// detector side by side, annulus on its own board, speed and memory per perf scenario, and
/// the method with everything that did not run or was not measured.
pub fn peer_markdown(run: &PeerRun) -> String {
    crate::markdown::render(document::build(run))
}

/// The headline alone: a one-line caption naming the date, commit and machine, then a table of
/// `blur3` and `reference` centre error mean and recall, time per 1280 × 1024 image with its
/// interval, ringgrid's time ratio and warm allocations, one column per detector. Its rows are
/// fixed, so that the table keeps its shape between runs when pasted between markers.
pub fn peer_headline_markdown(run: &PeerRun) -> String {
    crate::markdown::render(document::headline(run))
}
