//! Completion: searching for board markers the first pass missed, where the homography of
//! their identified neighbours says they must be.
//!
//! For each unidentified board marker, a homography is fitted to the [`super::grid::K_LOCAL`]
//! identified markers nearest to it on the board (falling back to the global homography), and
//! the marker's outer circle is mapped through it (`C' = H⁻ᵀ C H⁻¹`) to a predicted ellipse.
//! The marker fit then starts from that ellipse instead of from a proposal
//! ([`super::marker_fit::fit_from_ellipse`]); the result is accepted when its centre lies within
//! [`super::grid::PLACE_GATE_PITCH`] of a pitch of the prediction, in the image and on the
//! board, each axis of its ellipse agrees with the prediction's, and no fitted marker is already
//! there. Markers
//! found in one round anchor the next, so the search grows outwards from the decoded core into
//! blurred or distorted regions; it stops after [`MAX_ROUNDS`] rounds or when a round adds
//! nothing.

use crate::board::Board;
use crate::fit::fit_homography;
use crate::geometry::{Conic, Ellipse, Homography};

use super::found::Found;
use super::grid::{
    GridBuffers, K_LOCAL, NO_OWNER, PLACE_GATE_PITCH, dist, nearest_k, on_board_gate, shape_agrees,
};
use super::marker_fit::{FitBuffers, fit_from_ellipse};
use super::model::MarkerModel;
use super::output::IdSource;
use super::sampler::Sampler;

/// Rounds of completion; each reaches about one more ring of markers beyond the last.
const MAX_ROUNDS: usize = 3;

/// Two fits closer than this many of the smaller outer radius describe one marker, as in the
/// first pass's de-duplication.
const CONCENTRIC_RADII: f64 = 0.3;

/// How far inside the image a predicted centre must be, in outer radii, for a search to be
/// worth it: a marker cut by the border half-way shows too little of its ring to fit.
const MIN_INSIDE_RADII: f64 = 0.5;

/// Searches for missed markers; returns how many were added to `found`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn complete(
    board: &Board,
    model: &MarkerModel,
    sampler: &Sampler<'_>,
    size: [u32; 2],
    global: &Homography,
    found: &mut Vec<Found>,
    grid: &mut GridBuffers,
    fit_buf: &mut FitBuffers,
) -> u32 {
    let markers = board.markers();
    let polarity = majority_polarity(found);
    let mut n_added = 0;
    for _ in 0..MAX_ROUNDS {
        grid.owner.clear();
        grid.owner.resize(markers.len(), NO_OWNER);
        for (i, f) in found.iter().enumerate() {
            if let Some(m) = f.marker_idx {
                grid.owner[m] = i as u32;
            }
        }
        let n_before = found.len();
        for (m, marker) in markers.iter().enumerate() {
            if grid.owner[m] != NO_OWNER {
                continue;
            }
            let xy = marker.xy_board_mm;
            let local = local_homography_board(board, found, n_before, grid, xy).unwrap_or(*global);
            let Some(ellipse) =
                Conic::circle(xy, model.radius_mm).mapped_by(&local).and_then(|c| c.to_ellipse())
            else {
                continue;
            };
            let Some(predicted) = local.apply(xy) else { continue };
            if !inside(sampler, predicted, ellipse.semi_major_px, size) {
                continue;
            }
            let Ok(fit) = fit_from_ellipse(sampler, model, &ellipse, polarity, fit_buf) else {
                continue;
            };
            let r_pred = (ellipse.semi_major_px * ellipse.semi_minor_px).sqrt();
            let e = &fit.outer.ellipse;
            let r_fit = (e.semi_major_px * e.semi_minor_px).sqrt();
            let gate = PLACE_GATE_PITCH * model.pitch * r_pred;
            if dist(e.center_px, ellipse.center_px) > gate
                || !(0.8..1.25).contains(&(r_fit / r_pred))
            {
                continue;
            }
            // The same gate on the board, where the pitch is the same in every direction; the
            // predicted shape axis by axis; and no other marker already there (a local
            // homography extrapolated from anchors on one side can predict a marker onto its
            // neighbour, at the size of the neighbour's inner ring).
            let on_board = local.inverse().and_then(|inv| inv.apply(e.center_px));
            if !on_board
                .is_some_and(|p| board.nearest_marker(p) == m && on_board_gate(model, p, xy))
                || !shape_agrees(model, &local, xy, e)
                || found.iter().any(|f| concentric(f, e))
            {
                continue;
            }
            let mut f = Found::new(fit, None, e.center_px);
            f.marker_idx = Some(m);
            f.source = IdSource::Completed;
            f.local = Some(local);
            found.push(f);
            n_added += 1;
        }
        if found.len() == n_before {
            break;
        }
    }
    n_added
}

/// A homography from the [`K_LOCAL`] identified markers among `found[..n]` nearest to `xy` on
/// the board.
fn local_homography_board(
    board: &Board,
    found: &[Found],
    n: usize,
    grid: &mut GridBuffers,
    xy: [f64; 2],
) -> Option<Homography> {
    grid.near.clear();
    for (i, f) in found[..n].iter().enumerate() {
        if let Some(m) = f.marker_idx {
            grid.near.push((dist(board.markers()[m].xy_board_mm, xy), i));
        }
    }
    nearest_k(&mut grid.near, K_LOCAL);
    grid.src.clear();
    grid.dst.clear();
    for &(_, i) in &grid.near {
        let m = found[i].marker_idx?;
        grid.src.push(board.markers()[m].xy_board_mm);
        grid.dst.push(found[i].center_fit);
    }
    fit_homography(&grid.src, &grid.dst, None)
}

/// Whether `e` is centred on the fitted marker `f`, within [`CONCENTRIC_RADII`] of the smaller
/// outer radius.
fn concentric(f: &Found, e: &Ellipse) -> bool {
    let r = f.fit.outer.ellipse.semi_minor_px.min(e.semi_minor_px);
    dist(f.fit.outer.ellipse.center_px, e.center_px) < CONCENTRIC_RADII * r
}

/// Whether a predicted centre (fit frame) is inside the image, allowing the margin.
fn inside(sampler: &Sampler<'_>, center_fit: [f64; 2], radius: f64, [w, h]: [u32; 2]) -> bool {
    let [x, y] = sampler.frames().to_image(center_fit);
    let m = MIN_INSIDE_RADII * radius;
    x >= m && y >= m && x <= f64::from(w) - 1.0 - m && y <= f64::from(h) - 1.0 - m
}

/// The polarity most identified markers show.
fn majority_polarity(found: &[Found]) -> f32 {
    let sum: f32 = found.iter().map(|f| f.fit.polarity).sum();
    if sum < 0.0 { -1.0 } else { 1.0 }
}
