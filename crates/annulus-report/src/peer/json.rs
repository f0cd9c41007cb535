//! `peer.json`: the run as pretty JSON, for tools and for later re-rendering.
//!
//! Keys come in the declaration order of the model's types, which never depends on the data,
//! so equal runs give byte-identical files. Every per-detector record is an object keyed
//! `annulus`, `annulus_auto` or `ringgrid`, of one type, so the three have the same fields;
//! `perf[i].time_ratio` holds ringgrid's time over each annulus variant's. Read it back with
//! `serde_json::from_str::<PeerRun>` and check `schema_version` against
//! [`PEER_SCHEMA_VERSION`](super::PEER_SCHEMA_VERSION).

#[cfg(test)]
mod tests;

use super::model::PeerRun;

/// The run as pretty JSON (two-space indent, fields in declaration order, floats in their
/// shortest round-trip form, a non-finite float as `null`), ending with a newline.
pub fn peer_json(run: &PeerRun) -> String {
    // Invariant: the run holds only strings, numbers, booleans, options, vectors and enums with
    // string tags, all of which serde_json writes without failing.
    #[allow(clippy::expect_used)]
    let mut json = serde_json::to_string_pretty(run).expect("the run is plain data");
    json.push('\n');
    json
}
