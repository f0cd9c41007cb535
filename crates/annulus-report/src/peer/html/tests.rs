//! Tests of the peer page: well-formed, self-contained, the plots it promises, and escaped.

use super::*;
use crate::fixtures::peer::peer_run;
use crate::peer::PeerDetectorScore;

/// Parses the page as XML; the HTML5 doctype is the only DTD it has.
fn parse(page: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(page, options).expect("well-formed XML")
}

fn count(doc: &roxmltree::Document<'_>, name: &str) -> usize {
    doc.descendants().filter(|n| n.tag_name().name() == name).count()
}

#[test]
fn the_page_is_self_contained() {
    let page = peer_html(&peer_run());
    assert!(!page.contains("<script"));
    assert!(!page.contains("<link"));
    assert!(!page.contains("src="));
    assert!(!page.contains("href"));
    // The only URL is the SVG namespace, a name rather than something to fetch: the page is
    // also XML, and an XML parser needs it to know the elements are SVG.
    let rest = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(!rest.contains("http"), "a URL other than the SVG namespace");
}

#[test]
fn the_page_has_every_plot() {
    let run = peer_run();
    let page = peer_html(&run);
    let doc = parse(&page);
    // Two per peer gate (distribution, per image) and one per perf scenario.
    assert_eq!(count(&doc, "svg"), 2 * run.gates.len() + run.perf.len());
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "title")
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&"blur3: centre error distribution"), "{titles:?}");
    assert!(titles.contains(&"distortion/true_camera: recall and centre error per image"));
    assert!(
        titles.contains(&"perf_1280x1024: time per 1280 × 1024 image, median with 95 % interval")
    );
    assert!(page.contains(">ringgrid (error)</text>"), "the legend says why a curve is missing");
    assert!(page.contains(">ringgrid (found nothing)</text>"));
    assert!(page.contains(">n = 5: no 95 % CI</text>"), "and why a whisker is");
}

#[test]
fn hostile_text_is_escaped() {
    let hostile = "</title><script>alert(\"x\")</script><img src=x onerror=1>&amp;";
    let mut run = peer_run();
    run.provenance.machine.cpu = hostile.to_owned();
    run.provenance.ringgrid_version = hostile.to_owned();
    run.provenance.notes.push(hostile.to_owned());
    run.gates[0].ringgrid = PeerDetectorScore::failed(hostile);
    let page = peer_html(&run);
    assert!(!page.contains("<script"), "no script element, whatever the run says");
    assert!(!page.contains("<img"));
    assert!(page.contains("&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    let doc = parse(&page);
    let title = doc
        .descendants()
        .find(|n| n.tag_name().name() == "title")
        .and_then(|n| n.text())
        .expect("a title");
    assert_eq!(title, format!("annulus vs ringgrid {hostile}"), "the text survives as text");
    assert!(doc.descendants().any(|n| n.text() == Some(hostile)), "the note, as text");
}

#[test]
fn the_page_is_deterministic() {
    assert_eq!(peer_html(&peer_run()), peer_html(&peer_run()));
}
