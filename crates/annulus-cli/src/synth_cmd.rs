//! `annulus synth`: render a scenario's images and ground truth.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use annulus::Board;
use annulus_synth::{Scenario, Synthesizer};

use crate::files::{OutputSet, read_board, read_scenario};

/// Arguments of `annulus synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Scenario file (TOML or JSON), e.g. fixtures/scenarios/blur3.toml.
    #[arg(long)]
    scenario: PathBuf,
    /// Output directory (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Number of images, instead of the scenario's `count`.
    #[arg(long)]
    n: Option<u32>,
    /// Base seed, instead of the scenario's `seed`.
    #[arg(long)]
    seed: Option<u64>,
    /// Board spec to render, instead of the scenario's `board`.
    #[arg(long)]
    board: Option<PathBuf>,
    /// Overwrite existing output files.
    #[arg(long)]
    force: bool,
}

/// Runs `annulus synth`.
pub fn run(args: &SynthArgs) -> Result<()> {
    let mut scenario = read_scenario(&args.scenario)?;
    if let Some(n) = args.n {
        scenario.count = n;
    }
    if let Some(seed) = args.seed {
        scenario.seed = seed;
    }
    let board = match &args.board {
        Some(path) => read_board(path)?,
        None => scenario_board(&scenario, &args.scenario)?,
    };
    let synth = Synthesizer::new(scenario, board).with_context(|| {
        format!("scenario {} with the overrides given", args.scenario.display())
    })?;
    let s = synth.scenario();

    let mut names = vec!["scenario.json".to_owned(), "board.json".to_owned()];
    for i in 0..s.count {
        names.push(image_name(i));
        names.push(truth_name(i));
    }
    let out = OutputSet::prepare(&args.out, &names, args.force)?;
    out.write("scenario.json", (serde_json::to_string_pretty(s)? + "\n").as_bytes())?;
    out.write("board.json", synth.board().to_json().as_bytes())?;

    let progress = ProgressBar::new(u64::from(s.count)).with_style(
        ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.set_prefix(format!("rendering {}", s.name));
    let started = Instant::now();
    let mut n_visible = 0usize;
    for i in 0..s.count {
        let rendered =
            synth.render(i).with_context(|| format!("rendering image {i} of {}", s.name))?;
        n_visible += rendered.truth.markers.iter().filter(|m| m.visible).count();
        out.write(&image_name(i), &rendered.image.to_png(None)?)?;
        let truth = serde_json::to_string_pretty(&rendered.truth)? + "\n";
        out.write(&truth_name(i), truth.as_bytes())?;
        progress.inc(1);
    }
    progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}: {} images of {} x {} px (board {}, seed {}, {:.1} visible markers per image) in {:.2} s \
         ({:.3} s per image)\n  {}",
        s.name,
        s.count,
        s.image.width,
        s.image.height,
        synth.board().name(),
        s.seed,
        n_visible as f64 / f64::from(s.count),
        seconds,
        seconds / f64::from(s.count),
        args.out.display(),
    );
    Ok(())
}

/// The board a scenario names: the built-in one, or a spec file relative to the scenario.
fn scenario_board(scenario: &Scenario, scenario_path: &Path) -> Result<Board> {
    if scenario.uses_builtin_board() {
        return Ok(Board::builtin());
    }
    let base = scenario_path.parent().unwrap_or(Path::new("."));
    read_board(&base.join(&scenario.board))
        .with_context(|| format!("the board named by scenario {}", scenario_path.display()))
}

fn image_name(i: u32) -> String {
    format!("img_{i:04}.png")
}

fn truth_name(i: u32) -> String {
    format!("gt_{i:04}.json")
}
