//! A tiny deterministic random-number generator for RANSAC sampling.
//!
//! `SplitMix64` (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA
//! 2014): a 64-bit counter advanced by the golden-ratio increment and passed through a
//! bijective mixing function. It is not cryptographic and needs no warm-up; every seed, zero
//! included, gives a full-period stream. It keeps the core crate free of a `rand` dependency
//! and makes every robust fit a pure function of its inputs and `seed`.
//!
//! Distinct index samples use Floyd's algorithm (Bentley & Floyd, "A sample of brilliance",
//! CACM 1987), which draws exactly `K` numbers and needs no allocation.

/// The increment of the `SplitMix64` counter: 2⁶⁴ divided by the golden ratio, rounded to odd.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// A `SplitMix64` stream.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A stream determined entirely by `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`), by Lemire's multiply-shift; the bias is below 2⁻⁶⁴·n,
    /// far under anything sampling can notice.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        let wide = u128::from(self.next_u64()) * (n as u128);
        // The high half of a 64 × 64-bit product of a u64 and a usize is below n.
        (wide >> 64) as usize
    }

    /// A uniform number in `[0, 1)` with 53 random bits (the tests draw noise with it).
    #[cfg(test)]
    pub(crate) fn unit_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `K` distinct indices in `0..n`, in no particular order; `None` when `n < K`.
    pub(crate) fn distinct<const K: usize>(&mut self, n: usize) -> Option<[usize; K]> {
        if n < K {
            return None;
        }
        let mut out = [0usize; K];
        // Floyd: for each j in n-K..n, draw t in 0..=j and take t unless already taken, else j.
        for (filled, j) in (n - K..n).enumerate() {
            let t = self.below(j + 1);
            out[filled] = if out[..filled].contains(&t) { j } else { t };
        }
        Some(out)
    }
}
