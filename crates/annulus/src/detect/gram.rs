//! The Gram matrix `Σ rᵀr` of many short single-precision rows, in register-sized tiles.
//!
//! The model refinement ([`super::refine_model`]) needs `JᵀJ` over a thousand or so Jacobian
//! rows of 13 parameters (padded to 16) per evaluation. Updating the whole 16 × 16 product for
//! every row loads and stores it each time; summing one 4 × 4 tile over all rows before the next
//! keeps the tile's sums in four vector registers. Each entry is still the sum of the same
//! products in row order, so the result is bit-identical to the row-by-row product. Only the
//! tiles on or above the diagonal are summed; the caller mirrors them.

/// Side of the square tiles in which [`gram_upper`] accumulates: four single-precision lanes,
/// one vector register per tile row on every x86-64.
const TILE: usize = 4;

/// The upper triangle (tile-wise, so some entries below the diagonal too) of `Σ rᵀr` over the
/// rows `r` in their first `n_used` columns (the rest is padding, whose products are not
/// summed); the row length `N` is a multiple of [`TILE`] and at least `n_used`.
///
/// Each 4 × 4 tile of the whole columns is summed over all rows before the next: its sixteen
/// sums stay in registers, where accumulating the whole product row by row would load and
/// store it for every row. The columns past the last whole tile (13 parameters are three
/// tiles and one column) are summed as a strip four rows tall and as wide as they are, not as
/// tiles that are mostly padding. Every entry is still the sum of the same products in row
/// order, so the result is bit-identical to the row-by-row product; the tiles wholly below the
/// diagonal, mirrors of those above, are skipped. Columns at or past `n_used` are left at zero.
///
/// Always inlined: the refinement, its one caller, passes a constant column count, and inlined
/// there the tile and strip loops are specialised to it (three tile columns and a strip one
/// column wide, fully unrolled), which takes 3 % of a detection's instructions off
/// (callgrind, `annulus-probe --callgrind` on `perf_1280x1024`).
#[inline(always)]
pub(crate) fn gram_upper<const N: usize>(rows: &[[f32; N]], n_used: usize) -> [[f32; N]; N] {
    const { assert!(N.is_multiple_of(TILE), "rows are padded to whole tiles") };
    let n_used = n_used.min(N);
    let n_whole = n_used - n_used % TILE;
    let mut out = [[0.0f32; N]; N];
    for a0 in (0..n_whole).step_by(TILE) {
        for b0 in (a0..n_whole).step_by(TILE) {
            let mut tile = [[0.0f32; TILE]; TILE];
            for r in rows {
                let jb: [f32; TILE] = [r[b0], r[b0 + 1], r[b0 + 2], r[b0 + 3]];
                for (t, &ja) in tile.iter_mut().zip(&r[a0..a0 + TILE]) {
                    for (o, &b) in t.iter_mut().zip(&jb) {
                        *o += ja * b;
                    }
                }
            }
            for (k, t) in tile.iter().enumerate() {
                out[a0 + k][b0..b0 + TILE].copy_from_slice(t);
            }
        }
    }
    // The strip of the last, partial tile column: for each row tile, the sums of its four
    // entries times each remaining column, four rows at a time in one vector.
    for a0 in (0..n_used).step_by(TILE) {
        for b in n_whole..n_used {
            let mut strip = [0.0f32; TILE];
            for r in rows {
                for (o, &ja) in strip.iter_mut().zip(&r[a0..a0 + TILE]) {
                    *o += ja * r[b];
                }
            }
            for (k, &v) in strip.iter().enumerate() {
                out[a0 + k][b] = v;
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "gram_tests.rs"]
mod tests;
