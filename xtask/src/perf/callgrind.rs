//! Instruction counts of one warm `detect` call under valgrind's callgrind.
//!
//! The probe, run with `--callgrind`, makes exactly one warm call inside
//! `probe_measured_detect` (never inlined); callgrind collects only inside that function
//! (`--toggle-collect`), so the count excludes rendering the image, the cold and warm-up calls,
//! and process start-up. Instructions are deterministic for one binary on one machine, which is
//! what makes them usable as a regression gate on a noisy machine; across machines glibc may
//! pick different implementations of `memcpy` or `libm` functions for the CPU, so counts can
//! differ slightly there.

use std::path::Path;

use anyhow::{Context, Result, bail};
use xshell::{Shell, cmd};

use super::probe::{Probe, ProbeArgs};

/// The function the probe measures in; callgrind collects inside it only.
pub const MEASURED_FUNCTION: &str = "probe_measured_detect";

/// Warm-up calls before the counted one: one call grows every workspace buffer to its size, so
/// the counted call is warm. The probe's timed repeats are turned off under callgrind, where
/// each would take seconds and none is counted.
const WARMUP: u32 = 1;

/// Whether valgrind can run here; the reason when it cannot.
pub fn available() -> Result<(), String> {
    let sh = Shell::new().map_err(|e| e.to_string())?;
    match cmd!(sh, "valgrind --version").quiet().ignore_stderr().read() {
        Ok(_) => Ok(()),
        Err(_) => Err("valgrind is not installed (on Debian: apt-get install valgrind)".to_owned()),
    }
}

/// The valgrind command line that counts `args`' measured call, writing to `out_file`; the
/// probe's repeats and warm-up are set for callgrind ([`WARMUP`]).
pub fn command_line(probe: &Probe, args: &ProbeArgs, out_file: &Path) -> Vec<String> {
    let args = ProbeArgs { repeats: 0, warmup: WARMUP, ..args.clone() };
    let mut program = vec![probe.exe.display().to_string()];
    program.extend(args.to_args());
    program.push("--callgrind".to_owned());
    wrap(&program, MEASURED_FUNCTION, out_file)
}

/// `program` (executable first) run under callgrind, collecting only inside functions whose
/// name contains `measured_function`, writing to `out_file`.
pub fn wrap(program: &[String], measured_function: &str, out_file: &Path) -> Vec<String> {
    let mut line = vec![
        "valgrind".to_owned(),
        "--tool=callgrind".to_owned(),
        format!("--toggle-collect=*{measured_function}*"),
        format!("--callgrind-out-file={}", out_file.display()),
    ];
    line.extend(program.iter().cloned());
    line
}

/// Instructions of one warm call on `args`' scenario; callgrind's output goes to `work_dir`.
pub fn count(probe: &Probe, args: &ProbeArgs, work_dir: &Path) -> Result<u64> {
    std::fs::create_dir_all(work_dir)
        .with_context(|| format!("cannot create {}", work_dir.display()))?;
    let out_file = work_dir.join(format!("callgrind.{}.out", args.scenario_stem()));
    count_line(&command_line(probe, args, &out_file), &out_file, MEASURED_FUNCTION)
}

/// Runs a command line made by [`wrap`] and reads the instructions callgrind counted inside
/// `measured_function` from `out_file`; a count of zero is an error (nothing was measured).
pub fn count_line(line: &[String], out_file: &Path, measured_function: &str) -> Result<u64> {
    let sh = Shell::new()?;
    crate::process::run_checked(&sh, line)?;
    let text = std::fs::read_to_string(out_file)
        .with_context(|| format!("cannot read callgrind's output {}", out_file.display()))?;
    let total = parse_total_ir(&text)
        .with_context(|| format!("in callgrind's output {}", out_file.display()))?;
    if total == 0 {
        bail!(
            "callgrind counted no instruction in `{measured_function}`: was the program built \
             without it, or run in a mode that does not call it? (`{}`)",
            line.join(" ")
        );
    }
    Ok(total)
}

/// The total `Ir` (instructions executed) of a callgrind output file: its `totals:` line, or
/// its `summary:` line when there is none, at the position of `Ir` in the `events:` line.
pub fn parse_total_ir(text: &str) -> Result<u64> {
    let events = text
        .lines()
        .find_map(|l| l.strip_prefix("events:"))
        .context("no `events:` line: not a callgrind output file")?;
    let column = events
        .split_whitespace()
        .position(|e| e == "Ir")
        .context("the `events:` line has no `Ir`: callgrind was not counting instructions")?;
    let line = ["totals:", "summary:"]
        .iter()
        .find_map(|key| text.lines().find_map(|l| l.strip_prefix(key)))
        .context("no `totals:` or `summary:` line: callgrind did not finish")?;
    let value = line
        .split_whitespace()
        .nth(column)
        .with_context(|| format!("the totals line `{}` has no Ir column", line.trim()))?;
    value.parse().with_context(|| format!("the instruction count `{value}` is not a number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\n\
        cmd: annulus-probe --scenario ci --callgrind\npart: 1\n\nevents: Ir\n\n\
        fl=(1) detect.rs\nfn=(1) probe_measured_detect\n5 12\n\ntotals: 48123456\n";

    #[test]
    fn reads_the_totals_line() {
        assert_eq!(parse_total_ir(OUT).unwrap(), 48_123_456);
    }

    #[test]
    fn falls_back_to_summary_and_finds_the_ir_column() {
        let text = "events: Dr Ir Dw\nsummary: 5 777 9\n";
        assert_eq!(parse_total_ir(text).unwrap(), 777);
        let both = "events: Ir\nsummary: 10\ntotals: 7\n";
        assert_eq!(parse_total_ir(both).unwrap(), 7, "totals wins");
    }

    #[test]
    fn refuses_what_is_not_a_complete_count() {
        assert!(parse_total_ir("totals: 5\n").is_err(), "no events line");
        assert!(parse_total_ir("events: Dr\ntotals: 5\n").is_err(), "no Ir");
        assert!(parse_total_ir("events: Ir\n").is_err(), "unfinished");
        assert!(parse_total_ir("events: Ir\ntotals: x\n").is_err());
    }
}
