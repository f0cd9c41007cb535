//! The soak's shared pieces: [`SoakReport`], the JSON that `annulus-soak` prints and
//! `cargo xtask soak` reads with this same type, and the degenerate images the soak mixes in
//! with the rendered ones.
//!
//! The binary only measures; judging the numbers (growth, the 1 % gate) is xtask's job, where it
//! is unit-tested.

use serde::{Deserialize, Serialize};

use crate::AllocCount;

/// Version of [`SoakReport`]'s shape; bumped on any incompatible change.
pub const SOAK_SCHEMA: u32 = 1;

/// Memory of the soak process at one point of the measured loop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemorySample {
    /// Measured calls made before the sample (0: right after the warm-up).
    pub call: u64,
    /// Resident set size (`VmRSS` of `/proc/self/status`), KiB.
    pub rss_kib: u64,
    /// Heap bytes allocated and not yet freed, from the counting allocator.
    pub heap_live_bytes: u64,
}

/// What one run of `annulus-soak` measured.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SoakReport {
    /// [`SOAK_SCHEMA`].
    pub schema: u32,
    /// The scenario the rendered images come from.
    pub scenario: String,
    /// Width of every image, pixels.
    pub width: u32,
    /// Height of every image, pixels.
    pub height: u32,
    /// The images, in the order the calls cycle through them: `<scenario>#<index>` for rendered
    /// ones, the [`Degenerate`] name for the others.
    pub images: Vec<String>,
    /// The diameter prior given to the detector, pixels; `None` for automatic scale.
    pub diameter_px: Option<f64>,
    /// Calls made before the first memory sample: whole cycles through every image, so that
    /// each buffer of the workspace has reached the size the largest image needs.
    pub warmup_calls: u64,
    /// Allocations of the warm-up calls (the first one on a fresh workspace among them).
    pub alloc_warmup: AllocCount,
    /// Calls measured after the warm-up.
    pub calls: u64,
    /// Allocations of the measured calls, summed; counted around each `detect_with` only, so
    /// the sampling itself is left out. The target is zero.
    pub alloc_measured: AllocCount,
    /// Measured calls that allocated at least once.
    pub calls_that_allocated: u64,
    /// Markers reported over the measured calls (identified or not).
    pub markers: u64,
    /// Identified markers over the measured calls.
    pub identified: u64,
    /// Wall time of the measured loop, nanoseconds (the sampling included; it is a few reads of
    /// a small file per hundred calls).
    pub elapsed_ns: u64,
    /// Memory right after the warm-up (`call` 0), every few calls, and after the last call.
    pub samples: Vec<MemorySample>,
    /// Peak resident set size of the process (`VmHWM`), KiB: rendering included.
    pub peak_rss_kib: Option<u64>,
}

/// Images with no board in them, of the kinds a camera delivers when the target is out of view
/// or the exposure is wrong: they send the detector down its early-exit and no-candidate paths,
/// which a soak of board images alone would never exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degenerate {
    /// Every pixel mid-grey: no gradient anywhere.
    Blank,
    /// Every pixel black: an image with the lens cap on.
    Black,
    /// Uniform random bytes: gradients everywhere and no structure.
    Noise,
    /// A fine checkerboard: a strong edge at every few pixels, the densest input the proposal
    /// stage can get.
    Checker,
}

impl Degenerate {
    /// Every kind, in the order the soak appends them.
    pub const ALL: [Self; 4] = [Self::Blank, Self::Black, Self::Noise, Self::Checker];

    /// The name the report uses.
    pub fn name(self) -> &'static str {
        match self {
            Self::Blank => "blank",
            Self::Black => "black",
            Self::Noise => "noise",
            Self::Checker => "checker",
        }
    }

    /// The image's pixels, row-major without padding; deterministic (the noise is a fixed
    /// xorshift sequence).
    pub fn pixels(self, width: u32, height: u32) -> Vec<u8> {
        /// Mid-grey on an 8-bit scale.
        const GREY: u8 = 128;
        /// Side of a checkerboard square, pixels: small enough for many edges per marker-sized
        /// window, large enough to survive the first pyramid level.
        const CHECKER_PX: u32 = 6;
        /// Any non-zero seed works for xorshift; a fixed one keeps the image the same every run.
        const NOISE_SEED: u64 = 0x2545_f491_4f6c_dd1d;
        let len = width as usize * height as usize;
        match self {
            Self::Blank => vec![GREY; len],
            Self::Black => vec![0; len],
            Self::Noise => {
                let mut state = NOISE_SEED;
                (0..len)
                    .map(|_| {
                        // Marsaglia's xorshift64; the top byte is the best mixed.
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        (state >> 56) as u8
                    })
                    .collect()
            }
            Self::Checker => (0..height)
                .flat_map(|y| {
                    (0..width).map(move |x| {
                        if (x / CHECKER_PX + y / CHECKER_PX).is_multiple_of(2) {
                            0
                        } else {
                            u8::MAX
                        }
                    })
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_images_have_the_size_asked_for_and_are_deterministic() {
        for kind in Degenerate::ALL {
            let a = kind.pixels(64, 48);
            assert_eq!(a.len(), 64 * 48, "{}", kind.name());
            assert_eq!(a, kind.pixels(64, 48), "{} is the same every time", kind.name());
        }
        assert!(Degenerate::Blank.pixels(8, 8).iter().all(|&p| p == 128));
        let noise = Degenerate::Noise.pixels(64, 64);
        let distinct = (0..=u8::MAX).filter(|v| noise.contains(v)).count();
        assert!(distinct > 200, "noise covers the grey scale: {distinct} values");
        let checker = Degenerate::Checker.pixels(12, 1);
        assert_eq!(checker, [0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255]);
    }
}
