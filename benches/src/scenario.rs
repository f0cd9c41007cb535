//! Loading a scenario for measurement: by bare name from `fixtures/scenarios/`, or by path, with
//! the board it names; and the marker-diameter prior that matches a rendered image.

use std::path::{Path, PathBuf};

use annulus::{Board, Format};
use annulus_synth::{GroundTruth, Scenario, SynthError, Synthesizer};

/// Why a scenario could not be loaded. The underlying error is the `source`, not part of the
/// message (parser messages span several lines; the probe folds the chain onto one).
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// A bare name that is not a file in `fixtures/scenarios/`.
    #[error("no scenario `{name}` ({path} does not exist); known: {known}")]
    Unknown {
        /// The name given.
        name: String,
        /// Where it was looked for.
        path: PathBuf,
        /// The names that do exist, comma-separated.
        known: String,
    },
    /// A file that could not be read.
    #[error("cannot read {path}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A scenario file that does not parse or validate.
    #[error("invalid scenario {path}")]
    Scenario {
        /// The scenario file.
        path: PathBuf,
        /// The generator's error.
        source: SynthError,
    },
    /// A board spec that does not parse or validate.
    #[error("invalid board {path}")]
    Board {
        /// The board file.
        path: PathBuf,
        /// The model's error.
        source: annulus::Error,
    },
}

/// The workspace root, fixed at compile time (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().unwrap_or(manifest).to_path_buf()
}

/// The file a scenario argument names: a path when it ends in `.toml` or contains a path
/// separator, else `fixtures/scenarios/<name>.toml` under [`workspace_root`].
pub fn scenario_path(arg: &str) -> PathBuf {
    if arg.ends_with(".toml") || arg.contains(['/', '\\']) {
        PathBuf::from(arg)
    } else {
        workspace_root().join("fixtures/scenarios").join(format!("{arg}.toml"))
    }
}

/// Reads a scenario (see [`scenario_path`]) and the board it names (the built-in one, or a spec
/// file relative to the scenario), ready to render.
pub fn load_scenario(arg: &str) -> Result<Synthesizer, ScenarioError> {
    let path = scenario_path(arg);
    if !path.is_file() && !arg.ends_with(".toml") && !arg.contains(['/', '\\']) {
        let known = known_scenarios(path.parent().unwrap_or(Path::new(".")));
        return Err(ScenarioError::Unknown { name: arg.to_owned(), path, known });
    }
    let text = read(&path)?;
    let scenario = Scenario::parse(&text, Format::Toml)
        .map_err(|source| ScenarioError::Scenario { path: path.clone(), source })?;
    let board = if scenario.uses_builtin_board() {
        Board::builtin()
    } else {
        let board_path = path.parent().unwrap_or(Path::new(".")).join(&scenario.board);
        let text = read(&board_path)?;
        let format = Format::guess(board_path.extension().and_then(|e| e.to_str()), &text);
        Board::parse(&text, format)
            .map_err(|source| ScenarioError::Board { path: board_path.clone(), source })?
    };
    Synthesizer::new(scenario, board).map_err(|source| ScenarioError::Scenario { path, source })
}

/// The nominal outer marker diameter of a rendered image, in pixels, for
/// `DiameterPrior::Nominal`: the mean major axis of the true outer-ring ellipses of the visible
/// markers, scaled from the ring's centre line out to its outer edge (the diameter the
/// detector's prior means). `None` when no marker is visible.
pub fn nominal_diameter_px(truth: &GroundTruth, board: &Board) -> Option<f64> {
    let ring = board.marker_spec().outer_ring;
    let edge_from_centre_line = ring.outer_edge_mm() / ring.radius_mm;
    let (sum, n) = truth
        .markers
        .iter()
        .filter(|m| m.visible)
        .filter_map(|m| m.outer_ellipse)
        .fold((0.0, 0usize), |(sum, n), e| (sum + 2.0 * e.semi_major_px, n + 1));
    (n > 0).then(|| edge_from_centre_line * sum / n as f64)
}

fn read(path: &Path) -> Result<String, ScenarioError> {
    std::fs::read_to_string(path)
        .map_err(|source| ScenarioError::Read { path: path.to_path_buf(), source })
}

/// The scenario names in `dir`, sorted and comma-separated.
fn known_scenarios(dir: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let path = entry.path();
            let is_toml = path.extension().is_some_and(|e| e == "toml");
            is_toml.then(|| path.file_stem()?.to_str().map(str::to_owned)).flatten()
        })
        .collect();
    names.sort();
    names.join(", ")
}

/// The scorer's view of the generator's truth: every marker whose centre has an image (a marker
/// behind the camera is left out), as `annulus-score` matches detections against it. The
/// measuring tools share this one conversion; the scorer itself cannot, since it must not depend
/// on the generator.
pub fn truth_markers(truth: &GroundTruth) -> Vec<annulus_score::TruthMarker> {
    truth
        .markers
        .iter()
        .filter_map(|m| {
            Some(annulus_score::TruthMarker {
                id: m.id,
                visible: m.visible,
                center_img_px: m.center_img_px?,
                xy_board_mm: m.xy_board_mm,
            })
        })
        .collect()
}
