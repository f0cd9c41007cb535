//! Tests of the pyramid levels the voting plans.

use proptest::prelude::*;

use crate::test_support::seeded;

use super::{LEVEL_OVERLAP, level_plan};

/// The levels a plan uses, in order.
fn levels(plan: &[Option<[f64; 2]>]) -> Vec<usize> {
    plan.iter().enumerate().filter_map(|(level, range)| range.map(|_| level)).collect()
}

#[test]
fn the_default_automatic_range_does_not_vote_at_full_resolution() {
    // DetectConfig's default smallest diameter, 20 px, is radius 10: level 1's lower edge.
    let plan = level_plan([10.0, 256.0]);
    assert_eq!(levels(&plan), vec![1, 2, 3, 4, 5]);
}

#[test]
fn a_range_touching_a_band_edge_is_voted_once() {
    assert_eq!(levels(&level_plan([10.0, 10.0])), vec![1]);
    assert_eq!(levels(&level_plan([20.0, 20.0])), vec![2]);
    assert_eq!(levels(&level_plan([6.0, 10.0])), vec![0]);
}

#[test]
fn a_share_inside_a_neighbours_overlap_is_not_voted() {
    // The CI gate's hint, 33.7 px: level 1 widened reaches 23 px, past level 2's share.
    assert_eq!(levels(&level_plan([12.6, 21.1])), vec![1]);
    // Level 2 widened reaches down to 17.4 px, past level 1's share, but the finer level's
    // narrower ranges are what the edge fit needs, so both stay.
    assert_eq!(levels(&level_plan([19.0, 40.0])), vec![1, 2]);
    // ringgrid's board, hinted 46.5 px: level 1 widened stops at 23 px.
    assert_eq!(levels(&level_plan([17.4, 29.0])), vec![1, 2]);
}

#[test]
fn small_markers_still_vote_at_full_resolution() {
    assert_eq!(levels(&level_plan([4.0, 9.9])), vec![0]);
}

proptest! {
    /// Every radius of the range is covered by a planned level, in that level's own pixels.
    #[test]
    fn every_radius_of_the_range_is_covered(
        r_lo in 4.0f64..300.0,
        span in 0.0f64..4.0,
        t in 0.0f64..=1.0,
    ) {
        let r_hi = r_lo * (1.0 + span);
        let r = r_lo + t * (r_hi - r_lo);
        let plan = level_plan([r_lo, r_hi]);
        let covered = plan.iter().enumerate().any(|(level, range)| {
            let scale = f64::from(1u32 << level);
            range.is_some_and(|[lo, hi]| lo * scale <= r && r <= hi * scale)
        });
        prop_assert!(covered, "radius {r} of [{r_lo}, {r_hi}]: {plan:?}");
        // No level is planned beyond the widened range.
        for (level, range) in plan.iter().enumerate() {
            let scale = f64::from(1u32 << level);
            if let Some([lo, hi]) = range {
                prop_assert!(lo * scale >= r_lo / (1.0 + LEVEL_OVERLAP) - 1e-9);
                prop_assert!(hi * scale <= r_hi * (1.0 + LEVEL_OVERLAP) + 1e-9);
            }
        }
    }
}

/// Every pixel's Sobel gradient and every vote with its own bounds check, one at a time, as
/// `vote` did before interior pixels skipped the checks and vectors took over: the reference the
/// vote must match to the bit.
fn vote_checked(image: &crate::image::ImageView<'_>, [r_lo, r_hi]: [f64; 2]) -> Vec<f32> {
    let (w, h) = (image.width() as usize, image.height() as usize);
    let mut votes = vec![0.0f32; w * h];
    let n_steps = ((r_hi - r_lo).floor() as usize) + 1;
    let min_mag_sq = (8.0 * super::MIN_EDGE_GREY_PER_PX).powi(2) as i32;
    let px = |x: usize, y: usize| i32::from(image.row(y as u32).unwrap()[x]);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let gx = (px(x + 1, y - 1) - px(x - 1, y - 1))
                + 2 * (px(x + 1, y) - px(x - 1, y))
                + (px(x + 1, y + 1) - px(x - 1, y + 1));
            let gy = (px(x - 1, y + 1) - px(x - 1, y - 1))
                + 2 * (px(x, y + 1) - px(x, y - 1))
                + (px(x + 1, y + 1) - px(x + 1, y - 1));
            let mag_sq = gx * gx + gy * gy;
            if mag_sq < min_mag_sq {
                continue;
            }
            let mag = (mag_sq as f32).sqrt();
            let (nx, ny) = (gx as f32 / mag, gy as f32 / mag);
            for step in 0..n_steps {
                let r = r_lo as f32 + step as f32;
                for sign in [-1.0f32, 1.0] {
                    let vx = x as f32 + sign * r * nx + 0.5;
                    let vy = y as f32 + sign * r * ny + 0.5;
                    if vx >= 0.0 && vy >= 0.0 && vx < w as f32 && vy < h as f32 {
                        votes[vy as i32 as usize * w + vx as i32 as usize] += mag * 0.125;
                    }
                }
            }
        }
    }
    votes
}

proptest! {
    #![proptest_config(seeded(48))]

    /// Rings anywhere, cut by the borders or not, on noise, at widths that end rows in every
    /// phase of the vector lanes and with up to three vectors of radius steps: the votes are
    /// the one-pixel-at-a-time checked reference's to the bit, interior pixels (vector
    /// positions, no per-vote check) and border pixels alike.
    #[test]
    fn vector_votes_match_the_checked_scalar_votes(
        seed in any::<u64>(),
        w in 3usize..90,
        r_lo in 2.0f64..9.0,
        span in 0.0f64..20.0,
    ) {
        let h = 53usize;
        let mut next = xorshift(seed);
        let pixels = ring_image(w, h, 4, &mut next);
        let image = crate::image::ImageView::new(w as u32, h as u32, w, &pixels).unwrap();
        let range = [r_lo, r_lo + span];
        let (mut votes, mut rows) = (Vec::new(), super::SobelRows::default());
        // Twice with the same scratch: the second call must not see the first's rows.
        super::vote(&image, range, &mut votes, &mut rows);
        super::vote(&image, range, &mut votes, &mut rows);
        let want = vote_checked(&image, range);
        prop_assert_eq!(votes.len(), want.len());
        for (i, (a, b)) in votes.iter().zip(&want).enumerate() {
            prop_assert_eq!(a.to_bits(), b.to_bits(), "cell {}", i);
        }
    }
}

/// The peak search as it was before the 3 × 3 test ran in vector lanes, one pixel at a time:
/// the reference [`super::propose`] must match exactly.
fn propose_scalar(
    image: &crate::image::ImageView<'_>,
    level: u32,
    radius_px: [f64; 2],
) -> Vec<super::Candidate> {
    use super::{Background, Candidate, MIN_CONTRAST_GREY, MIN_VOTE_FRACTION};
    let (w, h) = (image.width() as usize, image.height() as usize);
    let [r_lo, r_hi] = radius_px;
    let (mut votes, mut rows, mut boxed, mut blocks) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    super::vote(image, radius_px, &mut votes, &mut super::SobelRows::default());
    super::box3(&votes, w, h, &mut rows, &mut boxed);
    let threshold = (MIN_VOTE_FRACTION * std::f64::consts::TAU * r_lo * MIN_CONTRAST_GREY) as f32;
    let window = ((0.5 * r_lo).round() as usize).max(2);
    let background = Background::new(&boxed, w, h, r_lo, &mut blocks);
    let mut peaks = Vec::new();
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let v = boxed[y * w + x];
            let is_max = super::within_window_max(&boxed, w, h, x, y, 1)
                && super::within_window_max(&boxed, w, h, x, y, window);
            if v < threshold || !is_max {
                continue;
            }
            if v < super::MIN_VOTE_CONCENTRATION * background.level_at(&blocks, x, y) {
                continue;
            }
            let scale = f64::from(1u32 << level);
            peaks.push(Candidate {
                center_img_px: super::to_level0(level, super::refine_peak(&boxed, w, x, y)),
                radius_px: [r_lo * scale, r_hi * scale],
                score: v / (std::f64::consts::TAU * r_lo) as f32,
            });
        }
    }
    peaks.sort_unstable_by(|a, b| b.score.total_cmp(&a.score));
    peaks.truncate(super::MAX_CANDIDATES);
    peaks
}

/// A `w × h` image of dark rings (centre and radius from `next`) on a noisy light ground.
fn ring_image(w: usize, h: usize, n_rings: usize, next: &mut impl FnMut() -> u64) -> Vec<u8> {
    let centres: Vec<[f64; 3]> = (0..n_rings)
        .map(|_| {
            let x = (next() % (w as u64 + 12)) as f64 - 6.0;
            let y = (next() % (h as u64 + 12)) as f64 - 6.0;
            [x, y, 3.0 + (next() % 9) as f64]
        })
        .collect();
    (0..w * h)
        .map(|i| {
            let (x, y) = ((i % w) as f64, (i / w) as f64);
            let ring = centres.iter().any(|&[cx, cy, r]| ((x - cx).hypot(y - cy) - r).abs() < 1.5);
            let noise = (next() % 24) as u8;
            if ring { 30 + noise } else { 200 + noise }
        })
        .collect()
}

/// A xorshift generator seeded with `seed`.
fn xorshift(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed | 1;
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

proptest! {
    #![proptest_config(seeded(48))]

    /// Values of a few levels only, so that ties are everywhere: the vector test keeps exactly
    /// the pixels the scalar one does, over every chunk position of a row.
    #[test]
    fn the_vector_local_maxima_are_the_scalar_ones(
        seed in any::<u64>(),
        levels in 1u64..5,
        threshold in 0.0f32..4.0,
    ) {
        let (w, h) = (29usize, 3usize);
        let mut next = xorshift(seed);
        let v: Vec<f32> = (0..w * h).map(|_| (next() % levels) as f32).collect();
        let rows = [&v[..w], &v[w..2 * w], &v[2 * w..]];
        for x in 1..w - super::LANES {
            let bits = super::local_maxima(rows, x, threshold);
            for i in 0..super::LANES {
                let want = !v[w + x + i].lt(&threshold)
                    && super::within_window_max(&v, w, h, x + i, 1, 1);
                prop_assert_eq!(bits >> i & 1 == 1, want, "x {} lane {}", x, i);
            }
        }
    }

    /// Rings anywhere on noise, at several image widths (so that rows end in every phase of
    /// the vector lanes): the proposals are the scalar search's, bit for bit.
    #[test]
    fn proposals_match_the_scalar_peak_search(
        seed in any::<u64>(),
        w in 20usize..90,
        r_lo in 2.0f64..7.0,
        span in 0.0f64..5.0,
    ) {
        let h = 61usize;
        let mut next = xorshift(seed);
        let pixels = ring_image(w, h, 6, &mut next);
        let image = crate::image::ImageView::new(w as u32, h as u32, w, &pixels).unwrap();
        let range = [r_lo, r_lo + span];
        let (mut scratch, mut got) = (super::VoteScratch::default(), Vec::new());
        super::propose(&image, 1, range, &mut scratch, &mut got);
        let want = propose_scalar(&image, 1, range);
        prop_assert_eq!(got.len(), want.len());
        for (a, b) in got.iter().zip(&want) {
            prop_assert_eq!(a.center_img_px.map(f64::to_bits), b.center_img_px.map(f64::to_bits));
            prop_assert_eq!(a.radius_px.map(f64::to_bits), b.radius_px.map(f64::to_bits));
            prop_assert_eq!(a.score.to_bits(), b.score.to_bits());
        }
    }
}

proptest! {
    #![proptest_config(seeded(32))]

    /// Box sums into scratch left dirty by a call of another size: the direct nine-term sums
    /// (row by row, as the doc states), zero on the border, to the bit.
    #[test]
    fn box_sums_ignore_dirty_scratch(seed in any::<u64>(), w in 1usize..40, h in 1usize..30) {
        let mut next = xorshift(seed);
        let src: Vec<f32> = (0..w * h).map(|_| (next() % 1000) as f32 * 0.37).collect();
        let (mut rows, mut dst) = (vec![f32::NAN; 977], vec![f32::NAN; 1201]);
        super::box3(&src, w, h, &mut rows, &mut dst);
        prop_assert_eq!(dst.len(), w * h);
        for y in 0..h {
            for x in 0..w {
                let want = if x == 0 || y == 0 || x + 1 >= w || y + 1 >= h {
                    0.0
                } else {
                    let s = |yy: usize| src[yy * w + x - 1] + src[yy * w + x] + src[yy * w + x + 1];
                    s(y - 1) + s(y) + s(y + 1)
                };
                prop_assert_eq!(dst[y * w + x].to_bits(), want.to_bits(), "({}, {})", x, y);
            }
        }
    }
}
