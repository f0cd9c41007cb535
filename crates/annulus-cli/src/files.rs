//! Reading specs with their path in every error, and writing outputs safely.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use annulus::{Board, Camera, DetectConfig, Format};
use annulus_synth::Scenario;

/// The format of a spec file, from its extension or content.
fn format_of(path: &Path, text: &str) -> Format {
    Format::guess(path.extension().and_then(|e| e.to_str()), text)
}

/// Reads a whole text file, naming it in the error.
pub fn read_text(path: &Path, what: &str) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {what} {}", path.display()))
}

/// Reads and validates a board spec file.
pub fn read_board(path: &Path) -> Result<Board> {
    let text = read_text(path, "board spec")?;
    Board::parse(&text, format_of(path, &text))
        .with_context(|| format!("board spec {}", path.display()))
}

/// Reads and validates a camera file.
pub fn read_camera(path: &Path) -> Result<Camera> {
    let text = read_text(path, "camera")?;
    Camera::parse(&text, format_of(path, &text))
        .with_context(|| format!("camera {}", path.display()))
}

/// Reads a detector configuration file; the caller validates it once the flags are applied.
pub fn read_detect_config(path: &Path) -> Result<DetectConfig> {
    let text = read_text(path, "detector config")?;
    format_of(path, &text)
        .deserialize(&text)
        .with_context(|| format!("detector config {}", path.display()))
}

/// Reads and validates a scenario file.
pub fn read_scenario(path: &Path) -> Result<Scenario> {
    let text = read_text(path, "scenario")?;
    Scenario::parse(&text, format_of(path, &text))
        .with_context(|| format!("scenario {}", path.display()))
}

/// A set of files about to be written into one directory.
pub struct OutputSet {
    dir: PathBuf,
    force: bool,
}

impl OutputSet {
    /// Prepares `dir` (creating it) for writing files named `names`; fails before anything is
    /// written if any of them exists and `force` is off.
    pub fn prepare(dir: &Path, names: &[String], force: bool) -> Result<Self> {
        if dir.exists() && !dir.is_dir() {
            bail!("output path {} exists and is not a directory", dir.display());
        }
        if !force {
            let existing: Vec<&String> = names.iter().filter(|n| dir.join(n).exists()).collect();
            if let Some(first) = existing.first() {
                let more = match existing.len() {
                    1 => String::new(),
                    n => format!(" and {} more", n - 1),
                };
                bail!(
                    "{} already exists{more}; pass --force to overwrite",
                    dir.join(first).display()
                );
            }
        }
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Self { dir: dir.to_path_buf(), force })
    }

    /// Writes `bytes` to `name` through a temporary file in the same directory, then renames it
    /// into place.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.dir.join(name);
        if !self.force && path.exists() {
            bail!("{} appeared while writing; pass --force to overwrite", path.display());
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".annulus-");
        // Temporary files are private by default; outputs are ordinary files, readable by all
        // as any file the user writes would be.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let mut tmp = builder
            .tempfile_in(&self.dir)
            .with_context(|| format!("cannot create a temporary file in {}", self.dir.display()))?;
        tmp.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
        // The persist error's message repeats its source's; only the source says anything.
        tmp.persist(&path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot move a file into {}", path.display()))?;
        Ok(path)
    }
}
