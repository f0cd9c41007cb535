//! Tests of the codebook: stored table, documented properties, maximality, rotation algebra.

use super::*;
use proptest::prelude::*;

use crate::test_support::seeded;

#[test]
fn stored_words_are_what_the_generator_makes() {
    assert_eq!(
        generate(&BUILTIN_PARAMS),
        builtin(),
        "codebook/words.rs is stale: run `cargo xtask codegen` and commit the result"
    );
}

#[test]
fn builtin_book_has_the_documented_properties() {
    let p = properties(builtin());
    assert_eq!(p.n_words, 1001);
    assert_eq!(p.min_cyclic_distance, 2);
    assert_eq!(p.min_inverted_distance, 2);
    assert_eq!(p.n_symmetric, 0);
    assert!(p.min_weight >= BUILTIN_PARAMS.min_weight && p.max_weight <= BUILTIN_PARAMS.max_weight);
    assert!(
        builtin().iter().all(|&w| canonical(w) == w),
        "words are stored as canonical rotations"
    );
    assert!(builtin()[..200].iter().all(|&w| n_transitions(w) <= 6));
}

#[test]
fn greedy_book_is_maximal() {
    // No admissible word outside the book could be added without breaking a distance: the
    // greedy construction did not stop early or skip candidates it should have taken.
    let book = builtin();
    for w in (0..=u16::MAX).filter(|&w| canonical(w) == w && !book.contains(&w)) {
        let weight = w.count_ones();
        if !(BUILTIN_PARAMS.min_weight..=BUILTIN_PARAMS.max_weight).contains(&weight)
            || is_rotationally_symmetric(w)
            || cyclic_distance(w, !w) < 2
        {
            continue;
        }
        let fits = book.iter().all(|&b| cyclic_distance(w, b) >= 2 && cyclic_distance(w, !b) >= 2);
        assert!(!fits, "{w:#06x} could have been added");
    }
}

#[test]
fn the_documented_size_and_distance_trade_off_holds() {
    // The table in the module docs and in docs/boards.md.
    for (distance, n_words) in [(1, 1548), (2, 1001), (3, 113), (4, 65)] {
        let params = GeneratorParams { min_distance: distance, ..BUILTIN_PARAMS };
        let p = properties(&generate(&params));
        assert_eq!(p.n_words, n_words, "distance {distance}");
        assert!(p.min_cyclic_distance >= distance && p.min_inverted_distance >= 2);
        assert_eq!(p.n_symmetric, 0);
    }
}

#[test]
fn by_name_knows_only_the_builtin_book() {
    assert_eq!(by_name(BUILTIN_NAME).map(<[u16]>::len), Some(1001));
    assert_eq!(by_name("aruco"), None);
}

#[test]
fn symmetric_and_transition_examples() {
    assert!(is_rotationally_symmetric(0x0000));
    assert!(is_rotationally_symmetric(0x5555));
    assert!(is_rotationally_symmetric(0x0F0F));
    assert!(!is_rotationally_symmetric(0x000F));
    assert_eq!(n_transitions(0x000F), 2);
    assert_eq!(n_transitions(0x5555), 16);
}

proptest! {
    #![proptest_config(seeded(256))]

    #[test]
    fn rotation_composes_and_wraps(w: u16, a in 0u32..40, b in 0u32..40) {
        prop_assert_eq!(rotate(rotate(w, a), b), rotate(w, a + b));
        prop_assert_eq!(rotate(w, 16), w);
    }

    #[test]
    fn cyclic_distance_ignores_rotation_and_is_symmetric(a: u16, b: u16, k in 0u32..16) {
        prop_assert_eq!(cyclic_distance(a, rotate(b, k)), cyclic_distance(a, b));
        prop_assert_eq!(cyclic_distance(rotate(a, k), b), cyclic_distance(a, b));
        prop_assert_eq!(cyclic_distance(a, b), cyclic_distance(b, a));
        prop_assert_eq!(canonical(rotate(a, k)), canonical(a));
    }

    #[test]
    fn every_rotation_and_polarity_of_a_word_matches_only_itself(idx in 0usize..1001, k in 0u32..16, inverted: bool) {
        let book = builtin();
        let seen = if inverted { !rotate(book[idx], k) } else { rotate(book[idx], k) };
        // Exact matches of the read against both polarities of every word: only the source.
        let matches: Vec<usize> = (0..book.len())
            .filter(|&j| cyclic_distance(seen, book[j]) == 0 || cyclic_distance(!seen, book[j]) == 0)
            .collect();
        prop_assert_eq!(matches, vec![idx]);
    }
}

proptest! {
    #![proptest_config(seeded(256))]

    #[test]
    fn sector_of_matches_atan2(angle in 0.0f64..std::f64::consts::TAU, r in 1e-6f64..1e3) {
        let sector_rad = std::f64::consts::TAU / N_SECTORS as f64;
        let (dx, dy) = (r * angle.cos(), r * angle.sin());
        let by_atan =
            (dy.atan2(dx).rem_euclid(std::f64::consts::TAU) / sector_rad) as usize % N_SECTORS;
        // Directions within rounding of a boundary may fall either way; skip them.
        let frac = (angle / sector_rad).fract();
        prop_assume!(frac > 1e-9 && frac < 1.0 - 1e-9);
        prop_assert_eq!(sector_of(dx, dy), by_atan);
    }
}
