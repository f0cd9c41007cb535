//! Tests of the sampler: the fast ray paths against the reference path, bit for bit, and the
//! centroid's outward walk against the full scan.

use std::f64::consts::TAU;

use proptest::prelude::*;

use super::super::gradient::GradientImage;
use super::super::tests::noise_bytes;
use super::{Frames, Sampler, nearest_peak, nearest_peak_scan};
use crate::image::ImageView;
use crate::test_support::seeded;

proptest! {
    #![proptest_config(seeded(2048))]

    /// The outward walk finds the peak the full scan finds, ties and plateaus included
    /// (values on a coarse grid make both common), for targets inside, at and beyond the
    /// window and for non-finite ones.
    #[test]
    fn the_walk_finds_the_peak_the_scan_finds(
        values in prop::collection::vec((-4i8..=4).prop_map(|v| f32::from(v) * 0.5), 0..48),
        sign in prop::sample::select(vec![1.0f32, -1.0, 0.7]),
        floor in -1.0f32..2.0,
        target in prop_oneof![
            -3.0f64..52.0,
            (0u32..50).prop_map(|j| f64::from(j) + 0.5),
            (0u32..50).prop_map(f64::from),
            prop::sample::select(vec![f64::NAN, f64::INFINITY, -1e12, 1e12]),
        ],
    ) {
        prop_assert_eq!(
            nearest_peak(&values, sign, floor, target),
            nearest_peak_scan(&values, sign, floor, target)
        );
    }
}

proptest! {
    // Most rays drawn leave the small images, so many cases are needed for the ones that stay.
    #![proptest_config(seeded(1024))]

    /// The fast and the reference sampling paths agree bit for bit, and so do a ray and its
    /// first samples computed alone. Gradients read from the precomputed differences equal
    /// differencing on the fly, the reference path, at any position, on any stride, for rays
    /// of any length (the fast path checks the ray's ends once instead of every sample); and a
    /// prefix is the whole ray's start on both paths, counted only when the whole window stays
    /// inside the image.
    #[test]
    fn ray_paths_agree_bit_for_bit(
        width in 3u32..48,
        height in 3u32..48,
        pad in 0usize..4,
        seed: u64,
        center in prop::array::uniform2(-4.0f64..52.0),
        angle in 0.0..TAU,
        s0 in 0.0f64..20.0,
        step in 0.05f64..1.0,
        n in 2usize..64,
        n_read in 0usize..70,
    ) {
        let stride = width as usize + pad;
        let data = noise_bytes(seed, stride * height as usize);
        let image = ImageView::new(width, height, stride, &data).unwrap();
        let mut gradient = GradientImage::default();
        gradient.compute(&image);
        let fast = Sampler::with_gradient(image, Frames::new(None), &gradient);
        let reference = Sampler::new(image, Frames::new(None));
        let dir = [angle.cos(), angle.sin()];
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        let (mut wholes, mut oks) = ([Vec::new(), Vec::new()], [false; 2]);
        for ((sampler, whole), ok) in [fast, reference].iter().zip(&mut wholes).zip(&mut oks) {
            let mut prefix = Vec::new();
            let ok_whole = sampler.ray_derivatives(center, dir, s0, step, n, whole);
            let ok_prefix =
                sampler.ray_derivatives_prefix([center, dir], [s0, step], [n, n_read], &mut prefix);
            prop_assert_eq!(ok_prefix, ok_whole);
            if ok_whole {
                prop_assert_eq!(bits(&prefix), bits(&whole[..n_read.min(n)]));
            }
            *ok = ok_whole;
        }
        prop_assert_eq!(oks[0], oks[1]);
        if oks[0] {
            prop_assert_eq!(bits(&wholes[0]), bits(&wholes[1]));
        }
    }
}
