//! Writes the seed corpus of every fuzz target into `corpus/<target>/`, from the shipped board
//! fixtures and small synthetic images rendered by `annulus-synth`.
//!
//! Run from `fuzz/`: `cargo run --release --example write_seeds`. Output is deterministic (the
//! generator is), so rerunning it rewrites the committed seeds byte for byte unless the
//! generator, the detector or a fixture changed.

#![allow(clippy::print_stdout)]

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};

use annulus::detect::DiameterPrior;
use annulus::{Board, DetectConfig, Detector, Format, ImageView, codebook};
use annulus_fuzz::{
    DetectInput, FLAG_CAMERA, FLAG_DIAMETER_LIMITS, FLAG_DISTORTION, FLAG_FRESH_WORKSPACE,
    FLAG_NO_COMPLETION, FLAG_PRIOR, FLAG_PRIOR_RANGE, FLAG_TIMINGS,
};
use annulus_synth::{Scenario, SynthImage, Synthesizer};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The fuzz crate's folder.
fn here() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// The repository's `fixtures/`.
fn fixtures() -> PathBuf {
    here().join("../fixtures")
}

/// Writes a `detect` seed and prints how many markers the detector finds in it.
fn write_detect(name: &str, input: &DetectInput<'_>) -> Result<()> {
    write("detect", name, &input.encode())?;
    let board = annulus_fuzz::board(input.board).ok_or("fixture board")?;
    let found = match ImageView::new(input.width, input.height, input.stride, input.pixels) {
        Ok(view) => Detector::new(board, input.config())?.detect(&view)?.markers.len(),
        Err(e) => {
            println!("  (refused: {e})");
            return Ok(());
        }
    };
    println!("  {found} markers found");
    Ok(())
}

/// Writes one seed, replacing any file of that name.
fn write(target: &str, name: &str, bytes: &[u8]) -> Result<()> {
    let dir = here().join("corpus").join(target);
    fs::create_dir_all(&dir)?;
    fs::write(dir.join(name), bytes)?;
    println!("corpus/{target}/{name}: {} bytes", bytes.len());
    Ok(())
}

/// Image 0 of a scenario given as TOML text, on `board`.
fn render(scenario_toml: &str, board: Board) -> Result<SynthImage> {
    let scenario = Scenario::parse(scenario_toml, Format::Toml)?;
    Ok(Synthesizer::new(scenario, board)?.render(0)?)
}

/// The tiny fixture scenario (a 4 x 3 board in 240 x 160 px, with lens distortion).
fn tiny() -> Result<SynthImage> {
    let text = fs::read_to_string(fixtures().join("scenarios/tiny.toml"))?;
    let board = fs::read_to_string(fixtures().join("boards/tiny.toml"))?;
    render(&text, Board::parse(&board, Format::Toml)?)
}

/// A 256 x 192 crop of the CI scenario's view of the built-in board (markers about 34 px).
const DEFAULT_VIEW: &str = r#"
schema = 1
name = "fuzz_default_256x192"
board = "default"
count = 1
seed = 6006
image = { width = 256, height = 192 }
camera = { fx = 1200.0, fy = 1200.0, cx = 127.5, cy = 95.5 }
blur = { sigma_px = 1.0 }
noise = { sigma = 0.01 }

[pose]
distance_mm = [285.0, 285.0]
tilt_deg = [20.0, 20.0]
roll_deg = [8.0, 8.0]
offset_x_px = [0.0, 0.0]
offset_y_px = [0.0, 0.0]
"#;

/// The plain rect fixture board in 200 x 150 px (markers about 30 px).
const RECT_PLAIN_VIEW: &str = r#"
schema = 1
name = "fuzz_rect_plain_200x150"
count = 1
seed = 11
image = { width = 200, height = 150 }
camera = { fx = 500.0, fy = 500.0, cx = 99.5, cy = 74.5 }
blur = { sigma_px = 0.8 }

[pose]
distance_mm = [330.0, 330.0]
tilt_deg = [15.0, 15.0]
roll_deg = [0.0, 0.0]
offset_x_px = [0.0, 0.0]
offset_y_px = [0.0, 0.0]
"#;

/// A `detect` input for `image` with a default (all-zero) header otherwise.
fn detect_input(image: &SynthImage, board: u8, flags: u8) -> DetectInput<'_> {
    let c = image.truth.camera;
    let d = c.distortion.unwrap_or_default();
    DetectInput {
        flags,
        board,
        width: image.image.width,
        height: image.image.height,
        stride: image.image.width as usize,
        prior: [0.0; 2],
        limits: [DetectConfig::default().min_marker_diameter_px, 0.0],
        camera: [c.fx, c.fy, c.cx, c.cy, d.k1, d.k2, d.p1, d.p2, d.k3],
        pixels: &image.image.pixels,
    }
}

/// The outer diameter of the markers in `image`, from the truth's ring ellipses: the outer
/// ring's centre line, scaled out to its outer edge.
fn outer_diameter_px(image: &SynthImage, board: &Board) -> f64 {
    let ring = &board.marker_spec().outer_ring;
    let scale = ring.outer_edge_mm() / ring.radius_mm;
    let axes: Vec<f64> = (image.truth.markers.iter())
        .filter(|m| m.visible)
        .filter_map(|m| m.outer_ellipse)
        .map(|e| e.semi_major_px + e.semi_minor_px)
        .collect();
    scale * axes.iter().sum::<f64>() / axes.len().max(1) as f64
}

/// The same pixels with `padding` bytes after every row.
fn padded(image: &SynthImage, padding: usize) -> Vec<u8> {
    let width = image.image.width as usize;
    let mut out = Vec::new();
    for row in image.image.pixels.chunks_exact(width) {
        out.extend_from_slice(row);
        out.extend(std::iter::repeat_n(0x5a, padding));
    }
    out
}

fn detect_seeds(tiny: &SynthImage, default: &SynthImage, rect: &SynthImage) -> Result<()> {
    let tiny_board = annulus_fuzz::board(1).ok_or("tiny fixture board")?;
    write_detect("tiny-240x160-defaults", &detect_input(tiny, 1, 0))?;
    let mut hinted = detect_input(tiny, 1, FLAG_PRIOR | FLAG_CAMERA | FLAG_DISTORTION);
    hinted.flags |= FLAG_FRESH_WORKSPACE;
    hinted.prior[0] = outer_diameter_px(tiny, &tiny_board);
    write_detect("tiny-240x160-camera-prior", &hinted)?;
    let short = DetectInput { pixels: &tiny.image.pixels[..4096], ..hinted.clone() };
    write_detect("tiny-240x160-short-buffer", &short)?;

    write_detect("default-256x192-defaults", &detect_input(default, 0, 0))?;
    let rows = padded(default, 16);
    let mut ranged = detect_input(default, 0, FLAG_PRIOR | FLAG_PRIOR_RANGE | FLAG_TIMINGS);
    ranged.flags |= FLAG_NO_COMPLETION | FLAG_DIAMETER_LIMITS | FLAG_CAMERA;
    ranged.stride += 16;
    ranged.pixels = &rows;
    ranged.prior = [24.0, 48.0];
    ranged.limits = [16.0, 64.0];
    write_detect("default-256x192-stride-range", &ranged)?;

    write_detect("rect-plain-200x150-defaults", &detect_input(rect, 2, 0))?;

    let pixel = [200];
    let one = DetectInput { width: 1, height: 1, stride: 1, pixels: &pixel, ..hinted };
    write_detect("one-pixel", &one)?;
    let narrow = DetectInput { width: 10, height: 2, stride: 9, pixels: &[0; 20], ..one };
    write_detect("stride-too-small", &narrow)?;
    Ok(())
}

fn board_seeds() -> Result<()> {
    for name in ["default", "tiny", "rect-plain"] {
        let text = fs::read_to_string(fixtures().join(format!("boards/{name}.toml")))?;
        write("board_spec", &format!("{name}.toml"), text.as_bytes())?;
        let board = Board::parse(&text, Format::Toml)?;
        write("board_spec", &format!("{name}.json"), board.to_json().as_bytes())?;
    }
    // Explicit codewords read only as printed, and a hex lattice with short odd rows.
    let words: Vec<String> =
        codebook::builtin()[..8].iter().map(|w| format!("0x{w:04x}")).collect();
    let explicit = format!(
        "schema = 1\nname = \"explicit.words\"\nmargin_mm = 2.5\n\n[lattice]\nkind = \"hex\"\n\
         rows = 3\ncols = 3\npitch_mm = 12.0\nshort_odd_rows = true\n\n[marker]\n\
         outer_ring = {{ radius_mm = 5.0, width_mm = 1.0 }}\n\
         code_band = {{ radius_mm = 3.5, width_mm = 1.5 }}\n\
         inner_ring = {{ radius_mm = 2.0, width_mm = 1.0 }}\n\n[coding]\nkind = \"coded\"\n\
         codewords = [{}]\npolarity = \"as_printed\"\n",
        words.join(", ")
    );
    let board = Board::parse(&explicit, Format::Toml)?;
    write("board_spec", "explicit-codewords.toml", explicit.as_bytes())?;
    write("board_spec", "explicit-codewords.json", board.to_json().as_bytes())?;
    Ok(())
}

fn camera_seeds(tiny: &SynthImage) -> Result<()> {
    let camera = tiny.truth.camera;
    write("camera_config", "tiny-camera.toml", toml::to_string(&camera)?.as_bytes())?;
    write("camera_config", "tiny-camera.json", serde_json::to_string_pretty(&camera)?.as_bytes())?;
    let pinhole = annulus::Camera::centered(1200.0, 1280, 1024);
    write("camera_config", "pinhole.toml", toml::to_string(&pinhole)?.as_bytes())?;
    let config = DetectConfig {
        marker_diameter_px: Some(DiameterPrior::Range([12.0, 20.0])),
        max_marker_diameter_px: Some(40.0),
        camera: Some(camera),
        complete_missing: false,
        timings: true,
        ..DetectConfig::default()
    };
    write("camera_config", "detect-config.toml", toml::to_string(&config)?.as_bytes())?;
    let nominal = DetectConfig {
        marker_diameter_px: Some(DiameterPrior::Nominal(32.0)),
        camera: Some(pinhole),
        ..DetectConfig::default()
    };
    write("camera_config", "detect-config.json", serde_json::to_string(&nominal)?.as_bytes())?;
    Ok(())
}

fn score_seeds(tiny: &SynthImage) -> Result<()> {
    let board = annulus_fuzz::board(1).ok_or("tiny fixture board")?;
    let config = DetectConfig {
        marker_diameter_px: Some(DiameterPrior::Nominal(outer_diameter_px(tiny, &board))),
        camera: Some(tiny.truth.camera),
        ..DetectConfig::default()
    };
    let image = &tiny.image;
    let view = ImageView::packed(image.width, image.height, &image.pixels)?;
    let detection = Detector::new(board, config)?.detect(&view)?;
    println!("tiny image 0: {} markers detected", detection.markers.len());
    let truth_json = serde_json::to_vec(&tiny.truth)?;
    let detection_json = serde_json::to_vec(&detection)?;
    let pair = [truth_json.as_slice(), &[0], detection_json.as_slice()].concat();
    write("score_json", "tiny-truth-and-detection", &pair)?;
    write("score_json", "tiny-truth.json", &truth_json)?;
    write("score_json", "tiny-detection.json", &detection_json)?;
    let nothing = annulus::Detection { markers: Vec::new(), img_from_board: None, ..detection };
    let empty = [truth_json.as_slice(), &[0], &serde_json::to_vec(&nothing)?].concat();
    write("score_json", "tiny-truth-and-nothing", &empty)?;
    Ok(())
}

fn main() -> Result<()> {
    let tiny = tiny()?;
    let default = render(DEFAULT_VIEW, Board::builtin())?;
    let rect_text = fs::read_to_string(fixtures().join("boards/rect-plain.toml"))?;
    let rect = render(RECT_PLAIN_VIEW, Board::parse(&rect_text, Format::Toml)?)?;
    detect_seeds(&tiny, &default, &rect)?;
    board_seeds()?;
    camera_seeds(&tiny)?;
    score_seeds(&tiny)?;
    Ok(())
}
