//! `cargo xtask demo`: the project's main job on built-in data.
//!
//! Builds the release CLI, writes the default board (SVG, PNG, JSON) and renders every scenario
//! in `fixtures/scenarios/` into one directory (default `target/demo`). That directory is this
//! command's own output and is regenerated on every run; nothing outside it is touched.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use xshell::{Shell, cmd};

/// Options of `cargo xtask demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder (default: target/demo); regenerated on every run.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Runs the command.
pub fn run(args: &Args) -> Result<()> {
    let root = crate::workspace_root();
    let out = args.out.clone().unwrap_or_else(|| root.join("target/demo"));
    let sh = Shell::new()?;
    sh.change_dir(&root);
    cmd!(sh, "cargo build --release --quiet -p annulus-cli").run()?;
    let annulus = root.join("target/release/annulus");
    let started = Instant::now();

    let board_dir = out.join("board");
    cmd!(sh, "{annulus} gen --default --out {board_dir} --force").run()?;
    for scenario in scenarios(&root.join("fixtures/scenarios"))? {
        let name = scenario.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
        let dir = out.join(name);
        cmd!(sh, "{annulus} synth --scenario {scenario} --out {dir} --force").run()?;
    }
    println!(
        "\ndemo finished in {:.1} s: board and scenario images under {}",
        started.elapsed().as_secs_f64(),
        out.display()
    );
    Ok(())
}

/// Scenario files in `dir`, sorted by name.
fn scenarios(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    Ok(files)
}
