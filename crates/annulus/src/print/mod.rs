//! Printable vector output of a board: SVG with millimetre user units.
//!
//! The SVG's `viewBox` is the page in board coordinates, so every number in the file is a
//! board-frame millimetre and `width`/`height` carry `mm` units: printed at 100 % scale, the
//! page comes out at its true size. Rings are filled annuli (two circles with the even-odd
//! rule) rather than strokes, so no renderer can disagree about where a stroke's edge lies.
//! Each run of adjacent dark code sectors is one closed annular-sector path, so viewers do not
//! draw hairline seams between neighbouring dark sectors.

#[cfg(test)]
mod tests;

use std::f64::consts::TAU;
use std::fmt::Write as _;

use crate::board::{Annulus, Board};
use crate::codebook::N_SECTORS;

/// The board as a standalone SVG document.
pub fn board_svg(board: &Board) -> String {
    let [x0, y0, x1, y1] = board.page_bounds_mm();
    let (w, h) = (x1 - x0, y1 - y0);
    let spec = board.spec();
    let mut svg = String::with_capacity(256 * board.markers().len());
    let (x0, y0, w, h) = (num(x0), num(y0), num(w), num(h));
    let _ = write!(
        svg,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" \
         width=\"{w}mm\" height=\"{h}mm\" viewBox=\"{x0} {y0} {w} {h}\">\n\
         <title>annulus board {name}</title>\n\
         <desc>{n} markers, page {w} x {h} mm. Print at 100% scale (no fit-to-page); \
         coordinates are board-frame millimetres.</desc>\n\
         <rect x=\"{x0}\" y=\"{y0}\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n\
         <g fill=\"#000000\" stroke=\"none\" fill-rule=\"evenodd\">\n",
        name = spec.name,
        n = board.markers().len(),
    );
    for marker in board.markers() {
        let c = marker.xy_board_mm;
        let _ = writeln!(svg, "<!-- id {} -->", marker.id);
        ring_path(&mut svg, c, &spec.marker.outer_ring);
        ring_path(&mut svg, c, &spec.marker.inner_ring);
        if let Some(word) = marker.codeword {
            for (start, len) in dark_runs(word) {
                sector_path(&mut svg, c, &spec.marker.code_band, start, len);
            }
        }
    }
    svg.push_str("</g>\n</svg>\n");
    svg
}

/// Maximal runs of dark sectors as `(first sector, run length)`, wrapping around sector 15.
pub(crate) fn dark_runs(word: u16) -> Vec<(usize, usize)> {
    let dark = |k: usize| word >> (k % N_SECTORS) & 1 == 1;
    if word == u16::MAX {
        return vec![(0, N_SECTORS)];
    }
    let mut runs = Vec::new();
    for start in (0..N_SECTORS).filter(|&k| dark(k) && !dark(k + N_SECTORS - 1)) {
        let len = (0..N_SECTORS).take_while(|&i| dark(start + i)).count();
        runs.push((start, len));
    }
    runs
}

/// A filled annulus: outer circle and inner circle, even-odd.
fn ring_path(svg: &mut String, [cx, cy]: [f64; 2], ring: &Annulus) {
    let (r0, r1) = (ring.outer_edge_mm(), ring.inner_edge_mm());
    let _ = writeln!(
        svg,
        "<path d=\"M{} {}A{r0} {r0} 0 1 1 {} {}A{r0} {r0} 0 1 1 {} {}Z\
         M{} {}A{r1} {r1} 0 1 1 {} {}A{r1} {r1} 0 1 1 {} {}Z\"/>",
        num(cx + r0),
        num(cy),
        num(cx - r0),
        num(cy),
        num(cx + r0),
        num(cy),
        num(cx + r1),
        num(cy),
        num(cx - r1),
        num(cy),
        num(cx + r1),
        num(cy),
        r0 = num(r0),
        r1 = num(r1),
    );
}

/// One run of dark sectors: outer arc forwards, inner arc back.
fn sector_path(svg: &mut String, [cx, cy]: [f64; 2], band: &Annulus, start: usize, len: usize) {
    let step = TAU / N_SECTORS as f64;
    let (a0, a1) = (start as f64 * step, (start + len) as f64 * step);
    let (r0, r1) = (band.outer_edge_mm(), band.inner_edge_mm());
    let at = |r: f64, a: f64| (num(cx + r * a.cos()), num(cy + r * a.sin()));
    let large = u8::from(a1 - a0 > 0.5 * TAU);
    let (p0, p1, p2, p3) = (at(r0, a0), at(r0, a1), at(r1, a1), at(r1, a0));
    // In SVG's y-down frame, increasing board angle is the positive sweep direction.
    let _ = writeln!(
        svg,
        "<path d=\"M{} {}A{r0} {r0} 0 {large} 1 {} {}L{} {}A{r1} {r1} 0 {large} 0 {} {}Z\"/>",
        p0.0,
        p0.1,
        p1.0,
        p1.1,
        p2.0,
        p2.1,
        p3.0,
        p3.1,
        r0 = num(r0),
        r1 = num(r1),
    );
}

/// A millimetre value with 0.1 µm resolution and no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}
