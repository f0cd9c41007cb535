//! The detector: from a grayscale image to identified markers, projective centres and the
//! board homography.
//!
//! [`Detector`] is read-only and built once per board and configuration; [`Workspace`] holds
//! every scratch buffer, so repeated calls on images of one size reuse their memory (the model is
//! regex-automata's engine-plus-cache split). The stages, in order, and where each lives:
//!
//! | stage | method | module |
//! |---|---|---|
//! | scale-aware proposals | radial-symmetry voting on a box pyramid (Loy & Zelinsky 2003) | `proposals`, `pyramid` |
//! | outer ring | mean-profile scale search, radial edge rays, sub-pixel gradient peaks | `marker_fit` |
//! | robust ellipse fit | direct least squares (Fitzgibbon et al. 1999) in RANSAC + Huber IRLS | [`crate::fit`] |
//! | inner ring | the same edge search at its expected fraction of the outer ellipse | `marker_fit` |
//! | code | 16 sectors on the ellipse's circle parametrisation, Otsu split, table of all rotations and polarities | `decode` |
//! | de-duplication | one marker per centre, the better fit kept | this module |
//! | board homography | RANSAC on decoded IDs, normalised DLT + Gauss–Newton | `grid`, [`crate::fit`] |
//! | ID verification and correction | local homographies of the nearest anchors | `grid` |
//! | completion | fits seeded with the predicted ellipse of each missing marker | `completion` |
//! | projective centre | pole of the vanishing line; pencil of the two conics | `center`, [`crate::fit`] |
//! | model refinement | the marker rendered with its code, blurred by a fitted anisotropic Gaussian and fitted to the pixels (Levenberg–Marquardt) | `refine_model`, `marker_render`, `fft` |
//! | final refit | least-squares homography over all identified markers | `grid` |
//!
//! Frames: proposals run in the image; every fit runs in the fit frame (undistorted when the
//! configuration has a camera with lens distortion); reported centres are mapped back to the
//! image. Nothing in the pipeline panics or allocates per pixel or per candidate once the
//! workspace has grown; no input is an error except an unusable buffer ([`DetectError`]).

#[cfg(feature = "batch")]
mod batch;
mod blur_filter;
mod center;
mod completion;
mod config;
mod decode;
mod ellipse_rays;
mod fft;
mod fit_pixels;
mod fit_region;
mod found;
mod gradient;
mod gram;
mod grid;
mod marker_fit;
mod marker_render;
mod model;
mod output;
mod paper_ring;
mod proposals;
mod pyramid;
mod raster;
mod refine_model;
mod sampler;

#[cfg(test)]
mod refine_tests;
#[cfg(test)]
mod region_tests;
#[cfg(test)]
mod tests;

#[cfg(feature = "bench-internals")]
#[doc(hidden)]
pub mod bench;

use std::time::{Duration, Instant};

use crate::board::Board;
use crate::error::{DetectError, Result};
use crate::geometry::{Conic, Homography};
use crate::image::ImageView;

#[cfg(feature = "batch")]
pub use batch::BatchWorkspace;
pub use config::{
    DEFAULT_MIN_MARKER_DIAMETER_PX, DetectConfig, DiameterPrior, NOMINAL_DIAMETER_SPREAD,
};
pub use output::{
    BoardHomography, DetectStats, DetectedMarker, Detection, IdSource, Rejection, RejectionCounts,
    StageTimings,
};

use decode::DecodeBuffers;
use found::Found;
use gradient::GradientImage;
use grid::GridBuffers;
use marker_fit::FitBuffers;
use marker_render::{MarkerPose, Pattern};
use model::MarkerModel;
use proposals::{Candidate, VoteScratch};
use pyramid::Pyramid;
use refine_model::RefineBuffers;
use sampler::{Frames, Sampler};

/// Smallest outer radius the detector searches at all, in pixels: below it the rings are not
/// resolved.
const MIN_RADIUS_PX: f64 = 4.0;

/// Weakest proposal kept, relative to the strongest: vignetting and uneven light rarely halve
/// a board's contrast from one marker to another, and markers are seldom seen at less than
/// half their circumference.
const MIN_RELATIVE_SCORE: f32 = 0.25;

/// Largest ratio of a marker's radius predicted by its homography to its fitted outer ring's
/// that the model refinement starts from. Most identified markers measure about 1, but the
/// prediction's perspective widening exceeds 1.5 on a few corner markers of the `distortion`
/// scenario, while a degenerate local homography gives hundreds; 4 keeps every real marker.
const MAX_START_SIZE_RATIO: f64 = 4.0;

/// Two fits closer than this many of the smaller outer radius describe one marker.
const DUPLICATE_RADII: f64 = 0.3;

/// A read-only detector for one board and one configuration; share it freely between threads.
#[derive(Debug, Clone)]
pub struct Detector {
    board: Board,
    config: DetectConfig,
    model: MarkerModel,
}

/// Reusable scratch memory for [`Detector::detect_with`]; repeated calls on images of the same
/// size reuse every buffer.
#[derive(Debug, Default)]
pub struct Workspace {
    pyramid: Pyramid,
    votes: VoteScratch,
    candidates: Vec<Candidate>,
    fit: FitBuffers,
    decode: DecodeBuffers,
    found: Vec<Found>,
    grid: GridBuffers,
    refine: RefineBuffers,
    gradient: GradientImage,
    detection: Option<Detection>,
}

impl Workspace {
    /// An empty workspace; buffers grow on first use.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Detector {
    /// A detector for `board` with a validated `config`.
    pub fn new(board: Board, config: DetectConfig) -> Result<Self> {
        config.validate()?;
        let model = MarkerModel::new(&board);
        Ok(Self { board, config, model })
    }

    /// The board this detector looks for.
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The configuration.
    pub fn config(&self) -> &DetectConfig {
        &self.config
    }

    /// Detects the board in `image` with a fresh workspace.
    pub fn detect(&self, image: &ImageView<'_>) -> Result<Detection, DetectError> {
        let mut workspace = Workspace::new();
        self.detect_with(&mut workspace, image)?;
        // Invariant: detect_with stores a detection whenever it returns Ok.
        workspace.detection.take().ok_or(DetectError::EmptyImage { width: 0, height: 0 })
    }

    /// Detects the board in `image` using the caller's scratch memory; the result lives in the
    /// workspace until the next call.
    pub fn detect_with<'w>(
        &self,
        ws: &'w mut Workspace,
        image: &ImageView<'_>,
    ) -> Result<&'w Detection, DetectError> {
        // Re-validate: a view is valid by construction, but this keeps the promise explicit.
        let image = ImageView::new(image.width(), image.height(), image.stride(), image.data())?;
        let clock = Clock::new(self.config.timings);
        let frames = Frames::new(self.config.camera);
        // Moved out for the call so that the sampler can borrow it while the stages borrow the
        // rest of the workspace mutably; moving a Vec's header allocates nothing.
        let mut gradient = std::mem::take(&mut ws.gradient);
        gradient.compute(&image);
        let sampler = Sampler::with_gradient(image, frames, &gradient);
        let mut det = ws.detection.take().unwrap_or_else(empty_detection);
        det.width = image.width();
        det.height = image.height();
        det.fit_frame = frames.fit_frame();
        det.markers.clear();
        det.img_from_board = None;
        det.stats = DetectStats::default();
        let mut timings = StageTimings::default();

        self.propose(ws, &image);
        det.stats.n_candidates = ws.candidates.len() as u32;
        timings.proposals = clock.lap();

        self.fit_candidates(ws, &sampler, &mut det.stats);
        timings.fit_decode = clock.lap();

        let global = self.identify(ws, &mut det.stats);
        timings.homography = clock.lap();

        self.complete(
            ws,
            &sampler,
            [image.width(), image.height()],
            global.as_ref(),
            &mut det.stats,
        );
        timings.completion = clock.lap();

        self.refine(ws, &sampler, &frames, global, &mut det);
        timings.refine = clock.lap();
        timings.total = clock.total();
        det.timings = self.config.timings.then_some(timings);
        ws.gradient = gradient;
        Ok(ws.detection.insert(det))
    }

    /// Builds the pyramid and votes on every level the diameter range needs.
    fn propose(&self, ws: &mut Workspace, image: &ImageView<'_>) {
        ws.candidates.clear();
        let [d_lo, d_hi] = self.config.diameter_range_px(image.width(), image.height());
        let (r_lo, r_hi) = ((0.5 * d_lo).max(MIN_RADIUS_PX), 0.5 * d_hi);
        if r_hi < r_lo {
            return;
        }
        let plan = proposals::level_plan([r_lo, r_hi]);
        let top = plan.iter().rposition(Option::is_some).unwrap_or(0) as u32;
        ws.pyramid.build(image, top);
        for (level, range) in plan.iter().enumerate() {
            let Some(range) = *range else { continue };
            let level = level as u32;
            let view = if level == 0 { Some(*image) } else { ws.pyramid.level(level) };
            if let Some(view) = view {
                proposals::propose(&view, level, range, &mut ws.votes, &mut ws.candidates);
            }
        }
        ws.candidates.sort_unstable_by(|a, b| b.score.total_cmp(&a.score));
        // Markers of one board have similar contrast; far weaker peaks are the incidental
        // symmetry of clutter and of the gaps between markers.
        if let Some(best) = ws.candidates.first().map(|c| c.score) {
            let floor = MIN_RELATIVE_SCORE * best;
            ws.candidates.retain(|c| c.score >= floor);
        }
    }

    /// Fits, decodes and de-duplicates every candidate.
    fn fit_candidates(&self, ws: &mut Workspace, sampler: &Sampler<'_>, stats: &mut DetectStats) {
        ws.found.clear();
        for cand in &ws.candidates {
            let Some(center) = sampler.frames().to_fit(cand.center_img_px) else {
                stats.rejected.add(Rejection::NoEdge);
                continue;
            };
            // A candidate on the centre of a marker already decoded at its scale adds nothing.
            // A fit that did not decode hides nothing: a candidate of one pyramid level whose
            // radius range stops short of the outer ring fits the inner one and fails to
            // decode, and the next level's candidate at the same centre finds the marker.
            let seen = ws.found.iter().any(|f| {
                let r = f.fit.outer.ellipse.semi_minor_px;
                f.decoded_marker().is_some()
                    && grid::dist(f.fit.outer.ellipse.center_px, center) < DUPLICATE_RADII * r
                    && r >= 0.8 * cand.radius_px[0]
                    && r <= 1.25 * cand.radius_px[1]
            });
            if seen {
                stats.rejected.add(Rejection::Duplicate);
                continue;
            }
            let fit = match marker_fit::fit_from_center(
                sampler,
                &self.model,
                center,
                cand.radius_px,
                &mut ws.fit,
            ) {
                Ok(fit) => fit,
                Err(reason) => {
                    stats.rejected.add(reason);
                    continue;
                }
            };
            stats.n_fitted += 1;
            let e = fit.outer.ellipse;
            let decoded = if self.model.coded {
                decode::decode(
                    sampler,
                    &self.model,
                    &e,
                    e.center_px,
                    fit.polarity,
                    fit.contrast,
                    &mut ws.decode,
                )
            } else {
                None
            };
            let new = Found::new(fit, decoded, e.center_px);
            match ws.found.iter().position(|f| same_marker(f, &new)) {
                Some(i) => {
                    stats.rejected.add(Rejection::Duplicate);
                    if better(&new, &ws.found[i]) {
                        ws.found[i] = new;
                    }
                }
                None => ws.found.push(new),
            }
        }
        stats.n_decoded = ws.found.iter().filter(|f| f.decoded_marker().is_some()).count() as u32;
    }

    /// Refines every identified marker by fitting its rendered model to the image
    /// ([`refine_model`]); a marker whose fit fails keeps its edge-based centre.
    ///
    /// The fit holds the view's perspective fixed, and an error in it moves the fitted centre
    /// (by some hundredths of a pixel for a marker's local homography from six blurred
    /// neighbours). So the start pose comes from the global homography whenever that
    /// homography fits the whole board ([`grid::fits_board`]), as it does in any view without
    /// unmodelled lens distortion; the local one, which follows such distortion, otherwise.
    fn refine_models(&self, ws: &mut Workspace, sampler: &Sampler<'_>, global: &Homography) {
        let markers = self.board.markers();
        ws.refine.start_image();
        let global_fits = grid::fits_board(&self.board, &ws.found, global);
        for f in ws.found.iter_mut() {
            let Some(m) = f.marker_idx else { continue };
            let h = if global_fits { global } else { f.local.as_ref().unwrap_or(global) };
            let Some(mut start) = MarkerPose::from_homography(h, markers[m].xy_board_mm) else {
                continue;
            };
            start.center = f.center_fit;
            let pattern = Pattern::new(&self.model, markers[m].codeword);
            // A local homography from nearly collinear anchors can predict a marker hundreds
            // of times the size of its fitted ring, and the refinement sizes its patch from the
            // prediction (found by fuzzing: gigabytes for one marker). Such a start is not
            // refined; the marker keeps its edge-based centre.
            let predicted_px = start.radius_px(pattern.radius);
            let limit_px = MAX_START_SIZE_RATIO * f.fit.outer.ellipse.semi_major_px;
            // NaN compares false and is skipped too.
            if predicted_px.partial_cmp(&limit_px) != Some(std::cmp::Ordering::Less) {
                continue;
            }
            let refined =
                refine_model::refine(sampler, pattern, f.fit.polarity, start, &mut ws.refine);
            let Some(pose) = refined else {
                continue;
            };
            f.center_fit = pose.center;
            let circle = Conic::circle([0.0; 2], self.model.radius_mm);
            if let Some(conic) = circle.mapped_by(&pose.homography())
                && let Some(ellipse) = conic.to_ellipse()
            {
                f.fit.outer.conic = conic;
                f.fit.outer.ellipse = ellipse;
            }
        }
    }

    /// Identifies the fitted markers against the board (uncoded boards skip it); returns the
    /// global homography.
    fn identify(&self, ws: &mut Workspace, stats: &mut DetectStats) -> Option<Homography> {
        if !self.model.coded {
            return None;
        }
        grid::identify(&self.board, &self.model, &mut ws.found, &mut ws.grid, &mut stats.rejected)
    }

    /// Searches for the markers the first pass missed, when enabled and a homography exists.
    fn complete(
        &self,
        ws: &mut Workspace,
        sampler: &Sampler<'_>,
        size: [u32; 2],
        global: Option<&Homography>,
        stats: &mut DetectStats,
    ) {
        let (Some(h), true) = (global, self.config.complete_missing) else { return };
        stats.n_completed = completion::complete(
            &self.board,
            &self.model,
            sampler,
            size,
            h,
            &mut ws.found,
            &mut ws.grid,
            &mut ws.fit,
        );
    }

    /// Projective centres, the model-based refinement of identified markers, the final
    /// homography refit, and the output in `det`.
    fn refine(
        &self,
        ws: &mut Workspace,
        sampler: &Sampler<'_>,
        frames: &Frames,
        mut global: Option<Homography>,
        det: &mut Detection,
    ) {
        center::refine_centers(&mut ws.found, global.as_ref());
        if let Some(h) = global {
            self.refine_models(ws, sampler, &h);
        }
        if global.is_some() {
            global = grid::refit_global(&self.board, &ws.found, &mut ws.grid).or(global);
        }
        self.write_output(ws, frames, global, det);
    }

    /// Writes the identified markers (in ID order) and the unidentified ones into `det`.
    fn write_output(
        &self,
        ws: &mut Workspace,
        frames: &Frames,
        global: Option<Homography>,
        det: &mut Detection,
    ) {
        let markers = self.board.markers();
        let mut n_corrected = 0;
        for f in &ws.found {
            let board_marker = f.marker_idx.map(|m| &markers[m]);
            if f.source == IdSource::Corrected {
                n_corrected += 1;
            }
            det.markers.push(DetectedMarker {
                id: board_marker.map(|m| m.id),
                center_img_px: frames.to_image(f.center_fit),
                xy_board_mm: board_marker.map(|m| m.xy_board_mm),
                confidence: confidence(f),
                source: f.source,
                outer: f.fit.outer.ellipse,
                inner: f.fit.inner.map(|i| i.ellipse),
            });
        }
        det.stats.n_corrected = n_corrected;
        det.markers.sort_unstable_by_key(|m| (m.id.is_none(), m.id));
        det.img_from_board = global.map(|matrix| {
            let (mut sum_sq, mut n) = (0.0, 0usize);
            for f in &ws.found {
                let Some(m) = f.marker_idx else { continue };
                if let Some(p) = matrix.apply(markers[m].xy_board_mm) {
                    sum_sq += (p[0] - f.center_fit[0]).powi(2) + (p[1] - f.center_fit[1]).powi(2);
                    n += 1;
                }
            }
            BoardHomography {
                matrix,
                frame: frames.fit_frame(),
                n_markers: n,
                rms_px: (sum_sq / n.max(1) as f64).sqrt(),
            }
        });
    }
}

/// Whether two fits are one marker: concentric within a fraction of the smaller radius.
fn same_marker(a: &Found, b: &Found) -> bool {
    let (ea, eb) = (&a.fit.outer.ellipse, &b.fit.outer.ellipse);
    let r = ea.semi_minor_px.min(eb.semi_minor_px);
    grid::dist(ea.center_px, eb.center_px) < DUPLICATE_RADII * r
}

/// Which of two fits of one marker to keep: a decoded one, else the larger (a marker's inner
/// ring can pass for a small marker, never the reverse), else the better supported.
fn better(new: &Found, old: &Found) -> bool {
    let decoded = |f: &Found| f.decoded_marker().is_some();
    if decoded(new) != decoded(old) {
        return decoded(new);
    }
    let size = |f: &Found| f.fit.outer.ellipse.semi_minor_px;
    if (size(new) / size(old) - 1.0).abs() > 0.2 {
        return size(new) > size(old);
    }
    new.fit.support > old.fit.support
}

/// Confidence in `[0, 1]`: edge support, times fit sharpness, times identification certainty.
fn confidence(f: &Found) -> f64 {
    // An outer-edge RMS of a quarter pixel halves the confidence.
    let sharpness = 1.0 / (1.0 + f.fit.outer.rms_px / 0.25);
    let identity = match f.source {
        IdSource::Decoded => 1.0,
        IdSource::Completed => 0.8,
        IdSource::Corrected => 0.6,
        IdSource::None => 0.3,
    };
    (f.fit.support.min(1.0) * sharpness * identity).clamp(0.0, 1.0)
}

fn empty_detection() -> Detection {
    Detection {
        width: 0,
        height: 0,
        fit_frame: crate::geometry::ImageFrame::Image,
        markers: Vec::new(),
        img_from_board: None,
        stats: DetectStats::default(),
        timings: None,
    }
}

/// Stage timer that reads no clock when timings are off.
struct Clock {
    start: Option<Instant>,
    last: std::cell::Cell<Option<Instant>>,
}

impl Clock {
    fn new(on: bool) -> Self {
        let start = on.then(Instant::now);
        Self { start, last: std::cell::Cell::new(start) }
    }

    /// Time since the previous lap (zero when off).
    fn lap(&self) -> Duration {
        let Some(last) = self.last.get() else { return Duration::ZERO };
        let now = Instant::now();
        self.last.set(Some(now));
        now - last
    }

    /// Time since the start (zero when off).
    fn total(&self) -> Duration {
        self.start.map_or(Duration::ZERO, |s| s.elapsed())
    }
}
