//! Helpers shared by the CLI integration tests: run the built binary from the workspace root,
//! and check that bad input is refused in one line.

#![allow(clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root, where fixture paths are relative to.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs `annulus` with `args` from the workspace root. `RUST_BACKTRACE=1` is set, so that a
/// panic anywhere would print a backtrace that the tests' "no backtrace" checks then catch.
pub fn annulus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annulus"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .current_dir(workspace())
        .output()
        .expect("the binary runs")
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temp path as `&str` for the command line.
pub fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// One bad input: the command line, and what the one error line must contain.
pub struct Case {
    /// Names the case in failure messages.
    pub name: String,
    /// Arguments after `annulus`.
    pub args: Vec<String>,
    /// Every one of these must appear in the error line (the file name among them).
    pub expect: Vec<String>,
}

impl Case {
    /// A case named `name` running `args` whose error line contains every one of `expect`.
    pub fn new(name: impl Into<String>, args: Vec<String>, expect: &[&str]) -> Self {
        let expect = expect.iter().map(|s| (*s).to_owned()).collect();
        Self { name: name.into(), args, expect }
    }

    /// Runs the case and checks the refusal.
    pub fn check(&self) {
        let args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        assert_refused(&self.name, &annulus(&args), &self.expect);
    }
}

/// Asserts that a run failed with status 1, printed nothing on stdout, and printed exactly one
/// `error:` line on stderr (after at most one `note:` line) containing every one of `expect`,
/// with no sign of a panic or a backtrace.
pub fn assert_refused(name: &str, out: &Output, expect: &[String]) {
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: exit status; stderr: {stderr}");
    assert!(out.stdout.is_empty(), "{name}: stdout {:?}", text(&out.stdout));
    let lower = stderr.to_lowercase();
    assert!(!lower.contains("panicked") && !lower.contains("backtrace"), "{name}: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    let error = match lines.as_slice() {
        [error] => error,
        [note, error] if note.starts_with("note: ") => error,
        _ => panic!("{name}: expected one error line (after at most one note), got {stderr:?}"),
    };
    assert!(error.starts_with("error: "), "{name}: {stderr}");
    for part in expect {
        assert!(error.contains(part.as_str()), "{name}: expected {part:?} in {error:?}");
    }
}

/// A temporary directory holding one test's inputs, with a `det.json` output path that no
/// refused run may write.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// A fresh, empty directory.
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("temp dir") }
    }

    /// The path of `name` inside it.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `name` and returns its path for the command line.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.path(name);
        std::fs::write(&path, bytes).expect("writable");
        path_str(&path).to_owned()
    }

    /// `annulus detect --image <image> --out det.json` followed by `extra`.
    pub fn detect(&self, image: &str, extra: &[&str]) -> Vec<String> {
        let out = path_str(&self.path("det.json")).to_owned();
        let head = ["detect", "--image", image, "--out", &out];
        head.iter().chain(extra).map(|s| (*s).to_owned()).collect()
    }

    /// Checks every case, then that none of them left `det.json` behind.
    pub fn check_all(&self, cases: &[Case]) {
        for case in cases {
            case.check();
        }
        assert!(!self.path("det.json").exists(), "no output on failure");
    }
}
