//! The crate's one error type. Rendering never fails; only building report data from raw
//! measurements can, when the measurements contradict themselves.

/// Why report data could not be built from the measurements given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// Two detectors' timing samples do not pair up round by round: a paired ratio needs one
    /// sample of each per round.
    #[error(
        "time ratio: {n_numerator} rounds in the numerator but {n_denominator} in the \
         denominator; paired samples need one of each per round"
    )]
    UnpairedRounds {
        /// Samples of the numerator's detector.
        n_numerator: usize,
        /// Samples of the denominator's detector.
        n_denominator: usize,
    },
    /// A denominator sample of zero nanoseconds, which has no ratio; no real call is that fast,
    /// so the measurement is broken.
    #[error("time ratio: round {round} of the denominator took 0 ns, which has no ratio")]
    ZeroTime {
        /// The round, counted from 0.
        round: usize,
    },
}
