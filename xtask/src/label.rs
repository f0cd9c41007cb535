//! Labels: named result folders under the perf directory (`target/perf/<label>/`), written so
//! that nothing a user has is lost.
//!
//! A command never writes into a label folder while it works. It fills a staging folder
//! (`target/perf/.staging-<label>-<pid>/`) and, only when everything is written, moves each
//! staged entry into the label folder, moving any entry it replaces aside first and deleting it
//! last. Killing a command before that point leaves the label exactly as it was (a stale
//! staging folder is removed by the next run for the same label). Entries a command owns are
//! replaced only with `--force`; entries of other commands in the same label (say, the
//! benchmarks beside the accuracy results) are never touched.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

/// Names a label may not take: they are folders of the perf directory itself.
const RESERVED: [&str; 2] = ["cache", "peer"];

/// Checks that `label` is a plain folder name: ASCII letters, digits, `.`, `_`, `-`, not
/// starting with `.`, and not reserved.
pub fn check_name(label: &str) -> Result<()> {
    let plain = !label.is_empty()
        && !label.starts_with('.')
        && label.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !plain {
        bail!(
            "invalid label {label:?}: use ASCII letters, digits, `.`, `_` and `-`, not starting with `.`"
        );
    }
    if RESERVED.contains(&label) {
        bail!("`{label}` is reserved for the perf directory's own use; choose another label");
    }
    Ok(())
}

/// Labels under `perf_dir` that hold `marker` (a file a command writes last), sorted.
pub fn with_file(perf_dir: &Path, marker: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(perf_dir) else { return Vec::new() };
    let mut labels: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join(marker).is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|name| !name.starts_with('.'))
        .collect();
    labels.sort();
    labels
}

/// A staging folder for one label's new entries.
pub struct Staging {
    dir: PathBuf,
    label_dir: PathBuf,
    committed: bool,
}

impl Staging {
    /// A fresh staging folder for `label` under `perf_dir`; stale ones of earlier, interrupted
    /// runs for the same label are removed.
    pub fn new(perf_dir: &Path, label: &str) -> Result<Self> {
        std::fs::create_dir_all(perf_dir)
            .with_context(|| format!("cannot create {}", perf_dir.display()))?;
        let prefix = format!(".staging-{label}-");
        for entry in std::fs::read_dir(perf_dir)?.flatten() {
            if entry.file_name().to_str().is_some_and(|n| n.starts_with(&prefix)) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
        let dir = perf_dir.join(format!("{prefix}{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Self { dir, label_dir: perf_dir.join(label), committed: false })
    }

    /// The staging folder, to write new entries into.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Moves every staged entry into the label folder. Entries it replaces, and the entries
    /// named in `also_remove` (owned entries of the previous run that this run did not write),
    /// are moved aside first and deleted once all new entries are in place.
    pub fn commit(mut self, also_remove: &[String]) -> Result<()> {
        let label_dir = &self.label_dir;
        std::fs::create_dir_all(label_dir)
            .with_context(|| format!("cannot create {}", label_dir.display()))?;
        let mut aside_name = self.dir.file_name().unwrap_or_default().to_os_string();
        aside_name.push(".old");
        let aside = self.dir.with_file_name(aside_name);
        let _ = std::fs::remove_dir_all(&aside);
        std::fs::create_dir_all(&aside)?;

        let mut staged: Vec<PathBuf> =
            std::fs::read_dir(&self.dir)?.flatten().map(|e| e.path()).collect();
        staged.sort();
        let names = staged.iter().filter_map(|p| p.file_name().map(PathBuf::from));
        for name in names.chain(also_remove.iter().map(PathBuf::from)) {
            let existing = label_dir.join(&name);
            if existing.exists() {
                std::fs::rename(&existing, aside.join(&name))
                    .with_context(|| format!("cannot move {} aside", existing.display()))?;
            }
        }
        for path in &staged {
            let Some(name) = path.file_name() else { continue };
            std::fs::rename(path, label_dir.join(name)).with_context(|| {
                format!("cannot move {} into {}", path.display(), label_dir.display())
            })?;
        }
        self.committed = true;
        let _ = std::fs::remove_dir_all(&aside);
        let _ = std::fs::remove_dir_all(&self.dir);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
