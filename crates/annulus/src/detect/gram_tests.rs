//! The tiled Gram matrix against the row-by-row product, to the bit, for every number of used
//! columns: the tiles and the strip of the last partial tile column must each add the same
//! products in the same order.

use proptest::prelude::*;

use crate::test_support::seeded;

use super::gram_upper;

/// `Σ rᵀr` row by row, the reference: entry `(a, b)` accumulates `r[a] · r[b]` in row order.
fn row_by_row<const N: usize>(rows: &[[f32; N]], n_used: usize) -> [[f32; N]; N] {
    let mut out = [[0.0f32; N]; N];
    for r in rows {
        for a in 0..n_used {
            for b in 0..n_used {
                out[a][b] += r[a] * r[b];
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(seeded(64))]

    #[test]
    fn the_tiled_gram_is_the_row_by_row_product_to_the_bit(
        values in prop::collection::vec(-1.0e3f32..1.0e3, 16 * 40),
        n_rows in 0usize..40,
        n_used in 0usize..=16,
    ) {
        let mut rows: Vec<[f32; 16]> = values.chunks_exact(16).take(n_rows).map(|c| {
            let mut row = [0.0f32; 16];
            row.copy_from_slice(c);
            row
        }).collect();
        // Padding past the used columns is zero, as the refinement writes it.
        for row in &mut rows {
            row[n_used..].fill(0.0);
        }
        let got = gram_upper(&rows, n_used);
        let want = row_by_row(&rows, n_used);
        for a in 0..16 {
            for b in a..16 {
                let expected = if b < n_used { want[a][b] } else { 0.0 };
                prop_assert_eq!(got[a][b].to_bits(), expected.to_bits(), "entry ({}, {})", a, b);
            }
        }
    }
}
