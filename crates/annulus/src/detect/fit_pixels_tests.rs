//! The vector kernel against the scalar double-precision reference it replaced: the same cost,
//! `Jᵀr` and checkerboard rows, to single-precision rounding, for random runs, images and
//! parameters (runs of every length, so every way a run can end inside a vector).

use proptest::prelude::*;

use crate::test_support::seeded;
use rustfft::num_complex::Complex32;

use super::{FitPixels, KernelScratch, N_PARAMS, PADDED, Shared, accumulate, warp_terms};

/// One pixel of the reference: patch index, offset from the start's centre, grey value,
/// whether it is on the checkerboard, and the magnitudes the offset is summed from (the patch
/// origin's offset and the cell's column and row), which bound its rounding.
type RefPixel = (usize, [f64; 2], f64, bool, [f64; 2]);

/// The per-pixel sums in double precision, one pixel at a time, in the order the pixels were
/// gathered: the refinement's evaluation before it was vectorised. With `bound`, every input
/// and every sum of two terms is taken by its magnitude, which bounds what each result's terms
/// add up to before they cancel: the scale of its single-precision rounding.
fn reference(
    pixels: &[RefPixel],
    images: &[Vec<Complex32>; 3],
    s: &Shared,
    bound: bool,
) -> Reference {
    let m = |x: f64| if bound { x.abs() } else { x };
    // `a − b`, or `|a| + |b|` for the bound.
    let sub = |a: f64, b: f64| if bound { a.abs() + b.abs() } else { a - b };
    let (mut cost, mut jtr, mut rows) = (0.0, [0.0; N_PARAMS], Vec::new());
    let mi = s.jf_inv.map(|r| r.map(m));
    let a = s.a_jf.map(|r| r.map(m));
    let (slope, paper, contrast) = (s.slope.map(m), m(s.paper), m(s.contrast));
    for &(index, off, value, in_hessian, off_bound) in pixels {
        let [b, bx, by, bsxx, bsxy, bsyy] = [
            images[0][index].re,
            images[0][index].im,
            images[1][index].re,
            images[1][index].im,
            images[2][index].re,
            images[2][index].im,
        ]
        .map(|v| m(f64::from(v)));
        let off = if bound { off_bound } else { off };
        let rel = [off[0] * s.inv_radius, off[1] * s.inv_radius];
        let g = 1.0 + slope[0] * rel[0] + slope[1] * rel[1];
        let refl = sub(paper, contrast * b);
        let r = sub(m(value), g * refl);
        cost += r * r;
        let sb = g * contrast;
        let gb = [bx * mi[0][0] + by * mi[1][0], bx * mi[0][1] + by * mi[1][1]];
        let d = [sub(off[0], m(s.center_shift[0])), sub(off[1], m(s.center_shift[1]))];
        let e = [a[0][0] * d[0] + a[0][1] * d[1], a[1][0] * d[0] + a[1][1] * d[1]];
        let mut j = [0.0; N_PARAMS];
        j[0] = sb * gb[0];
        j[1] = sb * gb[1];
        for (idx, ds) in s.d_sigma.iter().enumerate() {
            let (k, l) = (idx / 2, idx % 2);
            let ds = ds.map(m);
            let blur = ds[0] * bsxx + ds[1] * bsxy + ds[2] * bsyy;
            j[2 + idx] = m(-sb) * sub(m(-gb[k] * e[l]), blur);
        }
        j[6] = m(-sb) * bsxx;
        j[7] = m(-sb) * bsxy;
        j[8] = m(-sb) * bsyy;
        j[9] = g;
        j[10] = m(-g * b);
        j[11] = rel[0] * refl;
        j[12] = rel[1] * refl;
        for a in 0..N_PARAMS {
            jtr[a] += r * j[a];
        }
        if in_hessian {
            rows.push(j);
        }
    }
    Reference { cost, jtr, rows }
}

/// The reference's sums.
struct Reference {
    cost: f64,
    jtr: [f64; N_PARAMS],
    rows: Vec<[f64; N_PARAMS]>,
}

/// `|a − b|` within `rel` of `scale`.
fn close(a: f64, b: f64, scale: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * scale.max(1.0)
}

/// Side of the test patch.
const N: usize = 20;

/// The kernel's pixels and the reference's, from runs `(row, first, len)` of a patch whose cell
/// `(0, 0)` lies `origin_offset` from the start's centre, with grey values taken in order from
/// `values`.
fn pixels_of(
    runs: &[(usize, usize, usize)],
    values: &[f64],
    origin_offset: [f64; 2],
) -> (FitPixels, Vec<RefPixel>) {
    let mut fit = FitPixels::default();
    fit.clear(N, origin_offset);
    let mut reference = Vec::new();
    let mut next = values.iter().cycle();
    for &(row, first, len) in runs {
        let len = len.min(N - first);
        let run: Vec<f64> = (0..len).map(|_| next.next().copied().unwrap_or(0.0)).collect();
        fit.push_run(row, first, run.len(), |k| run[k] as f32);
        for (k, &v) in run.iter().enumerate() {
            let col = first + k;
            let off = [origin_offset[0] + col as f64, origin_offset[1] + row as f64];
            let off_bound =
                [origin_offset[0].abs() + col as f64, origin_offset[1].abs() + row as f64];
            reference.push((row * N + col, off, v, (col + row) % 2 == 0, off_bound));
        }
    }
    fit.finish();
    (fit, reference)
}

proptest! {
    #![proptest_config(seeded(64))]

    #[test]
    fn the_vector_kernel_sums_what_the_scalar_reference_does(
        runs in prop::collection::vec((0usize..N, 0usize..N, 0usize..=N), 1..12),
        values in prop::collection::vec(0.0f64..255.0, 1..64),
        image_values in prop::collection::vec(-2.0f32..2.0, 6 * N * N),
        origin_offset in (-12.0f64..-8.0, -12.0f64..-8.0),
        slope in (-0.3f64..0.3, -0.3f64..0.3),
        photometric in (150.0f64..230.0, 60.0f64..180.0),
        linear in (10.0f64..30.0, -3.0f64..3.0, -3.0f64..3.0, 10.0f64..30.0),
        blur in (0.5f64..9.0, -1.0f64..1.0, 0.5f64..9.0),
        shift in (-0.5f64..0.5, -0.5f64..0.5),
    ) {
        let images: [Vec<Complex32>; 3] = std::array::from_fn(|k| {
            (0..N * N).map(|i| Complex32::new(image_values[6 * i + 2 * k], image_values[6 * i + 2 * k + 1])).collect()
        });
        let values: Vec<f64> = values.iter().map(|v| v.round()).collect();
        let (fit, pixels) = pixels_of(&runs, &values, [origin_offset.0, origin_offset.1]);
        let l = [[linear.0, linear.1], [linear.2, linear.3]];
        let det = l[0][0] * l[1][1] - l[0][1] * l[1][0];
        let inv_l = [[l[1][1] / det, -l[0][1] / det], [-l[1][0] / det, l[0][0] / det]];
        let jf = [[1.0, 0.01], [-0.02, 0.99]];
        let jdet = jf[0][0] * jf[1][1] - jf[0][1] * jf[1][0];
        let jf_inv = [[jf[1][1] / jdet, -jf[0][1] / jdet], [-jf[1][0] / jdet, jf[0][0] / jdet]];
        let (a_jf, d_sigma) = warp_terms(inv_l, jf, jf_inv, [blur.0, blur.1, blur.2]);
        let shared = Shared {
            slope: [slope.0, slope.1],
            inv_radius: 1.0 / 22.0,
            paper: photometric.0,
            contrast: photometric.1,
            jf_inv,
            a_jf,
            d_sigma,
            center_shift: [shift.0, shift.1],
        };

        prop_assert_eq!(fit.len(), pixels.len());
        let live: Vec<(usize, f32)> = fit.live().collect();
        let want_live: Vec<(usize, f32)> = pixels.iter().map(|p| (p.0, p.2 as f32)).collect();
        prop_assert_eq!(live, want_live);
        let mut rows = Vec::new();
        let got = accumulate(&fit, &images, &shared, &mut rows, &mut KernelScratch::default());
        let want = reference(&pixels, &images, &shared, false);
        let scale = reference(&pixels, &images, &shared, true);

        // Every term is a product of a few single-precision factors: the sums agree to a few
        // single-precision ulps of what their terms add up to before they cancel.
        prop_assert!(close(got.cost, want.cost, scale.cost, 1e-5), "cost {} vs {}", got.cost, want.cost);
        for a in 0..N_PARAMS {
            prop_assert!(
                close(got.jtr[a], want.jtr[a], scale.jtr[a], 1e-5),
                "Jᵀr[{}] {} vs {}", a, got.jtr[a], want.jtr[a]
            );
        }
        // The checkerboard's rows, in the order gathered, padding columns zero.
        prop_assert_eq!(rows.len(), want.rows.len());
        for ((row, want), bound) in rows.iter().zip(&want.rows).zip(&scale.rows) {
            prop_assert!(row[N_PARAMS..PADDED].iter().all(|&v| v == 0.0));
            for a in 0..N_PARAMS {
                let w = want[a];
                prop_assert!(close(f64::from(row[a]), w, bound[a], 1e-5), "row[{}] {} vs {}", a, row[a], w);
            }
        }
    }
}

#[test]
fn lanes_past_a_run_add_nothing() {
    // Runs of 3 and 11 pixels, so that both end inside a vector: the sums are those of the
    // fourteen pixels alone.
    let images: [Vec<Complex32>; 3] = std::array::from_fn(|k| {
        (0..N * N).map(|i| Complex32::new(0.01 * i as f32, k as f32 - 0.5)).collect()
    });
    let shared = Shared {
        slope: [0.1, -0.2],
        inv_radius: 0.05,
        paper: 200.0,
        contrast: 120.0,
        jf_inv: [[1.0, 0.0], [0.0, 1.0]],
        a_jf: [[0.05, 0.0], [0.0, 0.05]],
        d_sigma: [[0.1, 0.0, 0.0], [0.0, 0.1, 0.0], [0.0, 0.1, 0.0], [0.0, 0.0, 0.1]],
        center_shift: [0.0; 2],
    };
    let (fit, pixels) =
        pixels_of(&[(4, 2, 3), (5, 1, 11)], &[120.0, 90.0, 200.0, 30.0], [-10.0; 2]);
    assert_eq!(pixels.len(), 14);
    let mut rows = Vec::new();
    let got = accumulate(&fit, &images, &shared, &mut rows, &mut KernelScratch::default());
    let want = reference(&pixels, &images, &shared, false);
    let scale = reference(&pixels, &images, &shared, true);
    assert_eq!(rows.len(), want.rows.len(), "only the checkerboard's real pixels have rows");
    assert_eq!(rows.len(), 8, "two of the first run, six of the second");
    assert!(close(got.cost, want.cost, scale.cost, 1e-5), "cost {} vs {}", got.cost, want.cost);
    for a in 0..N_PARAMS {
        let (g, w) = (got.jtr[a], want.jtr[a]);
        assert!(close(g, w, scale.jtr[a], 1e-5), "{a}: {g} vs {w}");
    }
}
