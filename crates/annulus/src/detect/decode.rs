//! Reading the code band: 16 sector values sampled along the fitted ellipse, thresholded, and
//! looked up under every rotation and both polarities.
//!
//! The band is sampled at [`SAMPLES_PER_SECTOR`] · 16 equally spaced parameters of the outer
//! ellipse's circle parametrisation ([`super::ellipse_rays`]), each the mean of three radii across
//! the middle of the band. Where sector boundaries fall is unknown until the code is read, so
//! every phase of the sampling grid is tried: for each phase the samples are pooled into 16
//! sector means (the samples nearest the boundaries left out), split into dark and light by the
//! threshold that maximises the between-class variance (Otsu's criterion on 16 values), and the
//! phase with the cleanest split wins. Bit `k` is 1 where sector `k` is ink-coloured under the
//! marker's polarity. The 16-bit word is looked up in the board's table, which holds every
//! rotation of every codeword in both polarities, so rotation and polarity cost nothing.
//!
//! The margin reported is the smallest distance of a sector mean from the threshold, over the
//! ring contrast: 0.5 for a perfect read, near 0 when a bit is a guess.

use std::f64::consts::TAU;

use crate::codebook::N_SECTORS;
use crate::geometry::Ellipse;

use super::ellipse_rays::{axes, scaled_point_at};
use super::model::{CodeHit, MarkerModel};
use super::sampler::Sampler;

/// Samples per sector along the band. Six give phase steps of 3.75°, a sixth of a sector.
pub(crate) const SAMPLES_PER_SECTOR: usize = 6;

/// Number of angular samples around the band.
const N_SAMPLES: usize = SAMPLES_PER_SECTOR * N_SECTORS;

/// Weakest split accepted between the dark and light sector means, as a fraction of the ring
/// contrast; below it the band is blank, blurred flat, or not a code band at all.
const MIN_SPLIT_FRACTION: f32 = 0.2;

/// The result of reading a code band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Decoded {
    /// The word read, bit k = sector k counted from the sampling phase.
    pub(crate) word: u16,
    /// The board marker with that word, if any.
    pub(crate) hit: Option<CodeHit>,
    /// Smallest distance of a sector from the threshold, over the ring contrast.
    pub(crate) margin: f32,
}

/// Scratch of the decoder: one value per angular sample, and the sine and cosine of each
/// sample's parameter, worked out on the first call (they are the same for every marker).
#[derive(Debug, Default)]
pub(crate) struct DecodeBuffers {
    samples: Vec<f32>,
    sin_cos: Vec<(f64, f64)>,
}

/// Reads the band of a marker whose outer edge is `outer` and centre `center` (fit frame).
pub(crate) fn decode(
    sampler: &Sampler<'_>,
    model: &MarkerModel,
    outer: &Ellipse,
    center: [f64; 2],
    polarity: f32,
    contrast: f32,
    buf: &mut DecodeBuffers,
) -> Option<Decoded> {
    let [b0, b1] = model.band;
    let radii = [b0 + 0.3 * (b1 - b0), 0.5 * (b0 + b1), b0 + 0.7 * (b1 - b0)];
    if buf.sin_cos.len() != N_SAMPLES {
        buf.sin_cos.clear();
        buf.sin_cos
            .extend((0..N_SAMPLES).map(|j| (TAU * (j as f64 + 0.5) / N_SAMPLES as f64).sin_cos()));
    }
    let axes = axes(outer);
    buf.samples.clear();
    for &(sin, cos) in &buf.sin_cos {
        let mut sum = 0.0;
        for &r in &radii {
            sum += sampler.intensity(scaled_point_at(outer, axes, center, r, (sin, cos)))?;
        }
        // Flip light-on-dark markers so that ink is always the low value.
        buf.samples.push(polarity * sum / radii.len() as f32);
    }
    let mut best: Option<(f32, [f32; N_SECTORS], f32)> = None;
    for phase in 0..SAMPLES_PER_SECTOR {
        let means = sector_means(&buf.samples, phase);
        let (threshold, separation) = otsu16(&means);
        if best.is_none_or(|(s, _, _)| separation > s) {
            best = Some((separation, means, threshold));
        }
    }
    let (_, means, threshold) = best?;
    let mut word = 0u16;
    let mut margin = f32::INFINITY;
    for (k, &m) in means.iter().enumerate() {
        if m < threshold {
            word |= 1 << k;
        }
        margin = margin.min((m - threshold).abs());
    }
    let (dark, light) = class_means(&means, threshold);
    let split = light - dark;
    if split.is_nan() || split < MIN_SPLIT_FRACTION * contrast || word == 0 || word == u16::MAX {
        return None;
    }
    Some(Decoded { word, hit: model.lookup(word), margin: margin / contrast })
}

/// Means of the 16 sectors for a sampling phase, leaving out each sector's first and last
/// sample, which straddle the boundary when the phase is right.
fn sector_means(samples: &[f32], phase: usize) -> [f32; N_SECTORS] {
    let mut means = [0.0; N_SECTORS];
    for (k, m) in means.iter_mut().enumerate() {
        let mut sum = 0.0;
        for i in 1..SAMPLES_PER_SECTOR - 1 {
            sum += samples[(k * SAMPLES_PER_SECTOR + phase + i) % N_SAMPLES];
        }
        *m = sum / (SAMPLES_PER_SECTOR - 2) as f32;
    }
    means
}

/// Otsu's threshold of 16 values and the between-class variance it achieves.
fn otsu16(values: &[f32; N_SECTORS]) -> (f32, f32) {
    let mut sorted = *values;
    sorted.sort_unstable_by(f32::total_cmp);
    let total: f32 = sorted.iter().sum();
    let mut below = 0.0;
    let mut best = (sorted[0], -1.0f32);
    for split in 1..N_SECTORS {
        below += sorted[split - 1];
        let (n0, n1) = (split as f32, (N_SECTORS - split) as f32);
        let (m0, m1) = (below / n0, (total - below) / n1);
        let between = n0 * n1 * (m1 - m0) * (m1 - m0);
        if between > best.1 {
            best = (0.5 * (sorted[split - 1] + sorted[split]), between);
        }
    }
    best
}

/// Means of the values below and above `threshold`.
fn class_means(values: &[f32; N_SECTORS], threshold: f32) -> (f32, f32) {
    let (mut lo, mut n_lo, mut hi, mut n_hi) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for &v in values {
        if v < threshold {
            lo += v;
            n_lo += 1.0;
        } else {
            hi += v;
            n_hi += 1.0;
        }
    }
    (lo / n_lo.max(1.0), hi / n_hi.max(1.0))
}
