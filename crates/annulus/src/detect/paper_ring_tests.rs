//! The paper ring's sums against the pixel-by-pixel terms they stand for.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use super::{PAPER, PaperRing, SLOPE};
use crate::detect::fit_pixels::N_PARAMS;

/// The ring's terms summed pixel by pixel: residual `v − P·(1 + γ·ρ)` and its Jacobian row.
fn brute_force(
    pixels: &[([f64; 2], f64)],
    paper: f64,
    slope: [f64; 2],
) -> (f64, Vec<f64>, Vec<f64>) {
    let mut cost = 0.0;
    let mut jtj = vec![0.0; N_PARAMS * N_PARAMS];
    let mut jtr = vec![0.0; N_PARAMS];
    for &(rho, v) in pixels {
        let g = 1.0 + slope[0] * rho[0] + slope[1] * rho[1];
        let r = v - paper * g;
        let mut j = [0.0; N_PARAMS];
        j[PAPER] = g;
        j[SLOPE[0]] = paper * rho[0];
        j[SLOPE[1]] = paper * rho[1];
        cost += r * r;
        for a in 0..N_PARAMS {
            jtr[a] += j[a] * r;
            for b in 0..N_PARAMS {
                jtj[a * N_PARAMS + b] += j[a] * j[b];
            }
        }
    }
    (cost, jtj, jtr)
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * scale.max(1.0)
}

proptest! {
    #![proptest_config(Config { cases: 128, rng_seed: RngSeed::Fixed(0x9A9E_0001), ..Config::default() })]

    #[test]
    fn the_sums_give_the_pixel_by_pixel_terms(
        pixels in prop::collection::vec(
            ((-1.8f64..1.8, -1.8f64..1.8), 0.0f64..255.0), 0..400),
        paper in 20.0f64..250.0,
        slope in (-0.3f64..0.3, -0.3f64..0.3),
    ) {
        let pixels: Vec<([f64; 2], f64)> =
            pixels.into_iter().map(|((x, y), v)| ([x, y], v)).collect();
        let slope = [slope.0, slope.1];
        let mut ring = PaperRing::default();
        for &(rho, v) in &pixels {
            ring.add(rho, v);
        }
        prop_assert_eq!(ring.len(), pixels.len());
        let got = ring.terms(paper, slope);
        let (cost, jtj, jtr) = brute_force(&pixels, paper, slope);
        // The sums cancel: compare against the size of the terms that cancel.
        let scale = pixels.len() as f64 * 255.0 * 255.0;
        prop_assert!(close(got.cost, cost, scale), "cost {} vs {}", got.cost, cost);
        for a in 0..N_PARAMS {
            prop_assert!(close(got.jtr[a], jtr[a], scale), "jtr[{}] {} vs {}", a, got.jtr[a], jtr[a]);
            for b in 0..N_PARAMS {
                let want = jtj[a * N_PARAMS + b];
                prop_assert!(close(got.jtj[(a, b)], want, scale), "jtj[{a}][{b}] {} vs {want}", got.jtj[(a, b)]);
            }
        }
    }
}

#[test]
fn an_empty_ring_adds_nothing() {
    let terms = PaperRing::default().terms(180.0, [0.1, -0.2]);
    assert_eq!(terms.cost, 0.0);
    assert!(terms.jtj.iter().all(|&v| v == 0.0));
    assert!(terms.jtr.iter().all(|&v| v == 0.0));
}

#[test]
fn a_ring_at_its_own_paper_level_costs_nothing_and_pulls_nowhere() {
    // Pixels that are exactly the model's paper: zero residual, zero gradient, but a
    // positive-definite photometric block (they do pin `P` and `γ`).
    let (paper, slope) = (200.0, [0.05, -0.02]);
    let mut ring = PaperRing::default();
    for k in 0..64 {
        let angle = f64::from(k) * std::f64::consts::TAU / 64.0;
        let rho = [1.4 * angle.cos(), 1.4 * angle.sin()];
        ring.add(rho, paper * (1.0 + slope[0] * rho[0] + slope[1] * rho[1]));
    }
    let terms = ring.terms(paper, slope);
    assert!(terms.cost.abs() < 1e-6, "cost {}", terms.cost);
    assert!(terms.jtr.iter().all(|v| v.abs() < 1e-6), "jtr {:?}", terms.jtr);
    let block = terms
        .jtj
        .select_rows(&[PAPER, SLOPE[0], SLOPE[1]])
        .select_columns(&[PAPER, SLOPE[0], SLOPE[1]]);
    assert!(block.cholesky().is_some(), "the photometric block is positive definite");
}
