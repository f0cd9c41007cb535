//! The plain-text comparison `cargo xtask validate` prints: one aligned table of every gate's
//! metrics, the gates' notes, the flags and the verdict.

#[cfg(test)]
mod tests;

use crate::comparison::Comparison;
use crate::document::{flag_counts, title};
use crate::format;

/// The comparison as plain text for a terminal: a table (gate, metric, baseline, after, delta)
/// with each gate's notes under it, then the flags and the verdict. Columns are aligned by
/// character count; there are no colours or control characters.
pub fn terminal_table(comparison: &Comparison) -> String {
    let mut rows: Vec<[String; 5]> =
        vec![["gate", "metric", "baseline", "after", "delta"].map(str::to_owned)];
    let mut notes_after: Vec<(usize, Vec<String>)> = Vec::new();
    for gate in &comparison.gates {
        for m in &gate.metrics {
            rows.push([
                gate.key.clone(),
                m.metric.clone(),
                format::value(m.baseline, &m.unit),
                format::value(m.after, &m.unit),
                format::delta(m.delta, &m.unit),
            ]);
        }
        if gate.metrics.is_empty() {
            rows.push([gate.key.clone(), "–".into(), "–".into(), "–".into(), "–".into()]);
        }
        if !gate.notes.is_empty() {
            notes_after.push((rows.len() - 1, gate.notes.clone()));
        }
    }
    let widths: Vec<usize> =
        (0..5).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = format!("{}\n\n", title(comparison));
    for (i, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = " ".repeat(widths[c] - cell.chars().count());
            if c < 2 {
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str(&pad);
                line.push_str(cell);
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
        for (_, notes) in notes_after.iter().filter(|(at, _)| *at == i) {
            for note in notes {
                out.push_str(&format!("    note: {note}\n"));
            }
        }
    }
    out.push_str(&format!("\nflags: {}\n", flag_counts(comparison)));
    for flag in &comparison.flags {
        out.push_str(&format!("  {:<8}  {}\n", flag.level.as_str(), flag.message));
    }
    out.push_str(&format!(
        "\nverdict: {}: {}\n",
        comparison.verdict.as_str(),
        comparison.verdict.meaning()
    ));
    out
}
