//! `cargo xtask`: the project's only automation.
//!
//! Each command lives in its own module; `main` parses the command line by hand because the
//! surface is small and a bare `cargo xtask` must print help rather than fail. Commands run
//! other cargo invocations through `xshell`, from the workspace root.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod codegen;
mod demo;

use std::path::PathBuf;

use anyhow::{Result, bail};

const HELP: &str = "\
cargo xtask <command> [options]

Commands:
  demo [--out DIR]     Write the default board (SVG, PNG, JSON) and render every scenario in
                       fixtures/scenarios/ with the release CLI (default DIR: target/demo)
  codegen [--check]    Regenerate the built-in codebook table (crates/annulus/src/codebook/words.rs);
                       with --check, only report whether it is up to date
  help                 Print this help
";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = args.split_first() else {
        print!("{HELP}");
        return Ok(());
    };
    match command.as_str() {
        "codegen" => codegen::run(rest),
        "demo" => demo::run(rest),
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{HELP}"),
    }
}

/// The workspace root: xtask's manifest lives one level below it.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().map(PathBuf::from).unwrap_or(manifest_dir)
}
