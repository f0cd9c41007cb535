//! `annulus detect`: find a board's markers in one PNG and write the detection as JSON.
//!
//! The detector configuration starts from the defaults, or from `--config`, and the flags
//! override its fields: `--camera` replaces `camera`, `--marker-diameter` replaces
//! `marker_diameter_px`. The merged configuration is validated before any image is read.
//! Every input is read and every output checked for a clash before the detector runs, so a
//! refusal to overwrite costs nothing; both outputs are written atomically.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Args;

use annulus::detect::DiameterPrior;
use annulus::{Board, DetectConfig, Detection, Detector};

use crate::files::{OutputSet, read_board, read_camera, read_detect_config};
use crate::image_io::read_gray_png;
use crate::overlay;

/// Arguments of `annulus detect`.
#[derive(Debug, Args)]
pub struct DetectArgs {
    /// Image to search (PNG; anything but 8-bit gray is converted, with a note). At most
    /// 32768 px a side and 268435456 pixels (256 Mpx) in all.
    #[arg(long)]
    image: PathBuf,
    /// Board spec (TOML or JSON); default: the built-in board.
    #[arg(long)]
    board: Option<PathBuf>,
    /// Output file for the detection (JSON).
    #[arg(long)]
    out: PathBuf,
    /// Expected outer marker diameter in pixels: `32` (±25 %) or a range `24:40`.
    #[arg(long, value_name = "PX|MIN:MAX", value_parser = parse_diameter)]
    marker_diameter: Option<DiameterPrior>,
    /// Camera intrinsics and lens distortion (TOML or JSON), instead of the config's camera.
    #[arg(long)]
    camera: Option<PathBuf>,
    /// Detector configuration (TOML or JSON); the other flags override its fields.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Also write an RGB PNG of the image with the detected markers drawn on it.
    #[arg(long)]
    overlay: Option<PathBuf>,
    /// Overwrite existing output files.
    #[arg(long)]
    force: bool,
}

/// Runs `annulus detect`.
pub fn run(args: &DetectArgs) -> Result<()> {
    let board = match &args.board {
        Some(path) => read_board(path)?,
        None => Board::builtin(),
    };
    let config = merged_config(args)?;
    let (out_dir, out_name) = split_output(&args.out, "--out")?;
    let overlay_target = match &args.overlay {
        Some(path) if path == &args.out => bail!("--out and --overlay name the same file"),
        Some(path) => Some(split_output(path, "--overlay")?),
        None => None,
    };
    let image = read_gray_png(&args.image)?;
    let view = image.view().with_context(|| format!("image {}", args.image.display()))?;

    let out = OutputSet::prepare(&out_dir, std::slice::from_ref(&out_name), args.force)?;
    let overlay_out = match &overlay_target {
        Some((dir, name)) => {
            Some((OutputSet::prepare(dir, std::slice::from_ref(name), args.force)?, name))
        }
        None => None,
    };

    let detector = Detector::new(board, config).context("detector configuration")?;
    let started = Instant::now();
    let detection =
        detector.detect(&view).with_context(|| format!("image {}", args.image.display()))?;
    let millis = 1e3 * started.elapsed().as_secs_f64();

    // Both outputs are encoded before either is written, so a failure leaves neither behind.
    let json = serde_json::to_string_pretty(&detection).context("cannot encode the detection")?;
    let overlay_png = match &overlay_out {
        Some(_) => {
            let camera = detector.config().camera.as_ref();
            Some(overlay::render_png(&image, &detection, camera)?)
        }
        None => None,
    };
    let written = out.write(&out_name, (json + "\n").as_bytes())?;
    println!("{}: {} -> {}", args.image.display(), summary(&detection, millis), written.display());
    if let (Some((overlay_set, name)), Some(png)) = (overlay_out, overlay_png) {
        let written = overlay_set.write(name, &png)?;
        println!("  overlay: {}", written.display());
    }
    Ok(())
}

/// The configuration file's settings (or the defaults) with the flags applied, validated.
fn merged_config(args: &DetectArgs) -> Result<DetectConfig> {
    let mut config = match &args.config {
        Some(path) => read_detect_config(path)?,
        None => DetectConfig::default(),
    };
    if let Some(path) = &args.camera {
        config.camera = Some(read_camera(path)?);
    }
    if let Some(prior) = args.marker_diameter {
        config.marker_diameter_px = Some(prior);
    }
    config.validate().with_context(|| match &args.config {
        Some(path) => format!("detector config {} with the flags given", path.display()),
        None => "detector configuration".to_owned(),
    })?;
    Ok(config)
}

/// The directory and file name of an output path given with `flag`.
fn split_output(path: &Path, flag: &str) -> Result<(PathBuf, String)> {
    let Some(name) = path.file_name() else {
        bail!("{flag} {} does not name a file", path.display());
    };
    let Some(name) = name.to_str() else {
        bail!("{flag} {}: the file name is not valid UTF-8", path.display());
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((dir, name.to_owned()))
}

/// Parses `--marker-diameter`: one diameter, or `min:max`.
fn parse_diameter(text: &str) -> Result<DiameterPrior, String> {
    let number = |s: &str| {
        s.trim().parse::<f64>().map_err(|_| {
            format!("`{text}` is not a diameter in pixels (like 32) or a range (like 24:40)")
        })
    };
    match text.split_once(':') {
        Some((lo, hi)) => Ok(DiameterPrior::Range([number(lo)?, number(hi)?])),
        None => Ok(DiameterPrior::Nominal(number(text)?)),
    }
}

/// One line of counts and timing, e.g. `195 markers (195 identified), homography rms 0.012 px,
/// 14.2 ms`.
fn summary(detection: &Detection, millis: f64) -> String {
    let n = detection.markers.len();
    let identified = detection.markers.iter().filter(|m| m.id.is_some()).count();
    let homography = match &detection.img_from_board {
        Some(h) => format!("homography rms {:.3} px", h.rms_px),
        None => "no homography".to_owned(),
    };
    let noun = if n == 1 { "marker" } else { "markers" };
    format!("{n} {noun} ({identified} identified), {homography}, {millis:.1} ms")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn diameters_parse_as_nominal_or_range() {
        assert_eq!(parse_diameter("32"), Ok(DiameterPrior::Nominal(32.0)));
        assert_eq!(parse_diameter("24:40.5"), Ok(DiameterPrior::Range([24.0, 40.5])));
        assert!(parse_diameter("24-40").unwrap_err().contains("like 24:40"));
        assert!(parse_diameter(":40").is_err());
    }

    #[test]
    fn the_size_limit_in_the_help_is_the_detectors() {
        // `--image`'s help spells the limits out; this fails when they change without it.
        assert_eq!(annulus::image::MAX_IMAGE_SIDE_PX, 32_768);
        assert_eq!(annulus::image::MAX_IMAGE_PIXELS, 268_435_456);
    }

    #[test]
    fn outputs_split_into_directory_and_name() {
        let (dir, name) = split_output(Path::new("det.json"), "--out").unwrap();
        assert_eq!((dir, name.as_str()), (PathBuf::from("."), "det.json"));
        let (dir, name) = split_output(Path::new("a/b/det.json"), "--out").unwrap();
        assert_eq!((dir, name.as_str()), (PathBuf::from("a/b"), "det.json"));
        assert!(split_output(Path::new("a/.."), "--out").is_err());
    }
}
