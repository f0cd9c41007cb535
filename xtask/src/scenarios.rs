//! The shipped scenarios, loaded with their boards, and their content hash.
//!
//! A scenario is named by its file in `fixtures/scenarios/` (`blur3` is
//! `fixtures/scenarios/blur3.toml`). Its hash identifies everything that decides its pixels: the
//! scenario file, the board it names (the file's bytes, or the built-in board's canonical JSON),
//! and the sources of the generator and of the target model it draws with. The detector's
//! sources (`crates/annulus/src/detect`, `crates/annulus/src/fit`) are left out on purpose:
//! nothing in the generator calls them, and an engineer optimising the detector should not pay
//! for re-rendering on every change.

use std::path::{Path, PathBuf};

use annulus::{Board, Format};
use annulus_synth::{Scenario, Synthesizer};
use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

/// Sub-directories of `crates/annulus/src` that do not influence rendering.
const DETECTOR_ONLY_DIRS: [&str; 2] = ["detect", "fit"];

/// Bumped when the cache layout changes, so that old entries are not read.
const CACHE_FORMAT: &str = "annulus scenario cache v1";

/// A scenario ready to render.
pub struct LoadedScenario {
    /// The scenario's name (its file stem).
    pub name: String,
    /// The scenario file.
    pub path: PathBuf,
    /// The generator, with the scenario's board.
    pub synth: Synthesizer,
    /// Hex SHA-256 of the scenario, its board and the generator's sources.
    pub hash: String,
}

/// Names of the scenarios in `fixtures/scenarios/`, sorted.
pub fn known(root: &Path) -> Result<Vec<String>> {
    let dir = root.join("fixtures/scenarios");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .flatten()
        .filter_map(|e| Some(e.file_name().to_str()?.strip_suffix(".toml")?.to_owned()))
        .collect();
    names.sort();
    Ok(names)
}

/// Loads scenario `name` from `fixtures/scenarios/`, with its board and hash.
pub fn load(root: &Path, name: &str) -> Result<LoadedScenario> {
    let path = root.join("fixtures/scenarios").join(format!("{name}.toml"));
    if !path.is_file() {
        bail!(
            "no scenario `{name}` ({} does not exist); known: {}",
            path.display(),
            known(root)?.join(", ")
        );
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read scenario {}", path.display()))?;
    let scenario = Scenario::parse(&text, Format::Toml)
        .with_context(|| format!("invalid scenario {}", path.display()))?;
    let (board, board_bytes) = if scenario.uses_builtin_board() {
        let board = Board::builtin();
        let json = board.to_json().into_bytes();
        (board, json)
    } else {
        let board_path = path.parent().unwrap_or(Path::new(".")).join(&scenario.board);
        let bytes = std::fs::read(&board_path).with_context(|| {
            format!("cannot read board {} (named by {})", board_path.display(), path.display())
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let format = Format::guess(board_path.extension().and_then(|e| e.to_str()), &text);
        let board = Board::parse(&text, format)
            .with_context(|| format!("invalid board {}", board_path.display()))?;
        (board, bytes)
    };

    let mut hasher = Sha256::new();
    hasher.update(CACHE_FORMAT.as_bytes());
    hash_chunk(&mut hasher, "scenario", text.as_bytes());
    hash_chunk(&mut hasher, "board", &board_bytes);
    hash_sources(&mut hasher, root, &root.join("crates/annulus-synth/src"))?;
    hash_sources(&mut hasher, root, &root.join("crates/annulus/src"))?;
    let hash = hex(&hasher.finalize());

    let synth = Synthesizer::new(scenario, board)
        .with_context(|| format!("scenario {} cannot be rendered", path.display()))?;
    Ok(LoadedScenario { name: name.to_owned(), path, synth, hash })
}

pub use annulus_benches::truth_markers;

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Adds a labelled, length-prefixed chunk, so that no two inputs hash alike by concatenation.
fn hash_chunk(hasher: &mut Sha256, label: &str, bytes: &[u8]) {
    hasher.update(label.as_bytes());
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// Adds every `.rs` file under `dir` (sorted by path, detector-only folders skipped), each with
/// its path relative to `root`.
fn hash_sources(hasher: &mut Sha256, root: &Path, dir: &Path) -> Result<()> {
    let mut files = Vec::new();
    collect_sources(dir, &mut files)?;
    files.sort();
    for file in files {
        let bytes =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        let relative =
            file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        hash_chunk(hasher, &relative, &bytes);
    }
    Ok(())
}

fn collect_sources(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            let detector_only =
                dir.ends_with("crates/annulus/src") && DETECTOR_ONLY_DIRS.contains(&name);
            if !detector_only {
                collect_sources(&path, out)?;
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}
