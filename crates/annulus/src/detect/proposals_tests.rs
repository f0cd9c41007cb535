//! Tests of the pyramid levels the voting plans.

use proptest::prelude::*;

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
