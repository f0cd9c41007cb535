//! Tests of the scene: the clearance bound that supersampling relies on.

use std::f64::consts::TAU;

use proptest::prelude::*;

use super::*;

fn levels() -> Levels {
    Levels { paper: 0.9, ink: 0.1, surround: 0.4 }
}

proptest! {
    // A fixed seed: every run draws the same cases, so a failure reproduces.
    #![proptest_config(ProptestConfig {
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED),
        ..ProptestConfig::default()
    })]

    #[test]
    fn nothing_changes_within_the_clearance(
        marker in 0usize..195, r_frac in 0.0f64..1.3, angle in 0.0f64..TAU,
    ) {
        // The rasterizer trusts this bound to skip supersampling: no point closer than the
        // clearance may have another reflectance. Points are drawn in polar coordinates so
        // that the rings and the code band are well covered, and each is probed in 32
        // directions right at the edge of its clearance disc.
        let board = Board::builtin();
        let scene = Scene::new(&board, &levels());
        let [cx, cy] = board.markers()[marker].xy_board_mm;
        let r = r_frac * board.marker_radius_mm();
        let p = [cx + r * angle.cos(), cy + r * angle.sin()];
        let probe = scene.probe(p);
        prop_assert_eq!(probe.value, scene.reflectance(p));
        let reach = 0.999 * probe.clearance;
        for k in 0..32 {
            let dir = f64::from(k) * TAU / 32.0;
            let q = [p[0] + reach * dir.cos(), p[1] + reach * dir.sin()];
            prop_assert_eq!(scene.reflectance(q), probe.value, "p {:?} q {:?} clearance {}", p, q, probe.clearance);
        }
    }

    #[test]
    fn clearance_holds_beyond_the_page(fx in -0.2f64..1.2, fy in -0.2f64..1.2, dir in 0.0f64..TAU, frac in 0.0f64..0.999) {
        let board = Board::builtin();
        let scene = Scene::new(&board, &levels());
        let [x0, y0, x1, y1] = board.page_bounds_mm();
        let p = [x0 + fx * (x1 - x0), y0 + fy * (y1 - y0)];
        let probe = scene.probe(p);
        let t = frac * probe.clearance;
        let q = [p[0] + t * dir.cos(), p[1] + t * dir.sin()];
        prop_assert_eq!(scene.reflectance(q), probe.value);
    }
}

#[test]
fn regions_follow_the_marker_layout() {
    let board = Board::builtin();
    let scene = Scene::new(&board, &levels());
    let [cx, cy] = board.markers()[0].xy_board_mm;
    let at = |r: f64, deg: f64| {
        let a = f64::to_radians(deg);
        scene.reflectance([cx + r * a.cos(), cy + r * a.sin()])
    };
    assert_eq!(at(0.5, 0.0), 0.9, "white centre");
    assert_eq!(at(1.5, 0.0), 0.1, "inner ring");
    assert_eq!(at(3.6, 200.0), 0.1, "outer ring");
    assert_eq!(at(5.0, 0.0), 0.9, "paper between markers");
    // Marker 0 carries 0x000f: sectors 0 to 3 (0° to 90°) are dark, the rest light.
    assert_eq!(board.markers()[0].codeword, Some(0x000f));
    assert_eq!(at(2.5, 10.0), 0.1);
    assert_eq!(at(2.5, 80.0), 0.1);
    assert_eq!(at(2.5, 100.0), 0.9);
    assert_eq!(at(2.5, 350.0), 0.9);
    let [x0, y0, _, _] = board.page_bounds_mm();
    assert_eq!(scene.reflectance([x0 - 1.0, y0 + 5.0]), 0.4, "beyond the page");
}
