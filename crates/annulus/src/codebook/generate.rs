//! Deterministic greedy construction of a cyclic codebook.
//!
//! Candidates are the canonical (numerically smallest) rotations of every 16-bit word that passes
//! the filters, visited from the most blur-tolerant to the least: fewest dark/light transitions
//! around the band first (long runs survive blur better than isolated sectors), then by value.
//! A candidate is accepted when it keeps the required Hamming distance to every rotation of every
//! word accepted so far, and the required distance between its complement and all of them. The
//! distance checks are O(1) lookups in two 64 Ki-entry tables that mark every word lying too close
//! to some rotation of an accepted word, so the whole book is built in milliseconds.
//!
//! Greedy "lexicode" constructions of this kind are the standard way to build fiducial
//! dictionaries (see Garrido-Jurado et al., "Generation of fiducial marker dictionaries using
//! mixed integer linear programming", Pattern Recognition 51, 2016, for the wider family).

use super::{N_SECTORS, is_rotationally_symmetric, n_transitions, rotate};

/// The knobs of the greedy construction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeneratorParams {
    /// Minimum Hamming distance between any two words under every relative rotation.
    pub min_distance: u32,
    /// Minimum Hamming distance between any word and any rotation of any word's complement
    /// (including its own), so that a read with unknown polarity cannot land on another word.
    pub min_inverted_distance: u32,
    /// Fewest dark sectors a word may have.
    pub min_weight: u32,
    /// Most dark sectors a word may have.
    pub max_weight: u32,
}

/// The parameters of the built-in `annulus16` book; see the module docs of [`super`] for why.
pub const BUILTIN_PARAMS: GeneratorParams =
    GeneratorParams { min_distance: 2, min_inverted_distance: 2, min_weight: 4, max_weight: 12 };

/// Builds the codebook for `params`; the same parameters always give the same words in the
/// same order.
pub fn generate(params: &GeneratorParams) -> Vec<u16> {
    let mut candidates: Vec<u16> = (0..=u16::MAX)
        .filter(|&w| w == super::canonical(w))
        .filter(|&w| (params.min_weight..=params.max_weight).contains(&w.count_ones()))
        .filter(|&w| !is_rotationally_symmetric(w))
        .collect();
    candidates.sort_by_key(|&w| (n_transitions(w), w));

    let near = error_patterns(params.min_distance.saturating_sub(1));
    let near_inverted = error_patterns(params.min_inverted_distance.saturating_sub(1));
    // `too_close[x]` is set when x lies within `min_distance - 1` of a rotation of an accepted
    // word; `too_close_inverted[x]` likewise for `min_inverted_distance - 1`.
    let mut too_close = vec![false; 1 << N_SECTORS];
    let mut too_close_inverted = vec![false; 1 << N_SECTORS];
    let mut words = Vec::new();
    for w in candidates {
        let inverted = !w;
        if too_close[usize::from(w)] || too_close_inverted[usize::from(inverted)] {
            continue;
        }
        let self_inverse = (0..N_SECTORS as u32)
            .any(|k| (inverted ^ rotate(w, k)).count_ones() < params.min_inverted_distance);
        if self_inverse {
            continue;
        }
        for k in 0..N_SECTORS as u32 {
            let r = rotate(w, k);
            for &e in &near {
                too_close[usize::from(r ^ e)] = true;
            }
            for &e in &near_inverted {
                too_close_inverted[usize::from(r ^ e)] = true;
            }
        }
        words.push(w);
    }
    words
}

/// All 16-bit error patterns of weight at most `max_weight`.
fn error_patterns(max_weight: u32) -> Vec<u16> {
    (0..=u16::MAX).filter(|e| e.count_ones() <= max_weight).collect()
}
