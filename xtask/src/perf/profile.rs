//! The CPU profile of `detect`: `perf record` on the probe, folded stacks and a flamegraph
//! (`inferno`), and the top hotspots written to `profile.md`.
//!
//! `perf` samples on the software `cpu-clock` event, which works in containers and VMs where
//! hardware counters do not. Stacks are unwound from DWARF call-frame information (`--call-graph
//! dwarf`): the release profile keeps line tables (`debug = "line-tables-only"`) but the code is
//! built without frame pointers, so frame-pointer unwinding (`-g`) would cut most stacks short,
//! and a second build with `-C force-frame-pointers` would cost a full rebuild into a separate
//! target folder. `perf script --no-inline` keeps symbolisation to seconds: inline expansion
//! through `addr2line` takes minutes on this binary, and the non-inlined functions are what a
//! profile is read for. Its fields leave out the sample period, so that every sample counts
//! once in the folded stacks (`inferno` weights a stack by the period when `perf` prints one,
//! which would count nanoseconds). `perf.data` lives in a temporary folder and is removed: with
//! DWARF stacks it takes about 16 MB per second sampled.

use std::fmt::Write as _;
use std::io::BufReader;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use inferno::collapse::Collapse as _;
use xshell::{Shell, cmd};

use super::hotspots::{Hotspots, hotspots};
use super::probe::{Probe, ProbeArgs};
use super::schema::{Hotspot, ProfileSummary};

/// The function whose samples the hotspots are shares of.
pub const ROOT_FUNCTION: &str = "detect_with";
/// Hotspots listed per table.
pub const TOP: usize = 3;
/// Sampling frequency, Hz: about a thousand samples per second of `detect`, enough for shares
/// to the percent in seconds, while the DWARF stack copies (16 KiB each) stay near 16 MB/s.
const FREQUENCY_HZ: u32 = 997;
/// Bytes of stack copied per sample for DWARF unwinding: the detector's deepest stacks are a
/// dozen frames of modest size, well within 16 KiB.
const STACK_BYTES: u32 = 16_384;

/// The fields `perf script` prints: everything `inferno` reads except the period.
const SCRIPT_FIELDS: &str = "comm,tid,time,event,ip,sym,dso";

/// Files a profile writes into the label folder.
pub const FOLDED_FILE: &str = "profile.folded";
/// The flamegraph, in the label folder.
pub const FLAMEGRAPH_FILE: &str = "flamegraph.svg";
/// The profile's report, in the label folder.
pub const MARKDOWN_FILE: &str = "profile.md";

/// Whether `perf record` works here; the reason when it does not (not installed, or refused by
/// `kernel.perf_event_paranoid`).
pub fn available(work_dir: &Path) -> Result<(), String> {
    let sh = Shell::new().map_err(|e| e.to_string())?;
    if cmd!(sh, "perf --version").quiet().ignore_stderr().read().is_err() {
        return Err("perf is not installed (on Debian: apt-get install linux-perf)".to_owned());
    }
    let data = work_dir.join("perf-check.data");
    let output = cmd!(sh, "perf record -e cpu-clock -o {data} -- true")
        .quiet()
        .ignore_status()
        .output()
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(&data);
    if output.status.success() {
        return Ok(());
    }
    let paranoid = std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
        .map(|v| format!(" (kernel.perf_event_paranoid = {})", v.trim()))
        .unwrap_or_default();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message");
    Err(format!("`perf record -e cpu-clock` is refused here{paranoid}: {}", first.trim()))
}

/// The `perf record` command line for `args`, writing `data`.
pub fn record_command(probe: &Probe, args: &ProbeArgs, data: &Path) -> Vec<String> {
    let mut line: Vec<String> = [
        "perf",
        "record",
        "-e",
        "cpu-clock",
        "-F",
        &FREQUENCY_HZ.to_string(),
        "--call-graph",
        &format!("dwarf,{STACK_BYTES}"),
        "-o",
        &data.display().to_string(),
        "--",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    line.push(probe.exe.display().to_string());
    line.extend(args.to_args());
    line
}

/// What [`record`] made.
pub struct Profile {
    /// The summary for `perf.json`.
    pub summary: ProfileSummary,
    /// The commands run.
    pub commands: Vec<String>,
}

/// Profiles the probe on `args`, writes the folded stacks, the flamegraph and `profile.md` into
/// `out_dir`, and keeps `perf.data` in `work_dir`. `context` is a line about where the profile
/// was taken (commit and machine) for `profile.md`.
pub fn record(
    root: &Path,
    probe: &Probe,
    args: &ProbeArgs,
    out_dir: &Path,
    work_dir: &Path,
    context: &str,
) -> Result<Profile> {
    let data = work_dir.join("perf.data");
    let line = record_command(probe, args, &data);
    let sh = Shell::new()?;
    sh.change_dir(root);
    crate::process::run_checked(&sh, &line)?;

    let script = format!("perf script --no-inline -F {SCRIPT_FIELDS} -i {}", data.display());
    let folded = fold(&sh, &data).with_context(|| format!("folding the stacks of `{script}`"))?;
    std::fs::write(out_dir.join(FOLDED_FILE), &folded)
        .with_context(|| format!("cannot write {}", out_dir.join(FOLDED_FILE).display()))?;
    let n_samples_total: u64 = folded
        .lines()
        .filter_map(|l| l.rsplit_once(' ').and_then(|(_, n)| n.parse::<u64>().ok()))
        .sum();
    let spots = hotspots(&folded, ROOT_FUNCTION, TOP);
    if spots.n_samples == 0 {
        bail!(
            "none of the {n_samples_total} samples of `{}` has `{ROOT_FUNCTION}` on its stack: \
             the stacks could not be unwound (see {})",
            line.join(" "),
            out_dir.join(FOLDED_FILE).display()
        );
    }
    flamegraph(&folded, &args.scenario, &out_dir.join(FLAMEGRAPH_FILE))?;

    let summary = ProfileSummary {
        sampler: format!(
            "perf record -e cpu-clock -F {FREQUENCY_HZ} --call-graph dwarf,{STACK_BYTES}"
        ),
        n_samples: spots.n_samples,
        folded: FOLDED_FILE.to_owned(),
        flamegraph: FLAMEGRAPH_FILE.to_owned(),
        top_inclusive: spots.top_inclusive.clone(),
        top_self: spots.top_self.clone(),
    };
    // The commands as shown name `perf.data` without its temporary folder, which is gone.
    let temp = format!("{}/", work_dir.display());
    let commands = vec![line.join(" ").replace(&temp, ""), script.replace(&temp, "")];
    let text = markdown(args, &commands, n_samples_total, &spots, context);
    std::fs::write(out_dir.join(MARKDOWN_FILE), text)
        .with_context(|| format!("cannot write {}", out_dir.join(MARKDOWN_FILE).display()))?;
    Ok(Profile { summary, commands })
}

/// Runs `perf script` on `data` and folds its output as it streams.
fn fold(sh: &Shell, data: &Path) -> Result<String> {
    let script = cmd!(sh, "perf script --no-inline -F {SCRIPT_FIELDS} -i {data}").quiet();
    let mut command = Command::from(script);
    command.stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = command.spawn().context("starting `perf script`")?;
    let stdout = child.stdout.take().context("no pipe from `perf script`")?;
    let mut options = inferno::collapse::perf::Options::default();
    // One thread: folding is quick next to `perf script` itself, and the machine has two cores.
    options.nthreads = 1;
    let mut folded = Vec::new();
    inferno::collapse::perf::Folder::from(options)
        .collapse(BufReader::new(stdout), &mut folded)
        .context("folding perf script's output")?;
    let status = child.wait()?;
    if !status.success() {
        bail!("`perf script` failed ({status})");
    }
    String::from_utf8(folded).context("folded stacks are not UTF-8")
}

/// Writes the flamegraph SVG of `folded`.
fn flamegraph(folded: &str, scenario: &str, path: &Path) -> Result<()> {
    let mut options = inferno::flamegraph::Options::default();
    options.title = format!("annulus detect: {scenario}");
    options.subtitle = Some(format!("perf record -e cpu-clock; search for {ROOT_FUNCTION}"));
    options.count_name = "samples".to_owned();
    // The same input gives the same colours, so two labels' flamegraphs can be diffed by eye.
    options.deterministic = true;
    let mut svg = Vec::new();
    inferno::flamegraph::from_lines(&mut options, folded.lines(), &mut svg)
        .context("drawing the flamegraph")?;
    std::fs::write(path, svg).with_context(|| format!("cannot write {}", path.display()))
}

/// `profile.md`: what was profiled and how, and the two top tables.
pub fn markdown(
    args: &ProbeArgs,
    commands: &[String],
    n_samples_total: u64,
    spots: &Hotspots,
    context: &str,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# CPU profile of `detect` on `{}`\n", args.scenario);
    let _ = writeln!(
        md,
        "- **What**: `annulus-probe` on image {} of `{}`{}: {} timed warm `detect_with` calls on \
         a reused workspace, after one cold and {} warm-up calls (all of them sampled).",
        args.index,
        args.scenario,
        args.diameter_px.map_or_else(String::new, |d| format!(" with a {d} px diameter prior")),
        args.repeats,
        args.warmup
    );
    let _ = writeln!(
        md,
        "- **Samples**: {} under `{ROOT_FUNCTION}` of {n_samples_total} in the process; the \
         shares below are of the former, so rendering the image and start-up do not count.",
        spots.n_samples
    );
    let _ = writeln!(md, "- **Where**: {context}");
    let _ = writeln!(
        md,
        "- **Flamegraph**: [{FLAMEGRAPH_FILE}]({FLAMEGRAPH_FILE}) (open in a browser; click to \
         zoom, search for `{ROOT_FUNCTION}`); folded stacks: [{FOLDED_FILE}]({FOLDED_FILE})."
    );
    let _ = writeln!(md, "\nCommands:\n\n```text");
    for command in commands {
        let _ = writeln!(md, "{command}");
    }
    let _ = writeln!(md, "```\n");
    table(&mut md, "inclusive", &spots.top_inclusive);
    table(&mut md, "self", &spots.top_self);
    md
}

fn table(md: &mut String, kind: &str, spots: &[Hotspot]) {
    let _ = writeln!(md, "## Top {TOP} by {kind} time\n");
    let _ = writeln!(md, "| # | function | share of `{ROOT_FUNCTION}` |\n|---|---|---|");
    for (i, spot) in spots.iter().enumerate() {
        let _ =
            writeln!(md, "| {} | `{}` | {:.1} % |", i + 1, spot.function, spot.fraction * 100.0);
    }
    let _ = writeln!(md);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_names_the_scenario_the_samples_and_the_tables() {
        let spots =
            hotspots("main;x::detect_with;vote 3\nmain;x::detect_with;fit 1\n", "detect_with", 3);
        let args = ProbeArgs::new("perf_1280x1024");
        let md = markdown(&args, &["perf record ...".to_owned()], 10, &spots, "abc on a machine");
        assert!(md.contains("`perf_1280x1024`"), "{md}");
        assert!(md.contains("4 under `detect_with` of 10"), "{md}");
        assert!(md.contains("| 1 | `vote` | 75.0 % |"), "{md}");
        assert!(md.contains("## Top 3 by self time"), "{md}");
        assert!(md.contains("(flamegraph.svg)"), "{md}");
    }

    #[test]
    fn folded_stacks_draw_a_flamegraph() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.svg");
        flamegraph("main;detect_with;vote 3\nmain;detect_with;fit 1\n", "s", &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("vote"), "{}", &svg[..200]);
    }
}
