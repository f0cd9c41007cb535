//! Snapshot tests of the peer report and its headline, and their promises: no trailing spaces,
//! a fixed headline shape whatever is missing, honest statuses, and escaped text.

use super::*;
use crate::fixtures::peer::peer_run;

#[test]
fn report_of_the_fixture_run() {
    insta::assert_snapshot!(peer_markdown(&peer_run()));
}

#[test]
fn headline_of_the_fixture_run() {
    insta::assert_snapshot!(peer_headline_markdown(&peer_run()));
}

fn assert_clean(md: &str) {
    for (i, line) in md.lines().enumerate() {
        assert_eq!(line, line.trim_end(), "line {} ends in white space: {line:?}", i + 1);
    }
    assert!(md.ends_with('\n') && !md.ends_with("\n\n"), "exactly one final newline");
}

#[test]
fn neither_output_has_trailing_spaces() {
    let run = peer_run();
    assert_clean(&peer_markdown(&run));
    assert_clean(&peer_headline_markdown(&run));
}

#[test]
fn the_headline_keeps_its_shape_when_everything_is_missing() {
    let full = peer_headline_markdown(&peer_run());
    let mut empty = peer_run();
    empty.gates.clear();
    empty.perf.clear();
    let bare = peer_headline_markdown(&empty);
    assert_clean(&bare);
    let shape = |md: &str| -> Vec<usize> { md.lines().map(|l| l.matches(" | ").count()).collect() };
    assert_eq!(shape(&full), shape(&bare), "{bare}");
    assert!(bare.contains("| time per (perf_1280x1024) image, median [95 % CI] | – | – | – |"));
}

#[test]
fn the_headline_caption_is_one_line_naming_date_commit_and_machine() {
    let mut run = peer_run();
    run.provenance.dirty = true;
    let headline = peer_headline_markdown(&run);
    let caption = headline.lines().next().expect("a caption");
    assert_eq!(
        caption,
        "annulus vs ringgrid 0.13.2, measured by `cargo xtask peer` on 2026-11-24 at commit \
         `1a2b3c4d5e6f` with uncommitted changes; Test CPU @ 2.00GHz, 2 logical cores, 7.8 GiB, \
         linux x86_64."
    );
    assert_eq!(headline.lines().nth(1), Some(""), "a blank line before the table");
}

#[test]
fn detectors_that_did_not_run_are_shown_not_dropped() {
    let md = peer_markdown(&peer_run());
    assert!(
        md.contains(
            "| status | ran | **ran, errors on 1 of 2 images** | **error: camera models are not \
             supported by ringgrid 0.13.2** |"
        ),
        "{md}"
    );
    assert!(md.contains("| status | ran | ran | **found nothing** |"));
    assert!(md.contains("- `ringgrid` found nothing on `distortion/no_camera`."));
    assert!(md.contains(
        "- `annulus_auto` returned an error on 1 of 2 images of `distortion/true_camera` (scored \
         as finding nothing): image 1: no marker candidates between 20 and 60 px."
    ));
    assert!(md.contains(
        "- `ringgrid` was not run on `reference`, `blur3`, `distortion/no_camera` and \
         `distortion/true_camera` on annulus's own board: ringgrid decodes only its own board's \
         codewords."
    ));
    assert!(
        md.contains("- `ringgrid` on `perf_1280x1024`: not measured: instructions (callgrind).")
    );
    assert!(md.contains(
        "- `perf_1920x1080`: 5 timed rounds of `annulus`, `annulus_auto` and `ringgrid`, too \
         few for a 95 % interval"
    ));
}

#[test]
fn text_from_the_run_cannot_break_the_markup() {
    let mut run = peer_run();
    run.provenance.machine.cpu = "a | b *c* `d` <e>".to_owned();
    run.gates[3].ringgrid = crate::peer::PeerDetectorScore::failed("bad | pipe\nand *stars*");
    let md = peer_markdown(&run);
    assert!(md.contains("a \\| b \\*c\\* \\`d\\` \\<e>"), "{md}");
    assert!(md.contains("**error: bad \\| pipe and \\*stars\\***"), "{md}");
    let headline = peer_headline_markdown(&run);
    assert!(headline.contains("a | b \\*c\\* \\`d\\` \\<e>"), "outside a table a pipe is text");
}
