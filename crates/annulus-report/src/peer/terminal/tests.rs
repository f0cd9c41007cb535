//! Snapshot test of the terminal table, and its promises: no trailing spaces, every detector
//! on every gate, the notes.

use super::*;
use crate::fixtures::peer::peer_run;

#[test]
fn table_of_the_fixture_run() {
    insta::assert_snapshot!(peer_terminal_table(&peer_run()));
}

#[test]
fn every_detector_appears_on_every_peer_gate_and_nothing_trails() {
    let table = peer_terminal_table(&peer_run());
    for line in table.lines() {
        assert_eq!(line, line.trim_end(), "{line:?}");
    }
    let rows = table.lines().filter(|l| l.starts_with("distortion/true_camera")).count();
    assert_eq!(rows, 3 + 2, "three detectors on the peer's board, two on annulus's own");
    assert!(table.contains("  - ringgrid could not run on distortion/true_camera: camera models"));
}
