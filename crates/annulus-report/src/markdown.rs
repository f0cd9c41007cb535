//! `accuracy-report.md`: the report as GitHub-flavoured Markdown.
//!
//! Plain text is escaped where Markdown would read it as syntax (`\`, `` ` ``, `*`, `<`, and
//! `|` in tables); identifiers go in code spans. Plots are left to the HTML page.

#[cfg(test)]
mod tests;

use crate::comparison::Comparison;
use crate::document::{self, Align, Block, Span, Table};
use crate::run::LabelRun;

/// The Markdown report (`accuracy-report.md`): title, provenance, commands, artifacts, a table
/// per gate, the frame table, the threshold checks, the flags, and the verdict with its meaning.
pub fn markdown(comparison: &Comparison, after: &LabelRun, baseline: Option<&LabelRun>) -> String {
    render(document::build(comparison, after, baseline))
}

/// `blocks` as Markdown, one blank line between blocks, ending with exactly one newline.
/// [`Block::Plots`] is left out: plots are for the HTML page.
pub(crate) fn render(blocks: Vec<Block>) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading(level, spans) => {
                out.push_str(&"#".repeat(usize::from(level)));
                out.push(' ');
                out.push_str(&spans_md(&spans, false));
                out.push_str("\n\n");
            }
            Block::Paragraph(spans) | Block::Verdict(spans) => {
                out.push_str(&spans_md(&spans, false));
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for item in items {
                    out.push_str("- ");
                    out.push_str(&spans_md(&item, false));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Code(lines) => {
                let fence = fence(&lines);
                out.push_str(&format!("{fence}text\n"));
                for line in lines {
                    out.push_str(&line.replace('\n', " "));
                    out.push('\n');
                }
                out.push_str(&format!("{fence}\n\n"));
            }
            Block::Table(table) => out.push_str(&table_md(&table)),
            Block::Plots(_) => {}
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// A fence longer than any run of backticks in `lines`, and at least three long.
fn fence(lines: &[String]) -> String {
    let longest = lines.iter().flat_map(|l| l.split(|c| c != '`')).map(str::len).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn table_md(table: &Table) -> String {
    let mut out = String::from("|");
    for (name, _) in &table.header {
        out.push_str(&format!(" {} |", escape(name, true)));
    }
    out.push_str("\n|");
    for (_, align) in &table.header {
        out.push_str(match align {
            Align::Left => "---|",
            Align::Right => "---:|",
        });
    }
    out.push('\n');
    for row in &table.rows {
        out.push('|');
        for cell in row {
            out.push_str(&format!(" {} |", spans_md(cell, true)));
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

fn spans_md(spans: &[Span], in_table: bool) -> String {
    spans
        .iter()
        .map(|span| match span {
            Span::Text(s) => escape(s, in_table),
            Span::Strong(s) => format!("**{}**", escape(s, in_table)),
            Span::Code(s) if s.contains('`') || s.is_empty() => escape(s, in_table),
            Span::Code(s) => {
                let s = s.replace('\n', " ");
                format!("`{}`", if in_table { s.replace('|', "\\|") } else { s })
            }
        })
        .collect()
}

/// `s` with Markdown syntax characters escaped and newlines folded, so that it reads as
/// itself.
fn escape(s: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '<' => {
                out.push('\\');
                out.push(c);
            }
            '|' if in_table => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}
