//! Killing `cargo xtask validate` in the middle of a `--force` run leaves the label's previous
//! results byte for byte, with no partial file in the label folder; the next run for the label
//! removes the killed run's staging folder.
//!
//! The run is killed with SIGKILL (`Child::kill`), which no code in xtask can intercept, once its
//! staging folder holds the first gate's finished summary: the second gate is then still being
//! detected, well before the final moves into the label folder. Two 1280 × 1024 gates of one
//! image each keep the whole test to a few seconds.

#![allow(clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const LABEL: &str = "killtest";

/// Two gates, so that there is a point (the first one done) to kill the run at.
const ARGS: [&str; 7] = ["validate", "--label", LABEL, "--gates", "reference,blur3", "--n", "1"];

/// The file whose appearance in the staging folder says the run is midway.
const MIDWAY: &str = "reference/summary.json";

/// How long to wait for the run to get midway: the images are cached by the first run, so this
/// is only a bound for a badly loaded machine.
const TIMEOUT: Duration = Duration::from_secs(300);

fn xtask(perf: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.args(ARGS).args(extra).arg("--out").arg(perf);
    command
}

fn run(perf: &Path, extra: &[&str]) -> Output {
    xtask(perf, extra).output().expect("xtask runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, by path relative to it, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("readable").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                out.insert(path.strip_prefix(root).expect("below root").to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The files that differ between two snapshots: missing, changed or new, one line each.
fn differences(
    before: &BTreeMap<PathBuf, Vec<u8>>,
    after: &BTreeMap<PathBuf, Vec<u8>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in before {
        match after.get(path) {
            None => out.push(format!("missing: {}", path.display())),
            Some(now) if now != bytes => out.push(format!("changed: {}", path.display())),
            Some(_) => {}
        }
    }
    out.extend(
        after.keys().filter(|p| !before.contains_key(*p)).map(|p| format!("new: {}", p.display())),
    );
    out
}

/// The staging folders of [`LABEL`] in `perf`.
fn staging_folders(perf: &Path) -> Vec<String> {
    let prefix = format!(".staging-{LABEL}-");
    let mut names: Vec<String> = std::fs::read_dir(perf)
        .expect("perf folder")
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_owned))
        .filter(|n| n.starts_with(&prefix))
        .collect();
    names.sort();
    names
}

#[test]
fn a_killed_validate_leaves_the_previous_results_intact() {
    let temp = tempfile::tempdir().expect("temp dir");
    let perf = temp.path();
    let label = perf.join(LABEL);

    let first = run(perf, &[]);
    assert!(first.status.success(), "first run failed: {}", text(&first.stderr));
    let before = snapshot(&label);
    assert!(before.contains_key(Path::new("accuracy-run.json")), "{:?}", before.keys());
    assert!(before.contains_key(Path::new("blur3/summary.json")), "{:?}", before.keys());

    let mut child = xtask(perf, &["--force"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("xtask starts");
    let staging = perf.join(format!(".staging-{LABEL}-{}", child.id()));
    let started = Instant::now();
    while !staging.join(MIDWAY).is_file() {
        if let Some(status) = child.try_wait().expect("waitable") {
            panic!("the run ended ({status}) before it could be killed midway");
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            panic!("the run did not get midway within {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().expect("killed");
    let status = child.wait().expect("reaped");
    assert!(!status.success(), "killed, not finished: {status}");

    let none = Vec::<String>::new();
    assert_eq!(
        differences(&before, &snapshot(&label)),
        none,
        "the previous results, byte for byte"
    );
    assert!(staging.is_dir(), "the killed run's staging folder is what it leaves");

    // The next run for the label removes it, even one that is refused.
    let refused = run(perf, &[]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("pass --force"), "{}", text(&refused.stderr));
    assert_eq!(staging_folders(perf), none, "the stale staging folder is gone");
    assert_eq!(differences(&before, &snapshot(&label)), none, "a refused run changes nothing");

    // And the label can be replaced as usual afterwards.
    let forced = run(perf, &["--force"]);
    assert!(forced.status.success(), "{}", text(&forced.stderr));
    let replaced = differences(&before, &snapshot(&label));
    assert!(replaced.iter().all(|d| d.starts_with("changed: ")), "the same files: {replaced:?}");
    assert!(replaced.contains(&"changed: accuracy-run.json".to_owned()), "{replaced:?}");
    assert_eq!(staging_folders(perf), none);
}
