//! What happens to light after the board: blur shape, illumination, noise and quantisation.
//!
//! Order of operations for image `i`: the area-integrated reflectance is blurred (see
//! the `blur` module), multiplied by the smooth illumination gain, given additive Gaussian noise,
//! scaled to 255 and rounded to the nearest integer (halves away from zero), then clamped to
//! `[0, 255]`. The gain is applied after the blur; since it varies by well under 0.1 % across a
//! blur kernel, the order makes no measurable difference.

use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scenario::{BlurSpec, IlluminationSpec};
use crate::streams::{Purpose, stream_rng};

/// The blur drawn for one image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BlurShape {
    /// Standard deviation along the first axis, in pixels.
    pub sigma_a_px: f64,
    /// Standard deviation across it, in pixels.
    pub sigma_b_px: f64,
    /// Direction of the first axis, from +x towards +y.
    pub angle_deg: f64,
}

/// The illumination drawn for one image; see [`IlluminationSpec`] for the formula.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Lighting {
    /// Relative brightness change from the centre to the half diagonal along the gradient.
    pub gradient: f64,
    /// Direction in which the image gets brighter, from +x towards +y.
    pub gradient_angle_deg: f64,
    /// Relative darkening at the half diagonal.
    pub vignetting: f64,
}

impl BlurShape {
    /// Draws the blur of image `image_index` from its blur stream.
    pub(crate) fn sample(spec: &BlurSpec, seed: u64, image_index: u32) -> Self {
        let mut rng = stream_rng(seed, image_index, Purpose::Blur, 0);
        let ratio = spec.axis_ratio.log_lerp(rng.random::<f64>());
        let angle_deg = spec.angle_deg.lerp(rng.random::<f64>());
        let root = ratio.sqrt();
        Self { sigma_a_px: spec.sigma_px * root, sigma_b_px: spec.sigma_px / root, angle_deg }
    }

    /// The larger standard deviation.
    pub fn sigma_max_px(&self) -> f64 {
        self.sigma_a_px.max(self.sigma_b_px)
    }
}

impl Lighting {
    /// Draws the lighting of image `image_index` from its illumination stream.
    pub(crate) fn sample(spec: &IlluminationSpec, seed: u64, image_index: u32) -> Self {
        let mut rng = stream_rng(seed, image_index, Purpose::Illumination, 0);
        let gradient = spec.gradient.lerp(rng.random::<f64>());
        let gradient_angle_deg = 360.0 * rng.random::<f64>();
        let vignetting = spec.vignetting.lerp(rng.random::<f64>());
        Self { gradient, gradient_angle_deg, vignetting }
    }

    /// The gain at pixel `(x, y)` of a `width × height` image.
    pub fn gain(&self, p: [f64; 2], width: u32, height: u32) -> f64 {
        GainField::new(self, width, height).at(p)
    }
}

/// [`Lighting`] prepared for evaluation at many pixels of one image.
struct GainField {
    center: [f64; 2],
    inv_half_diagonal: f64,
    /// Gradient direction scaled by the gradient strength.
    slope: [f64; 2],
    vignetting: f64,
}

impl GainField {
    fn new(lighting: &Lighting, width: u32, height: u32) -> Self {
        let (s, c) = lighting.gradient_angle_deg.to_radians().sin_cos();
        Self {
            center: [0.5 * (f64::from(width) - 1.0), 0.5 * (f64::from(height) - 1.0)],
            inv_half_diagonal: 2.0 / f64::from(width).hypot(f64::from(height)),
            slope: [lighting.gradient * c, lighting.gradient * s],
            vignetting: lighting.vignetting,
        }
    }

    fn at(&self, [x, y]: [f64; 2]) -> f64 {
        let dx = (x - self.center[0]) * self.inv_half_diagonal;
        let dy = (y - self.center[1]) * self.inv_half_diagonal;
        (1.0 + self.slope[0] * dx + self.slope[1] * dy)
            * (1.0 - self.vignetting * (dx * dx + dy * dy))
    }
}

/// Everything [`expose`] needs besides the canvas.
pub(crate) struct Exposure {
    /// Output image size.
    pub(crate) size: [u32; 2],
    /// Canvas pixel `(margin, margin)` is image pixel `(0, 0)`.
    pub(crate) margin: usize,
    pub(crate) lighting: Lighting,
    pub(crate) noise_sigma: f64,
    pub(crate) seed: u64,
    pub(crate) image_index: u32,
}

/// Turns the blurred canvas into 8-bit pixels: crops the image out of the canvas, applies the
/// gain, adds noise from one stream per row, and quantises.
pub(crate) fn expose(canvas: &[f64], canvas_width: usize, e: &Exposure) -> Vec<u8> {
    let ([width, height], margin) = (e.size, e.margin);
    let w = width as usize;
    let gain = GainField::new(&e.lighting, width, height);
    let mut pixels = vec![0u8; w * height as usize];
    pixels.par_chunks_mut(w).enumerate().for_each(|(y, row)| {
        let mut rng = stream_rng(e.seed, e.image_index, Purpose::Noise, y as u64);
        let src = &canvas[(y + margin) * canvas_width + margin..][..w];
        for (x, (dst, &v)) in row.iter_mut().zip(src).enumerate() {
            let mut value = v * gain.at([x as f64, y as f64]);
            if e.noise_sigma > 0.0 {
                let z: f64 = StandardNormal.sample(&mut rng);
                value += e.noise_sigma * z;
            }
            *dst = (value * 255.0).round().clamp(0.0, 255.0) as u8;
        }
    });
    pixels
}
