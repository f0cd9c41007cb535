//! Tests of the outer-edge refinement's stopping rule and of the inner ring's shape check.

use super::{inner_matches_outer, settled};
use crate::geometry::Ellipse;

fn ellipse(center: [f64; 2], axes: [f64; 2], angle_rad: f64) -> Ellipse {
    Ellipse { center_px: center, semi_major_px: axes[0], semi_minor_px: axes[1], angle_rad }
}

#[test]
fn a_pass_has_settled_only_when_nothing_moved_a_quarter_pixel() {
    let e = ellipse([100.0, 80.0], [18.0, 12.0], 0.4);
    assert!(settled(&e, &e));
    let nudged = ellipse([100.1, 80.05], [18.05, 12.0], 0.4);
    assert!(settled(&e, &nudged), "0.16 px in all");
    assert!(!settled(&e, &ellipse([100.3, 80.0], [18.0, 12.0], 0.4)), "centre moved 0.3 px");
    assert!(!settled(&e, &ellipse([100.0, 80.0], [18.0, 11.7], 0.4)), "an axis moved 0.3 px");
    // Turning the axes by 0.05 rad moves the ends of an ellipse 6 px out of round by 0.3 px.
    assert!(!settled(&e, &ellipse([100.0, 80.0], [18.0, 12.0], 0.45)));
    // Angles are modulo π, and a circle's angle moves nothing.
    assert!(settled(&e, &ellipse([100.0, 80.0], [18.0, 12.0], 0.4 + std::f64::consts::PI)));
    let round = ellipse([50.0, 50.0], [10.0, 10.0], 0.0);
    assert!(settled(&round, &ellipse([50.0, 50.0], [10.0, 10.0], 1.3)));
}

#[test]
fn an_inner_ring_must_have_the_outer_rings_shape() {
    let outer = ellipse([100.0, 80.0], [28.0, 18.3], 0.0);
    let fraction = 0.34;
    let scaled = ellipse([100.2, 80.1], [fraction * 28.0, fraction * 18.3], 0.02);
    assert!(inner_matches_outer(&scaled, &outer, fraction));
    // The ghost a board seen at 75° gave: right size, but turned by 77° and rounder.
    let turned = ellipse([100.0, 80.0], [9.55, 7.46], 1.35);
    assert!(!inner_matches_outer(&turned, &outer, fraction));
    // Too small on one axis.
    let thin = ellipse([100.0, 80.0], [fraction * 28.0, 0.7 * fraction * 18.3], 0.0);
    assert!(!inner_matches_outer(&thin, &outer, fraction));
    // A nearly round marker's axis direction is not checked.
    let round = ellipse([10.0, 10.0], [20.0, 19.0], 0.0);
    let inner = ellipse([10.0, 10.0], [fraction * 20.0, fraction * 19.0], 1.5);
    assert!(inner_matches_outer(&inner, &round, fraction));
}
