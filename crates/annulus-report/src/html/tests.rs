//! Tests of the HTML page: well-formed, self-contained, one plot per gate and kind, escaped.

use super::*;
use crate::compare::compare;
use crate::fixtures::report_pair;
use crate::thresholds::Thresholds;

/// Parses the page as XML; the HTML5 doctype is the only DTD it has.
fn parse(page: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(page, options).expect("well-formed XML")
}

fn elements<'a>(doc: &'a roxmltree::Document<'_>, name: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.tag_name().name() == name).collect()
}

#[test]
fn the_page_is_well_formed_with_two_plots_per_scored_gate() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let page = html(&c, &after, Some(&baseline));
    let doc = parse(&page);
    // blur3, reference and distortion/true_camera are scored; self_estimated is skipped.
    let svgs = elements(&doc, "svg");
    assert_eq!(svgs.len(), 6);
    assert!(svgs.iter().all(|s| s.tag_name().namespace() == Some("http://www.w3.org/2000/svg")));
    let paths = elements(&doc, "path");
    assert_eq!(paths.len(), 6, "two distribution curves per scored gate");
    assert_eq!(
        elements(&doc, "table").len(),
        1 + 1 + 3 + 1 + 1,
        "provenance, artifacts, 3 gates, frames, checks"
    );
    assert!(page.contains("<p class=\"verdict fail\">"));
}

#[test]
fn the_page_is_self_contained() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let page = html(&c, &after, Some(&baseline));
    assert!(!page.contains("<script"));
    assert!(!page.contains("<link"));
    assert!(!page.contains("src="));
    let urls: Vec<&str> = page.match_indices("http").map(|(i, _)| &page[i..i + 30]).collect();
    assert!(urls.iter().all(|u| u.starts_with("http://www.w3.org/2000/svg")), "{urls:?}");
}

#[test]
fn text_from_the_runs_is_escaped() {
    let (mut baseline, mut after) = report_pair();
    after.label = "topic<script>alert(1)</script>".to_owned();
    baseline.label = "main & \"quotes\"".to_owned();
    after.provenance.machine = "<b>bold</b>".to_owned();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    let page = html(&c, &after, Some(&baseline));
    assert!(!page.contains("<script>"));
    assert!(!page.contains("<b>"));
    assert!(page.contains("topic&lt;script&gt;alert(1)&lt;/script&gt;"));
    let doc = parse(&page);
    let legend = doc
        .descendants()
        .find(|n| n.text() == Some("after (topic<script>alert(1)</script>)"))
        .expect("the legend shows the label as text");
    assert_eq!(legend.tag_name().name(), "text");
}

#[test]
fn the_page_works_without_a_baseline() {
    let (_, after) = report_pair();
    let c = compare(&after, None, &Thresholds::default());
    let page = html(&c, &after, None);
    let doc = parse(&page);
    assert_eq!(elements(&doc, "svg").len(), 6);
    assert_eq!(elements(&doc, "path").len(), 3, "one curve per scored gate");
    assert!(!page.contains("baseline ("));
}

#[test]
fn the_page_is_deterministic() {
    let (baseline, after) = report_pair();
    let c = compare(&after, Some(&baseline), &Thresholds::default());
    assert_eq!(html(&c, &after, Some(&baseline)), html(&c, &after, Some(&baseline)));
}
