//! The peer report's content as blocks, built once and rendered by both the Markdown and the
//! HTML writers (the crate's shared [`Block`] model), so that the two say the same thing.
//!
//! Plot blocks carry a key the HTML writer resolves: [`ACCURACY_PLOTS`] followed by a gate's
//! key, or [`PERF_PLOTS`] followed by a perf scenario's name.

use crate::document::{Align, Block, Span, Table, code, left, right, strong, text};
use crate::format::MISSING;

use super::cells::{self, METRIC_ROWS};
use super::model::{
    DetectorId, DetectorStatus, PeerDetectorScore, PeerGate, PeerMetrics, PeerPerf, PeerRun,
};

/// The plot key prefix of a gate's accuracy plots.
pub(crate) const ACCURACY_PLOTS: &str = "accuracy:";
/// The plot key prefix of a perf scenario's time chart.
pub(crate) const PERF_PLOTS: &str = "perf:";

/// The gates whose centre error and recall the headline shows, in order.
pub(crate) const HEADLINE_GATES: [&str; 2] = ["blur3", "reference"];
/// The perf scenario whose time, ratio and allocations the headline shows.
pub(crate) const HEADLINE_PERF: &str = "perf_1280x1024";

/// `annulus vs ringgrid 0.13.2`.
pub(crate) fn title(run: &PeerRun) -> String {
    format!("annulus vs ringgrid {}", run.provenance.ringgrid_version)
}

/// The whole report.
pub(crate) fn build(run: &PeerRun) -> Vec<Block> {
    let mut blocks = vec![Block::Heading(1, vec![text(title(run))])];
    blocks.extend(headline(run));
    blocks.extend(provenance(run));
    blocks.push(Block::Heading(2, vec![text("Detectors")]));
    blocks.push(Block::List(
        DetectorId::ALL
            .iter()
            .map(|id| vec![code(id.as_str()), text(format!(": {}.", id.description()))])
            .collect(),
    ));
    blocks.push(Block::Heading(2, vec![text("Accuracy on the peer's board")]));
    blocks.push(Block::Paragraph(vec![
        text("Board: "),
        text(&run.provenance.peer_board),
        text(
            ". Every detector sees byte-identical images, and every detection is scored by the \
             same code (annulus-score).",
        ),
    ]));
    if run.gates.is_empty() {
        blocks.push(Block::Paragraph(vec![text("No gate was run.")]));
    }
    for gate in &run.gates {
        blocks.extend(gate_section(gate));
    }
    blocks.extend(own_board_section(run));
    blocks.extend(perf_section(run));
    blocks.extend(method_section(run));
    blocks
}

/// The headline: a one-line caption naming the date, commit and machine, then a compact table
/// of the headline gates' centre error and recall and the headline scenario's time, ratio and
/// warm allocations. Its rows are fixed, so that the pasted table keeps its shape from run to
/// run; a value that is absent prints as a dash, a detector without a score as its status.
pub(crate) fn headline(run: &PeerRun) -> Vec<Block> {
    let p = &run.provenance;
    let mut caption =
        vec![text(format!("annulus vs ringgrid {}, measured by ", p.ringgrid_version))];
    caption.push(code("cargo xtask peer"));
    caption.push(text(format!(" on {} at ", cells::date(&p.created_utc))));
    caption.extend(cells::commit_spans(p.commit.as_deref(), p.dirty));
    caption.push(text(format!("; {}.", p.machine.describe())));
    let mut rows = Vec::new();
    for key in HEADLINE_GATES {
        let gate = run.gate(key);
        let accuracy_row =
            |label: &str, cell: fn(&PeerMetrics) -> String| {
                let mut row = vec![vec![code(key), text(format!(" {label}"))]];
                row.extend(DetectorId::ALL.map(|id| {
                    vec![text(gate.map_or_else(
                        || MISSING.to_owned(),
                        |g| headline_metric(g.detector(id), cell),
                    ))]
                }));
                row
            };
        rows.push(accuracy_row("centre error mean (px)", |m| {
            cells::px(m.center_error_px.map(|s| s.mean))
        }));
        rows.push(accuracy_row("recall", |m| cells::ratio(m.recall)));
    }
    let perf = run.perf_scenario(HEADLINE_PERF);
    let size = perf.map_or_else(
        || format!("({HEADLINE_PERF})"),
        |p| format!("{} × {}", p.width_px, p.height_px),
    );
    let perf_row = |label: String, cell: &dyn Fn(&PeerPerf, DetectorId) -> String| {
        let mut row = vec![vec![text(label)]];
        row.extend(DetectorId::ALL.map(|id| {
            vec![text(perf.map_or_else(|| MISSING.to_owned(), |p| perf_cell(p, id, cell)))]
        }));
        row
    };
    rows.push(perf_row(format!("time per {size} image, median [95 % CI]"), &|p, id| {
        cells::time(p.detector(id).time_per_image.as_ref())
    }));
    rows.push(perf_row(
        "ringgrid time ÷ this detector's, median [95 % CI]".to_owned(),
        &|p, id| cells::time_ratio(p.ratio_to(id)),
    ));
    rows.push(perf_row("allocations per warm call (bytes)".to_owned(), &|p, id| {
        cells::allocations(p.detector(id).alloc_warm)
    }));
    vec![Block::Paragraph(caption), Block::Table(Table { header: detector_header(""), rows })]
}

/// A headline accuracy cell: the value, or the detector's status when it has no score, or
/// "found nothing" where a detector that found nothing has no value.
fn headline_metric(score: &PeerDetectorScore, cell: fn(&PeerMetrics) -> String) -> String {
    match (&score.status, &score.metrics) {
        (_, Some(m)) => {
            let value = cell(m);
            if value == MISSING && score.status == DetectorStatus::FoundNothing {
                "found nothing".to_owned()
            } else {
                value
            }
        }
        (status, None) => cells::short_status(status).to_owned(),
    }
}

/// A headline perf cell: `cell`, or the detector's status when it was not timed.
fn perf_cell(
    perf: &PeerPerf,
    id: DetectorId,
    cell: &dyn Fn(&PeerPerf, DetectorId) -> String,
) -> String {
    match &perf.detector(id).status {
        status @ (DetectorStatus::Failed { .. } | DetectorStatus::NotRun { .. }) => {
            cells::short_status(status).to_owned()
        }
        DetectorStatus::Ran | DetectorStatus::FoundNothing => cell(perf, id),
    }
}

/// A header with a first column named `first` and one numeric column per detector.
fn detector_header(first: &str) -> Vec<(String, Align)> {
    let mut header = vec![left(first)];
    header.extend(DetectorId::ALL.map(|id| right(id.as_str())));
    header
}

fn provenance(run: &PeerRun) -> Vec<Block> {
    let p = &run.provenance;
    let commit = match &p.commit {
        Some(c) => {
            let dirty = if p.dirty { " (uncommitted changes)" } else { "" };
            vec![code(c), text(dirty)]
        }
        None => {
            vec![text(format!("unknown{}", if p.dirty { " (uncommitted changes)" } else { "" }))]
        }
    };
    let row = |name: &str, value: Vec<Span>| vec![vec![text(name)], value];
    let rows = vec![
        row("created (UTC)", vec![text(&p.created_utc)]),
        row("commit", commit),
        row("machine", vec![text(p.machine.describe())]),
        row("ringgrid version", vec![code(&p.ringgrid_version)]),
        row("board compared on", vec![text(&p.peer_board)]),
        row("annulus's own board", vec![text(&p.own_board)]),
    ];
    let mut blocks = vec![
        Block::Heading(2, vec![text("Provenance")]),
        Block::Table(Table { header: vec![left(""), left("")], rows }),
        Block::Heading(3, vec![text("Commands run")]),
    ];
    blocks.push(if p.commands.is_empty() {
        Block::Paragraph(vec![text("None recorded.")])
    } else {
        Block::Code(p.commands.clone())
    });
    blocks.push(Block::Heading(3, vec![text("Artifacts")]));
    blocks.push(if p.artifacts.is_empty() {
        Block::Paragraph(vec![text("None recorded.")])
    } else {
        Block::List(p.artifacts.iter().map(|a| vec![code(a)]).collect())
    });
    blocks
}

fn gate_section(gate: &PeerGate) -> Vec<Block> {
    let key = gate.key();
    let mut about = vec![text("Scenario "), code(&gate.scenario), text(", digest ")];
    about.push(code(&gate.scenario_hash));
    about.push(text(format!(", {} images", gate.n_images)));
    about.push(text(match gate.diameter_hint_px {
        Some(d) => format!(", marker diameter hint {d:.1} px."),
        None => ", no diameter hint.".to_owned(),
    }));
    let mut status_row = vec![vec![text("status")]];
    status_row.extend(DetectorId::ALL.map(|id| {
        let score = gate.detector(id);
        let status = cells::status(score, gate.n_images);
        // Anything but a clean run stands out, so that a reader skimming numbers sees it.
        vec![if score.status == DetectorStatus::Ran && score.image_errors.is_empty() {
            text(status)
        } else {
            strong(status)
        }]
    }));
    let mut rows = vec![status_row];
    for metric in &METRIC_ROWS {
        let mut row = vec![vec![text(metric.label)]];
        row.extend(
            DetectorId::ALL.map(|id| vec![text(cells::metric(gate.detector(id), metric.cell))]),
        );
        rows.push(row);
    }
    vec![
        Block::Heading(3, vec![code(&key)]),
        Block::Paragraph(about),
        Block::Table(Table { header: detector_header(""), rows }),
        Block::Plots(format!("{ACCURACY_PLOTS}{key}")),
    ]
}

fn own_board_section(run: &PeerRun) -> Vec<Block> {
    let mut blocks = vec![
        Block::Heading(2, vec![text("annulus on its own default board")]),
        Block::Paragraph(vec![
            text("The same scenarios rendered with "),
            text(&run.provenance.own_board),
            text(", so that the board's effect can be told from the detector's."),
        ]),
    ];
    // A detector that was deliberately not run on any of these gates gets no rows; the notes
    // at the end name it with the reason.
    let shown: Vec<DetectorId> = DetectorId::ALL
        .into_iter()
        .filter(|&id| {
            run.own_board_gates
                .iter()
                .any(|g| !matches!(g.detector(id).status, DetectorStatus::NotRun { .. }))
        })
        .collect();
    let mut rows = Vec::new();
    for gate in &run.own_board_gates {
        for &id in &shown {
            let score = gate.detector(id);
            let mut row = vec![
                vec![code(gate.key())],
                vec![code(id.as_str())],
                vec![text(cells::status(score, gate.n_images))],
            ];
            row.extend(cells::compact_metrics(score).map(|cell| vec![text(cell)]));
            rows.push(row);
        }
    }
    if rows.is_empty() {
        blocks.push(Block::Paragraph(vec![text("No gate was run on annulus's own board.")]));
        return blocks;
    }
    let mut header = vec![left("gate"), left("detector"), left("status")];
    header.extend(cells::COMPACT_HEADERS.map(right));
    blocks.push(Block::Table(Table { header, rows }));
    let hidden: Vec<String> = DetectorId::ALL
        .into_iter()
        .filter(|id| !shown.contains(id))
        .map(|id| id.as_str().to_owned())
        .collect();
    if !hidden.is_empty() {
        let mut spans = vec![text("Not run on this board, so not in the table: ")];
        spans.extend(cells::list_of_codes(&hidden));
        spans.push(text(" (the reason is under \"What did not run or was not measured\")."));
        blocks.push(Block::Paragraph(spans));
    }
    blocks
}

fn perf_section(run: &PeerRun) -> Vec<Block> {
    let mut blocks = vec![
        Block::Heading(2, vec![text("Speed and memory")]),
        Block::Paragraph(vec![text(
            "Each round calls every detector once on the same image; sample i of every \
             detector comes from round i, and the ratio pairs them round by round. Times are \
             wall time per call: median [95 % CI].",
        )]),
    ];
    if run.perf.is_empty() {
        blocks.push(Block::Paragraph(vec![text("No perf scenario was run.")]));
        return blocks;
    }
    let mut rows = Vec::new();
    for perf in &run.perf {
        for id in DetectorId::ALL {
            let t = perf.detector(id);
            let ratio = match id {
                DetectorId::Ringgrid => MISSING.to_owned(),
                _ => cells::time_ratio(perf.ratio_to(id)),
            };
            rows.push(vec![
                vec![code(&perf.scenario)],
                vec![code(id.as_str())],
                vec![text(cells::status_text(&t.status))],
                vec![text(cells::time(t.time_per_image.as_ref()))],
                vec![text(ratio)],
                vec![text(cells::opt_count(t.instructions))],
                vec![text(cells::allocations(t.alloc_cold))],
                vec![text(cells::allocations(t.alloc_warm))],
                vec![text(cells::opt_bytes(t.peak_heap_bytes))],
                vec![text(cells::opt_kib(t.peak_rss_kib))],
            ]);
        }
    }
    let header = vec![
        left("scenario"),
        left("detector"),
        left("status"),
        right("time per image"),
        right("ringgrid ÷ this"),
        right("instructions"),
        right("allocations, cold (bytes)"),
        right("allocations, warm (bytes)"),
        right("peak heap in a call"),
        right("peak resident memory"),
    ];
    blocks.push(Block::Table(Table { header, rows }));
    for perf in &run.perf {
        blocks.push(Block::Plots(format!("{PERF_PLOTS}{}", perf.scenario)));
    }
    blocks
}

fn method_section(run: &PeerRun) -> Vec<Block> {
    let definitions = [
        "Recall: visible markers found with the right ID / visible markers. Precision: correct \
         / identified detections. Wrong IDs: detections at a true marker with another marker's \
         ID. Missed / visible: visible markers without a correct detection / visible markers.",
        "Centre error: distance in image pixels from a correct detection's centre to the true \
         centre. Homography self error: from the detector's own centres to their board points \
         mapped through its homography; vs truth: from the true centres. Percentiles are \
         nearest rank, so p95 is one of the measured values.",
        "Time per image: the nearest-rank median of one call per round, with a \
         distribution-free 95 % interval from order statistics (binomial, Conover §3.2). \
         Below 6 rounds no such interval reaches 95 %, and none is shown.",
        "ringgrid ÷ this: the median over rounds of ringgrid's time divided by the detector's \
         in the same round, with the same kind of interval; above 1 means the detector is \
         faster than ringgrid.",
        "Allocations: heap allocations (and bytes requested) during one call; cold is the \
         first call, warm a later one. Peak heap: the most heap in use during a call above the \
         level before it. Peak resident memory: of the whole measuring process.",
        "A dash means not measured, or no value (no centre error without a correct detection).",
    ];
    let mut blocks = vec![
        Block::Heading(2, vec![text("Method and honesty")]),
        Block::List(definitions.iter().map(|d| vec![text(*d)]).collect()),
        Block::Heading(3, vec![text("Notes from the run")]),
    ];
    let notes = &run.provenance.notes;
    blocks.push(if notes.is_empty() {
        Block::Paragraph(vec![text("None recorded.")])
    } else {
        Block::List(notes.iter().map(|n| vec![text(n)]).collect())
    });
    blocks.push(Block::Heading(3, vec![text("What did not run or was not measured")]));
    let honesty = cells::honesty_notes(run);
    blocks.push(if honesty.is_empty() {
        Block::Paragraph(vec![text(
            "Nothing: every detector ran on every gate and scenario, and everything was measured.",
        )])
    } else {
        Block::List(honesty)
    });
    blocks
}
