//! Invariants of the repository itself, checked like any other behaviour.

#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

/// The longest a source file may be: a file should be readable in one sitting.
const MAX_LINES: usize = 600;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under the root, skipping build output and version control.
fn files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable").flatten() {
            let path = entry.path();
            let name = entry.file_name();
            if name == "target" || name == ".git" {
                continue;
            }
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root(), &mut out);
    out
}

fn rust_files() -> Vec<PathBuf> {
    files().into_iter().filter(|p| p.extension().is_some_and(|e| e == "rs")).collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_rust_file_opens_with_a_module_doc() {
    let missing: Vec<_> =
        rust_files().into_iter().filter(|p| !read(p).starts_with("//!")).collect();
    assert!(missing.is_empty(), "files without a leading //! comment: {missing:?}");
}

#[test]
fn no_rust_file_is_too_long() {
    let long: Vec<_> = rust_files()
        .into_iter()
        .map(|p| {
            let n = read(&p).lines().count();
            (p, n)
        })
        .filter(|(_, n)| *n > MAX_LINES)
        .collect();
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

#[test]
fn automation_is_cargo_only() {
    let scripts: Vec<_> = files()
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "sh" || e == "py" || e == "bash"))
        .collect();
    assert!(scripts.is_empty(), "scripts belong in xtask: {scripts:?}");
}

#[test]
fn every_crate_uses_the_workspace_lints() {
    let manifests: Vec<PathBuf> = files()
        .into_iter()
        .filter(|p| {
            p.file_name().is_some_and(|n| n == "Cargo.toml") && *p != root().join("Cargo.toml")
        })
        .collect();
    assert!(manifests.len() >= 4, "{manifests:?}");
    for manifest in manifests {
        assert!(
            read(&manifest).contains("[lints]\nworkspace = true"),
            "{} opts out of the workspace lints",
            manifest.display()
        );
    }
}

/// The first `cargo` command after `marker` in the README.
fn readme_command(marker: &str) -> String {
    let readme = read(&root().join("README.md"));
    readme
        .lines()
        .skip_while(|l| !l.contains(marker))
        .find(|l| l.trim_start().starts_with("cargo "))
        .unwrap_or_else(|| panic!("README marks a command with {marker}"))
        .trim()
        .to_owned()
}

#[test]
fn ci_runs_the_readme_test_command_and_main_job() {
    let ci = read(&root().join(".ci/run"));
    for marker in ["<!-- test-command -->", "<!-- main-job -->"] {
        let command = readme_command(marker);
        assert!(ci.contains(&command), ".ci/run does not run the README's `{command}` ({marker})");
    }
}

#[test]
fn architecture_doc_maps_every_crate() {
    let doc = read(&root().join("docs/ARCHITECTURE.md"));
    for entry in std::fs::read_dir(root().join("crates")).expect("crates/").flatten() {
        let name = entry.file_name().into_string().expect("UTF-8 crate names");
        assert!(
            doc.contains(&format!("### `{name}`")),
            "docs/ARCHITECTURE.md has no section for {name}"
        );
    }
    for other in ["xtask", "benches"] {
        assert!(
            doc.contains(&format!("### `{other}`")),
            "docs/ARCHITECTURE.md has no section for {other}"
        );
    }
}
