//! What the crate's unit tests share: a proptest configuration that always runs from the same
//! seed, so that every run of the suite draws the same cases and a failure reproduces.

use proptest::test_runner::{Config, RngSeed};

/// The seed every property test of the crate starts from.
const SEED: u64 = 0x00F1_7000;

/// A proptest configuration of `cases` cases drawn from the crate's fixed seed.
pub(crate) fn seeded(cases: u32) -> Config {
    Config { cases, rng_seed: RngSeed::Fixed(SEED), ..Config::default() }
}
