//! Proves the board conversion on printed pixels: ringgrid's own rendering of its default target
//! and annulus's rendering of the converted board must agree, pixel by pixel, inside every
//! marker. This is what pins the sector origin, the rotation direction, the polarity and the
//! handedness of the converted codewords (and the ring radii), because ringgrid draws its
//! markers itself.
//!
//! Alignment: ringgrid's PNG point-samples pixel centres at page position `(x, y) / ppm` with
//! the board placed at an offset worked out from its public page size and marker bounds (its
//! fit-content page centres the content in a square); annulus's `rasterize_board` puts pixel
//! `(i, j)`'s centre at the page bounds' corner plus `(i + ½, j + ½)` pixels, and integrates
//! each pixel's area. Each ringgrid pixel centre inside a marker disc is mapped to the board and
//! compared with the annulus pixel whose centre is nearest; both are thresholded at 128.
//!
//! The two pixel grids are offset by a fraction of a pixel, and point sampling differs from
//! area sampling right at an edge, so pixels whose centre lies within one pixel of a printed
//! edge (a ring or band boundary, or a sector boundary inside the band) are counted apart:
//! the decisive pixels, away from every edge, must agree at 99.9 %, those in the code band
//! alone too, and all disc pixels together at 99 %. Negative controls check the test's teeth:
//! codewords rotated by one sector, inverted, or mirrored all fail it.

#![allow(clippy::expect_used, clippy::print_stdout)]

use annulus::Board;
use annulus::board::CodingSpec;
use annulus_peer::board::{ConvertedBoard, convert_board};
use ringgrid::{TargetLayout, TargetRenderOptions};

/// The nominal resolution: low enough to keep the test quick in a debug build, high enough
/// that the code band is 2.6 px wide. The test adjusts it slightly (see [`aligned_print`]).
const NOMINAL_DPI: f64 = 150.0;

/// Printed edges closer than this to a pixel centre make it non-decisive, in pixels.
const EDGE_MARGIN_PX: f64 = 1.0;

/// Agreement counts over one comparison.
#[derive(Debug, Default, Clone, Copy)]
struct Agreement {
    disc: (u64, u64),
    decisive: (u64, u64),
    band_decisive: (u64, u64),
}

fn share((agree, total): (u64, u64)) -> f64 {
    agree as f64 / total.max(1) as f64
}

impl Agreement {
    fn passes(&self) -> bool {
        share(self.decisive) >= 0.999
            && share(self.band_decisive) >= 0.999
            && share(self.disc) >= 0.99
    }
}

/// ringgrid's rendering of `layout` and the resolution and annulus page margin that put
/// annulus's pixel grid exactly on ringgrid's.
struct AlignedPrint {
    ringgrid: image::GrayImage,
    /// ringgrid's board offset on its page: `board = px / ppm − offset`.
    offset_mm: [f64; 2],
    dpi: f64,
    annulus_margin_mm: f64,
}

/// Renders `layout` with ringgrid at a resolution near [`NOMINAL_DPI`] chosen, together with an
/// annulus page margin, so that every ringgrid pixel centre is an annulus pixel centre.
///
/// ringgrid's fit-content page centres the drawn content (cell bounds grown by the marker
/// extent) in a square, so its x and y offsets differ by `Δ`; annulus's page starts at the same
/// distance (marker radius plus margin) before the first cell on both axes. The grids coincide
/// when `Δ · ppm` is a whole number (the resolution) and the margin places annulus's first pixel
/// centre on a ringgrid pixel centre.
fn aligned_print(layout: &TargetLayout, converted: &ConvertedBoard) -> AlignedPrint {
    let options = TargetRenderOptions::default().with_scale_bar(false);
    // The page in millimetres does not depend on the resolution.
    let [canvas_w, canvas_h] = layout.page_size_mm(&options).expect("page size");
    let (min, max) = layout.marker_bounds_mm().expect("cells");
    let extent = f64::from(layout.outer_draw_radius_mm());
    // The margin cancels out of the offset: `offset = ½ (canvas − span) − content_min`.
    let offset = |canvas: f32, lo: f32, hi: f32| {
        let (lo, hi) = (f64::from(lo) - extent, f64::from(hi) + extent);
        0.5 * (f64::from(canvas) - (hi - lo)) - lo
    };
    let offset_mm = [offset(canvas_w, min[0], max[0]), offset(canvas_h, min[1], max[1])];
    // Page position of the first cell on each axis in ringgrid's print.
    let start = [offset_mm[0] + f64::from(min[0]), offset_mm[1] + f64::from(min[1])];
    let delta = start[1] - start[0];
    let nominal_ppm = NOMINAL_DPI / 25.4;
    let ppm = if delta.abs() > 1e-9 { (delta * nominal_ppm).round() / delta } else { nominal_ppm };
    // ringgrid reads its resolution in single precision; use exactly that value on both sides.
    let dpi_f32 = (ppm * 25.4) as f32;
    let dpi = f64::from(dpi_f32);
    let ppm = dpi / 25.4;
    // annulus pixel `i` has its centre at page `start_x − radius − margin + (i + ½) / ppm`
    // relative to the first cell; make that a ringgrid pixel centre, with a margin just under
    // the default 8 mm.
    let radius = converted.board.marker_radius_mm();
    let k = ((start[0] - radius - 8.0) * ppm + 0.5).ceil();
    let annulus_margin_mm = start[0] - radius - (k - 0.5) / ppm;
    let ringgrid =
        layout.render_target_png(&options.with_png_dpi(dpi_f32)).expect("ringgrid renders");
    AlignedPrint { ringgrid, offset_mm, dpi, annulus_margin_mm }
}

/// Compares `board`'s annulus rendering with ringgrid's `print`.
fn compare(print: &AlignedPrint, board: &Board) -> Agreement {
    let (rg, [off_x, off_y], dpi) = (&print.ringgrid, print.offset_mm, print.dpi);
    let mut spec = board.spec().clone();
    spec.margin_mm = print.annulus_margin_mm;
    let board = &Board::from_spec(spec).expect("a margin keeps the board valid");
    let an = annulus_synth::rasterize_board(board, dpi).expect("renders");
    let ppm = dpi / 25.4;
    let mm_per_px = 1.0 / ppm;
    let [x0, y0, _, _] = board.page_bounds_mm();
    let spec = board.marker_spec();
    let r_disc = spec.outer_ring.outer_edge_mm();
    let edges = [
        r_disc,
        spec.code_band.outer_edge_mm(),
        spec.code_band.inner_edge_mm(),
        spec.inner_ring.inner_edge_mm(),
    ];
    let band = spec.code_band.inner_edge_mm()..spec.code_band.outer_edge_mm();
    let margin_mm = EDGE_MARGIN_PX * mm_per_px;
    let sector = std::f64::consts::TAU / 16.0;

    let mut out = Agreement::default();
    for marker in board.markers() {
        let [cx, cy] = marker.xy_board_mm;
        // ringgrid pixels covering the disc.
        let px_range = |c: f64, off: f64| {
            let lo = ((c + off - r_disc) * ppm).floor().max(0.0) as u32;
            let hi = ((c + off + r_disc) * ppm).ceil() as u32;
            lo..=hi
        };
        for y in px_range(cy, off_y) {
            for x in px_range(cx, off_x) {
                let (bx, by) = (f64::from(x) * mm_per_px - off_x, f64::from(y) * mm_per_px - off_y);
                let (dx, dy) = (bx - cx, by - cy);
                let r = dx.hypot(dy);
                if r > r_disc {
                    continue;
                }
                let (i, j) = ((bx - x0) * ppm - 0.5, (by - y0) * ppm - 0.5);
                assert!(
                    (i - i.round()).abs() < 1e-3 && (j - j.round()).abs() < 1e-3,
                    "the grids are not aligned: ({i}, {j})"
                );
                let (i, j) = (i.round(), j.round());
                // ringgrid's fit-content page ends exactly at the outermost discs' edges.
                let Some(rg_px) = rg.get_pixel_checked(x, y) else {
                    assert!(r_disc - r < margin_mm, "marker {} leaves ringgrid's page", marker.id);
                    continue;
                };
                assert!(i >= 0.0 && j >= 0.0, "marker {} leaves annulus's page", marker.id);
                let (i, j) = (i as u32, j as u32);
                assert!(
                    i < an.width && j < an.height,
                    "marker {} leaves annulus's page",
                    marker.id
                );
                let an_dark = an.pixels[(j * an.width + i) as usize] < 128;
                let agree = u64::from((rg_px.0[0] < 128) == an_dark);

                let mut edge_mm = edges.iter().map(|e| (r - e).abs()).fold(f64::INFINITY, f64::min);
                let in_band = band.contains(&r);
                if in_band {
                    // Distance to the nearest sector boundary (a ray from the centre).
                    let to_boundary = dy.atan2(dx).rem_euclid(sector);
                    let angle = to_boundary.min(sector - to_boundary);
                    edge_mm = edge_mm.min(r * angle.sin());
                }
                out.disc.0 += agree;
                out.disc.1 += 1;
                if edge_mm > margin_mm {
                    out.decisive.0 += agree;
                    out.decisive.1 += 1;
                    if in_band {
                        out.band_decisive.0 += agree;
                        out.band_decisive.1 += 1;
                    }
                }
            }
        }
    }
    out
}

/// `converted`'s board with every codeword passed through `f`.
fn with_words(converted: &ConvertedBoard, f: impl Fn(u16) -> u16) -> Board {
    let mut spec = converted.board.spec().clone();
    if let CodingSpec::Coded { codewords: Some(words), .. } = &mut spec.coding {
        for w in words.iter_mut() {
            *w = f(*w);
        }
    }
    Board::from_spec(spec).expect("still a valid board")
}

#[test]
fn the_converted_board_prints_what_ringgrid_prints() {
    let layout = TargetLayout::default_hex();
    let converted = convert_board(&layout).expect("converts");
    let print = aligned_print(&layout, &converted);
    let good = compare(&print, &converted.board);
    println!(
        "at {:.3} dpi: decisive {:.4} % of {}, code band {:.4} % of {}, all disc pixels {:.4} % of {}",
        print.dpi,
        100.0 * share(good.decisive),
        good.decisive.1,
        100.0 * share(good.band_decisive),
        good.band_decisive.1,
        100.0 * share(good.disc),
        good.disc.1,
    );
    assert!(good.passes(), "{good:?}");
    assert!(good.band_decisive.1 > 10_000, "enough band pixels to judge: {good:?}");

    // Negative controls: each plausible mistake in the word conversion fails the same test.
    let rotate = |k| move |w| annulus::codebook::rotate(w, k);
    let mirror = |w: u16| w.reverse_bits();
    for (name, broken) in [
        ("rotated by +1 sector", with_words(&converted, rotate(1))),
        ("rotated by -1 sector", with_words(&converted, rotate(15))),
        ("inverted", with_words(&converted, |w| !w)),
        ("mirrored", with_words(&converted, mirror)),
    ] {
        let bad = compare(&print, &broken);
        println!("{name}: code band {:.2} %", 100.0 * share(bad.band_decisive));
        assert!(!bad.passes(), "{name} passed: {bad:?}");
    }
}
