//! Identification against the board: homography RANSAC on decoded IDs, then verification,
//! correction and placement of every fitted marker by local homographies.
//!
//! 1. *Anchors*. Markers whose code band named a board marker are correspondences
//!    `xy_board_mm → centre`. When two name the same marker, the clearer read keeps it. A
//!    RANSAC homography over 4-point samples ([`crate::fit::fit_homography_ransac`]; Fischler &
//!    Bolles 1981, with the normalised DLT of Hartley & Zisserman §4.4) keeps the reads that
//!    agree with the board to within [`ANCHOR_GATE_PITCH`] of a lattice pitch. A wrong ID on a
//!    distance-2 codebook lands on another marker's position, at least one pitch away, so it
//!    cannot pass; an uncorrected lens may push correct reads near the image corners out too,
//!    and step 2 brings those back.
//! 2. *Placement*. For every fitted marker, a homography is fitted to the [`K_LOCAL`] anchors
//!    nearest to it in the image (itself excluded); its inverse maps the marker's centre onto
//!    the board, the nearest lattice position names it, and the marker is accepted when the
//!    forward map puts that position within [`PLACE_GATE_PITCH`] of a pitch of the centre, in
//!    the image and on the board ([`on_board_gate`]), and, unless its own read names the
//!    position, when its fitted ellipse has the predicted size axis by axis ([`shape_agrees`]). The
//!    local fit follows lens distortion and perspective that a single homography cannot. The
//!    outcome: the decoded ID confirmed ([`IdSource::Decoded`]), replaced by the position's ID
//!    ([`IdSource::Corrected`]), or given where nothing was decoded ([`IdSource::Completed`]).
//!    Two markers placed on one position keep the nearer; markers placed nowhere are dropped.
//!    With fewer than four reads there is nothing to check them against: the reads are
//!    reported as read, and only on fits with an inner ring ([`report_unverified`]).
//! 3. The global homography is refitted on every placed marker (least squares, then
//!    Gauss–Newton on the transfer error).

use crate::board::Board;
use crate::fit::{FitScratch, RansacParams, fit_homography, fit_homography_ransac};
use crate::geometry::{Conic, Ellipse, Homography};

use super::found::Found;
use super::model::MarkerModel;
use super::output::{IdSource, Rejection, RejectionCounts};

#[cfg(test)]
#[path = "grid_tests.rs"]
mod tests;

/// RANSAC inlier gate, as a fraction of the lattice pitch in the image.
const ANCHOR_GATE_PITCH: f64 = 0.3;

/// Placement gate, as a fraction of the pitch: a quarter leaves a wide margin against the
/// nearest other lattice position while absorbing local-homography error.
pub(crate) const PLACE_GATE_PITCH: f64 = 0.25;

/// Widest ratio of a fitted outer ellipse's semi-axes to those a homography predicts for the
/// marker, each axis alone. Blur widens a small marker's fitted minor axis by up to about a
/// fifth; a fit that merged a marker with its neighbour, or that sits on a marker's inner ring or
/// code band, is off by half or more on one axis.
const SHAPE_TOLERANCE: [f64; 2] = [0.7, 1.4];

/// Anchors per local homography: a marker's ring of hex neighbours.
pub(crate) const K_LOCAL: usize = 6;

/// Fixed RANSAC seed: detection is deterministic.
const RANSAC_SEED: u64 = 0x0061_6e6e_756c_7573;

/// Marker of an empty slot in the per-board-marker owner table.
pub(crate) const NO_OWNER: u32 = u32::MAX;

/// Scratch buffers of identification.
#[derive(Debug, Default)]
pub(crate) struct GridBuffers {
    pub(crate) owner: Vec<u32>,
    anchors: Vec<usize>,
    placed: Vec<Option<(usize, f64, Homography)>>,
    pub(crate) src: Vec<[f64; 2]>,
    pub(crate) dst: Vec<[f64; 2]>,
    pub(crate) near: Vec<(f64, usize)>,
    pub(crate) fit: FitScratch,
}

/// Identifies `found` against `board`; returns the global board-to-fit-frame homography when
/// at least four markers anchor it. Dropped markers are removed from `found` and counted.
pub(crate) fn identify(
    board: &Board,
    model: &MarkerModel,
    found: &mut Vec<Found>,
    buf: &mut GridBuffers,
    rejected: &mut RejectionCounts,
) -> Option<Homography> {
    let markers = board.markers();
    // Resolve double reads: the clearer margin keeps the marker.
    buf.owner.clear();
    buf.owner.resize(markers.len(), NO_OWNER);
    for (i, f) in found.iter().enumerate() {
        let (Some(m), Some(d)) = (f.decoded_marker(), f.decoded) else { continue };
        let slot = &mut buf.owner[m];
        if *slot == NO_OWNER || found[*slot as usize].decoded.is_none_or(|o| d.margin > o.margin) {
            *slot = i as u32;
        }
    }
    buf.anchors.clear();
    buf.anchors.extend(buf.owner.iter().filter(|&&o| o != NO_OWNER).map(|&o| o as usize));
    buf.anchors.sort_unstable();
    if buf.anchors.len() < 4 {
        report_unverified(found, &buf.anchors, rejected);
        return None;
    }
    let pitch_px = mean_pitch_px(model, found, &buf.anchors);
    buf.src.clear();
    buf.dst.clear();
    for &i in &buf.anchors {
        // Invariant: anchors are decoded, so decoded_marker is Some.
        let m = found[i].decoded_marker().unwrap_or_default();
        buf.src.push(markers[m].xy_board_mm);
        buf.dst.push(found[i].center_fit);
    }
    let params = RansacParams {
        threshold_px: ANCHOR_GATE_PITCH * pitch_px,
        seed: RANSAC_SEED,
        ..RansacParams::default()
    };
    let global = fit_homography_ransac(&buf.src, &buf.dst, &params, &mut buf.fit)?;
    let inliers: usize = buf.fit.inliers.iter().filter(|&&b| b).count();
    if inliers < 4 {
        return None;
    }
    let mut kept = 0;
    for k in 0..buf.anchors.len() {
        if buf.fit.inliers.get(k).copied().unwrap_or(false) {
            buf.anchors[kept] = buf.anchors[k];
            kept += 1;
        }
    }
    buf.anchors.truncate(kept);

    place_all(board, model, found, buf, &global.homography);
    // Resolve clashes and drop the unplaced.
    buf.owner.iter_mut().for_each(|o| *o = NO_OWNER);
    for (i, placed) in buf.placed.iter().enumerate() {
        let Some((m, resid, _)) = *placed else { continue };
        let slot = &mut buf.owner[m];
        let better = *slot == NO_OWNER
            || buf.placed[*slot as usize].is_none_or(|(_, other, _)| resid < other);
        if better {
            *slot = i as u32;
        }
    }
    let mut write = 0;
    for read in 0..found.len() {
        let keep = match buf.placed[read] {
            Some((m, _, local)) if buf.owner[m] == read as u32 => {
                let f = &mut found[read];
                f.source = match f.decoded_marker() {
                    Some(d) if d == m => IdSource::Decoded,
                    Some(_) => IdSource::Corrected,
                    None => IdSource::Completed,
                };
                f.marker_idx = Some(m);
                f.local = Some(local);
                true
            }
            Some(_) => {
                rejected.add(Rejection::Duplicate);
                false
            }
            None => {
                rejected.add(if found[read].decoded.is_some() {
                    Rejection::Inconsistent
                } else {
                    Rejection::DecodeFailed
                });
                false
            }
        };
        if keep {
            found[write] = found[read];
            buf.owner.iter_mut().filter(|o| **o == read as u32).for_each(|o| *o = write as u32);
            write += 1;
        }
    }
    found.truncate(write);
    refit_global(board, found, buf).or(Some(global.homography))
}

/// With too few reads to check one another, reports the reads as read, but only on markers
/// whose inner ring was fitted, and drops every other fit.
///
/// Nothing geometric can confirm these markers, so the fit itself must: a fitted inner ring is a
/// second, concentric edge at the fraction of the outer ellipse the board prescribes, and it is
/// fitted only where the marker is resolved (an inner disc at least `MIN_INNER_RADIUS_PX`
/// across, which leaves the code band's sectors several pixels long). Without it, the fits seen
/// are rows of squashed rings merged into one ellipse on a board seen nearly edge-on (tilts of
/// 75° to 88°), and reads of a code band a few pixels wide, which decode to wrong words.
fn report_unverified(found: &mut Vec<Found>, anchors: &[usize], rejected: &mut RejectionCounts) {
    for &i in anchors {
        found[i].marker_idx = found[i].decoded_marker();
        found[i].source = IdSource::Decoded;
    }
    let before = found.len();
    found.retain(|f| f.fit.inner.is_some());
    for _ in found.len()..before {
        rejected.add(Rejection::DecodeFailed);
    }
}

/// Least-squares homography over every identified marker.
pub(crate) fn refit_global(
    board: &Board,
    found: &[Found],
    buf: &mut GridBuffers,
) -> Option<Homography> {
    buf.src.clear();
    buf.dst.clear();
    for f in found {
        if let Some(m) = f.marker_idx {
            buf.src.push(board.markers()[m].xy_board_mm);
            buf.dst.push(f.center_fit);
        }
    }
    fit_homography(&buf.src, &buf.dst, None)
}

/// Places every fitted marker on the lattice with a local homography of its nearest anchors.
fn place_all(
    board: &Board,
    model: &MarkerModel,
    found: &[Found],
    buf: &mut GridBuffers,
    global: &Homography,
) {
    buf.placed.clear();
    for (i, f) in found.iter().enumerate() {
        let local =
            local_homography_image(board, found, buf, f.center_fit, Some(i)).unwrap_or(*global);
        let placed = local.inverse().and_then(|inv| inv.apply(f.center_fit)).and_then(|xy| {
            let m = board.nearest_marker(xy);
            let predicted = local.apply(board.markers()[m].xy_board_mm)?;
            let resid = dist(predicted, f.center_fit);
            let r_px =
                (f.fit.outer.ellipse.semi_major_px * f.fit.outer.ellipse.semi_minor_px).sqrt();
            let xy_m = board.markers()[m].xy_board_mm;
            let near =
                resid < PLACE_GATE_PITCH * model.pitch * r_px && on_board_gate(model, xy, xy_m);
            // A read that names this very marker vouches for the fit; an ID given by the
            // geometry alone also needs the fit to have the marker's predicted shape.
            let read = f.decoded_marker() == Some(m);
            let shaped = read || shape_agrees(model, &local, xy_m, &f.fit.outer.ellipse);
            (near && shaped).then_some((m, resid, local))
        });
        buf.placed.push(placed);
    }
}

/// A homography from the [`K_LOCAL`] anchors nearest to `center` in the image, `exclude` left
/// out.
fn local_homography_image(
    board: &Board,
    found: &[Found],
    buf: &mut GridBuffers,
    center: [f64; 2],
    exclude: Option<usize>,
) -> Option<Homography> {
    buf.near.clear();
    for &a in &buf.anchors {
        if Some(a) != exclude {
            buf.near.push((dist(found[a].center_fit, center), a));
        }
    }
    nearest_k(&mut buf.near, K_LOCAL);
    buf.src.clear();
    buf.dst.clear();
    for &(_, a) in &buf.near {
        let m = found[a].decoded_marker()?;
        buf.src.push(board.markers()[m].xy_board_mm);
        buf.dst.push(found[a].center_fit);
    }
    fit_homography(&buf.src, &buf.dst, None)
}

/// Whether a centre mapped onto the board at `xy_board_mm` lies within [`PLACE_GATE_PITCH`] of a
/// pitch of the marker at `marker_xy_mm`, measured on the board. On a tilted board the pitch in
/// the image shrinks by the cosine of the tilt across the tilt axis, while a gate in pixels
/// scaled by the marker's mean radius shrinks only by its square root: at 65° to 70° that gate
/// reaches 0.45 of the squashed pitch and lets a fit on the neighbouring marker through.
pub(crate) fn on_board_gate(
    model: &MarkerModel,
    xy_board_mm: [f64; 2],
    marker_xy_mm: [f64; 2],
) -> bool {
    dist(xy_board_mm, marker_xy_mm) < PLACE_GATE_PITCH * model.pitch * model.radius_mm
}

/// Whether `fit` has, axis by axis, the size that `img_from_board` predicts for the outer ring of
/// the marker at `marker_xy_mm`, within [`SHAPE_TOLERANCE`].
pub(crate) fn shape_agrees(
    model: &MarkerModel,
    img_from_board: &Homography,
    marker_xy_mm: [f64; 2],
    fit: &Ellipse,
) -> bool {
    let circle = Conic::circle(marker_xy_mm, model.radius_mm);
    let Some(predicted) = circle.mapped_by(img_from_board).and_then(|c| c.to_ellipse()) else {
        return false;
    };
    let [lo, hi] = SHAPE_TOLERANCE;
    let major = fit.semi_major_px / predicted.semi_major_px;
    let minor = fit.semi_minor_px / predicted.semi_minor_px;
    (lo..=hi).contains(&major) && (lo..=hi).contains(&minor)
}

/// Keeps the `k` smallest entries of `near` (unordered).
pub(crate) fn nearest_k(near: &mut Vec<(f64, usize)>, k: usize) {
    if near.len() > k {
        near.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0));
        near.truncate(k);
    }
}

/// The lattice pitch in pixels, from the mean marker size of the anchors.
fn mean_pitch_px(model: &MarkerModel, found: &[Found], anchors: &[usize]) -> f64 {
    let mut sum = 0.0;
    for &i in anchors {
        let e = &found[i].fit.outer.ellipse;
        sum += (e.semi_major_px * e.semi_minor_px).sqrt();
    }
    model.pitch * sum / anchors.len().max(1) as f64
}

/// Largest root-mean-square distance, pixels, between the identified markers' edge-based
/// centres and the global homography's image of their board positions at which that
/// homography still counts as fitting the board. Views without unmodelled lens distortion
/// stay under 0.45 px even under σ = 3 px blur (the `blur3` gate), whose rings pull the edge
/// centres by up to half a pixel; the `distortion` gate's lens without its camera model
/// (image corners moved by about 60 px) gives 2.8 px and more.
pub(crate) const BOARD_FIT_RMS_PX: f64 = 1.0;

/// Whether `global` maps the identified markers of `found` onto their edge-based centres
/// within [`BOARD_FIT_RMS_PX`] (root mean square); `false` without identified markers.
pub(crate) fn fits_board(board: &Board, found: &[Found], global: &Homography) -> bool {
    let (mut n, mut sum_sq) = (0usize, 0.0f64);
    for f in found {
        let Some(m) = f.marker_idx else { continue };
        let Some(p) = global.apply(board.markers()[m].xy_board_mm) else { return false };
        let d = dist(p, f.center_fit);
        sum_sq += d * d;
        n += 1;
    }
    n > 0 && sum_sq <= BOARD_FIT_RMS_PX * BOARD_FIT_RMS_PX * n as f64
}

/// Euclidean distance between image points. Not `hypot`: its care against overflow costs
/// several times a square root, and image coordinates are far from overflowing when squared.
pub(crate) fn dist(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    (dx * dx + dy * dy).sqrt()
}
