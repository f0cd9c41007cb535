//! The report's content as a list of blocks, built once and rendered by both the Markdown and
//! the HTML writers, so that the two always say the same thing.
//!
//! Text is kept as [`Span`]s (plain, code, strong) and escaped only by the renderer, for its
//! own syntax. Plots are a block of their own that only the HTML writer draws.

use crate::comparison::{CheckOutcome, Comparison, FlagLevel, FrameRow, GateComparison};
use crate::format;
use crate::frames::{frame_name, map_name};
use crate::run::LabelRun;

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Span {
    /// Plain text.
    Text(String),
    /// An identifier or path, shown in a fixed-width font.
    Code(String),
    /// Emphasised text.
    Strong(String),
}

/// How a table column is aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    /// Text.
    Left,
    /// Numbers.
    Right,
}

/// A table: a header, an alignment per column, and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub(crate) header: Vec<(String, Align)>,
    pub(crate) rows: Vec<Vec<Vec<Span>>>,
}

/// One block of the report.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A heading of level 1 to 3.
    Heading(u8, Vec<Span>),
    /// A paragraph.
    Paragraph(Vec<Span>),
    /// A paragraph that states the verdict, styled by it.
    Verdict(Vec<Span>),
    /// A bulleted list.
    List(Vec<Vec<Span>>),
    /// Preformatted lines, e.g. commands.
    Code(Vec<String>),
    /// A table.
    Table(Table),
    /// The plots of the gate with this key (HTML only).
    Plots(String),
}

/// The whole report.
pub(crate) fn build(c: &Comparison, after: &LabelRun, baseline: Option<&LabelRun>) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(1, vec![text(title(c))])];
    blocks.push(Block::Verdict(vec![
        strong(format!("Verdict: {}", c.verdict.as_str())),
        text(format!(" (explained at the end). Flags: {}.", flag_counts(c))),
    ]));
    blocks.extend(provenance(after, baseline));
    blocks.extend(commands(after, baseline));
    blocks.extend(artifacts(c, after, baseline));
    blocks.push(Block::Heading(2, vec![text("Gates")]));
    for gate in &c.gates {
        blocks.extend(gate_section(gate));
    }
    blocks.extend(frame_section(&c.frames));
    blocks.extend(check_section(c));
    blocks.push(Block::Heading(2, vec![text("Flags")]));
    blocks.push(if c.flags.is_empty() {
        Block::Paragraph(vec![text("None.")])
    } else {
        Block::List(
            c.flags
                .iter()
                .map(|f| vec![strong(f.level.as_str()), text(" "), text(&f.message)])
                .collect(),
        )
    });
    blocks.push(Block::Heading(2, vec![text("Verdict")]));
    blocks.push(Block::Verdict(vec![
        strong(c.verdict.as_str()),
        text(format!(": {}", c.verdict.meaning())),
    ]));
    blocks
}

/// `Accuracy report: after vs baseline`, or with no baseline.
pub(crate) fn title(c: &Comparison) -> String {
    match &c.baseline {
        Some(b) => format!("Accuracy report: {} vs {b}", c.after),
        None => format!("Accuracy report: {} (no baseline)", c.after),
    }
}

/// `1 FAIL, 0 ESCALATE, 2 NOTE`.
pub(crate) fn flag_counts(c: &Comparison) -> String {
    [FlagLevel::Fail, FlagLevel::Escalate, FlagLevel::Note]
        .map(|level| {
            let n = c.flags.iter().filter(|f| f.level == level).count();
            format!("{n} {}", level.as_str())
        })
        .join(", ")
}

/// The runs in column order: baseline first, when there is one.
fn runs<'a>(
    after: &'a LabelRun,
    baseline: Option<&'a LabelRun>,
) -> Vec<(&'static str, &'a LabelRun)> {
    let mut runs: Vec<(&'static str, &LabelRun)> = Vec::new();
    if let Some(b) = baseline {
        runs.push(("baseline", b));
    }
    runs.push(("after", after));
    runs
}

fn provenance(after: &LabelRun, baseline: Option<&LabelRun>) -> Vec<Block> {
    let runs = runs(after, baseline);
    let mut header = vec![left("")];
    header.extend(runs.iter().map(|(role, _)| left(role)));
    let row = |name: &str, cell: &dyn Fn(&LabelRun) -> Span| {
        let mut row = vec![vec![text(name)]];
        row.extend(runs.iter().map(|(_, run)| vec![cell(run)]));
        row
    };
    let rows = vec![
        row("label", &|r| code(&r.label)),
        row("commit", &|r| r.provenance.commit.as_ref().map_or(text(format::MISSING), code)),
        row("uncommitted changes", &|r| text(if r.provenance.dirty { "yes" } else { "no" })),
        row("created (UTC)", &|r| text(&r.provenance.created_utc)),
        row("machine", &|r| text(&r.provenance.machine)),
        row("images per gate", &|r| text(r.provenance.n_images.to_string())),
    ];
    vec![Block::Heading(2, vec![text("Provenance")]), Block::Table(Table { header, rows })]
}

fn commands(after: &LabelRun, baseline: Option<&LabelRun>) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(2, vec![text("Commands run")])];
    for (role, run) in runs(after, baseline) {
        blocks.push(Block::Paragraph(vec![
            text(format!("{role} (")),
            code(&run.label),
            text("):"),
        ]));
        blocks.push(if run.provenance.commands.is_empty() {
            Block::Paragraph(vec![text("None recorded.")])
        } else {
            Block::Code(run.provenance.commands.clone())
        });
    }
    blocks
}

fn artifacts(c: &Comparison, after: &LabelRun, baseline: Option<&LabelRun>) -> Vec<Block> {
    let runs = runs(after, baseline);
    let mut header = vec![left("gate")];
    header.extend(runs.iter().map(|(role, _)| left(role)));
    let rows = c
        .gates
        .iter()
        .map(|gate| {
            let mut row = vec![vec![code(&gate.key)]];
            for (_, run) in &runs {
                let paths = run.gate(&gate.key).map_or(&[][..], |g| &g.artifacts[..]);
                let mut cell = Vec::new();
                for (i, path) in paths.iter().enumerate() {
                    if i > 0 {
                        cell.push(text(", "));
                    }
                    cell.push(code(path));
                }
                if cell.is_empty() {
                    cell.push(text(format::MISSING));
                }
                row.push(cell);
            }
            row
        })
        .collect();
    vec![
        Block::Heading(2, vec![text("Artifacts")]),
        Block::Paragraph(vec![text("Paths are relative to each label's directory.")]),
        Block::Table(Table { header, rows }),
    ]
}

fn gate_section(gate: &GateComparison) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(3, vec![code(&gate.key)])];
    let mut about = vec![text("Scenario "), code(&gate.scenario)];
    if let Some(hash) = gate.after_scenario_hash.as_ref().or(gate.baseline_scenario_hash.as_ref()) {
        about.extend([text(", digest "), code(hash)]);
    }
    about.push(text("."));
    blocks.push(Block::Paragraph(about));
    if !gate.notes.is_empty() {
        blocks.push(Block::List(gate.notes.iter().map(|n| vec![text(n)]).collect()));
    }
    if gate.metrics.is_empty() {
        return blocks;
    }
    let rows = gate
        .metrics
        .iter()
        .map(|m| {
            vec![
                vec![code(&m.metric)],
                vec![text(&m.unit)],
                vec![text(format::value(m.baseline, &m.unit))],
                vec![text(format::value(m.after, &m.unit))],
                vec![text(format::delta(m.delta, &m.unit))],
            ]
        })
        .collect();
    let header =
        vec![left("metric"), left("unit"), right("baseline"), right("after"), right("delta")];
    blocks.push(Block::Table(Table { header, rows }));
    blocks.push(Block::Plots(gate.key.clone()));
    blocks
}

/// `image / image / image / identity`, or a dash.
fn frames_cell(frames: Option<&annulus_score::QuantityFrames>) -> Vec<Span> {
    vec![text(frames.map_or_else(
        || format::MISSING.to_owned(),
        |f| {
            format!(
                "{} / {} / {} / {}",
                frame_name(f.detected),
                frame_name(f.reference),
                frame_name(f.compared_in),
                map_name(f.map)
            )
        },
    ))]
}

fn frame_section(rows: &[FrameRow]) -> Vec<Block> {
    let table_rows = rows
        .iter()
        .map(|row| {
            let check = match (row.mismatch, row.outside_image_frame) {
                (false, false) => text("ok"),
                (true, false) => strong("FAIL: frames differ"),
                (false, true) => strong("FAIL: not compared in the image frame"),
                (true, true) => strong("FAIL: frames differ, not compared in the image frame"),
            };
            vec![
                vec![code(&row.gate)],
                vec![code(row.quantity.name())],
                frames_cell(row.baseline.as_ref()),
                frames_cell(row.after.as_ref()),
                vec![check],
            ]
        })
        .collect();
    let header =
        vec![left("gate"), left("quantity"), left("baseline"), left("after"), left("check")];
    vec![
        Block::Heading(2, vec![text("Frames")]),
        Block::Paragraph(vec![text(
            "Each cell reads detected frame / reference frame / compared-in frame / map into \
             the compared-in frame. Every error must be compared in the image frame, and a \
             quantity's frames must not change between the runs.",
        )]),
        Block::Table(Table { header, rows: table_rows }),
    ]
}

fn check_section(c: &Comparison) -> Vec<Block> {
    let mut rows: Vec<Vec<Vec<Span>>> = c
        .checks
        .iter()
        .map(|check| {
            let result = match check.outcome {
                CheckOutcome::Tripped => strong(check.level.as_str()),
                other => text(other.as_str()),
            };
            vec![
                vec![code(&check.gate)],
                vec![code(&check.metric)],
                vec![text(&check.rule)],
                vec![text(format::value(check.baseline, "px"))],
                vec![text(format::value(check.after, "px"))],
                vec![text(format::delta(check.delta, "px"))],
                vec![result],
            ]
        })
        .collect();
    let rate_notes = c
        .flags
        .iter()
        .filter(|f| f.level == FlagLevel::Note && (f.metric == "precision" || f.metric == "recall"))
        .count();
    let frame_fails = c.frames.iter().filter(|r| r.mismatch || r.outside_image_frame).count();
    let dash = || vec![text(format::MISSING)];
    rows.push(vec![
        vec![text("every gate")],
        vec![code("precision"), text(", "), code("recall")],
        vec![text("always shown; a drop is a NOTE")],
        dash(),
        dash(),
        dash(),
        vec![text(format!("{rate_notes} NOTE"))],
    ]);
    rows.push(vec![
        vec![text("every gate")],
        vec![text("frames")],
        vec![text("any difference, or outside the image frame, is FAIL")],
        dash(),
        dash(),
        dash(),
        vec![if frame_fails == 0 { text("pass") } else { strong(format!("{frame_fails} FAIL")) }],
    ]);
    let header = vec![
        left("gate"),
        left("metric"),
        left("rule"),
        right("baseline"),
        right("after"),
        right("delta"),
        left("result"),
    ];
    vec![Block::Heading(2, vec![text("Threshold checks")]), Block::Table(Table { header, rows })]
}

/// A plain-text span.
pub(crate) fn text(s: impl Into<String>) -> Span {
    Span::Text(s.into())
}

/// A code span.
pub(crate) fn code(s: impl Into<String>) -> Span {
    Span::Code(s.into())
}

/// An emphasised span.
pub(crate) fn strong(s: impl Into<String>) -> Span {
    Span::Strong(s.into())
}

/// A left-aligned column header.
pub(crate) fn left(s: &str) -> (String, Align) {
    (s.to_owned(), Align::Left)
}

/// A right-aligned (numeric) column header.
pub(crate) fn right(s: &str) -> (String, Align) {
    (s.to_owned(), Align::Right)
}
