//! Running an external program given as a command line (a program and its arguments), failing
//! with the command and its error output when it does not succeed.

use std::process::Output;

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

/// Runs `line` (program first) in `sh`'s directory, quietly, and returns its output; an exit
/// status other than success is an error that quotes the command and its stderr.
pub fn run_checked(sh: &Shell, line: &[String]) -> Result<Output> {
    let (program, rest) = line.split_first().context("empty command")?;
    let output = cmd!(sh, "{program} {rest...}").quiet().ignore_status().output()?;
    if !output.status.success() {
        bail!(
            "`{}` failed ({}):\n{}",
            line.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output)
}
