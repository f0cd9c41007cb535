//! `report.html`: the report as one self-contained page, with inline CSS and inline SVG plots.
//!
//! The page needs nothing from the network and runs no script. Its markup is also well-formed
//! XML (every element closed, only the five XML entities), so that a strict parser, and the
//! tests, can read it. Every piece of text from the runs is escaped.

#[cfg(test)]
mod tests;

use annulus_score::{GateScore, ImageRow};

use crate::comparison::{Comparison, Verdict};
use crate::document::{self, Align, Block, Span, Table};
use crate::plots::{self, AFTER_LOOK, BASELINE_LOOK, Look, Series};
use crate::run::{GateRun, LabelRun};
use crate::svg::escape;

/// The page's style: system fonts, readable widths, and a colour for each verdict.
const STYLE: &str = "\
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.4; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { margin-top: 1.5rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.85rem; }
pre { background: #f6f6f6; padding: 0.5rem; overflow-x: auto; }
.verdict { padding: 0.5rem 0.8rem; border-left: 0.4rem solid #888; background: #f6f6f6; }
.verdict.pass { border-color: #2e7d32; background: #edf7ee; }
.verdict.escalate { border-color: #ef6c00; background: #fff4e5; }
.verdict.fail { border-color: #c62828; background: #fdecea; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; align-items: flex-start; }
";

/// The HTML report (`report.html`): the Markdown report's content, plus per gate an SVG of the
/// centre-error distribution and one of recall and mean centre error per image, baseline and
/// run together. Works without a baseline.
pub fn html(comparison: &Comparison, after: &LabelRun, baseline: Option<&LabelRun>) -> String {
    let verdict_class = match comparison.verdict {
        Verdict::Pass => "verdict pass",
        Verdict::Escalate => "verdict escalate",
        Verdict::Fail => "verdict fail",
        Verdict::NoBaseline => "verdict",
    };
    page(
        &document::title(comparison),
        &document::build(comparison, after, baseline),
        verdict_class,
        &|key| gate_plots(key, after, baseline),
    )
}

/// A whole page: `title`, then `blocks` in order. [`Block::Verdict`] paragraphs get the class
/// `verdict_class`, and [`Block::Plots`] is replaced by what `plots` returns for its key.
pub(crate) fn page(
    title: &str,
    blocks: &[Block],
    verdict_class: &str,
    plots: &dyn Fn(&str) -> String,
) -> String {
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n");
    out.push_str("<meta charset=\"utf-8\"/>\n");
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str(&format!("<style>\n{STYLE}</style>\n</head>\n<body>\n"));
    for block in blocks {
        match block {
            Block::Heading(level, spans) => {
                out.push_str(&format!("<h{level}>{}</h{level}>\n", spans_html(spans)));
            }
            Block::Paragraph(spans) => out.push_str(&format!("<p>{}</p>\n", spans_html(spans))),
            Block::Verdict(spans) => {
                out.push_str(&format!("<p class=\"{verdict_class}\">{}</p>\n", spans_html(spans)));
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", spans_html(item)));
                }
                out.push_str("</ul>\n");
            }
            Block::Code(lines) => {
                let body: Vec<String> = lines.iter().map(|l| escape(l)).collect();
                out.push_str(&format!("<pre><code>{}</code></pre>\n", body.join("\n")));
            }
            Block::Table(table) => out.push_str(&table_html(table)),
            Block::Plots(key) => out.push_str(&plots(key)),
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn spans_html(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|span| match span {
            Span::Text(s) => escape(s),
            Span::Code(s) => format!("<code>{}</code>", escape(s)),
            Span::Strong(s) => format!("<strong>{}</strong>", escape(s)),
        })
        .collect()
}

fn table_html(table: &Table) -> String {
    let class = |align: Align| match align {
        Align::Left => "",
        Align::Right => " class=\"num\"",
    };
    let mut out = String::from("<table>\n<thead><tr>");
    for (name, align) in &table.header {
        out.push_str(&format!("<th{}>{}</th>", class(*align), escape(name)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for (cell, (_, align)) in row.iter().zip(&table.header) {
            out.push_str(&format!("<td{}>{}</td>", class(*align), spans_html(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The two plots of gate `key`, from whichever runs scored it.
fn gate_plots(key: &str, after: &LabelRun, baseline: Option<&LabelRun>) -> String {
    let runs: Vec<(String, Look, &GateScore)> =
        [baseline.map(|r| ("baseline", BASELINE_LOOK, r)), Some(("after", AFTER_LOOK, after))]
            .into_iter()
            .flatten()
            .filter_map(|(role, look, run)| {
                Some((format!("{role} ({})", run.label), look, score_of(run, key)?))
            })
            .collect();
    let cdf: Vec<Series<'_, [f64]>> = runs
        .iter()
        .map(|(label, look, s)| Series {
            label: label.clone(),
            data: &s.center_errors_px[..],
            look: *look,
        })
        .collect();
    let per_image: Vec<Series<'_, [ImageRow]>> = runs
        .iter()
        .map(|(label, look, s)| Series { label: label.clone(), data: &s.images[..], look: *look })
        .collect();
    format!(
        "<div class=\"plots\">\n{}{}</div>\n",
        plots::center_error_cdf(key, &cdf),
        plots::per_image(key, &per_image)
    )
}

/// The score of gate `key` in `run`, if it was scored.
fn score_of<'a>(run: &'a LabelRun, key: &str) -> Option<&'a GateScore> {
    run.gate(key).and_then(GateRun::score)
}
