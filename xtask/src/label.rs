//! Labels: named result folders under the perf directory (`target/perf/<label>/`), written so
//! that nothing a user has is lost.
//!
//! A command never writes into a label folder while it works. It holds the label's lock file
//! (`target/perf/.<label>.lock`, an OS file lock released when the process ends, however it
//! ends), so two runs cannot write one label at once. It fills a staging folder
//! (`target/perf/.staging-<label>-<pid>/`) and, only when everything is written, moves each
//! staged entry into the label folder, moving any entry it replaces aside first and deleting it
//! last. Killing a command before that point leaves the label exactly as it was; the next run
//! for the label removes the stale staging folder, and should a run have died in the middle of
//! the final moves, puts the previous entries it had moved aside back first. Entries a command
//! owns are replaced only with `--force` (derived files, [`Staging::commit_files`]: only when
//! their bytes would change); entries of other commands in the same label (say, the benchmarks
//! beside the accuracy results) are never touched.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

#[cfg(test)]
mod tests;

/// Names a label may not take: they are folders of the perf directory itself, or of commands
/// with a fixed folder (`peer`, `soak`).
const RESERVED: [&str; 3] = ["cache", "peer", "soak"];

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

/// A staging folder for one label's new entries, and the label's lock.
pub struct Staging {
    dir: PathBuf,
    label_dir: PathBuf,
    committed: bool,
    /// Held (locked) for the life of the staging folder; the OS releases it when the process
    /// ends, so a killed run never leaves the label locked.
    _lock: std::fs::File,
}

/// How long a locked label is waited for before it counts as held by another command: far
/// longer than a fork takes to reach its exec, far shorter than any command holds a label.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_millis(500);

/// Interval between attempts to take a locked label.
const LOCK_POLL: std::time::Duration = std::time::Duration::from_millis(10);

impl Staging {
    /// Locks `label` under `perf_dir` and makes a fresh staging folder for it. What earlier,
    /// interrupted runs for the label left is cleaned up first: entries moved aside by a run
    /// that died during [`Staging::commit`] go back where they were, stale folders are removed.
    /// Fails when another command holds the label.
    pub fn new(perf_dir: &Path, label: &str) -> Result<Self> {
        std::fs::create_dir_all(perf_dir)
            .with_context(|| format!("cannot create {}", perf_dir.display()))?;
        let lock_path = perf_dir.join(format!(".{label}.lock"));
        let lock = std::fs::File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot open the lock file {}", lock_path.display()))?;
        // A lock just released can still be held for a moment by a child process this one
        // forked (to run git or cargo) before the child's exec closes its copy of the file, so
        // the label counts as busy only when it stays locked for a while.
        let mut waited = std::time::Duration::ZERO;
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if waited < LOCK_PATIENCE => {
                    std::thread::sleep(LOCK_POLL);
                    waited += LOCK_POLL;
                }
                Err(std::fs::TryLockError::WouldBlock) => bail!(
                    "another command is writing label `{label}` (it holds {}); wait for it to \
                     finish",
                    lock_path.display()
                ),
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(e).with_context(|| format!("cannot lock {}", lock_path.display()));
                }
            }
        }
        let label_dir = perf_dir.join(label);
        let prefix = format!(".staging-{label}-");
        let mut stale: Vec<PathBuf> = std::fs::read_dir(perf_dir)?
            .flatten()
            .filter(|e| e.file_name().to_str().is_some_and(|n| is_staging_of(n, &prefix)))
            .map(|e| e.path())
            .collect();
        stale.sort();
        for path in &stale {
            if path.extension().is_some_and(|e| e == "old") {
                restore_aside(path, &label_dir)?;
            }
            let _ = std::fs::remove_dir_all(path);
        }
        let dir = perf_dir.join(format!("{prefix}{}", std::process::id()));
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        Ok(Self { dir, label_dir, committed: false, _lock: lock })
    }

    /// The staging folder, to write new entries into.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Writes `files` (name and bytes) into the staging folder and commits them, unless the
    /// label already holds one of them with other bytes and `force` is off: that is refused,
    /// naming `what` they hold and the files. Files the label holds with the same bytes are no
    /// loss to replace, so a run that repeats the previous one needs no `--force`.
    pub fn commit_files(self, files: &[(&str, Vec<u8>)], force: bool, what: &str) -> Result<()> {
        let differing = differing(&self.label_dir, files);
        if !differing.is_empty() && !force {
            bail!(
                "label folder {} already holds {what} that this run would change ({}); pass \
                 --force to replace them",
                self.label_dir.display(),
                differing.join(", ")
            );
        }
        for (name, bytes) in files {
            crate::files::write_atomic(&self.dir.join(name), bytes)?;
        }
        self.commit(&[])
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

/// The names among `files` that `label_dir` holds with other bytes than the new ones: what
/// writing them would lose. A file that cannot be read counts as different.
pub fn differing(label_dir: &Path, files: &[(&str, Vec<u8>)]) -> Vec<String> {
    files
        .iter()
        .filter(|(name, bytes)| {
            let path = label_dir.join(name);
            path.exists() && std::fs::read(&path).ok().as_ref() != Some(bytes)
        })
        .map(|(name, _)| (*name).to_owned())
        .collect()
}

/// Whether `name` is `<prefix><pid>` or `<prefix><pid>.old`: a staging or aside folder of this
/// label, and not of a longer label that merely starts the same (`base` and `base-line`).
fn is_staging_of(name: &str, prefix: &str) -> bool {
    name.strip_prefix(prefix).is_some_and(|rest| {
        let pid = rest.strip_suffix(".old").unwrap_or(rest);
        !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Moves back into `label_dir` every entry of an interrupted commit's aside folder that the
/// label no longer has: the commit had moved the previous entry aside but not yet put the new
/// one in its place.
fn restore_aside(aside: &Path, label_dir: &Path) -> Result<()> {
    for entry in std::fs::read_dir(aside)?.flatten() {
        let target = label_dir.join(entry.file_name());
        if !target.exists() {
            std::fs::create_dir_all(label_dir)?;
            std::fs::rename(entry.path(), &target)
                .with_context(|| format!("cannot restore {}", target.display()))?;
        }
    }
    Ok(())
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
