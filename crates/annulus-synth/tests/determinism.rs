//! Same scenario and seed, same bytes: on every run, in any thread pool.

mod common;

use sha2::{Digest, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let synth = common::tiny();
    for i in 0..2 {
        assert_eq!(synth.render(i).expect("renders"), synth.render(i).expect("renders"));
    }
}

#[test]
fn thread_count_does_not_change_the_output() {
    let synth = common::tiny();
    let serial = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
    let wide = rayon::ThreadPoolBuilder::new().num_threads(5).build().expect("pool");
    let one = serial.install(|| synth.render(1)).expect("renders");
    let five = wide.install(|| synth.render(1)).expect("renders");
    assert_eq!(one, five);
}

/// Pinned outputs of the tiny scenario. A change here means every stored baseline is stale:
/// only update these hashes for an intended change to the generator, and say so in the commit.
#[test]
fn tiny_scenario_output_is_pinned() {
    let synth = common::tiny();
    let pinned = [
        ("PNG 0", "67cbad7c9ce266ed4b098a00a71adbf99ed0ddbe17dc94647829314d30e83147"),
        ("truth 0", "58c2c3a99fdbea5ba354f83b3f3d07309159b9110bca25045f201537a69be1d5"),
        ("PNG 1", "c94089c6015b0e551f9f7894790f223083804381cf5413f6db55ec798f52ef8b"),
        ("truth 1", "7d92534ff600de6ad1b8da73162f15653402c6be14a7e47163b85e707ebadc4d"),
    ];
    let mut got = Vec::new();
    for i in 0..2 {
        let rendered = synth.render(i).expect("renders");
        got.push(sha256(&rendered.image.to_png(None).expect("encodes")));
        got.push(sha256(
            serde_json::to_string_pretty(&rendered.truth).expect("serialises").as_bytes(),
        ));
    }
    let got: Vec<(&str, &str)> =
        pinned.iter().zip(&got).map(|((name, _), h)| (*name, h.as_str())).collect();
    assert_eq!(got, pinned);
}
