//! Diagnosis tool: renders a scenario's first images, detects (timing each call), scores each
//! against its ground truth and prints per-image and pooled numbers, optionally the worst
//! centre errors.
//!
//! ```text
//! cargo run --release -p annulus-score --example eval -- reference [--n 3] [--camera]
//!     [--diameter 32] [--worst 10]
//! ```
//!
//! A bare name means `fixtures/scenarios/<name>.toml`; anything else is a path.

#![allow(clippy::print_stdout)]

use std::path::{Path, PathBuf};
use std::time::Instant;

use annulus::detect::DiameterPrior;
use annulus::{Board, DetectConfig, Detector, Format, ImageView};
use annulus_score::{
    Aggregate, ErrorStats, MarkerMatch, MatchParams, TruthMarker, match_detections,
};
use annulus_synth::{GroundTruth, Scenario, Synthesizer};
use anyhow::{Context, Result, bail};
use clap::Parser;

/// Renders, detects and scores a synthetic scenario.
#[derive(Debug, Parser)]
struct Args {
    /// Scenario name (from fixtures/scenarios/) or path to a scenario TOML.
    scenario: String,
    /// Number of images, from the first.
    #[arg(long, default_value_t = 3)]
    n: u32,
    /// Give the detector the scenario's camera (lens distortion included).
    #[arg(long)]
    camera: bool,
    /// Nominal outer marker diameter in pixels, as a prior for the detector.
    #[arg(long)]
    diameter: Option<f64>,
    /// Also list this many worst centre errors over all images.
    #[arg(long, default_value_t = 0)]
    worst: usize,
}

fn main() -> Result<()> {
    let args = Args::parse();
    let path = scenario_path(&args.scenario)?;
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading scenario {}", path.display()))?;
    let scenario = Scenario::parse(&text, Format::Toml)
        .with_context(|| format!("scenario {}", path.display()))?;
    let board = scenario_board(&scenario, &path)?;
    let camera = scenario.camera;
    let n = args.n.min(scenario.count);
    let synth = Synthesizer::new(scenario, board)?;
    let config = DetectConfig {
        camera: args.camera.then_some(camera),
        marker_diameter_px: args.diameter.map(DiameterPrior::Nominal),
        ..DetectConfig::default()
    };
    let detector = Detector::new(synth.board().clone(), config)?;
    // The scorer knows the true camera whatever the detector is told, so that a homography in
    // the undistorted frame is compared in the image frame.
    let params = MatchParams { camera: Some(camera), ..MatchParams::default() };

    println!(
        "{}: {} of {} images, detector camera {}, diameter prior {:?}",
        synth.scenario().name,
        n,
        synth.scenario().count,
        if args.camera { "given" } else { "none" },
        args.diameter
    );
    println!(
        "image visible detected  recall wrong   centre mean/p95/max px      \
         H self mean/p95/max     H truth mean/p95/max detect ms"
    );
    let mut scores = Vec::new();
    for i in 0..n {
        let rendered = synth.render(i)?;
        let img = &rendered.image;
        let view = ImageView::packed(img.width, img.height, &img.pixels)?;
        let start = Instant::now();
        let detection = detector.detect(&view)?;
        let detect_ms = start.elapsed().as_secs_f64() * 1e3;
        let score = match_detections(&detection, &truth_markers(&rendered.truth)?, &params)?;
        let c = &score.counts;
        let h = score.homography.as_ref();
        println!(
            "{:>5} {:>7} {:>8} {:>7} {:>5} {:>24} {:>24} {:>24} {:>9.1}",
            i,
            c.n_visible,
            c.n_detected,
            rate(c.recall()),
            c.n_wrong_id,
            full(score.center_error_px()),
            full(h.and_then(|h| h.self_px())),
            full(h.and_then(|h| h.truth_px())),
            detect_ms
        );
        scores.push((i, score));
    }

    let agg = Aggregate::new(&scores.iter().map(|(_, s)| s.clone()).collect::<Vec<_>>())?;
    let c = &agg.counts;
    println!(
        "all: visible {}, detected {}, correct {}, precision {}, recall {}, decode rate {}, \
         wrong IDs {}, duplicates {}, unidentified {}, without homography {}",
        c.n_visible,
        c.n_detected,
        c.n_correct,
        rate(c.precision()),
        rate(c.recall()),
        rate(c.decode_rate()),
        c.n_wrong_id,
        c.n_duplicate,
        c.n_unidentified,
        agg.n_without_homography
    );
    println!("     centre error px mean/p50/p95/max: {}", stats(agg.center_error_px));
    println!("     homography self px:               {}", stats(agg.homography_self_px));
    println!("     homography truth px:              {}", stats(agg.homography_truth_px));

    if args.worst > 0 {
        let mut worst: Vec<(u32, &MarkerMatch)> = scores
            .iter()
            .flat_map(|(i, s)| s.matches.iter().filter(|m| m.visible).map(move |m| (*i, m)))
            .collect();
        worst.sort_by(|a, b| b.1.distance_px().total_cmp(&a.1.distance_px()));
        println!("worst {} centre errors:", args.worst.min(worst.len()));
        println!("image    id        dx        dy      |e|  truth centre px");
        for (i, m) in worst.into_iter().take(args.worst) {
            let [dx, dy] = m.error_px();
            let [tx, ty] = m.truth_img_px;
            let (id, e) = (m.id, m.distance_px());
            println!("{i:>5} {id:>5} {dx:>9.4} {dy:>9.4} {e:>8.4}  ({tx:.2}, {ty:.2})");
        }
    }
    Ok(())
}

/// A bare name is a shipped scenario; anything with a separator or extension is a path.
fn scenario_path(arg: &str) -> Result<PathBuf> {
    if arg.contains(['/', '\\']) || arg.ends_with(".toml") {
        return Ok(PathBuf::from(arg));
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/scenarios");
    let path = dir.join(format!("{arg}.toml"));
    if !path.is_file() {
        let mut known: Vec<String> = (std::fs::read_dir(&dir)?.flatten())
            .filter_map(|e| Some(e.file_name().to_str()?.strip_suffix(".toml")?.to_owned()))
            .collect();
        known.sort();
        bail!("no scenario {arg:?} in {}; known: {}", dir.display(), known.join(", "));
    }
    Ok(path)
}

/// The board a scenario names: the built-in one, or a spec file relative to the scenario.
fn scenario_board(scenario: &Scenario, path: &Path) -> Result<Board> {
    if scenario.uses_builtin_board() {
        return Ok(Board::builtin());
    }
    let board_path = path.parent().unwrap_or(Path::new(".")).join(&scenario.board);
    let text = std::fs::read_to_string(&board_path)
        .with_context(|| format!("reading board {}", board_path.display()))?;
    let format = Format::guess(board_path.extension().and_then(|e| e.to_str()), &text);
    Board::parse(&text, format).with_context(|| format!("board {}", board_path.display()))
}

/// The scorer's view of the ground truth: every marker in front of the camera.
fn truth_markers(truth: &GroundTruth) -> Result<Vec<TruthMarker>> {
    if truth.frames.center_img_px != annulus::ImageFrame::Image {
        bail!("ground-truth centres are in the {:?} frame", truth.frames.center_img_px);
    }
    Ok(truth
        .markers
        .iter()
        .filter_map(|m| {
            let center_img_px = m.center_img_px?;
            let (id, visible, xy_board_mm) = (m.id, m.visible, m.xy_board_mm);
            Some(TruthMarker { id, visible, center_img_px, xy_board_mm })
        })
        .collect())
}

fn rate(r: Option<f64>) -> String {
    r.map_or("-".into(), |r| format!("{r:.4}"))
}

fn full(e: Option<ErrorStats>) -> String {
    e.map_or("-".into(), |e| format!("{:.4}/{:.4}/{:.4}", e.mean, e.p95, e.max))
}

fn stats(e: Option<ErrorStats>) -> String {
    e.map_or("-".into(), |e| {
        format!("{:.4}/{:.4}/{:.4}/{:.4} (n {})", e.mean, e.p50, e.p95, e.max, e.n)
    })
}
