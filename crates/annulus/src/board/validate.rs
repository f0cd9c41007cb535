//! Checks that a [`BoardSpec`] describes a board that can be printed and detected.
//!
//! Each check returns the first problem it finds as a typed [`Error`] naming the field and
//! value. Concentric parts may touch but not overlap (a code band printed flush against a ring
//! is a legitimate design); neighbouring markers must leave a visible gap, because the outer
//! edge of every marker has to be seen against the white paper.

use std::collections::HashMap;

use super::spec::{BoardSpec, CodePolarity, CodingSpec, LatticeKind, SCHEMA_VERSION};
use crate::codebook;
use crate::error::{CodewordDefect, Error, Result};

/// How far concentric parts may overlap and still count as touching: a part's edges are
/// derived as `radius ± width / 2`, so two parts designed flush can disagree in the last bits
/// (and specs converted from single precision in the last micrometre's fraction). A nanometre
/// is far below anything printable.
const TOUCH_TOLERANCE_MM: f64 = 1e-6;

/// The most markers a board may have: far beyond any printable target, small enough that a
/// mistyped row count cannot exhaust memory.
pub const MAX_MARKERS: u64 = 100_000;

/// Checks every field of `spec`.
pub(super) fn validate(spec: &BoardSpec) -> Result<()> {
    if spec.schema != SCHEMA_VERSION {
        return Err(Error::SchemaVersion {
            field: "schema",
            found: spec.schema,
            supported: SCHEMA_VERSION,
        });
    }
    validate_name(&spec.name)?;
    validate_lattice(spec)?;
    validate_marker(spec)?;
    let n_markers = usize::try_from(super::n_markers(&spec.lattice))
        .map_err(|_| Error::TooManyMarkers { n_markers: u64::MAX, max: MAX_MARKERS })?;
    validate_coding(&spec.coding, n_markers)
}

fn validate_name(name: &str) -> Result<()> {
    let is_safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || name.starts_with('.') || !name.chars().all(is_safe) {
        return Err(Error::InvalidName { name: name.to_owned() });
    }
    Ok(())
}

fn validate_lattice(spec: &BoardSpec) -> Result<()> {
    let lattice = &spec.lattice;
    for (field, value) in [("lattice.rows", lattice.rows), ("lattice.cols", lattice.cols)] {
        if value == 0 {
            return Err(Error::OutOfRange { field, value: 0.0, expected: "at least 1" });
        }
    }
    if lattice.short_odd_rows {
        if lattice.kind != LatticeKind::Hex {
            return Err(Error::NotApplicable {
                field: "lattice.short_odd_rows",
                reason: "only a hex lattice (`lattice.kind = \"hex\"`) has shifted odd rows",
            });
        }
        if lattice.cols < 2 {
            return Err(Error::OutOfRange {
                field: "lattice.cols",
                value: f64::from(lattice.cols),
                expected: "at least 2 with `short_odd_rows`, so odd rows keep a marker",
            });
        }
    }
    let n_markers = super::n_markers(lattice);
    if n_markers > MAX_MARKERS {
        return Err(Error::TooManyMarkers { n_markers, max: MAX_MARKERS });
    }
    positive("lattice.pitch_mm", lattice.pitch_mm)?;
    if !(spec.margin_mm.is_finite() && spec.margin_mm >= 0.0) {
        return Err(Error::OutOfRange {
            field: "margin_mm",
            value: spec.margin_mm,
            expected: "a finite number of at least 0",
        });
    }
    Ok(())
}

fn validate_marker(spec: &BoardSpec) -> Result<()> {
    let m = &spec.marker;
    // Each part with the dotted paths of its two fields, from the centre outwards.
    let parts = [
        (
            "marker.inner_ring",
            "marker.inner_ring.radius_mm",
            "marker.inner_ring.width_mm",
            &m.inner_ring,
        ),
        (
            "marker.code_band",
            "marker.code_band.radius_mm",
            "marker.code_band.width_mm",
            &m.code_band,
        ),
        (
            "marker.outer_ring",
            "marker.outer_ring.radius_mm",
            "marker.outer_ring.width_mm",
            &m.outer_ring,
        ),
    ];
    for (_, radius_field, width_field, part) in parts {
        positive(radius_field, part.radius_mm)?;
        positive(width_field, part.width_mm)?;
    }
    if m.inner_ring.inner_edge_mm() <= 0.0 {
        return Err(Error::OutOfRange {
            field: "marker.inner_ring.width_mm",
            value: m.inner_ring.width_mm,
            expected: "less than twice `marker.inner_ring.radius_mm`, so the ring has a hole",
        });
    }
    for pair in parts.windows(2) {
        let [(inner, _, _, a), (outer, _, _, b)] = pair else { continue };
        if a.outer_edge_mm() > b.inner_edge_mm() + TOUCH_TOLERANCE_MM {
            return Err(Error::PartsOverlap {
                inner,
                inner_edge_mm: a.outer_edge_mm(),
                outer,
                outer_edge_mm: b.inner_edge_mm(),
            });
        }
    }
    let diameter_mm = 2.0 * m.outer_ring.outer_edge_mm();
    let has_neighbours = spec.lattice.rows > 1 || spec.lattice.cols > 1;
    if has_neighbours && diameter_mm >= spec.lattice.pitch_mm {
        return Err(Error::NeighboursOverlap { diameter_mm, pitch_mm: spec.lattice.pitch_mm });
    }
    Ok(())
}

fn validate_coding(coding: &CodingSpec, n_markers: usize) -> Result<()> {
    let CodingSpec::Coded { codebook: book_name, first_id, codewords, polarity } = coding else {
        return Ok(());
    };
    match (book_name, codewords) {
        (Some(name), None) => {
            let book = codebook::by_name(name).ok_or_else(|| Error::UnknownCodebook {
                name: name.clone(),
                known: codebook::BUILTIN_NAME,
            })?;
            let available = book.len().saturating_sub(*first_id as usize);
            if n_markers > available {
                return Err(Error::TooFewCodewords {
                    field: "coding.codebook",
                    n_markers,
                    n_codewords: available,
                });
            }
            Ok(())
        }
        (None, Some(words)) => {
            if *first_id != 0 {
                return Err(Error::OutOfRange {
                    field: "coding.first_id",
                    value: f64::from(*first_id),
                    expected: "0 with explicit `codewords` (IDs are list positions)",
                });
            }
            if n_markers > words.len() {
                return Err(Error::TooFewCodewords {
                    field: "coding.codewords",
                    n_markers,
                    n_codewords: words.len(),
                });
            }
            validate_codewords(words, *polarity)
        }
        _ => Err(Error::CodewordSource),
    }
}

/// Every listed word must be readable in any orientation and distinct from every other word
/// under rotation; with [`CodePolarity::Either`] also under inversion. Runs in linear time by
/// indexing canonical forms.
fn validate_codewords(words: &[u16], polarity: CodePolarity) -> Result<()> {
    let check_inversion = polarity == CodePolarity::Either;
    let mut seen: HashMap<u16, usize> = HashMap::with_capacity(words.len());
    for (index, &word) in words.iter().enumerate() {
        let defect = |defect| Error::BadCodeword { index, word, defect };
        if codebook::is_rotationally_symmetric(word) {
            return Err(defect(CodewordDefect::RotationallySymmetric));
        }
        let canonical = codebook::canonical(word);
        let inverted = codebook::canonical(!word);
        if check_inversion && canonical == inverted {
            return Err(defect(CodewordDefect::SelfInverse));
        }
        if let Some(&earlier) = seen.get(&canonical) {
            return Err(defect(CodewordDefect::RotationOf(earlier)));
        }
        if check_inversion && let Some(&earlier) = seen.get(&inverted) {
            return Err(defect(CodewordDefect::InvertedRotationOf(earlier)));
        }
        seen.insert(canonical, index);
    }
    Ok(())
}

fn positive(field: &'static str, value: f64) -> Result<()> {
    if value.is_finite() && value > 0.0 { Ok(()) } else { Err(Error::NotPositive { field, value }) }
}
