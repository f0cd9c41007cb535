//! The printed page as a function of board position: reflectance, and how far the nearest
//! region boundary is.
//!
//! Regions are: the surroundings beyond the page edge, white paper, the dark rings, and the code
//! band's sectors (dark where the codeword's bit is 1; see [`annulus::codebook`] for the sector
//! convention). [`Scene::probe`] also returns a lower bound on the distance from the point to
//! any boundary between regions of different reflectance. The rasterizer integrates a pixel by
//! supersampling only when its footprint reaches a boundary; a pixel wholly inside one region
//! takes that region's value exactly.

use std::f64::consts::TAU;

use annulus::Board;
use annulus::codebook::{N_SECTORS, sector_of};

use crate::scenario::Levels;

/// Angular width of one code sector.
const SECTOR_RAD: f64 = TAU / N_SECTORS as f64;

/// The board page and its surroundings as a reflectance field in board millimetres.
pub(crate) struct Scene<'a> {
    board: &'a Board,
    page: [f64; 4],
    /// Edge radii from the centre out: inner ring, code band, outer ring (inner, outer each).
    inner_ring: [f64; 2],
    band: [f64; 2],
    outer_ring: [f64; 2],
    /// The same radii squared, for region tests without square roots.
    inner_ring_sq: [f64; 2],
    band_sq: [f64; 2],
    outer_ring_sq: [f64; 2],
    /// Half the distance between neighbouring marker centres: within it of a marker's centre,
    /// that marker is the nearest one.
    half_pitch: f64,
    paper: f64,
    ink: f64,
    surround: f64,
    /// Unit vectors along the 16 sector boundaries.
    boundary_dirs: [[f64; 2]; N_SECTORS],
}

/// What [`Scene::probe`] finds at a point.
pub(crate) struct Probe {
    /// Reflectance at the point.
    pub(crate) value: f64,
    /// Lower bound on the distance to the nearest region boundary.
    pub(crate) clearance: f64,
    /// The nearest marker and the point's distance from its centre, when the point is on the
    /// page.
    pub(crate) marker: Option<(usize, f64)>,
}

impl<'a> Scene<'a> {
    /// The scene of `board` printed in `levels`.
    pub(crate) fn new(board: &'a Board, levels: &Levels) -> Self {
        let m = board.marker_spec();
        let edges = |a: &annulus::board::Annulus| [a.inner_edge_mm(), a.outer_edge_mm()];
        let squared = |[a, b]: [f64; 2]| [a * a, b * b];
        let (inner_ring, band, outer_ring) =
            (edges(&m.inner_ring), edges(&m.code_band), edges(&m.outer_ring));
        Self {
            board,
            page: board.page_bounds_mm(),
            inner_ring,
            band,
            outer_ring,
            inner_ring_sq: squared(inner_ring),
            band_sq: squared(band),
            outer_ring_sq: squared(outer_ring),
            half_pitch: 0.5 * board.spec().lattice.pitch_mm,
            paper: levels.paper,
            ink: levels.ink,
            surround: levels.surround,
            boundary_dirs: std::array::from_fn(|k| {
                let a = k as f64 * SECTOR_RAD;
                [a.cos(), a.sin()]
            }),
        }
    }

    /// Reflectance of everything not on the page.
    pub(crate) fn surround(&self) -> f64 {
        self.surround
    }

    /// Half the lattice pitch; see [`Scene::reflectance_near`].
    pub(crate) fn half_pitch(&self) -> f64 {
        self.half_pitch
    }

    /// Reflectance at a board point.
    pub(crate) fn reflectance(&self, p: [f64; 2]) -> f64 {
        if !self.on_page(p) {
            return self.surround;
        }
        self.reflectance_near(self.board.nearest_marker(p), p)
    }

    /// Reflectance at a board point known to be on the page and nearest to marker `idx`
    /// (guaranteed when it lies within [`Scene::half_pitch`] of that marker's centre).
    pub(crate) fn reflectance_near(&self, idx: usize, p: [f64; 2]) -> f64 {
        if !self.on_page(p) {
            return self.surround;
        }
        let marker = &self.board.markers()[idx];
        let [dx, dy] = [p[0] - marker.xy_board_mm[0], p[1] - marker.xy_board_mm[1]];
        let d2 = dx * dx + dy * dy;
        if d2 >= self.outer_ring_sq[1] {
            return self.paper;
        }
        if d2 >= self.outer_ring_sq[0]
            || (d2 >= self.inner_ring_sq[0] && d2 < self.inner_ring_sq[1])
        {
            return self.ink;
        }
        if let Some(word) = marker.codeword
            && d2 >= self.band_sq[0]
            && d2 < self.band_sq[1]
            && (word >> sector_of(dx, dy)) & 1 == 1
        {
            return self.ink;
        }
        self.paper
    }

    /// Reflectance, clearance and nearest marker at a point, from one marker lookup.
    pub(crate) fn probe(&self, p: [f64; 2]) -> Probe {
        let [x0, y0, x1, y1] = self.page;
        if !self.on_page(p) {
            let dx = (x0 - p[0]).max(p[0] - x1).max(0.0);
            let dy = (y0 - p[1]).max(p[1] - y1).max(0.0);
            return Probe {
                value: self.surround,
                clearance: (dx * dx + dy * dy).sqrt(),
                marker: None,
            };
        }
        let idx = self.board.nearest_marker(p);
        let marker = &self.board.markers()[idx];
        let [dx, dy] = [p[0] - marker.xy_board_mm[0], p[1] - marker.xy_board_mm[1]];
        let d = (dx * dx + dy * dy).sqrt();
        let mut clearance = (p[0] - x0).min(x1 - p[0]).min(p[1] - y0).min(y1 - p[1]);
        for r in [self.inner_ring, self.outer_ring].into_iter().flatten() {
            clearance = clearance.min((d - r).abs());
        }
        if let Some(word) = marker.codeword {
            for r in self.band {
                clearance = clearance.min((d - r).abs());
            }
            // Distance to each radial segment where adjacent sectors differ, skipped when the
            // band is farther away than the bound found so far.
            let radial_gap = (self.band[0] - d).max(d - self.band[1]).max(0.0);
            if radial_gap < clearance {
                for k in 0..N_SECTORS {
                    if ((word >> k) ^ (word >> ((k + N_SECTORS - 1) % N_SECTORS))) & 1 == 0 {
                        continue;
                    }
                    let [ux, uy] = self.boundary_dirs[k];
                    let t = (dx * ux + dy * uy).clamp(self.band[0], self.band[1]);
                    let (ex, ey) = (dx - t * ux, dy - t * uy);
                    clearance = clearance.min((ex * ex + ey * ey).sqrt());
                }
            }
        }
        Probe { value: self.reflectance_near(idx, p), clearance, marker: Some((idx, d)) }
    }

    pub(crate) fn on_page(&self, [x, y]: [f64; 2]) -> bool {
        let [x0, y0, x1, y1] = self.page;
        x >= x0 && x < x1 && y >= y0 && y < y1
    }
}

#[cfg(test)]
mod tests;
