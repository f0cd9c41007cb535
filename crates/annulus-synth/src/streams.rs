//! Seeded random streams.
//!
//! Every random quantity of image `i` comes from a ChaCha8 generator keyed by the scenario seed,
//! the image index and a purpose, and positioned on a numbered stream: noise uses one stream
//! per image row, so rows can be generated in parallel in any order and still give the same
//! bytes. ChaCha8 is specified bit-exactly and is the same on every platform; changing a
//! purpose's draws never shifts another purpose's numbers.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// What a stream is used for; part of the generator key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Purpose {
    /// Board pose.
    Pose = 1,
    /// Blur shape.
    Blur = 2,
    /// Illumination gradient and vignetting.
    Illumination = 3,
    /// Sensor noise; one stream per row.
    Noise = 4,
}

/// The generator for `(seed, image_index, purpose)`, positioned on stream `stream`.
pub(crate) fn stream_rng(seed: u64, image_index: u32, purpose: Purpose, stream: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..12].copy_from_slice(&image_index.to_le_bytes());
    key[12] = purpose as u8;
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(stream);
    rng
}
