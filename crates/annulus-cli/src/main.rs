//! The `annulus` command line: print boards (`gen`), render synthetic scenarios (`synth`) and
//! detect boards in images (`detect`).
//!
//! Errors print as one line, `error: <what> <file>: <why>`, and exit with status 1; usage errors
//! exit with status 2 (clap's convention). Nothing the user already has is overwritten without
//! `--force`, and every file is written to a temporary name first and renamed into place, so an
//! interrupted run never leaves a half-written file behind.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod detect_cmd;
mod files;
mod gen_cmd;
mod image_io;
mod overlay;
mod synth_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Ring-marker calibration targets: print boards, render synthetic test images, detect boards.
#[derive(Debug, Parser)]
#[command(name = "annulus", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write a board as SVG (vector, true size), PNG (raster at --dpi) and canonical JSON.
    Gen(gen_cmd::GenArgs),
    /// Render a scenario's images (`img_NNNN.png`) and ground truth (`gt_NNNN.json`).
    Synth(synth_cmd::SynthArgs),
    /// Detect a board's markers in a PNG image and write them as JSON (`--overlay`: a picture).
    Detect(detect_cmd::DetectArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Gen(args) => gen_cmd::run(&args),
        Command::Synth(args) => synth_cmd::run(&args),
        Command::Detect(args) => detect_cmd::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
