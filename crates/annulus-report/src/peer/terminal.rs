//! The plain text `cargo xtask peer` prints at the end: the headline's caption, one aligned
//! table of every gate and detector, annulus on its own board, speed and memory, then what did
//! not run or was not measured, and the files written.
//!
//! Columns are aligned by character count (the crate's shared aligner); there are no colours or
//! control characters, and no line ends in a space. Statuses are one or two words here; the
//! notes under the tables carry the messages.

#[cfg(test)]
mod tests;

use crate::format::MISSING;
use crate::terminal::aligned;

use super::cells;
use super::document;
use super::model::{DetectorId, DetectorStatus, PeerGate, PeerRun};

/// The headers of a gate table: narrower than the Markdown's, the same columns.
const TERMINAL_GATE_HEADERS: [&str; 10] = [
    "gate",
    "detector",
    "status",
    "recall",
    "precision",
    "wrong IDs",
    "missed/visible",
    "centre mean/p95/max (px)",
    "H self mean/p95 (px)",
    "H truth mean/p95 (px)",
];

/// The run as plain text for a terminal (module docs).
pub fn peer_terminal_table(run: &PeerRun) -> String {
    let p = &run.provenance;
    let commit = match &p.commit {
        Some(c) if p.dirty => format!("commit {c} with uncommitted changes"),
        Some(c) => format!("commit {c}"),
        None => "an unknown commit".to_owned(),
    };
    let mut out = format!(
        "{}: {}, {commit}, {}\n",
        document::title(run),
        cells::date(&p.created_utc),
        p.machine.describe()
    );
    out.push_str("\naccuracy on the peer's board\n");
    out.push_str(&gate_table(&run.gates, false));
    out.push_str("\nannulus on its own default board\n");
    out.push_str(&gate_table(&run.own_board_gates, true));
    out.push_str("\nspeed and memory (time per image: median [95 % CI])\n");
    let mut rows: Vec<Vec<String>> = vec![
        [
            "scenario",
            "detector",
            "status",
            "time per image",
            "ringgrid ÷ this",
            "instructions",
            "allocs cold",
            "allocs warm",
            "peak heap",
            "peak RSS",
        ]
        .map(str::to_owned)
        .to_vec(),
    ];
    for perf in &run.perf {
        for id in DetectorId::ALL {
            let t = perf.detector(id);
            rows.push(vec![
                perf.scenario.clone(),
                id.as_str().to_owned(),
                cells::short_status(&t.status).to_owned(),
                cells::time(t.time_per_image.as_ref()),
                match id {
                    DetectorId::Ringgrid => MISSING.to_owned(),
                    _ => cells::time_ratio(perf.ratio_to(id)),
                },
                cells::opt_count(t.instructions),
                cells::allocations(t.alloc_cold),
                cells::allocations(t.alloc_warm),
                cells::opt_bytes(t.peak_heap_bytes),
                cells::opt_kib(t.peak_rss_kib),
            ]);
        }
    }
    push_lines(&mut out, &rows, 3);
    let notes = cells::honesty_notes(run);
    if !notes.is_empty() {
        out.push_str("\nnot run or not measured:\n");
        for note in &notes {
            out.push_str(&format!("  - {}\n", cells::plain(note)));
        }
    }
    if !p.artifacts.is_empty() {
        out.push_str("\nwritten:\n");
        for artifact in &p.artifacts {
            out.push_str(&format!("  {artifact}\n"));
        }
    }
    out
}

/// One row per gate and detector, or a line saying there are none. With `skip_not_run`, a
/// detector deliberately not run on every one of `gates` gets no rows (the notes name it).
fn gate_table(gates: &[PeerGate], skip_not_run: bool) -> String {
    let shown: Vec<DetectorId> = DetectorId::ALL
        .into_iter()
        .filter(|&id| {
            !skip_not_run
                || gates
                    .iter()
                    .any(|g| !matches!(g.detector(id).status, DetectorStatus::NotRun { .. }))
        })
        .collect();
    let mut rows = vec![TERMINAL_GATE_HEADERS.map(str::to_owned).to_vec()];
    for gate in gates {
        for &id in &shown {
            let score = gate.detector(id);
            let mut row = vec![
                gate.key(),
                id.as_str().to_owned(),
                cells::short_status(&score.status).to_owned(),
            ];
            row.extend(cells::compact_metrics(score));
            rows.push(row);
        }
    }
    if rows.len() == 1 {
        return "  none\n".to_owned();
    }
    let mut out = String::new();
    push_lines(&mut out, &rows, 3);
    out
}

/// Appends `rows` aligned, the first `n_left` columns as text.
fn push_lines(out: &mut String, rows: &[Vec<String>], n_left: usize) {
    for line in aligned(rows, n_left) {
        out.push_str(&line);
        out.push('\n');
    }
}
