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

    /// Gradients read from the precomputed differences are bit-identical to differencing on
    /// the fly, the reference path, at any position, on any stride.
    #[test]
    fn precomputed_gradients_equal_the_reference_bit_for_bit(
        width in 3u32..48,
        height in 3u32..48,
        pad in 0usize..4,
        seed: u64,
        center in prop::array::uniform2(-4.0f64..52.0),
        angle in 0.0..TAU,
        s0 in 0.0f64..20.0,
        step in 0.05f64..1.0,
    ) {
        let stride = width as usize + pad;
        let data = noise_bytes(seed, stride * height as usize);
        let image = ImageView::new(width, height, stride, &data).unwrap();
        let mut gradient = GradientImage::default();
        gradient.compute(&image);
        let fast = Sampler::with_gradient(image, Frames::new(None), &gradient);
        let reference = Sampler::new(image, Frames::new(None));
        let dir = [angle.cos(), angle.sin()];
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let ok_fast = fast.ray_derivatives(center, dir, s0, step, 24, &mut a);
        let ok_reference = reference.ray_derivatives(center, dir, s0, step, 24, &mut b);
        prop_assert_eq!(ok_fast, ok_reference);
        if ok_fast {
            let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            prop_assert_eq!(bits(&a), bits(&b));
        }
    }

    /// The first samples of a ray, computed alone, are those of the whole ray to the bit, on
    /// the precomputed and the reference paths, and a ray counts only when its whole window
    /// stays inside the image.
    #[test]
    fn a_ray_prefix_is_the_start_of_the_whole_ray(
        width in 3u32..48,
        height in 3u32..48,
        seed: u64,
        center in prop::array::uniform2(-4.0f64..52.0),
        angle in 0.0..TAU,
        s0 in 0.0f64..20.0,
        step in 0.05f64..1.0,
        n in 2usize..64,
        n_read in 0usize..70,
    ) {
        let data = noise_bytes(seed, (width * height) as usize);
        let image = ImageView::packed(width, height, &data).unwrap();
        let mut gradient = GradientImage::default();
        gradient.compute(&image);
        let dir = [angle.cos(), angle.sin()];
        let samplers =
            [Sampler::with_gradient(image, Frames::new(None), &gradient), Sampler::new(image, Frames::new(None))];
        for sampler in samplers {
            let (mut whole, mut prefix) = (Vec::new(), Vec::new());
            let ok_whole = sampler.ray_derivatives(center, dir, s0, step, n, &mut whole);
            let ok_prefix =
                sampler.ray_derivatives_prefix([center, dir], [s0, step], [n, n_read], &mut prefix);
            prop_assert_eq!(ok_prefix, ok_whole);
            if ok_whole {
                let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                prop_assert_eq!(bits(&prefix), bits(&whole[..n_read.min(n)]));
            }
        }
    }
}
