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
    let mut rows: Vec<Vec<String>> =
        vec![["gate", "metric", "baseline", "after", "delta"].map(str::to_owned).to_vec()];
    let mut notes_after: Vec<(usize, Vec<String>)> = Vec::new();
    for gate in &comparison.gates {
        for m in &gate.metrics {
            rows.push(vec![
                gate.key.clone(),
                m.metric.clone(),
                format::value(m.baseline, &m.unit),
                format::value(m.after, &m.unit),
                format::delta(m.delta, &m.unit),
            ]);
        }
        if gate.metrics.is_empty() {
            rows.push(vec![gate.key.clone(), "–".into(), "–".into(), "–".into(), "–".into()]);
        }
        if !gate.notes.is_empty() {
            notes_after.push((rows.len() - 1, gate.notes.clone()));
        }
    }
    let mut out = format!("{}\n\n", title(comparison));
    for (i, line) in aligned(&rows, 2).iter().enumerate() {
        out.push_str(line);
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

/// `rows` as lines of aligned columns two spaces apart, by character count: the first
/// `n_left` columns padded on the right (text), the rest on the left (numbers). Lines carry no
/// trailing spaces; a short row leaves its missing cells empty.
pub(crate) fn aligned(rows: &[Vec<String>], n_left: usize) -> Vec<String> {
    let n_columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..n_columns)
        .map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0))
        .collect();
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                let pad = " ".repeat(widths[c] - cell.chars().count());
                if c < n_left {
                    line.push_str(cell);
                    line.push_str(&pad);
                } else {
                    line.push_str(&pad);
                    line.push_str(cell);
                }
                line.push_str("  ");
            }
            line.truncate(line.trim_end().len());
            line
        })
        .collect()
}
