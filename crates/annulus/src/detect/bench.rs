//! Stage-by-stage access to [`Detector::detect_with`] for benchmarks; not a stable API.
//!
//! Compiled only with the `bench-internals` feature (off by default) and hidden from the docs.
//! The benchmark crate (`benches/`) enables it to time each hot stage on its own. Cargo unifies
//! features across a workspace build, so other members built together with the benchmarks see
//! this module too; it is purely additive (nothing else in the crate changes behaviour or
//! layout with the feature), so that is harmless.
//!
//! [`StagedRun`] holds what `detect_with` keeps on its stack between stages (the detection being
//! written, the global homography) and runs the same private stage methods in the same order,
//! so no pipeline code is copied here; the equivalence test in `benches/tests` checks that
//! stepping through every stage gives exactly the [`Detection`] of `detect_with`.
//!
//! ```text
//! let mut run = StagedRun::new();
//! run.prepare(&detector, &mut ws, &image, Stage::Homography)?; // proposals and fits done
//! for _ in 0..iters {
//!     run.restore(&mut ws); // cheap: copies the saved input back, no allocation
//!     run.step(&detector, &mut ws, &image); // times identification alone
//! }
//! ```

use crate::error::DetectError;
use crate::geometry::Homography;
use crate::image::ImageView;

use super::found::Found;
use super::sampler::{Frames, Sampler};
use super::{DetectStats, Detection, Detector, Workspace, empty_detection};

/// One stage of [`Detector::detect_with`], in pipeline order; each matches one field of
/// [`super::StageTimings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Pyramid, gradients and radial-symmetry voting.
    Proposals,
    /// Edge sampling, ellipse fits, inner ring, decoding and de-duplication.
    FitDecode,
    /// Homography RANSAC, ID verification and correction.
    Homography,
    /// Completion of missed markers.
    Completion,
    /// Projective centres, the final homography refit and writing the output.
    Refine,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Self; 5] =
        [Self::Proposals, Self::FitDecode, Self::Homography, Self::Completion, Self::Refine];

    /// A short stable name: the prefix of the matching `StageTimings` field (`proposals`,
    /// `fit_decode`, `homography`, `completion`, `refine`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Proposals => "proposals",
            Self::FitDecode => "fit_decode",
            Self::Homography => "homography",
            Self::Completion => "completion",
            Self::Refine => "refine",
        }
    }

    /// The stage after this one; `None` after the last.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Proposals => Some(Self::FitDecode),
            Self::FitDecode => Some(Self::Homography),
            Self::Homography => Some(Self::Completion),
            Self::Completion => Some(Self::Refine),
            Self::Refine => None,
        }
    }
}

/// A detection stopped between stages, with a saved copy of the input of one stage so that
/// the stage can be run again and again from the same state.
///
/// The workspace carries the rest of the state (candidates, fitted markers); pass the same
/// detector, workspace and image to every call after [`StagedRun::prepare`]. Another image
/// gives meaningless results, never a panic.
#[derive(Debug)]
pub struct StagedRun {
    /// The detection being written; its statistics accumulate stage by stage.
    det: Detection,
    /// The global homography, once identification has run.
    global: Option<Homography>,
    /// The stage [`StagedRun::step`] runs next; `None` when the run is complete.
    next: Option<Stage>,
    /// The stage whose input is saved.
    saved_stage: Stage,
    /// `Workspace::found` as the saved stage receives it.
    saved_found: Vec<Found>,
    /// Statistics as the saved stage receives them.
    saved_stats: DetectStats,
    /// The global homography as the saved stage receives it.
    saved_global: Option<Homography>,
}

impl Default for StagedRun {
    fn default() -> Self {
        Self::new()
    }
}

impl StagedRun {
    /// An empty run; [`StagedRun::prepare`] starts it.
    pub fn new() -> Self {
        Self {
            det: empty_detection(),
            global: None,
            next: None,
            saved_stage: Stage::Proposals,
            saved_found: Vec::new(),
            saved_stats: DetectStats::default(),
            saved_global: None,
        }
    }

    /// Starts a detection of `image` and runs every stage before `stage`, then saves the input
    /// of `stage` so that [`StagedRun::restore`] can return to it. Fails only where
    /// `detect_with` fails: on an unusable image buffer.
    pub fn prepare(
        &mut self,
        detector: &Detector,
        ws: &mut Workspace,
        image: &ImageView<'_>,
        stage: Stage,
    ) -> Result<(), DetectError> {
        // The same re-validation as `detect_with`, so both fail alike.
        let image = ImageView::new(image.width(), image.height(), image.stride(), image.data())?;
        let frames = Frames::new(detector.config.camera);
        self.det.width = image.width();
        self.det.height = image.height();
        self.det.fit_frame = frames.fit_frame();
        self.det.markers.clear();
        self.det.img_from_board = None;
        self.det.stats = DetectStats::default();
        self.det.timings = None;
        self.global = None;
        self.next = Some(Stage::Proposals);
        while self.next.is_some_and(|next| next != stage) {
            self.step(detector, ws, &image);
        }
        self.saved_stage = stage;
        self.saved_found.clone_from(&ws.found);
        self.saved_stats = self.det.stats;
        self.saved_global = self.global;
        Ok(())
    }

    /// Returns the run and `ws` to the input of the stage given to the last
    /// [`StagedRun::prepare`]. Allocates nothing once the buffers have grown (after the first
    /// restore at the latest).
    pub fn restore(&mut self, ws: &mut Workspace) {
        // Stages after the proposals only read the candidates, so `found` is the workspace
        // state to put back; every other workspace buffer is scratch that its stage resets.
        ws.found.clone_from(&self.saved_found);
        self.det.markers.clear();
        self.det.img_from_board = None;
        self.det.stats = self.saved_stats;
        self.global = self.saved_global;
        self.next = Some(self.saved_stage);
    }

    /// The stage [`StagedRun::step`] runs next; `None` once the run is complete.
    pub fn next_stage(&self) -> Option<Stage> {
        self.next
    }

    /// Runs the next stage, exactly as `detect_with` does, and returns it; does nothing and
    /// returns `None` once the run is complete.
    pub fn step(
        &mut self,
        detector: &Detector,
        ws: &mut Workspace,
        image: &ImageView<'_>,
    ) -> Option<Stage> {
        let stage = self.next?;
        let frames = Frames::new(detector.config.camera);
        // As in `detect_with`: the gradient is computed with the proposals (and counted in
        // their time), and the later stages sample it, moved out of the workspace meanwhile.
        let mut gradient = std::mem::take(&mut ws.gradient);
        if stage == Stage::Proposals {
            gradient.compute(image);
        }
        let sampler = Sampler::with_gradient(*image, frames, &gradient);
        let det = &mut self.det;
        match stage {
            Stage::Proposals => {
                detector.propose(ws, image);
                det.stats.n_candidates = ws.candidates.len() as u32;
            }
            Stage::FitDecode => detector.fit_candidates(ws, &sampler, &mut det.stats),
            Stage::Homography => self.global = detector.identify(ws, &mut det.stats),
            Stage::Completion => {
                let size = [image.width(), image.height()];
                detector.complete(ws, &sampler, size, self.global.as_ref(), &mut det.stats);
            }
            Stage::Refine => detector.refine(ws, &sampler, &frames, self.global, det),
        }
        ws.gradient = gradient;
        self.next = stage.next();
        Some(stage)
    }

    /// The detection so far: complete (equal to what `detect_with` returns without timings)
    /// once [`Stage::Refine`] has run.
    pub fn detection(&self) -> &Detection {
        &self.det
    }
}

/// Proposals in the workspace after [`Stage::Proposals`]; a cheap check that it did real work.
pub fn n_candidates(ws: &Workspace) -> usize {
    ws.candidates.len()
}

/// Fitted markers in the workspace: every fit after [`Stage::FitDecode`], the identified ones
/// after [`Stage::Homography`], with the completed ones after [`Stage::Completion`].
pub fn n_found(ws: &Workspace) -> usize {
    ws.found.len()
}
