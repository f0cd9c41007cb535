//! One detector on one image, prepared outside the measurement and measured call by call.
//!
//! A [`Runner`] is built from the same [`PeerInput`] for every detector: the image (annulus's
//! borrowed view), the true marker-diameter hint and optionally the camera. Everything that is
//! not detection happens in [`Runner::new`]: ringgrid's `Detector` is built once with
//! `Detector::with_marker_diameter_hint` (its fast path, a fixed scale prior) and the image is
//! copied into ringgrid's `image::GrayImage`; annulus's `Detector` is built with
//! `DiameterPrior::Nominal(hint)` ([`DetectorKind::Annulus`]) or with no prior
//! ([`DetectorKind::AnnulusAuto`]) and a fresh `Workspace` that every later call reuses.
//! [`Runner::detect`] then measures exactly one detector call: wall time, allocations and heap
//! high-water mark around `Detector::detect_with` (annulus) or `Detector::detect` /
//! `detect_with_mapper` (ringgrid; the mapper is the documented way to give ringgrid 0.13.2 a
//! camera model, and runs its two-pass pipeline).
//!
//! # The diameter hint
//!
//! [`PeerInput::diameter_hint_px`] is annulus's convention: the diameter of the marker's
//! outermost edge (the outer ring's outer edge), as `DetectConfig::marker_diameter_px`
//! documents. ringgrid 0.13.2 means something else by "marker outer diameter": twice the outer
//! ring's *centre-line* radius (`2 * outer_radius_mm`, the figure its layout validation and its
//! proposal spacing use; the stroke is counted separately as the "printed marker diameter").
//! [`Runner::new`] therefore hands ringgrid the hint scaled by centre-line radius over outer-edge
//! radius ([`ringgrid_hint_px`]); on ringgrid's own board that is 4.8 mm / 5.376 mm = 0.893.
//! Measured on three blur3 images, this convention lifts ringgrid from 301 to 574 of 608
//! markers found and from 127 to 0 wrong IDs; hints 5 % smaller or larger did worse, so the
//! comparison gives ringgrid the hint it reads best. [`true_diameter_hint_px`] computes
//! annulus's hint from the ground truth.
//!
//! # Allocation and heap figures
//!
//! They come from [`annulus_benches::CountingAlloc`] and are zero unless the running binary
//! installed it as its global allocator (the `annulus-peer` binary does). ringgrid's result is
//! dropped inside [`Runner::detect`] after the measurement (one `Vec` freed); annulus's stays in
//! its workspace.

use std::time::Instant;

use annulus::detect::DiameterPrior;
use annulus::{Board, Camera, DetectConfig, Detection, ImageView, Workspace};
use annulus_benches::{AllocCount, CountingAlloc, nanos};
use annulus_synth::GroundTruth;
use serde::{Deserialize, Serialize};

use crate::board::ConvertedBoard;
use crate::camera::ringgrid_camera;
use crate::error::PeerError;
use crate::result::convert_result;

/// The detectors the comparison runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DetectorKind {
    /// annulus with the true diameter hint (`DiameterPrior::Nominal`).
    Annulus,
    /// annulus finding the scale itself (no prior).
    AnnulusAuto,
    /// ringgrid with the true diameter hint (`Detector::with_marker_diameter_hint`).
    Ringgrid,
}

impl DetectorKind {
    /// Every detector, in the order reports list them.
    pub const ALL: [Self; 3] = [Self::Annulus, Self::AnnulusAuto, Self::Ringgrid];

    /// The stable name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Self::Annulus => "annulus",
            Self::AnnulusAuto => "annulus_auto",
            Self::Ringgrid => "ringgrid",
        }
    }
}

/// The board a comparison runs on: annulus's own, or one converted from ringgrid (which both
/// detectors can look for).
#[derive(Debug, Clone)]
pub enum PeerBoard {
    /// An annulus board; only the annulus detectors run on it.
    Annulus(Board),
    /// A ringgrid layout and its annulus equivalent (boxed: it is the larger variant).
    Ringgrid(Box<ConvertedBoard>),
}

impl PeerBoard {
    /// The annulus board (the converted one for ringgrid).
    pub fn board(&self) -> &Board {
        match self {
            Self::Annulus(board) => board,
            Self::Ringgrid(converted) => &converted.board,
        }
    }

    /// The ringgrid layout and ID map, when the board came from ringgrid.
    pub fn ringgrid(&self) -> Option<&ConvertedBoard> {
        match self {
            Self::Annulus(_) => None,
            Self::Ringgrid(converted) => Some(converted.as_ref()),
        }
    }

    /// The detectors that can run on this board, in [`DetectorKind::ALL`] order.
    pub fn detectors(&self) -> Vec<DetectorKind> {
        let ringgrid = self.ringgrid().is_some();
        DetectorKind::ALL.into_iter().filter(|&k| k != DetectorKind::Ringgrid || ringgrid).collect()
    }
}

/// What every detector is given for one image.
#[derive(Debug, Clone, Copy)]
pub struct PeerInput<'a> {
    /// The image.
    pub image: ImageView<'a>,
    /// The marker's outer-edge diameter in pixels (see the module doc); ignored by
    /// [`DetectorKind::AnnulusAuto`].
    pub diameter_hint_px: f64,
    /// The camera, when the detectors may use it.
    pub camera: Option<Camera>,
}

/// The hint ringgrid reads for a marker whose outer-edge diameter is `outer_edge_hint_px`: the
/// diameter of the outer ring's centre line (see the module doc).
pub fn ringgrid_hint_px(outer_edge_hint_px: f64, board: &Board) -> f64 {
    let ring = board.marker_spec().outer_ring;
    outer_edge_hint_px * ring.radius_mm / ring.outer_edge_mm()
}

/// The mean outer-edge diameter of the visible markers of `truth`, in (undistorted) pixels:
/// each marker's outer-ring centre-line ellipse, major axis, scaled by the ring's outer-edge
/// radius over its centre-line radius. `None` when no marker is wholly visible.
///
/// This is [`annulus_benches::nominal_diameter_px`], the hint `annulus-probe` and the CI gates
/// use, so the figures compare with theirs. The major axis is the diameter perspective does
/// not foreshorten.
pub fn true_diameter_hint_px(truth: &GroundTruth, board: &Board) -> Option<f64> {
    annulus_benches::nominal_diameter_px(truth, board)
}

/// What one measured detector call cost and returned.
#[derive(Debug)]
pub struct Call {
    /// Wall time of the call.
    pub wall_ns: u64,
    /// Allocations made during the call.
    pub alloc: AllocCount,
    /// Heap bytes live when the call started.
    pub heap_live_before_bytes: u64,
    /// The most heap bytes live at once during the call (the whole process's heap).
    pub heap_peak_bytes: u64,
    /// Markers reported (identified or not), or why the detector failed.
    pub result: Result<usize, PeerError>,
}

/// One detector, prepared for one image; see the module doc.
pub struct Runner<'a> {
    kind: DetectorKind,
    engine: Engine<'a>,
}

enum Engine<'a> {
    Annulus {
        detector: Box<annulus::Detector>,
        // Both detectors' large parts are boxed, so that the variants stay of similar size.
        workspace: Box<Workspace>,
        image: ImageView<'a>,
    },
    Ringgrid {
        detector: Box<ringgrid::Detector>,
        mapper: Option<ringgrid::CameraModel>,
        image: image::GrayImage,
        board: &'a ConvertedBoard,
        camera: Option<Camera>,
    },
}

impl<'a> Runner<'a> {
    /// Builds detector `kind` for `input` on `board`, and converts the image if it needs to.
    pub fn new(
        kind: DetectorKind,
        board: &'a PeerBoard,
        input: &PeerInput<'a>,
    ) -> Result<Self, PeerError> {
        let hint = input.diameter_hint_px;
        if !(hint.is_finite() && hint > 0.0) {
            return Err(PeerError::OutOfRange {
                field: "diameter_hint_px",
                value: hint,
                expected: "a positive number of pixels",
            });
        }
        let engine = match kind {
            DetectorKind::Annulus | DetectorKind::AnnulusAuto => {
                let config = DetectConfig {
                    marker_diameter_px: (kind == DetectorKind::Annulus)
                        .then_some(DiameterPrior::Nominal(hint)),
                    camera: input.camera,
                    ..DetectConfig::default()
                };
                let detector = annulus::Detector::new(board.board().clone(), config)
                    .map_err(PeerError::Config)?;
                Engine::Annulus {
                    detector: Box::new(detector),
                    workspace: Box::default(),
                    image: input.image,
                }
            }
            DetectorKind::Ringgrid => {
                let converted = board.ringgrid().ok_or_else(|| PeerError::NoRinggridLayout {
                    board: board.board().name().to_owned(),
                })?;
                let mapper = input.camera.as_ref().map(ringgrid_camera).transpose()?;
                // ringgrid takes the hint in single precision.
                let detector = ringgrid::Detector::with_marker_diameter_hint(
                    converted.layout.clone(),
                    ringgrid_hint_px(hint, &converted.board) as f32,
                );
                Engine::Ringgrid {
                    detector: Box::new(detector),
                    mapper,
                    image: ringgrid_image(&input.image)?,
                    board: converted,
                    camera: input.camera,
                }
            }
        };
        Ok(Self { kind, engine })
    }

    /// Which detector this is.
    pub fn kind(&self) -> DetectorKind {
        self.kind
    }

    /// One measured detector call; the result is not kept.
    pub fn detect(&mut self) -> Call {
        self.run(false).0
    }

    /// One measured detector call, and its result as an annulus [`Detection`] (ringgrid's
    /// converted by [`convert_result`]); the copy and the conversion happen after the
    /// measurement.
    pub fn detect_keeping(&mut self) -> (Call, Option<Detection>) {
        self.run(true)
    }

    fn run(&mut self, keep: bool) -> (Call, Option<Detection>) {
        match &mut self.engine {
            Engine::Annulus { detector, workspace, image } => {
                let span = Span::start();
                let out = detector.detect_with(workspace, image);
                let (wall_ns, alloc, heap) = span.stop();
                let kept = match (&out, keep) {
                    (Ok(det), true) => Some((*det).clone()),
                    _ => None,
                };
                let result = out.map(|det| det.markers.len()).map_err(PeerError::AnnulusDetect);
                (call(wall_ns, alloc, heap, result), kept)
            }
            Engine::Ringgrid { detector, mapper, image, board, camera } => {
                let span = Span::start();
                let out = match mapper {
                    Some(mapper) => detector.detect_with_mapper(image, mapper),
                    None => detector.detect(image),
                };
                let (wall_ns, alloc, heap) = span.stop();
                let kept = match (&out, keep) {
                    (Ok(result), true) => Some(convert_result(result, board, camera.as_ref())),
                    _ => None,
                };
                let result = out
                    .map(|result| result.detected_markers.len())
                    .map_err(PeerError::RinggridDetect);
                (call(wall_ns, alloc, heap, result), kept)
            }
        }
    }
}

fn call(
    wall_ns: u64,
    alloc: AllocCount,
    [heap_live_before_bytes, heap_peak_bytes]: [u64; 2],
    result: Result<usize, PeerError>,
) -> Call {
    Call { wall_ns, alloc, heap_live_before_bytes, heap_peak_bytes, result }
}

/// The measurement around one call: counters and heap mark first, the clock last, and the
/// reverse on the way out, so the clock covers only the call.
struct Span {
    alloc: AllocCount,
    heap_live_before_bytes: u64,
    start: Instant,
}

impl Span {
    fn start() -> Self {
        CountingAlloc::reset_peak();
        let heap_live_before_bytes = CountingAlloc::live_bytes();
        let alloc = CountingAlloc::read();
        Self { alloc, heap_live_before_bytes, start: Instant::now() }
    }

    fn stop(self) -> (u64, AllocCount, [u64; 2]) {
        let wall_ns = nanos(self.start.elapsed());
        let after = CountingAlloc::read();
        let alloc = AllocCount {
            count: after.count - self.alloc.count,
            bytes: after.bytes - self.alloc.bytes,
        };
        (wall_ns, alloc, [self.heap_live_before_bytes, CountingAlloc::peak_live_bytes()])
    }
}

/// A copy of `view` as ringgrid's image type (tightly packed rows).
pub fn ringgrid_image(view: &ImageView<'_>) -> Result<image::GrayImage, PeerError> {
    let (width, height) = (view.width(), view.height());
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for y in 0..height {
        // Invariant: a validated view has every row up to its height.
        let row = view.row(y).unwrap_or_default();
        pixels.extend_from_slice(row);
    }
    image::GrayImage::from_raw(width, height, pixels).ok_or(PeerError::Image {
        width,
        height,
        stride: view.stride(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strided_view_is_copied_row_by_row() {
        // 3 × 2 pixels in rows of 5 bytes; the padding must not leak into the copy.
        let data = [1, 2, 3, 99, 99, 4, 5, 6];
        let view = ImageView::new(3, 2, 5, &data).expect("valid view");
        let img = ringgrid_image(&view).expect("converts");
        assert_eq!((img.width(), img.height()), (3, 2));
        assert_eq!(img.as_raw(), &[1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn ringgrid_reads_the_centre_line_diameter_of_its_own_layout() {
        let converted = crate::board::ringgrid_default_board().expect("converts");
        let ring = converted.board.marker_spec().outer_ring;
        // At 10 px per mm, annulus's hint is the outer edge's diameter, 2 * outer_edge_mm * 10,
        // and ringgrid's "marker outer diameter" is 2 * outer_radius_mm * 10.
        let outer_edge_diameter_px = 2.0 * ring.outer_edge_mm() * 10.0;
        let hint = ringgrid_hint_px(outer_edge_diameter_px, &converted.board);
        let expected = 2.0 * f64::from(converted.layout.ring().outer_radius_mm) * 10.0;
        assert!((hint - 2.0 * ring.radius_mm * 10.0).abs() < 1e-6, "{hint}");
        assert!((hint - expected).abs() < 1e-4, "{hint} vs {expected}");
        assert!(hint < outer_edge_diameter_px * 0.95, "the stroke is not counted");
    }

    #[test]
    fn ringgrid_needs_a_ringgrid_board_and_a_valid_hint() {
        let board = PeerBoard::Annulus(Board::builtin());
        assert_eq!(board.detectors(), [DetectorKind::Annulus, DetectorKind::AnnulusAuto]);
        let pixels = vec![255u8; 64 * 48];
        let image = ImageView::packed(64, 48, &pixels).expect("valid view");
        let input = PeerInput { image, diameter_hint_px: 30.0, camera: None };
        assert!(matches!(
            Runner::new(DetectorKind::Ringgrid, &board, &input),
            Err(PeerError::NoRinggridLayout { .. })
        ));
        let bad = PeerInput { diameter_hint_px: f64::NAN, ..input };
        assert!(matches!(
            Runner::new(DetectorKind::Annulus, &board, &bad),
            Err(PeerError::OutOfRange { field: "diameter_hint_px", .. })
        ));
    }

    #[test]
    fn a_blank_image_is_an_empty_result_for_every_detector() {
        let converted = crate::board::ringgrid_default_board().expect("converts");
        let board = PeerBoard::Ringgrid(Box::new(converted));
        let pixels = vec![200u8; 96 * 64];
        let image = ImageView::packed(96, 64, &pixels).expect("valid view");
        let input = PeerInput { image, diameter_hint_px: 30.0, camera: None };
        for kind in board.detectors() {
            let mut runner = Runner::new(kind, &board, &input).expect("builds");
            assert_eq!(runner.kind(), kind);
            let (call, detection) = runner.detect_keeping();
            assert_eq!(call.result.expect("no failure"), 0, "{}", kind.name());
            let detection = detection.expect("kept");
            assert_eq!((detection.width, detection.height), (96, 64));
            assert!(detection.markers.is_empty());
        }
    }
}
