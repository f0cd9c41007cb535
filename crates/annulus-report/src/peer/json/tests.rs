//! Tests of `peer.json`: a pinned shape, a lossless round trip, the same fields for every
//! detector, and the time ratios per perf scenario.

use super::*;
use crate::fixtures::peer::peer_run;
use crate::peer::PEER_SCHEMA_VERSION;

/// The fixture cut down to one of each kind, so that the pinned shape stays readable: the gate
/// where ringgrid failed and `annulus_auto` had an image error, one own-board gate where
/// ringgrid was not run, and the perf scenario without ringgrid's instruction count.
#[test]
fn json_of_one_of_each_kind() {
    let mut run = peer_run();
    run.gates.drain(..3);
    run.own_board_gates.truncate(1);
    run.perf.truncate(1);
    insta::assert_snapshot!(peer_json(&run));
}

#[test]
fn the_json_reads_back_unchanged() {
    let run = peer_run();
    let json = peer_json(&run);
    let back: PeerRun = serde_json::from_str(&json).expect("readable");
    assert_eq!(back, run);
    assert_eq!(peer_json(&back), json, "byte-identical when written again");
    assert!(json.ends_with("}\n"));
}

fn keys(value: &serde_json::Value) -> Vec<String> {
    value.as_object().expect("an object").keys().cloned().collect()
}

#[test]
fn every_detector_has_an_object_with_the_same_fields() {
    let value: serde_json::Value = serde_json::from_str(&peer_json(&peer_run())).expect("JSON");
    assert_eq!(value["schema_version"], PEER_SCHEMA_VERSION);
    for gate in value["gates"].as_array().expect("gates") {
        let annulus = keys(&gate["annulus"]);
        assert_eq!(keys(&gate["annulus_auto"]), annulus);
        assert_eq!(keys(&gate["ringgrid"]), annulus);
    }
    let failed = &value["gates"][3]["ringgrid"];
    assert_eq!(failed["status"]["status"], "failed");
    assert!(failed["metrics"].is_null(), "no score, but the record is there");
    assert_eq!(value["gates"][2]["ringgrid"]["status"]["status"], "found_nothing");
    assert_eq!(value["own_board_gates"][0]["ringgrid"]["status"]["status"], "not_run");
    for perf in value["perf"].as_array().expect("perf") {
        let annulus = keys(&perf["annulus"]);
        assert_eq!(keys(&perf["annulus_auto"]), annulus);
        assert_eq!(keys(&perf["ringgrid"]), annulus);
        let ratio = &perf["time_ratio"];
        assert!(ratio["ringgrid_over_annulus"]["median"].is_f64(), "{ratio}");
        assert!(ratio["ringgrid_over_annulus_auto"]["median"].is_f64());
    }
    assert!(value["perf"][0]["ringgrid"]["instructions"].is_null(), "missing, not zero");
    assert!(value["perf"][1]["time_ratio"]["ringgrid_over_annulus"]["ci95"].is_null());
}
