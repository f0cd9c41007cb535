//! Seeded synthetic images of annulus boards, with exact ground truth.
//!
//! The generator is a measuring instrument: every later accuracy figure is computed against the
//! ground truth written here, so each step is exact or bounded and documented.
//!
//! | step | module | what it guarantees |
//! |---|---|---|
//! | pose | [`pose`] | `H = K [r₁ r₂ t]` from a seeded draw; same seed, same poses |
//! | scene | `scene` | reflectance of the printed page, exact geometry in board mm |
//! | rasterization | `raster` | each pixel is the mean over its area (16 × 16 samples where an edge crosses it); lens distortion inverted exactly at pixel corners |
//! | blur | `blur` | exact anisotropic Gaussian by FFT; rendered margin, so no border darkening |
//! | exposure | [`photometry`] | illumination gain, Gaussian noise, rounding to 8 bits |
//! | ground truth | [`truth`] | projected circle centres (not ellipse centres), ellipses, homography, with frames |
//!
//! Determinism: all randomness comes from ChaCha8 streams keyed by `(seed, image, purpose)`,
//! and noise uses one stream per row, so parallel rendering gives the same bytes on every run
//! and every machine. Crate docs of `annulus` define the board frame and pixel convention.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use annulus::{Board, Format};
//! use annulus_synth::{Scenario, Synthesizer};
//!
//! let text = std::fs::read_to_string("fixtures/scenarios/blur3.toml")?;
//! let scenario = Scenario::parse(&text, Format::Toml)?;
//! let synth = Synthesizer::new(scenario, Board::builtin())?;
//! let first = synth.render(0)?;
//! std::fs::write("img_0000.png", first.image.to_png(None)?)?;
//! # Ok(()) }
//! ```

mod blur;
mod error;
mod image;
pub mod photometry;
pub mod pose;
mod print;
mod raster;
pub mod scenario;
mod scene;
mod streams;
pub mod truth;

use annulus::Board;

pub use error::{Result, SynthError};
pub use image::GrayImage;
pub use photometry::{BlurShape, Lighting};
pub use pose::Pose;
pub use print::{DEFAULT_DPI, rasterize_board};
pub use scenario::Scenario;
pub use truth::{Frames, GroundTruth, MarkerTruth, TRUTH_SCHEMA};

use crate::photometry::{Exposure, expose};
use crate::raster::{PixelMap, Window, rasterize};
use crate::scene::Scene;
use crate::truth::{View, marker_truths};

/// Renders the images of one scenario on one board.
#[derive(Debug, Clone)]
pub struct Synthesizer {
    scenario: Scenario,
    board: Board,
}

/// One rendered image and its ground truth.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthImage {
    /// The 8-bit image.
    pub image: GrayImage,
    /// What a perfect detector would report, and how the image was made.
    pub truth: GroundTruth,
}

impl Synthesizer {
    /// A synthesizer for `scenario` (validated here) rendering `board`.
    pub fn new(scenario: Scenario, board: Board) -> Result<Self> {
        scenario.validate()?;
        Ok(Self { scenario, board })
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The board.
    pub fn board(&self) -> &Board {
        &self.board
    }

    /// The ground truth of image `image_index`, without rendering its pixels.
    pub fn truth(&self, image_index: u32) -> Result<GroundTruth> {
        let s = &self.scenario;
        if image_index >= s.count {
            return Err(SynthError::IndexOutOfRange { index: image_index, count: s.count });
        }
        let pose =
            Pose::sample(&s.pose, &s.camera, self.board.center_board_mm(), s.seed, image_index);
        let img_from_board = pose.img_from_board(&s.camera);
        let view = View {
            board: &self.board,
            camera: &s.camera,
            pose: &pose,
            img_from_board: &img_from_board,
            size: s.image,
        };
        Ok(GroundTruth {
            schema: TRUTH_SCHEMA,
            scenario: s.name.clone(),
            image_index,
            seed: s.seed,
            image: s.image,
            board: self.board.name().to_owned(),
            frames: Frames::WRITTEN,
            camera: s.camera,
            pose,
            img_from_board,
            blur: BlurShape::sample(&s.blur, s.seed, image_index),
            illumination: Lighting::sample(&s.illumination, s.seed, image_index),
            noise_sigma: s.noise.sigma,
            levels: s.levels,
            supersampling: s.render.supersampling,
            markers: marker_truths(&view),
        })
    }

    /// Renders image `image_index` of the scenario, with its ground truth.
    pub fn render(&self, image_index: u32) -> Result<SynthImage> {
        let truth = self.truth(image_index)?;
        let s = &self.scenario;
        let (width, height) = (s.image.width as usize, s.image.height as usize);
        let margin = blur::margin_px(truth.blur.sigma_max_px());
        let (canvas_w, canvas_h) = if margin > 0 {
            (blur::fft_friendly(width + 2 * margin), blur::fft_friendly(height + 2 * margin))
        } else {
            (width, height)
        };
        let projection = truth.pose.projection_matrix(&s.camera);
        let board_from_undistorted =
            projection.try_inverse().ok_or(SynthError::DegeneratePose { image_index })?;
        let map = PixelMap {
            camera: s.camera.distortion.is_some().then_some(&s.camera),
            board_from_undistorted,
        };
        let scene = Scene::new(&self.board, &s.levels);
        let origin = -(margin as i64);
        let window = Window { origin: [origin, origin], width: canvas_w, height: canvas_h };
        let mut canvas = rasterize(&scene, &map, window, s.render.supersampling)?;
        if margin > 0 {
            let b = &truth.blur;
            let cov = blur::covariance(b.sigma_a_px, b.sigma_b_px, b.angle_deg.to_radians());
            blur::gaussian_blur(&mut canvas, canvas_w, canvas_h, cov);
        }
        let exposure = Exposure {
            size: [s.image.width, s.image.height],
            margin,
            lighting: truth.illumination,
            noise_sigma: s.noise.sigma,
            seed: s.seed,
            image_index,
        };
        let pixels = expose(&canvas, canvas_w, &exposure);
        Ok(SynthImage {
            image: GrayImage { width: s.image.width, height: s.image.height, pixels },
            truth,
        })
    }
}
