//! The criterion benchmarks of `benches/detect.rs`: running them into a folder of their own and
//! reading back every benchmark's raw samples.
//!
//! Criterion writes each benchmark to `<home>/<benchmark dir>/new/`: `sample.json` (per sample
//! the iteration count and the total time of those iterations, nanoseconds), `estimates.json`
//! and `benchmark.json` (the benchmark's full ID). The run sets `CRITERION_HOME` to a folder
//! inside the label's staging folder, so two labels recorded at the same time, or another
//! worktree sharing the cargo target folder, never overwrite each other's samples, and the
//! label keeps the exact files its numbers came from.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use indicatif::ProgressBar;
use serde::Deserialize;
use xshell::{Shell, cmd};

use super::schema::Benchmark;
use super::stats;

/// The bench target in `benches/` that holds the detector's benchmarks.
pub const BENCH: &str = "detect";

/// Criterion options of a full run: 50 samples per benchmark (the median's 95 % interval is
/// then between the 18th and 33rd of them) over at least 10 s after 2 s of warm-up. An
/// end-to-end `detect` takes about a quarter of a second here, so criterion samples it flat,
/// one call per sample, and stretches its time to fit the 50; the 13 benchmarks take about
/// three minutes.
pub const FULL_ARGS: [&str; 6] =
    ["--warm-up-time", "2", "--measurement-time", "10", "--sample-size", "50"];

/// Criterion options of `--quick`: 20 samples over at least 3 s after 1 s of warm-up (the
/// bench's own defaults, spelled out so that `perf.json` does not depend on them); the median's
/// 95 % interval is between the 6th and 15th sample, and the bench run takes about a minute.
pub const QUICK_ARGS: [&str; 6] =
    ["--warm-up-time", "1", "--measurement-time", "3", "--sample-size", "20"];

/// The log of the bench run, inside the criterion folder.
const LOG_FILE: &str = "bench.log";

/// What `sample.json` holds.
#[derive(Debug, Deserialize)]
struct SavedSample {
    iters: Vec<f64>,
    times: Vec<f64>,
}

/// The part of `benchmark.json` read here.
#[derive(Debug, Deserialize)]
struct BenchmarkFile {
    full_id: String,
}

/// Builds the bench target, in release like `cargo bench` always does.
pub fn build(root: &Path) -> Result<()> {
    let sh = Shell::new()?;
    sh.change_dir(root);
    cmd!(sh, "cargo bench --quiet -p annulus-benches --bench {BENCH} --no-run")
        .run()
        .context("building the benchmarks")
}

/// The IDs of the benchmarks, from criterion's `--list`.
pub fn list(root: &Path) -> Result<Vec<String>> {
    let sh = Shell::new()?;
    sh.change_dir(root);
    let out = cmd!(sh, "cargo bench --quiet -p annulus-benches --bench {BENCH} -- --list")
        .quiet()
        .read()
        .context("listing the benchmarks")?;
    Ok(out.lines().filter_map(|l| l.strip_suffix(": benchmark")).map(str::to_owned).collect())
}

/// Runs every benchmark with `criterion_args`, writing criterion's files under `home` and its
/// output to `home/bench.log`; `progress` advances once per finished benchmark. Returns the
/// command as run.
pub fn run(
    root: &Path,
    home: &Path,
    criterion_args: &[&str],
    progress: &ProgressBar,
) -> Result<String> {
    std::fs::create_dir_all(home).with_context(|| format!("cannot create {}", home.display()))?;
    let sh = Shell::new()?;
    sh.change_dir(root);
    let bench =
        cmd!(sh, "cargo bench --quiet -p annulus-benches --bench {BENCH} -- {criterion_args...}")
            .env("CRITERION_HOME", home);
    let shown = format!("CRITERION_HOME={} {bench}", home.display());
    let mut command = Command::from(bench);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let log_path = home.join(LOG_FILE);
    let mut log = std::fs::File::create(&log_path)
        .with_context(|| format!("cannot create {}", log_path.display()))?;
    let mut child = command.spawn().context("starting `cargo bench`")?;
    // Criterion's progress lines go to stderr; they are kept in the log from a second thread so
    // that neither pipe can fill up and stall the benchmarks.
    let stderr = child.stderr.take();
    let errors = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(mut pipe) = stderr {
            let _ = std::io::Read::read_to_end(&mut pipe, &mut text);
        }
        text
    });
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line.context("reading the benchmarks' output")?;
            writeln!(log, "{line}")?;
            if let Some(id) = finished_benchmark(&line) {
                progress.set_message(format!("bench: {id}"));
                progress.inc(1);
            }
        }
    }
    let status = child.wait().context("waiting for `cargo bench`")?;
    let stderr = errors.join().unwrap_or_default();
    log.write_all(&stderr)?;
    if !status.success() {
        let tail = String::from_utf8_lossy(&stderr);
        let tail: Vec<&str> = tail.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!(
            "`{shown}` failed ({status}); its output is in {}:\n{}",
            log_path.display(),
            tail.join("\n")
        );
    }
    Ok(shown)
}

/// The benchmark ID of a criterion result line (`<id>  time:   [...]`), if it is one.
fn finished_benchmark(line: &str) -> Option<&str> {
    let (id, rest) = line.split_once("time:")?;
    let id = id.trim();
    (!id.is_empty() && rest.trim_start().starts_with('[')).then_some(id)
}

/// Every benchmark criterion recorded under `home`, sorted by ID.
pub fn read_all(home: &Path) -> Result<Vec<Benchmark>> {
    let mut dirs = Vec::new();
    sample_dirs(home, &mut dirs)?;
    let mut out = Vec::new();
    for dir in dirs {
        let sample_path = dir.join("sample.json");
        let text = std::fs::read_to_string(&sample_path)
            .with_context(|| format!("cannot read {}", sample_path.display()))?;
        let samples_ns = samples_ns(&text)
            .with_context(|| format!("invalid criterion samples {}", sample_path.display()))?;
        let id = benchmark_id(home, &dir);
        out.push(benchmark(id, samples_ns)?);
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// A [`Benchmark`] from its samples: the median and its 95 % interval.
pub fn benchmark(id: String, samples_ns: Vec<f64>) -> Result<Benchmark> {
    let (Some(median_ns), Some(median_ci95_ns)) =
        (stats::median(&samples_ns), stats::median_ci95(&samples_ns))
    else {
        bail!("benchmark {id} has no samples");
    };
    Ok(Benchmark { id, samples_ns, median_ns, median_ci95_ns })
}

/// Nanoseconds per iteration of each sample of a criterion `sample.json`.
pub fn samples_ns(json: &str) -> Result<Vec<f64>> {
    let saved: SavedSample = serde_json::from_str(json)?;
    if saved.iters.len() != saved.times.len() {
        bail!("{} iteration counts but {} times", saved.iters.len(), saved.times.len());
    }
    if saved.iters.is_empty() {
        bail!("no samples");
    }
    saved
        .iters
        .iter()
        .zip(&saved.times)
        .map(|(&iters, &time)| {
            if !(iters > 0.0 && time.is_finite() && time >= 0.0) {
                bail!("sample of {iters} iterations in {time} ns");
            }
            Ok(time / iters)
        })
        .collect()
}

/// The benchmark's full ID from `benchmark.json` beside its samples, or else its folder.
fn benchmark_id(home: &Path, new_dir: &Path) -> String {
    let from_file = std::fs::read_to_string(new_dir.join("benchmark.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<BenchmarkFile>(&text).ok())
        .map(|b| b.full_id);
    from_file.unwrap_or_else(|| {
        let dir = new_dir.parent().unwrap_or(new_dir);
        dir.strip_prefix(home).unwrap_or(dir).to_string_lossy().replace('\\', "/")
    })
}

/// Folders named `new` holding a `sample.json`, anywhere under `dir`.
fn sample_dirs(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") && path.join("sample.json").is_file() {
            out.push(path);
        } else {
            sample_dirs(&path, out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_time_per_iteration() {
        let json = r#"{"sampling_mode":"Linear","iters":[1.0,2.0,4.0],"times":[10.0,22.0,40.0]}"#;
        assert_eq!(samples_ns(json).unwrap(), vec![10.0, 11.0, 10.0]);
    }

    #[test]
    fn malformed_samples_are_refused() {
        assert!(samples_ns(r#"{"iters":[1.0],"times":[]}"#).is_err());
        assert!(samples_ns(r#"{"iters":[],"times":[]}"#).is_err());
        assert!(samples_ns(r#"{"iters":[0.0],"times":[5.0]}"#).is_err());
        assert!(samples_ns("not json").is_err());
    }

    #[test]
    fn result_lines_name_their_benchmark() {
        let line = "detect_1280x1024        time:   [11.862 ms 12.004 ms 12.171 ms]";
        assert_eq!(finished_benchmark(line), Some("detect_1280x1024"));
        assert_eq!(finished_benchmark("                        time:   [1 ms]"), None);
        assert_eq!(finished_benchmark("Benchmarking detect: Warming up"), None);
    }

    #[test]
    fn reads_a_criterion_folder_with_and_without_benchmark_json() {
        let home = tempfile::tempdir().unwrap();
        let a = home.path().join("detect_1280x1024/new");
        let b = home.path().join("group/fn/new");
        for dir in [&a, &b] {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join("sample.json"), r#"{"iters":[1.0,1.0],"times":[3.0,5.0]}"#)
                .unwrap();
        }
        std::fs::write(a.join("benchmark.json"), r#"{"full_id":"detect_1280x1024","x":1}"#)
            .unwrap();
        // A saved baseline beside `new` is not read.
        std::fs::create_dir_all(home.path().join("group/fn/base")).unwrap();
        let read = read_all(home.path()).unwrap();
        let ids: Vec<&str> = read.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["detect_1280x1024", "group/fn"]);
        assert_eq!(read[0].samples_ns, vec![3.0, 5.0]);
        assert_eq!(read[0].median_ns, 3.0);
        assert_eq!(read[0].median_ci95_ns, [3.0, 5.0]);
    }
}
