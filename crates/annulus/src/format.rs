//! The text formats specs are written in, and reading them.
//!
//! Board specs, cameras and scenarios are all serde types read from TOML or JSON. This module is
//! the one place that turns text into such a type, so every reader reports syntax errors, wrong
//! types and unknown fields the same way: as [`Error::Parse`] with the parser's own message on
//! one line, followed by the line and column where the parser has them (`... at line 11,
//! column 1`). An unknown field or variant close to a known one gets a suggestion: "did you
//! mean `pitch_mm`?".

use std::fmt;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// A text format that specs are read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML 1.0.
    Toml,
    /// JSON.
    Json,
}

impl Format {
    /// The format of a file: by its extension (`toml` or `json`, any case), else JSON when the
    /// text starts with `{`, else TOML.
    pub fn guess(extension: Option<&str>, text: &str) -> Self {
        match extension.map(str::to_ascii_lowercase).as_deref() {
            Some("json") => Self::Json,
            Some("toml") => Self::Toml,
            _ if text.trim_start().starts_with('{') => Self::Json,
            _ => Self::Toml,
        }
    }

    /// Reads a `T` from `text` in this format.
    pub fn deserialize<T: DeserializeOwned>(self, text: &str) -> Result<T> {
        let (message, position) = match self {
            Self::Toml => match toml::from_str(text) {
                Ok(value) => return Ok(value),
                // The error's `Display` quotes the offending line under the message; the
                // message and the position alone keep the error on one line.
                Err(e) => {
                    (e.message().to_owned(), e.span().map(|span| line_column(text, span.start)))
                }
            },
            Self::Json => match serde_json::from_str(text) {
                Ok(value) => return Ok(value),
                Err(e) => {
                    let full = e.to_string();
                    let suffix = format!(" at line {} column {}", e.line(), e.column());
                    match full.strip_suffix(&suffix) {
                        Some(message) => (message.to_owned(), Some((e.line(), e.column()))),
                        None => (full, None),
                    }
                }
            },
        };
        let mut message =
            message.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("; ");
        if let Some(known) = suggestion(&message) {
            message.push_str(&format!(" (did you mean `{known}`?)"));
        }
        if let Some((line, column)) = position {
            message.push_str(&format!(" at line {line}, column {column}"));
        }
        Err(Error::Parse { format: self, message })
    }
}

/// The 1-based line and column (in characters) of byte `offset` of `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (before.matches('\n').count() + 1, before[line_start..].chars().count() + 1)
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant ..."), the
/// known name closest to `x`, when it is within a third of `x`'s length in edits (at least one)
/// and no other name is as close (`k4` is as near `k1` as `k2`, so it gets no suggestion).
fn suggestion(message: &str) -> Option<&str> {
    let rest = ["unknown field `", "unknown variant `"]
        .iter()
        .find_map(|prefix| message.find(prefix).map(|at| &message[at + prefix.len()..]))?;
    let (unknown, expected) = rest.split_once('`')?;
    let limit = (unknown.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut tied = false;
    // The names are the odd pieces between backticks: "..., expected one of `a`, `b`".
    for known in expected.split('`').skip(1).step_by(2) {
        let distance = edit_distance(unknown, known);
        match best {
            Some((nearest, _)) if distance > nearest => {}
            Some((nearest, _)) if distance == nearest => tied = true,
            _ if distance <= limit => {
                best = Some((distance, known));
                tied = false;
            }
            _ => {}
        }
    }
    best.filter(|_| !tied).map(|(_, known)| known)
}

/// The Levenshtein distance between `a` and `b`, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Toml => "TOML",
            Self::Json => "JSON",
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Lens {
        focal_mm: f64,
        #[serde(default)]
        aperture: Option<f64>,
    }

    fn message(format: Format, text: &str) -> String {
        match format.deserialize::<Lens>(text).unwrap_err() {
            Error::Parse { message, .. } => message,
            other => panic!("not a parse error: {other}"),
        }
    }

    #[test]
    fn toml_errors_are_one_line_with_position_and_suggestion() {
        let m = message(Format::Toml, "focal_mm = 35.0\napertur = 2.8\n");
        assert_eq!(
            m,
            "unknown field `apertur`, expected `focal_mm` or `aperture` \
             (did you mean `aperture`?) at line 2, column 1"
        );
        let m = message(Format::Toml, "focal_mm = [\n");
        assert!(!m.contains('\n') && m.contains("at line "), "{m}");
    }

    #[test]
    fn json_errors_name_the_position_like_toml() {
        let m = message(Format::Json, "{\n  \"focal_mm\": 35,\n  \"aperturee\": 2}");
        assert_eq!(
            m,
            "unknown field `aperturee`, expected `focal_mm` or `aperture` \
             (did you mean `aperture`?) at line 3, column 13"
        );
        assert_eq!(
            message(Format::Json, "{\"focal_mm\": 1e999}"),
            "number out of range at line 1, column 18"
        );
    }

    #[test]
    fn distant_names_get_no_suggestion() {
        let m = message(Format::Toml, "focal_mm = 35.0\ncolour = 2\n");
        assert!(!m.contains("did you mean"), "{m}");
        assert_eq!(suggestion("unknown field `k4`, expected one of `k1`, `k2`, `p1`"), None);
        assert_eq!(suggestion("unknown variant `hexx`, expected `hex` or `rect`"), Some("hex"));
        assert_eq!(edit_distance("pitch_mn", "pitch_mm"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn positions_count_characters_and_survive_odd_offsets() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("é = 1", 3), (1, 3));
        assert_eq!(line_column("é", 1), (1, 1));
        assert_eq!(line_column("x", 99), (1, 2));
    }
}
